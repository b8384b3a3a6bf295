package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/newsbot/newsbot/news"
)

// Latest lists the newest articles in scope, by publication date (articles
// without one by when they were ingested).
func (ix *Index) Latest(ctx context.Context, scope Scope, n int) ([]*news.Article, error) {
	bq := bleve.NewBooleanQuery()
	bq.AddMust(bleve.NewMatchAllQuery())
	filterBy(bq, (SearchOptions{Scope: ix.scoped(scope)}).filters(docArticle)...)
	req := bleve.NewSearchRequestOptions(bq, n, 0, false)
	req.SortBy([]string{"-recency", "_id"})
	res, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: latest: %w", err)
	}
	return ix.articlesOf(res.Hits)
}

// OwnArticles lists a guild's own articles whose title has words starting like
// the prefix (for autocomplete of /news remove), newest first.
func (ix *Index) OwnArticles(ctx context.Context, guild, prefix string, n int) ([]*news.Article, error) {
	if guild == "" {
		return nil, nil
	}
	bq := bleve.NewBooleanQuery()
	g := bleve.NewTermQuery(guild)
	g.SetField("guild")
	filterBy(bq, g, typeQuery(docArticle))
	if terms := ix.tokens(prefix); len(terms) > 0 {
		for _, t := range terms {
			pq := bleve.NewPrefixQuery(t.term)
			pq.SetField("title")
			bq.AddMust(pq)
		}
	} else {
		bq.AddMust(bleve.NewMatchAllQuery())
	}
	req := bleve.NewSearchRequestOptions(bq, n, 0, false)
	req.SortBy([]string{"-ingested"})
	res, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: own articles: %w", err)
	}
	return ix.articlesOf(res.Hits)
}

func (ix *Index) articlesOf(hits search.DocumentMatchCollection) ([]*news.Article, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	arts, err := ix.src.Articles(ids)
	if err != nil {
		return nil, err
	}
	out := make([]*news.Article, 0, len(ids))
	for _, id := range ids {
		if a := arts[id]; a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// Sources lists the sources of the articles in scope with their counts.
func (ix *Index) Sources(ctx context.Context, scope Scope) ([]SpeakerCount, error) {
	bq := bleve.NewBooleanQuery()
	bq.AddMust(bleve.NewMatchAllQuery())
	filterBy(bq, (SearchOptions{Scope: ix.scoped(scope)}).filters(docArticle)...)
	req := bleve.NewSearchRequestOptions(bq, 0, 0, false)
	req.AddFacet("sources", bleve.NewFacetRequest("source", 100))
	res, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: sources: %w", err)
	}
	var out []SpeakerCount
	if f := res.Facets["sources"]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			out = append(out, SpeakerCount{Name: t.Term, Count: t.Count})
		}
	}
	return out, nil
}
