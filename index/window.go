package index

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/newsbot/newsbot/news"
)

// WindowOptions asks for the articles ingested in a window of time: what a
// digest covers.
type WindowOptions struct {
	Scope Scope
	From  time.Time // inclusive; zero for no start
	To    time.Time // exclusive; zero for no end
	Limit int       // at most this many articles, newest first; 0 for 100
}

// Ingested lists the articles in scope ingested in [From, To), the most
// recently ingested first, and how many there are in all. The window is on
// the ingest time, not the publication date: a digest tells what reached the
// library since the last one, whatever date the article carries.
func (ix *Index) Ingested(ctx context.Context, o WindowOptions) ([]*news.Article, int, error) {
	if o.Limit <= 0 {
		o.Limit = 100
	}
	filters := (SearchOptions{Scope: ix.scoped(o.Scope)}).filters(docArticle)
	if !o.From.IsZero() || !o.To.IsZero() {
		// Ingest times are indexed as fixed-width text (timeKey): the
		// window is a term range, From included, To excluded.
		var lo, hi string
		if !o.From.IsZero() {
			lo = timeKey(o.From)
		}
		if !o.To.IsZero() {
			hi = timeKey(o.To)
		}
		incl, excl := true, false
		r := bleve.NewTermRangeInclusiveQuery(lo, hi, &incl, &excl)
		r.SetField("ingested")
		filters = append(filters, r)
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(bleve.NewMatchAllQuery())
	filterBy(bq, filters...)
	req := bleve.NewSearchRequestOptions(bq, o.Limit, 0, false)
	// The id breaks ties between articles of one batch (same ingest time),
	// so the same window always lists the same articles in the same order.
	req.SortBy([]string{"-ingested", "_id"})
	res, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("index: articles ingested in a window: %w", err)
	}
	arts, err := ix.articlesOf(res.Hits)
	if err != nil {
		return nil, 0, err
	}
	return arts, int(res.Total), nil
}
