package commands

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/newsbot/newsbot/index"
)

// SearchArgs is a /search or `newsbot search` request.
type SearchArgs struct {
	Query  string
	Guild  string
	Source string
	Since  string // 7d, 2024-11-01
	Until  string
	Limit  int
	Page   int // from 0
}

// SearchJSON is the --json shape of a search: a contract.
type SearchJSON struct {
	Query string          `json:"query"`
	Total int             `json:"total"`
	Hits  []SearchHitJSON `json:"hits"`
}

// SearchHitJSON is one hit of SearchJSON.
type SearchHitJSON struct {
	Article ArticleJSON `json:"article"`
	Snippet string      `json:"snippet"`
	Score   float64     `json:"score"`
}

// Search finds articles for a query.
func (s *Service) Search(ctx context.Context, a SearchArgs) (*Reply, error) {
	q, note := CutQuery(a.Query)
	now := s.Now()
	since, err := ParseSince(a.Since, now)
	if err != nil {
		return nil, userErr("since: %v", err)
	}
	until, err := ParseSince(a.Until, now)
	if err != nil {
		return nil, userErr("until: %v", err)
	}
	if a.Limit <= 0 {
		a.Limit = 5
	}
	res, err := s.Lib.Index.Search(ctx, index.SearchOptions{
		Query: q, Scope: index.Scope{Guild: a.Guild}, Source: a.Source,
		Since: since, Until: until, Limit: a.Limit, Offset: a.Page * a.Limit,
	})
	if errors.Is(err, index.ErrEmptyQuery) {
		return nil, userErr("Give some words to search for.")
	}
	if err != nil {
		return nil, err
	}
	data := SearchJSON{Query: q, Total: res.Total, Hits: []SearchHitJSON{}}
	r := &Reply{Data: &data}
	for _, h := range res.Hits {
		data.Hits = append(data.Hits, SearchHitJSON{Article: NewArticleJSON(h.Article), Snippet: h.Snippet, Score: h.Score})
		r.Cards = append(r.Cards, Card{
			Title: h.Article.Title, URL: h.Article.URL, Body: h.Snippet,
			Source: h.Article.Source, Published: h.Article.Published, ArticleID: h.Article.ID,
		})
	}
	switch {
	case res.Total == 0:
		r.Text = "No articles match that."
	default:
		first := a.Page*a.Limit + 1
		r.Text = fmt.Sprintf("Articles %d–%d of %d", first, first+len(res.Hits)-1, res.Total)
	}
	if note != "" {
		r.Text = note + "\n" + r.Text
	}
	return r, nil
}

// CutQuery shortens a query over the limit on a rune boundary and says so.
func CutQuery(q string) (string, string) {
	if utf8.RuneCountInString(q) <= index.MaxQueryRunes {
		return q, ""
	}
	cut := []rune(q)[:index.MaxQueryRunes]
	return string(cut), fmt.Sprintf("(Your text was cut to its first %d characters.)", index.MaxQueryRunes)
}
