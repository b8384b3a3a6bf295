// Package storetest is the conformance suite every store.Backend passes: the
// bbolt file and PostgreSQL must behave alike, so the rest of newsbot cannot
// tell them apart.
package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
	"github.com/newsbot/newsbot/store"
)

// Open makes a new, empty store for one test. The suite closes it.
type Open func(t *testing.T) store.Backend

// Run runs the suite against the stores open makes.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Backend)
	}{
		{"ArticlesAndPending", articlesAndPending},
		{"PutArticle", putArticle},
		{"RoundTrip", roundTrip},
		{"ForEachInIDOrder", forEachOrder},
		{"Stats", stats},
		{"RemoveAndAddAgain", removeAndAddAgain},
		{"Records", records},
		{"FeedStateWatermarksSettings", stateRecords},
		{"CheckAndClose", checkAndClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
}

func art(id, title string) *news.Article {
	return &news.Article{ID: id, Title: title, Paragraphs: []string{"body of " + title}}
}

func articlesAndPending(t *testing.T, s store.Backend) {
	if s.Count() != 0 || !s.LastIngest().IsZero() {
		t.Fatalf("new store: count %d, last ingest %v", s.Count(), s.LastIngest())
	}
	before := time.Now().Add(-time.Second)
	res, err := s.AddArticles([]*news.Article{art("a", "A"), art("b", "B")})
	if err != nil || len(res.Added) != 2 || len(res.Duplicates) != 0 {
		t.Fatalf("add: %+v %v", res, err)
	}
	res, err = s.AddArticles([]*news.Article{art("a", "A again"), art("c", "C"), art("c", "C twice in one batch")})
	if err != nil || len(res.Added) != 1 || res.Added[0].Title != "C" || len(res.Duplicates) != 2 || res.Duplicates[0].ID != "a" {
		t.Fatalf("second add: %+v %v", res, err)
	}
	if got, _ := s.Article("a"); got == nil || got.Title != "A" {
		t.Errorf("a duplicate overwrote the stored article: %+v", got)
	}
	if got, _ := s.Article("c"); got == nil || got.Title != "C" {
		t.Errorf("the second of one batch won: %+v", got)
	}
	if s.Count() != 3 {
		t.Errorf("count = %d", s.Count())
	}
	pend, err := s.Pending()
	sort.Strings(pend)
	if err != nil || !reflect.DeepEqual(pend, []string{"a", "b", "c"}) {
		t.Errorf("pending = %v, %v; want all three until indexed", pend, err)
	}
	if err := s.MarkIndexed([]string{"a", "b", "never-there"}); err != nil {
		t.Fatal(err)
	}
	if pend, _ = s.Pending(); !reflect.DeepEqual(pend, []string{"c"}) {
		t.Errorf("pending = %v, want [c]", pend)
	}
	if li := s.LastIngest(); li.Before(before) || li.After(time.Now().Add(time.Second)) {
		t.Errorf("last ingest = %v", li)
	}
	if err := s.Delete("c"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Article("c"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted article: err = %v", err)
	}
	if pend, _ = s.Pending(); len(pend) != 0 {
		t.Errorf("a deleted article is still pending: %v", pend)
	}
	if err := s.Delete("c"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: err = %v", err)
	}
	got, err := s.Articles([]string{"a", "missing", "b"})
	if err != nil || len(got) != 2 || got["a"].Title != "A" || got["b"].Title != "B" {
		t.Errorf("Articles = %v, %v", got, err)
	}
	if got, err := s.Articles(nil); err != nil || len(got) != 0 {
		t.Errorf("Articles(nil) = %v, %v", got, err)
	}
	if res, err := s.AddArticles(nil); err != nil || len(res.Added)+len(res.Duplicates) != 0 {
		t.Errorf("AddArticles(nil) = %+v, %v", res, err)
	}
}

func putArticle(t *testing.T, s store.Backend) {
	if _, err := s.AddArticles([]*news.Article{art("a", "A")}); err != nil {
		t.Fatal(err)
	}
	_ = s.MarkIndexed([]string{"a"})
	for _, a := range []*news.Article{art("a", "A updated"), art("n", "New")} {
		if err := s.PutArticle(a); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.Article("a"); got == nil || got.Title != "A updated" {
		t.Errorf("put did not replace: %+v", got)
	}
	pend, _ := s.Pending()
	sort.Strings(pend)
	if !reflect.DeepEqual(pend, []string{"a", "n"}) {
		t.Errorf("pending after put = %v", pend)
	}
	if s.Count() != 2 {
		t.Errorf("count = %d", s.Count())
	}
}

// roundTrip stores an article with every field set and reads it back equal.
func roundTrip(t *testing.T, s store.Backend) {
	pub := time.Date(2024, 11, 19, 8, 30, 0, 0, time.UTC)
	a := &news.Article{
		ID: "full", Title: "Title «ü» \u2028", URL: "https://example.com/a?b=1", Source: "Wire",
		Author: "Jane Roe", Guild: "123456789012345678", Published: pub, Ingested: pub.Add(time.Hour),
		Paragraphs: []string{"First.", "Second, with \"quotes\" and a NUL-free \u00a0 space."},
		Quotes:     []quotes.Quote{{Text: "We will.", Speaker: "Jane Roe"}},
	}
	if _, err := s.AddArticles([]*news.Article{a}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Article("full")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(a)
	have, _ := json.Marshal(got)
	if string(want) != string(have) {
		t.Errorf("read back\n%s\nwant\n%s", have, want)
	}
	if !got.Ingested.Equal(pub.Add(time.Hour)) {
		t.Errorf("a set ingest time was replaced: %v", got.Ingested)
	}
}

func forEachOrder(t *testing.T, s store.Backend) {
	var arts []*news.Article
	for i := 1200; i > 0; i-- { // more than one page of any paged reader
		arts = append(arts, art(fmt.Sprintf("id-%05d", i), fmt.Sprint(i)))
	}
	arts = append(arts, art("Z", "upper"), art("a", "lower"))
	if _, err := s.AddArticles(arts); err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := s.ForEach(func(a *news.Article) error { ids = append(ids, a.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(arts) || !sort.StringsAreSorted(ids) || ids[0] != "Z" {
		t.Errorf("ForEach gave %d ids, sorted %v, first %q", len(ids), sort.StringsAreSorted(ids), ids[0])
	}
	stop := errors.New("stop")
	n := 0
	err := s.ForEach(func(*news.Article) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("ForEach did not stop: n = %d, err = %v", n, err)
	}
}

// removeAndAddAgain removes articles and adds them again under the same ids,
// among others: each is found once, as it was added the second time.
func removeAndAddAgain(t *testing.T, s store.Backend) {
	var first []*news.Article
	for i := range 30 {
		first = append(first, art(fmt.Sprintf("id-%02d", i), "first"))
	}
	if _, err := s.AddArticles(first); err != nil {
		t.Fatal(err)
	}
	again := map[string]bool{"id-00": true, "id-13": true, "id-29": true}
	var back []*news.Article
	for id := range again {
		if err := s.Delete(id); err != nil {
			t.Fatal(err)
		}
		back = append(back, art(id, "second"))
	}
	if s.Count() != 27 {
		t.Errorf("count after removals = %d", s.Count())
	}
	res, err := s.AddArticles(append(back, art("id-05", "duplicate")))
	if err != nil || len(res.Added) != 3 || len(res.Duplicates) != 1 {
		t.Fatalf("add again: %d added, %d duplicates, %v", len(res.Added), len(res.Duplicates), err)
	}
	seen := map[string]int{}
	err = s.ForEach(func(a *news.Article) error {
		seen[a.ID]++
		if want := map[bool]string{true: "second", false: "first"}[again[a.ID]]; a.Title != want {
			t.Errorf("%s: title %q, want %q", a.ID, a.Title, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range first {
		if seen[a.ID] != 1 {
			t.Errorf("%s seen %d times", a.ID, seen[a.ID])
		}
	}
	if s.Count() != 30 || len(seen) != 30 {
		t.Errorf("count = %d, ForEach gave %d ids", s.Count(), len(seen))
	}
	if got, err := s.Article("id-13"); err != nil || got.Title != "second" {
		t.Errorf("id-13 = %+v, %v", got, err)
	}
}

func stats(t *testing.T, s store.Backend) {
	tests := []struct {
		name string
		add  []*news.Article
		put  *news.Article
		del  string
		want store.Stats
	}{
		{"empty", nil, nil, "", store.Stats{ByGuild: map[string]int{}, BySource: map[string]int{}}},
		{"guilds, sources and quotes", []*news.Article{
			{ID: "a", Title: "A", Source: "Wire", Paragraphs: []string{"a"}, Quotes: []quotes.Quote{{Text: "x"}, {Text: "y"}}},
			{ID: "b", Title: "B", Source: "Wire", Guild: "1", Paragraphs: []string{"b"}, Quotes: []quotes.Quote{{Text: "z"}}},
			{ID: "c", Title: "C", Guild: "1", Paragraphs: []string{"c"}},
		}, nil, "", store.Stats{Articles: 3, Quotes: 3, ByGuild: map[string]int{"": 1, "1": 2}, BySource: map[string]int{"Wire": 2, "": 1}}},
		{"after a removal", nil, nil, "a", store.Stats{Articles: 2, Quotes: 1, ByGuild: map[string]int{"1": 2}, BySource: map[string]int{"Wire": 1, "": 1}}},
		{"a replaced article counts as it is now", nil,
			&news.Article{ID: "b", Title: "B", Source: "Post", Paragraphs: []string{"b"}, Quotes: []quotes.Quote{{Text: "z"}, {Text: "w"}}},
			"", store.Stats{Articles: 2, Quotes: 2, ByGuild: map[string]int{"": 1, "1": 1}, BySource: map[string]int{"Post": 1, "": 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.AddArticles(tt.add); err != nil {
				t.Fatal(err)
			}
			if tt.put != nil {
				if err := s.PutArticle(tt.put); err != nil {
					t.Fatal(err)
				}
			}
			if tt.del != "" {
				if err := s.Delete(tt.del); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Stats()
			if err != nil {
				t.Fatal(err)
			}
			// A removal may leave a zero count behind in one store and
			// not in the other; zero and absent mean the same.
			for _, m := range []map[string]int{got.ByGuild, got.BySource} {
				for k, v := range m {
					if v == 0 {
						delete(m, k)
					}
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Stats() = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func records(t *testing.T, s store.Backend) {
	type rec struct{ N int }
	var r rec
	if err := s.GetJSON("feeds", "x", &r); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing record: %v", err)
	}
	if err := s.GetJSON("no-such-bucket", "x", &r); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing bucket: %v", err)
	}
	for i, k := range []string{"g1/b", "g1/a", "g2/a", "g1"} {
		if err := s.PutJSON("feeds", k, rec{i}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutJSON("other", "g1/c", rec{9}); err != nil {
		t.Fatal(err)
	}
	list := func(prefix string) []string {
		var keys []string
		err := s.ListJSON("feeds", prefix, func(k string, raw []byte) error {
			var r rec
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Errorf("raw value of %s: %v", k, err)
			}
			keys = append(keys, fmt.Sprintf("%s=%d", k, r.N))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return keys
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"g1/", []string{"g1/a=1", "g1/b=0"}},
		{"", []string{"g1=3", "g1/a=1", "g1/b=0", "g2/a=2"}},
		{"g3", nil},
		{"%", nil}, // a LIKE wildcard is an ordinary character
	}
	for _, tt := range tests {
		if got := list(tt.prefix); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ListJSON(%q) = %v, want %v", tt.prefix, got, tt.want)
		}
	}
	if err := s.ListJSON("no-such-bucket", "", func(string, []byte) error { t.Error("called"); return nil }); err != nil {
		t.Errorf("list of a missing bucket: %v", err)
	}
	if err := s.PutJSON("feeds", "g2/a", rec{20}); err != nil {
		t.Fatal(err)
	}
	if err := s.GetJSON("feeds", "g2/a", &r); err != nil || r.N != 20 {
		t.Errorf("get after overwrite = %+v, %v", r, err)
	}
	for range 2 { // deleting twice is harmless
		if err := s.DeleteJSON("feeds", "g2/a"); err != nil {
			t.Errorf("delete: %v", err)
		}
	}
	if err := s.DeleteJSON("no-such-bucket", "x"); err != nil {
		t.Errorf("delete in a missing bucket: %v", err)
	}
	if err := s.GetJSON("feeds", "g2/a", &r); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted record: %v", err)
	}
	stop := errors.New("stop")
	if err := s.ListJSON("feeds", "", func(string, []byte) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("an error from fn: %v", err)
	}
	if err := s.PutJSON("feeds", "bad", func() {}); err == nil {
		t.Error("a value JSON cannot encode was stored")
	}
}

// stateRecords writes the records the other packages keep, with their real
// bucket names and shapes, and reads them back.
func stateRecords(t *testing.T, s store.Backend) {
	type feedState struct {
		URL          string    `json:"url"`
		ETag         string    `json:"etag"`
		LastModified string    `json:"last_modified"`
		Failures     int       `json:"failures"`
		Next         time.Time `json:"next"`
		Seen         []string  `json:"seen"`
	}
	type watermark struct {
		Through time.Time `json:"through"`
		Nonce   string    `json:"nonce,omitempty"`
	}
	type settings struct {
		Guild string `json:"guild"`
		Off   bool   `json:"off"`
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	tests := []struct {
		bucket, key string
		put, get    any
	}{
		{"feeds", "https://example.com/feed.xml", &feedState{URL: "https://example.com/feed.xml", ETag: `W/"1"`, Failures: 2, Next: at, Seen: []string{"guid-1", "guid-2"}}, &feedState{}},
		{"digest_watermarks", "111111111111111111/222222222222222222", &watermark{Through: at, Nonce: "d-abc"}, &watermark{}},
		{"digest_settings", "111111111111111111", &settings{Guild: "111111111111111111", Off: true}, &settings{}},
	}
	for _, tt := range tests {
		if err := s.PutJSON(tt.bucket, tt.key, tt.put); err != nil {
			t.Fatal(err)
		}
		if err := s.GetJSON(tt.bucket, tt.key, tt.get); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(tt.put, tt.get) {
			t.Errorf("%s/%s = %+v, want %+v", tt.bucket, tt.key, tt.get, tt.put)
		}
	}
}

func checkAndClose(t *testing.T, s store.Backend) {
	if err := s.Check(); err != nil {
		t.Errorf("Check() = %v on an open store", err)
	}
	if s.Path() == "" {
		t.Error("Path() is empty")
	}
	if _, err := s.AddArticles([]*news.Article{art("a", "A")}); err != nil {
		t.Fatal(err)
	}
	if s.Size() <= 0 {
		t.Errorf("Size() = %d", s.Size())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err == nil {
		t.Error("Check() = nil on a closed store")
	}
}
