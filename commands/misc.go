package commands

import (
	"context"
	"fmt"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/internal/markdown"
	"github.com/newsbot/newsbot/news"
)

// Latest lists the newest articles visible in the guild.
func (s *Service) Latest(ctx context.Context, guild string, n int) (*Reply, error) {
	if n < 1 || n > 10 {
		return nil, userErr("count must be between 1 and 10")
	}
	arts, err := s.Lib.Index.Latest(ctx, index.Scope{Guild: guild}, n)
	if err != nil {
		return nil, err
	}
	data := SearchJSON{Hits: []SearchHitJSON{}, Total: len(arts)}
	r := &Reply{Data: &data}
	if len(arts) == 0 {
		r.Text = "No articles yet. Moderators can add some with /news add."
		return r, nil
	}
	r.Text = fmt.Sprintf("The %d newest articles", len(arts))
	for _, a := range arts {
		lead := s.Lib.Index.Lead(a)
		data.Hits = append(data.Hits, SearchHitJSON{Article: NewArticleJSON(a), Snippet: lead})
		r.Cards = append(r.Cards, Card{Title: a.Title, URL: a.URL, Body: lead, Source: a.Source, Published: a.Published, ArticleID: a.ID})
	}
	return r, nil
}

// Help says what newsbot does and how to ask it.
func Help() *Reply {
	text := "**newsbot** answers questions about the news it has been given, quoting the articles.\n" +
		"• `/ask question:` a question in plain English; answers are quoted word for word, with their article, or I say I don't know.\n" +
		"• `/search query:` articles on a topic (`source:` and `since:` narrow it: `7d`, `2024-11-01`).\n" +
		"• `/quotes speaker: about:` what people said, with who said it.\n" +
		"• `/latest` the newest articles.\n" +
		"• `/trend topic:` a chart of how much a story was covered over time; `/speakers topic:` who is quoted most on it.\n" +
		"Moderators: `/news add` (a link, text or file), `/news remove`, **Add to news** on a message, `/feed` to follow feeds, `/digest` for a scheduled digest."
	return &Reply{Text: text, Ephemeral: true, Data: map[string]string{"help": text}}
}

// Announcement is the message that presents new articles in a channel (a
// feed's new items): one card each, as /search shows them.
func (s *Service) Announcement(arts []*news.Article, from string) *Reply {
	r := &Reply{}
	if from != "" {
		r.Text = "New from " + markdown.Escape(from)
	}
	for _, a := range arts {
		r.Cards = append(r.Cards, Card{Title: a.Title, URL: a.URL, Body: s.Lib.Index.Lead(a), Source: a.Source, Published: a.Published, ArticleID: a.ID})
	}
	return r
}
