package index

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/news"
)

// memArticles is an ArticleSource over a map, for tests of the index alone.
type memArticles map[string]*news.Article

func (m memArticles) Articles(ids []string) (map[string]*news.Article, error) {
	out := map[string]*news.Article{}
	for _, id := range ids {
		if a, ok := m[id]; ok {
			out[id] = a
		}
	}
	return out, nil
}

// pageLibrary indexes articles whose titles share a small vocabulary and
// whose bodies draw words with a long tail, as news does: common words
// match much of the library, in the title of some articles and the body of
// many. It is indexed in several batches, so in several segments, and some
// articles are deleted.
func pageLibrary(t *testing.T, n int) (*Index, []*news.Article, []string, []string) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 11))
	titleWords := strings.Fields("election council river storm minister court vaccine market strike harbour bridge school budget league festival museum")
	var bodyWords []string
	for i := range 300 {
		bodyWords = append(bodyWords, fmt.Sprintf("w%03dx", i))
	}
	bodyWords = append(bodyWords, titleWords...)
	zipf := rand.NewZipf(r, 1.1, 4, uint64(len(bodyWords)-1))
	arts := memArticles{}
	ix, err := Open(filepath.Join(t.TempDir(), "index"), arts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ctx := context.Background()
	guilds := []string{"", "", "111", "222"}
	sources := []string{"Ledger", "Post", "Wire"}
	var batch, all []*news.Article
	for i := range n {
		var tw []string
		for range 2 + r.IntN(10) {
			if r.IntN(4) == 0 {
				tw = append(tw, bodyWords[zipf.Uint64()])
			} else {
				tw = append(tw, titleWords[r.IntN(len(titleWords))])
			}
		}
		var paras []string
		for range 1 + r.IntN(4) {
			var ws []string
			for range 5 + r.IntN(60) {
				ws = append(ws, bodyWords[zipf.Uint64()])
			}
			if r.IntN(10) == 0 { // a word the article is all about
				w := bodyWords[r.IntN(len(bodyWords))]
				for range 3 + r.IntN(30) {
					ws = append(ws, w)
				}
			}
			paras = append(paras, strings.Join(ws, " ")+".")
		}
		if r.IntN(30) == 0 {
			// A body of one word scores the most a body can: bleve's
			// BM25 takes the field's average length to be its distinct
			// terms per document, so length weighs more than frequency.
			paras = []string{bodyWords[zipf.Uint64()] + "."}
		}
		a := &news.Article{
			ID: fmt.Sprintf("a%04d", i), Title: strings.Join(tw, " "), Paragraphs: paras,
			Guild: guilds[r.IntN(len(guilds))], Source: sources[r.IntN(len(sources))],
			Published: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour),
		}
		arts[a.ID] = a
		batch = append(batch, a)
		all = append(all, a)
		if len(batch) == n/5 {
			if err := ix.IndexArticles(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}
	if err := ix.IndexArticles(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i += 17 {
		if err := ix.DeleteArticle(all[i]); err != nil {
			t.Fatal(err)
		}
	}
	return ix, all, titleWords, bodyWords
}

// A search bounded to the page's candidates gives the page, scores and
// total that bleve gives scoring every match: for common and rare words,
// one to three of them, deeper pages, scopes and sources.
func TestBoundedSearchIsExact(t *testing.T) {
	ix, _, titleWords, bodyWords := pageLibrary(t, 1500)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 5))
	word := func() string {
		if r.IntN(2) == 0 {
			return titleWords[r.IntN(len(titleWords))]
		}
		return bodyWords[r.IntN(len(bodyWords))]
	}
	scopes := []Scope{{}, {Guild: "111"}, {Guild: "999"}}
	queries := 0
	for range 300 {
		var ws []string
		for range 1 + r.IntN(3) {
			ws = append(ws, word())
		}
		o := SearchOptions{Query: strings.Join(ws, " "), Scope: scopes[r.IntN(len(scopes))], Limit: 5}
		switch r.IntN(4) {
		case 0:
			o.Offset = 5 + r.IntN(20)
		case 1:
			o.Source = "Post"
		}
		ix.SetExhaustive(true)
		want, err := ix.Search(ctx, o)
		if err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
		ix.SetExhaustive(false)
		got, err := ix.Search(ctx, o)
		if err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
		queries++
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Errorf("%q %+v: %d hits of %d, want %d of %d", o.Query, o, len(got.Hits), got.Total, len(want.Hits), want.Total)
			continue
		}
		for i := range got.Hits {
			g, w := got.Hits[i], want.Hits[i]
			if math.Abs(g.Score-w.Score) > 1e-9*math.Abs(w.Score) {
				t.Errorf("%q %+v: hit %d scores %v, want %v", o.Query, o, i, g.Score, w.Score)
			}
			// Equal scores may come in another order.
			if g.Article.ID != w.Article.ID && math.Abs(g.Score-w.Score) > 1e-9*math.Abs(w.Score) {
				t.Errorf("%q %+v: hit %d is %s, want %s", o.Query, o, i, g.Article.ID, w.Article.ID)
			}
		}
	}
	// The test means nothing unless most searches took the bounded path.
	if b := ix.BoundedSearches(); b < int64(queries)/2 {
		t.Errorf("%d of %d searches were bounded; the library should make most of them so", b, queries)
	}
	t.Logf("%d of %d searches bounded", ix.BoundedSearches(), queries)
}

// Every matching article's score lies within the bounds the page is cut by:
// a bound that is too tight (a body that can score more than it allows, a
// coord forgotten) fails here even where no page happens to show it.
func TestScoreBoundsHold(t *testing.T) {
	ix, arts, _, _ := pageLibrary(t, 1500)
	ix.SetExhaustive(true)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 1))
	checked, maxShare := 0, 0.0
	for range 60 {
		// Words of one article, the one its body repeats most among
		// them: the body's score comes near its bound.
		a := arts[r.IntN(len(arts))]
		title := strings.Fields(a.Title)
		body := strings.Fields(strings.Join(a.Paragraphs, " "))
		ws := []string{title[r.IntN(len(title))], mostFrequent(body)}
		if r.IntN(2) == 0 {
			ws = append(ws, body[r.IntN(len(body))])
		}
		q := strings.Join(ws, " ")
		res, err := ix.Search(ctx, SearchOptions{Query: q, Limit: 2000})
		if err != nil {
			t.Fatal(err)
		}
		scope := SearchOptions{Scope: ix.scoped(Scope{})}
		bounds, err := ix.scoreBounds(ctx, sortedTerms(ix.queryTerms(q)), searchTitleBoost, scope.termFilters())
		if err != nil {
			t.Fatal(err)
		}
		if len(bounds) == 0 {
			continue // no article has every word: Search then takes any
		}
		if len(bounds) != res.Total {
			t.Errorf("%q: bounds for %d articles, %d match", q, len(bounds), res.Total)
		}
		for _, h := range res.Hits {
			b, ok := bounds[h.Article.ID]
			if !ok {
				t.Errorf("%q: no bounds for %s", q, h.Article.ID)
				continue
			}
			if h.Score < b[0]*(1-1e-9) || h.Score > b[1]*(1+1e-9) {
				t.Errorf("%q: %s scores %v, outside its bounds [%v, %v]", q, h.Article.ID, h.Score, b[0], b[1])
			}
			checked++
			if b[1] > b[0] {
				if f := (h.Score - b[0]) / (b[1] - b[0]); f > maxShare {
					maxShare = f
				}
			}
		}
	}
	t.Logf("%d scores checked; the most of its bound's room a score took: %.2f", checked, maxShare)
	if checked < 1000 {
		t.Errorf("only %d scores checked", checked)
	}
}

func mostFrequent(words []string) string {
	n := map[string]int{}
	best := ""
	for _, w := range words {
		w = strings.Trim(w, ".")
		if n[w]++; n[w] > n[best] {
			best = w
		}
	}
	return best
}

// A negative offset is the first page, on either path.
func TestSearchNegativeOffset(t *testing.T) {
	ix, _, titleWords, _ := pageLibrary(t, 300)
	ctx := context.Background()
	for _, exhaustive := range []bool{false, true} {
		ix.SetExhaustive(exhaustive)
		first, err := ix.Search(ctx, SearchOptions{Query: titleWords[0], Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		neg, err := ix.Search(ctx, SearchOptions{Query: titleWords[0], Limit: 5, Offset: -3})
		if err != nil {
			t.Fatalf("exhaustive %v: offset -3: %v", exhaustive, err)
		}
		if len(neg.Hits) != len(first.Hits) || len(first.Hits) == 0 || neg.Hits[0].Article.ID != first.Hits[0].Article.ID {
			t.Errorf("exhaustive %v: offset -3 gave %d hits, the first page %d", exhaustive, len(neg.Hits), len(first.Hits))
		}
	}
}
