package index

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

// quoteDoc is what bleve sees of one quote. The quote itself is read back from
// its article in the store.
type quoteDoc struct {
	Type string `json:"type"`
	Text string `json:"text"`
	// Speaker is the name as the article gives it: the facet of suggestions.
	Speaker string `json:"speaker"`
	// SpeakerKey is the name lower-cased, for exact matches of a surname
	// that another article gives alone.
	SpeakerKey string `json:"speaker_key"`
	// SpeakerText holds the name and title for word search, SpeakerEdge the
	// name for prefix suggestions (edge n-grams).
	SpeakerText string `json:"speaker_text"`
	SpeakerEdge string `json:"speaker_edge"`
	URL         string `json:"url"`
	Guild       string `json:"guild"`
	Recency     string `json:"recency"`
}

// BleveType tells bleve which document mapping applies.
func (d quoteDoc) BleveType() string { return docQuote }

// quoteID names a quote document: its number is zero-padded so that ids sort
// in the article's order.
func quoteID(articleID string, i int) string { return fmt.Sprintf("%s/q%04d", articleID, i) }

func parseQuoteID(id string) (string, int, bool) {
	i := strings.LastIndex(id, "/q")
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(id[i+2:])
	return id[:i], n, err == nil
}

func (ix *Index) addQuotes(b *bleve.Batch, a *news.Article) error {
	if len(a.Quotes) == 0 {
		return nil
	}
	url, guild, rec := news.CanonicalURL(a.URL), guildValue(a.Guild), timeKey(recency(a))
	for i, q := range a.Quotes {
		q = q.Credited()
		doc := quoteDoc{
			Type:        docQuote,
			Text:        q.Text,
			Speaker:     q.Speaker,
			SpeakerKey:  strings.ToLower(q.Speaker),
			SpeakerText: strings.TrimSpace(q.Speaker + " " + q.Title),
			SpeakerEdge: q.Speaker,
			URL:         url,
			Guild:       guild,
			Recency:     rec,
		}
		if err := ix.add(b, quoteID(a.ID, i), doc); err != nil {
			return fmt.Errorf("index: quote %d of %s: %w", i, a.ID, err)
		}
	}
	return nil
}

// QuoteOptions is a quote search. Every field narrows it; none lists all.
type QuoteOptions struct {
	Scope   Scope
	Speaker string // a name or part of one: "Stoltenberg" finds "Jens Stoltenberg"
	About   string // words in the quote
	URL     string // the article's address
	Limit   int    // 0 = all
}

// QuoteHit is one quote found, with its article.
type QuoteHit struct {
	Quote   quotes.Quote
	Article *news.Article
	Score   float64
}

// speakerQuery matches a speaker given in full or in part: all the words of the
// name among the speaker's names and title, or the name's last word as a
// speaker's whole name (an article that calls him "Stoltenberg" only).
func speakerQuery(name string) query.Query {
	words := bleve.NewMatchQuery(name)
	words.SetField("speaker_text")
	words.SetOperator(query.MatchQueryOperatorAnd)
	f := strings.Fields(strings.ToLower(name))
	if len(f) < 2 {
		return words
	}
	surname := bleve.NewTermQuery(f[len(f)-1])
	surname.SetField("speaker_key")
	return bleve.NewDisjunctionQuery(words, surname)
}

// Quotes finds quotes by speaker, words and article.
func (ix *Index) Quotes(ctx context.Context, o QuoteOptions) ([]QuoteHit, int, error) {
	release, err := ix.slot(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer release()
	bq := bleve.NewBooleanQuery()
	scored, narrowed := false, false
	if s := strings.TrimSpace(o.Speaker); s != "" {
		if err := CheckQuery(s); err != nil {
			return nil, 0, err
		}
		bq.AddMust(speakerQuery(s))
		narrowed = true
	}
	if s := strings.TrimSpace(o.About); s != "" {
		if err := CheckQuery(s); err != nil {
			return nil, 0, err
		}
		if len(ix.queryTerms(s)) == 0 {
			return nil, 0, ErrEmptyQuery
		}
		m := bleve.NewMatchQuery(s)
		m.SetField("text")
		bq.AddMust(m)
		scored, narrowed = true, true
	}
	filters := (SearchOptions{Scope: ix.scoped(o.Scope)}).scopeFilters()
	if !narrowed {
		filters = append(filters, typeQuery(docQuote))
	}
	if o.URL != "" {
		u := news.CanonicalURL(o.URL)
		if u == "" {
			return nil, 0, fmt.Errorf("%q is not an http(s) address", o.URL)
		}
		tq := bleve.NewTermQuery(u)
		tq.SetField("url")
		filters = append(filters, tq)
	}
	filterBy(bq, filters...)
	if !narrowed {
		bq.AddMust(bleve.NewMatchAllQuery())
	}
	size := o.Limit
	if size <= 0 {
		// All of them: count first, then fetch that many.
		req := bleve.NewSearchRequestOptions(bq, 0, 0, false)
		res, err := ix.b().SearchInContext(ctx, req)
		if err != nil {
			return nil, 0, fmt.Errorf("index: quotes: %w", err)
		}
		size = int(res.Total)
		if size == 0 {
			return nil, 0, nil
		}
	}
	req := bleve.NewSearchRequestOptions(bq, size, 0, false)
	if scored {
		req.SortBy([]string{"-_score", "-recency", "_id"})
	} else {
		req.SortBy([]string{"-recency", "_id"})
	}
	res, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("index: quotes: %w", err)
	}
	hits, err := ix.loadQuotes(res.Hits)
	return hits, int(res.Total), err
}

// loadQuotes reads the quotes of search hits from their articles.
func (ix *Index) loadQuotes(docs search.DocumentMatchCollection) ([]QuoteHit, error) {
	ids := make([]string, 0, len(docs))
	seen := map[string]bool{}
	for _, d := range docs {
		if aid, _, ok := parseQuoteID(d.ID); ok && !seen[aid] {
			seen[aid] = true
			ids = append(ids, aid)
		}
	}
	arts, err := ix.src.Articles(ids)
	if err != nil {
		return nil, err
	}
	out := make([]QuoteHit, 0, len(docs))
	for _, d := range docs {
		aid, n, ok := parseQuoteID(d.ID)
		a := arts[aid]
		if !ok || a == nil || n >= len(a.Quotes) {
			continue
		}
		out = append(out, QuoteHit{Quote: a.Quotes[n].Credited(), Article: a, Score: d.Score})
	}
	return out, nil
}

// SpeakerCount is a speaker and how many of their quotes are in scope.
type SpeakerCount struct {
	Name  string
	Count int
}

// MaxSuggestions and MaxNameRunes are Discord's autocomplete limits.
const (
	MaxSuggestions = 25
	MaxNameRunes   = 100
)

// SuggestSpeakers lists speakers whose name has a word starting with prefix,
// most quoted first. A surname given alone in one article is counted with the
// full name another article gives it. An empty prefix lists the most quoted.
func (ix *Index) SuggestSpeakers(ctx context.Context, scope Scope, prefix string, limit int) ([]SpeakerCount, error) {
	release, err := ix.slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if limit <= 0 || limit > MaxSuggestions {
		limit = MaxSuggestions
	}
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	if utf8.RuneCountInString(prefix) <= 1 {
		// The first keystroke matches a large share of all quotes: answer
		// it from the scope's most quoted speakers, kept for a while.
		return ix.shortSuggestions(ctx, scope, prefix, limit)
	}
	return ix.suggest(ctx, scope, prefix, limit, limit*2)
}

// shortSuggestions filters the scope's most quoted speakers (cached for
// suggestTTL) by the first letter of one of their names.
func (ix *Index) shortSuggestions(ctx context.Context, scope Scope, prefix string, limit int) ([]SpeakerCount, error) {
	ix.suggestMu.Lock()
	e, ok := ix.suggestCache[scope.Guild]
	ix.suggestMu.Unlock()
	if !ok || time.Since(e.at) > suggestTTL {
		list, err := ix.suggest(ctx, scope, "", topSpeakers, topSpeakers)
		if err != nil {
			return nil, err
		}
		e = suggestEntry{at: time.Now(), list: list}
		ix.suggestMu.Lock()
		if ix.suggestCache == nil || len(ix.suggestCache) > 10000 {
			ix.suggestCache = map[string]suggestEntry{}
		}
		ix.suggestCache[scope.Guild] = e
		ix.suggestMu.Unlock()
	}
	var out []SpeakerCount
	for _, sp := range e.list {
		if len(out) == limit {
			break
		}
		if prefix == "" || hasWordPrefix(sp.Name, prefix) {
			out = append(out, sp)
		}
	}
	return out, nil
}

func hasWordPrefix(name, prefix string) bool {
	for _, w := range strings.Fields(strings.ToLower(name)) {
		if strings.HasPrefix(w, prefix) {
			return true
		}
	}
	return false
}

type suggestEntry struct {
	at   time.Time
	list []SpeakerCount
}

const (
	suggestTTL  = 30 * time.Second
	topSpeakers = 1000
)

// suggest runs the facet of speakers matching prefix (empty: all).
func (ix *Index) suggest(ctx context.Context, scope Scope, prefix string, limit, facetSize int) ([]SpeakerCount, error) {
	bq := bleve.NewBooleanQuery()
	if utf8.RuneCountInString(prefix) > edgeMax {
		prefix = string([]rune(prefix)[:edgeMax])
	}
	if prefix != "" {
		// Each word of the prefix must start a word of the name.
		for _, w := range strings.Fields(prefix) {
			tq := bleve.NewTermQuery(w)
			tq.SetField("speaker_edge")
			bq.AddMust(tq)
		}
	} else {
		bq.AddMust(bleve.NewMatchAllQuery())
	}
	filters := (SearchOptions{Scope: ix.scoped(scope)}).scopeFilters()
	if prefix == "" {
		filters = append(filters, typeQuery(docQuote))
	}
	filterBy(bq, filters...)
	req := bleve.NewSearchRequestOptions(bq, 0, 0, false)
	req.AddFacet("speakers", bleve.NewFacetRequest("speaker", facetSize))
	res, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: suggest: %w", err)
	}
	f := res.Facets["speakers"]
	if f == nil || f.Terms == nil {
		return nil, nil
	}
	var list []SpeakerCount
	for _, t := range f.Terms.Terms() {
		if t.Term == "" {
			continue
		}
		list = append(list, SpeakerCount{Name: t.Term, Count: t.Count})
	}
	list = mergeSurnames(list)
	sort.SliceStable(list, func(i, j int) bool { return list[i].Count > list[j].Count })
	if len(list) > limit {
		list = list[:limit]
	}
	for i := range list {
		if utf8.RuneCountInString(list[i].Name) > MaxNameRunes {
			list[i].Name = string([]rune(list[i].Name)[:MaxNameRunes-1]) + "…"
		}
	}
	return list, nil
}

// mergeSurnames folds a one-word speaker into the one full name that ends with
// it ("Stoltenberg" into "Jens Stoltenberg"); an ambiguous surname stays apart.
func mergeSurnames(list []SpeakerCount) []SpeakerCount {
	full := map[string][]int{}
	for i, s := range list {
		if f := strings.Fields(s.Name); len(f) > 1 {
			last := strings.ToLower(f[len(f)-1])
			full[last] = append(full[last], i)
		}
	}
	into := func(s SpeakerCount) (int, bool) {
		f := strings.Fields(s.Name)
		if len(f) != 1 {
			return 0, false
		}
		idx := full[strings.ToLower(f[0])]
		if len(idx) != 1 {
			return 0, false
		}
		return idx[0], true
	}
	extra := map[int]int{}
	for _, s := range list {
		if i, ok := into(s); ok {
			extra[i] += s.Count
		}
	}
	out := make([]SpeakerCount, 0, len(list))
	for i, s := range list {
		if _, ok := into(s); ok {
			continue
		}
		s.Count += extra[i]
		out = append(out, s)
	}
	return out
}
