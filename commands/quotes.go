package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/internal/markdown"
)

// QuotesArgs is a /quotes or `newsbot quotes` request.
type QuotesArgs struct {
	Guild   string
	Speaker string
	About   string
	URL     string
	Limit   int // 0 = all
}

// QuotesJSON is the --json shape of quotes: a contract.
type QuotesJSON struct {
	Quotes []QuoteJSON `json:"quotes"`
}

// QuoteJSON is one quote of QuotesJSON. Text is the quoted words without the
// quote marks; Title is null when the article gives the speaker none.
type QuoteJSON struct {
	Text    string      `json:"text"`
	Speaker string      `json:"speaker"`
	Title   *string     `json:"title"`
	Kind    string      `json:"kind"`
	Cue     string      `json:"cue"`
	Article ArticleJSON `json:"article"`
}

// Quotes lists attributed quotes by speaker, words and article.
func (s *Service) Quotes(ctx context.Context, a QuotesArgs) (*Reply, error) {
	hits, total, err := s.Lib.Index.Quotes(ctx, index.QuoteOptions{
		Scope: index.Scope{Guild: a.Guild}, Speaker: a.Speaker, About: a.About, URL: a.URL, Limit: a.Limit,
	})
	if errors.Is(err, index.ErrEmptyQuery) {
		return nil, userErr("Give some words to look for in the quotes.")
	}
	if err != nil {
		return nil, err
	}
	data := QuotesJSON{Quotes: []QuoteJSON{}}
	r := &Reply{Data: &data}
	for _, h := range hits {
		q := QuoteJSON{Text: h.Quote.Text, Speaker: h.Quote.Speaker, Kind: string(h.Quote.Kind), Cue: h.Quote.Cue, Article: NewArticleJSON(h.Article)}
		if h.Quote.Title != "" {
			t := h.Quote.Title
			q.Title = &t
		}
		data.Quotes = append(data.Quotes, q)
		speaker := h.Quote.Speaker
		if speaker == "" {
			speaker = "unnamed"
		}
		r.Cards = append(r.Cards, Card{
			Title: h.Article.Title, URL: h.Article.URL, Body: markdown.Escape(h.Quote.Text),
			Quote: true, Speaker: speaker, SpeakerTitle: h.Quote.Title,
			Source: h.Article.Source, Published: h.Article.Published, ArticleID: h.Article.ID,
		})
	}
	switch {
	case total == 0:
		r.Text = "No quotes match that."
	case len(hits) < total:
		r.Text = fmt.Sprintf("%d of %d quotes", len(hits), total)
	}
	return r, nil
}
