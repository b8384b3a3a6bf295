package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsbot/newsbot/news"
)

// MaxQueryRunes bounds a query or question; longer ones are cut by the caller
// (with a note) or refused here.
const MaxQueryRunes = 300

// ErrEmptyQuery is returned for a query with no searchable words.
var ErrEmptyQuery = errors.New("the query has no words to search for")

// Scope says whose articles a request may see: a guild's own plus the global
// ones. The zero Scope sees the global articles only.
type Scope struct {
	Guild string
	// whole says that every document of the index is in scope, so that no
	// filter is needed (Index.scoped).
	whole bool
}

// query is the filter of the scope's documents; nil when it would keep them
// all.
func (s Scope) query() query.Query {
	if s.whole {
		return nil
	}
	var qs []query.Query
	for _, g := range s.guilds() {
		t := bleve.NewTermQuery(g)
		t.SetField("guild")
		qs = append(qs, t)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// guilds are the guild values the scope sees: the global articles' and the
// guild's own.
func (s Scope) guilds() []string {
	if s.Guild == "" {
		return []string{GlobalGuild}
	}
	return []string{GlobalGuild, s.Guild}
}

// scoped marks s whole when the index holds only documents in it: only global
// articles, or only those and the guild's own. A library that serves one
// server, or keeps every article global, then pays for no filter, which on a
// large result set is a fifth of a query's time (a filter is checked for
// every document the query matches). The guilds are read from the terms of
// the guild field, a few per server, so the check is cheap and always
// current. On an error the filter stays.
func (ix *Index) scoped(s Scope) Scope {
	r, err := ix.reader()
	if err != nil {
		return s
	}
	defer r.Close()
	d, err := r.FieldDict("guild")
	if err != nil {
		return s
	}
	defer d.Close()
	for {
		e, err := d.Next()
		if err != nil {
			return s
		}
		if e == nil {
			break
		}
		if e.Term != GlobalGuild && e.Term != s.Guild {
			return s
		}
	}
	s.whole = true
	return s
}

// allOf joins filters: a bleve BooleanQuery holds one filter, and AddFilter
// replaces it, so every filter of a request goes through here. Nil for none.
func allOf(fs ...query.Query) query.Query {
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return bleve.NewConjunctionQuery(fs...)
}

// filterBy adds the filters to q, if there are any.
func filterBy(q *query.BooleanQuery, fs ...query.Query) {
	if f := allOf(fs...); f != nil {
		q.AddFilter(f)
	}
}

func typeQuery(t string) query.Query {
	q := bleve.NewTermQuery(t)
	q.SetField("type")
	return q
}

// SearchOptions is a search request.
type SearchOptions struct {
	Query  string
	Scope  Scope
	Source string
	Since  time.Time // inclusive
	Until  time.Time // exclusive
	Limit  int
	Offset int
}

// SearchHit is one article found, with its snippet in Discord Markdown (matched
// words bold, everything else escaped).
type SearchHit struct {
	Article *news.Article
	Snippet string
	Score   float64
}

// SearchResult is the page of hits asked for, and how many there are in all.
type SearchResult struct {
	Query string
	Total int
	Hits  []SearchHit
}

// CheckQuery refuses queries that are empty or too long.
func CheckQuery(q string) error {
	if strings.TrimSpace(q) == "" {
		return ErrEmptyQuery
	}
	if n := utf8.RuneCountInString(q); n > MaxQueryRunes {
		return fmt.Errorf("the query is %d characters long; the most is %d", n, MaxQueryRunes)
	}
	return nil
}

// textQuery matches words in an article's title and body, any of them, ranked
// by BM25 with the title weighing more. User text never reaches bleve's query
// syntax, so no one can build wildcard, regexp or fuzzy queries.
func textQuery(text string, titleBoost float64) query.Query {
	t := bleve.NewMatchQuery(text)
	t.SetField("title")
	t.SetBoost(titleBoost)
	b := bleve.NewMatchQuery(text)
	b.SetField("body")
	return bleve.NewDisjunctionQuery(t, b)
}

// searchTitleBoost is how much more a word weighs in the title than in the
// body.
const searchTitleBoost = 2

// searchAllTerms runs allTermsQuery: bounded to the articles that can make
// the page when topPage can tell which (see there), else by bleve over every
// match.
func (ix *Index) searchAllTerms(ctx context.Context, o SearchOptions, terms map[string]bool, run func(query.Query) (*bleve.SearchResult, error)) (*bleve.SearchResult, error) {
	words := sortedTerms(terms)
	q := allTermsQuery(words, searchTitleBoost)
	if ix.exhaustive || !o.Since.IsZero() || !o.Until.IsZero() {
		return run(q)
	}
	r, err := ix.reader()
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	hits, total, err := topPage(ctx, r, words, searchTitleBoost, o.termFilters(), o.Offset+o.Limit)
	r.Close()
	switch {
	case errors.Is(err, errNoBound):
		return run(q)
	case err != nil:
		return nil, err
	}
	ix.bounded.Add(1)
	res := &bleve.SearchResult{Total: total}
	for _, h := range hits[min(o.Offset, len(hits)):] {
		res.Hits = append(res.Hits, &search.DocumentMatch{ID: h.id, Score: h.score})
	}
	return res, nil
}

// termFilters are the scope and source filters as terms (topPage reads them
// from the postings), as scopeFilters has them for bleve.
func (o SearchOptions) termFilters() []termFilter {
	var fs []termFilter
	if !o.Scope.whole {
		fs = append(fs, termFilter{field: "guild", terms: o.Scope.guilds()})
	}
	if o.Source != "" {
		fs = append(fs, termFilter{field: "source", terms: []string{o.Source}})
	}
	return fs
}

// allTermsQuery matches articles that hold every term, in the title or the
// body.
func allTermsQuery(terms []string, titleBoost float64) query.Query {
	var each []query.Query
	for _, t := range terms {
		tt := bleve.NewTermQuery(t)
		tt.SetField("title")
		tt.SetBoost(titleBoost)
		tb := bleve.NewTermQuery(t)
		tb.SetField("body")
		each = append(each, bleve.NewDisjunctionQuery(tt, tb))
	}
	return bleve.NewConjunctionQuery(each...)
}

// filters are the request's scope, source and dates, and the document type.
// Where the query itself only matches fields of one type (title and body are
// articles', text and speakers quotes'), scopeFilters is enough: a type filter
// would cost a walk of every document of the type for nothing.
func (o SearchOptions) filters(docType string) []query.Query {
	return append([]query.Query{typeQuery(docType)}, o.scopeFilters()...)
}

func (o SearchOptions) scopeFilters() []query.Query {
	var fs []query.Query
	if q := o.Scope.query(); q != nil {
		fs = append(fs, q)
	}
	if o.Source != "" {
		s := bleve.NewTermQuery(o.Source)
		s.SetField("source")
		fs = append(fs, s)
	}
	if !o.Since.IsZero() || !o.Until.IsZero() {
		var start, end time.Time
		if !o.Since.IsZero() {
			start = o.Since
		}
		if !o.Until.IsZero() {
			end = o.Until
		}
		incl, excl := true, false
		r := bleve.NewDateRangeInclusiveQuery(start, end, &incl, &excl)
		r.SetField("published")
		fs = append(fs, r)
	}
	return fs
}

// Search finds the best articles for a query.
func (ix *Index) Search(ctx context.Context, o SearchOptions) (*SearchResult, error) {
	release, err := ix.slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := CheckQuery(o.Query); err != nil {
		return nil, err
	}
	terms := ix.queryTerms(o.Query)
	if len(terms) == 0 {
		return nil, ErrEmptyQuery
	}
	o.Scope = ix.scoped(o.Scope)
	if o.Limit <= 0 {
		o.Limit = 5
	}
	o.Offset = max(o.Offset, 0)
	// Every word first, as members expect of a search box, and much cheaper
	// than any word on a large index; any word when no article has them all.
	run := func(text query.Query) (*bleve.SearchResult, error) {
		q := bleve.NewBooleanQuery()
		q.AddMust(text)
		filterBy(q, o.scopeFilters()...) // title and body: articles only
		req := bleve.NewSearchRequestOptions(q, o.Limit, o.Offset, false)
		res, err := ix.b().SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("index: search: %w", err)
		}
		return res, nil
	}
	res, err := ix.searchAllTerms(ctx, o, terms, run)
	if err == nil && res.Total == 0 && len(terms) > 1 {
		res, err = run(textQuery(o.Query, 2))
	}
	if err != nil {
		return nil, err
	}
	out := &SearchResult{Query: o.Query, Total: int(res.Total)}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	arts, err := ix.src.Articles(ids)
	if err != nil {
		return nil, err
	}
	for _, h := range res.Hits {
		a := arts[h.ID]
		if a == nil {
			continue // deleted between the search and the read
		}
		out.Hits = append(out.Hits, SearchHit{Article: a, Snippet: ix.Snippet(a, terms, SnippetRunes), Score: h.Score})
	}
	return out, nil
}
