package commands

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/newsbot/newsbot/internal/markdown"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/store"
)

var urlRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// NewsAdd adds an article from a link, text or an attached file, to the guild's
// own articles, and says what was stored or why not.
func (s *Service) NewsAdd(ctx context.Context, req Request) (*Reply, error) {
	def := news.Defaults{Guild: req.Guild}
	url, text, title := req.String("url"), req.String("text"), req.String("title")
	file, hasFile := req.Attachments["file"]
	var items []news.Item
	switch {
	case url != "":
		got, err := s.fetch(ctx, url, def)
		if err != nil {
			return nil, err
		}
		items = got
	case hasFile:
		if file.Err != nil {
			return nil, userErr("Could not download %s: %v", file.Filename, file.Err)
		}
		if len(file.Data) == 0 {
			return nil, userErr("The file %s is empty.", file.Filename)
		}
		items = news.Parse(file.Filename, file.Data, formatOf(file), def)
	case text != "":
		items = []news.Item{news.FromText(title, text, def)}
	default:
		return nil, userErr("Give a url, a text or a file to add.")
	}
	return s.store(ctx, items)
}

// AddMessage is the "Add to news" context menu: the link in the message, else
// its text, else its first attachment.
func (s *Service) AddMessage(ctx context.Context, req Request) (*Reply, error) {
	if req.Message == nil {
		return nil, userErr("There is no message to add.")
	}
	def := news.Defaults{Guild: req.Guild}
	if u := urlRE.FindString(req.Message.Content); u != "" {
		items, err := s.fetch(ctx, u, def)
		if err != nil {
			return nil, err
		}
		return s.store(ctx, items)
	}
	if strings.TrimSpace(req.Message.Content) != "" {
		return s.store(ctx, []news.Item{news.FromText("", req.Message.Content, def)})
	}
	var failed []string
	for _, a := range req.Message.Attachments {
		if len(a.Data) > 0 {
			return s.store(ctx, news.Parse(a.Filename, a.Data, formatOf(a), def))
		}
		if a.Err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", a.Filename, a.Err))
		}
	}
	if len(failed) > 0 {
		return nil, userErr("Could not download the message's files: %s", strings.Join(failed, "; "))
	}
	return nil, userErr("That message has no text, link or readable file to add.")
}

func formatOf(a Attachment) news.Format {
	ct := strings.ToLower(a.ContentType)
	switch {
	case strings.Contains(ct, "html"):
		return news.FormatHTML
	case strings.Contains(ct, "markdown"):
		return news.FormatMarkdown
	case strings.Contains(ct, "json"):
		if strings.HasSuffix(strings.ToLower(a.Filename), ".jsonl") {
			return news.FormatJSONL
		}
		return news.FormatJSON
	}
	return news.DetectFormat(a.Filename, a.Data)
}

func (s *Service) fetch(ctx context.Context, url string, def news.Defaults) ([]news.Item, error) {
	if s.Fetch == nil {
		return nil, userErr("This newsbot cannot fetch links; paste the text instead.")
	}
	items, err := s.Fetch(ctx, url, def)
	if err != nil {
		return nil, userErr("Could not add %s: %v", url, err)
	}
	return items, nil
}

// store ingests parsed items and describes the outcome.
func (s *Service) store(ctx context.Context, items []news.Item) (*Reply, error) {
	rep, err := s.Lib.IngestItems(ctx, items)
	if err != nil {
		return nil, err
	}
	r := &Reply{Ephemeral: true}
	var lines []string
	for _, a := range rep.Added {
		date := "no date"
		if !a.Published.IsZero() {
			date = a.Published.Format("2 Jan 2006")
		}
		lines = append(lines, fmt.Sprintf("Added **%s** (%s, %s, %d quotes) as `%s`.",
			markdown.Escape(a.Title), markdown.Escape(orDash(a.Source)), date, len(a.Quotes), a.ID))
		// Led as readers will see it: without its source's boilerplate.
		r.Cards = append(r.Cards, Card{Title: a.Title, URL: a.URL, Body: s.Lib.Index.Lead(s.Lib.Boiler.Strip(a)), Source: a.Source, Published: a.Published, ArticleID: a.ID})
	}
	for _, d := range rep.DuplicateOf {
		lines = append(lines, fmt.Sprintf("Already stored: **%s** (`%s`).", markdown.Escape(d.Title), d.ID))
	}
	for _, f := range rep.Failures {
		lines = append(lines, "Not added: "+markdown.Escape(f.Err.Error()))
	}
	if len(lines) == 0 {
		lines = append(lines, "Nothing to add.")
	}
	r.Text = strings.Join(lines, "\n")
	r.Data = map[string]any{"ingested": rep.Ingested, "duplicates": rep.Duplicates, "failed": rep.Failed}
	return r, nil
}

func orDash(s string) string {
	if s == "" {
		return "no source"
	}
	return s
}

// NewsRemove removes one of the guild's own articles.
func (s *Service) NewsRemove(ctx context.Context, guild, id string) (*Reply, error) {
	a, err := s.Lib.Store.Article(id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Guild != guild) {
		// Another guild's article is as good as missing: say nothing of it.
		return nil, userErr("No article %q was added in this server.", id)
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.Lib.Remove(id); err != nil {
		return nil, err
	}
	return &Reply{Ephemeral: true, Text: fmt.Sprintf("Removed **%s**.", markdown.Escape(a.Title)), Data: map[string]any{"removed": id}}, nil
}
