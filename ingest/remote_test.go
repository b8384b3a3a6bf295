package ingest_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
)

func sampleArticles(t *testing.T, n int) []*news.Article {
	t.Helper()
	data, err := fs.ReadFile(sample.FS(), "wikinews/wikinews_2020.csv")
	if err != nil {
		t.Fatal(err)
	}
	var out []*news.Article
	for _, it := range news.Parse("wikinews_2020.csv", data, news.FormatCSV, news.Defaults{}) {
		if it.Article != nil && it.Article.URL != "" && len(it.Article.Paragraphs) >= 3 {
			out = append(out, it.Article)
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("the sample has fewer than %d articles", n)
	return nil
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func htmlPage(a *news.Article) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><title>%s</title><link rel="canonical" href="%s"></head><body><article><h1>%s</h1>`,
		esc(a.Title), esc(a.URL), esc(a.Title))
	for _, p := range a.Paragraphs {
		b.WriteString("<p>" + esc(p) + "</p>")
	}
	return b.String() + "</article></body></html>"
}

func rss(arts []*news.Article) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wikinews</title>`)
	for i, a := range arts {
		fmt.Fprintf(&b, "<item><guid>%d</guid><title>%s</title><link>%s</link><description>%s</description></item>",
			i, esc(a.Title), esc(a.URL+"?utm_campaign=feed"), esc("<p>"+strings.Join(a.Paragraphs, "</p><p>")+"</p>"))
	}
	return b.String() + "</channel></rss>"
}

func TestIngestURL(t *testing.T) {
	arts := sampleArticles(t, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, htmlPage(arts[0]))
		case "/feed":
			// Served as text/xml: recognised as a feed by its content.
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, rss(arts[1:]))
		case "/image":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write([]byte{0xff, 0xd8, 0xff})
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	lib, err := ingest.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	allowed := fetch.New(config.Fetch{AllowHosts: []string{"127.0.0.1"}})
	def := news.Defaults{Guild: "5"}

	rep, err := lib.IngestURL(ctx, allowed, srv.URL+"/page", def)
	if err != nil || rep.Ingested != 1 {
		t.Fatalf("page: %v %+v", err, rep)
	}
	want := &news.Article{URL: arts[0].URL, Guild: "5"}
	want.ComputeID()
	if got := rep.Added[0]; got.ID != want.ID || got.Title != arts[0].Title || len(got.Paragraphs) != len(arts[0].Paragraphs) {
		t.Errorf("page article: %s %q, %d paragraphs", got.ID, got.Title, len(got.Paragraphs))
	}

	rep, err = lib.IngestURL(ctx, allowed, srv.URL+"/feed", def)
	if err != nil || rep.Ingested != 3 || rep.Failed != 0 {
		t.Fatalf("feed: %v %+v", err, rep)
	}
	for _, a := range rep.Added {
		if a.Guild != "5" || strings.Contains(a.URL, "127.0.0.1") {
			t.Errorf("feed article %q: guild %q url %q", a.Title, a.Guild, a.URL)
		}
	}
	// The same feed again: nothing new.
	if rep, err := lib.IngestURL(ctx, allowed, srv.URL+"/feed", def); err != nil || rep.Ingested != 0 || rep.Duplicates != 3 {
		t.Errorf("feed again: %v %+v", err, rep)
	}

	if _, err := lib.IngestURL(ctx, allowed, srv.URL+"/image", def); !errors.Is(err, fetch.ErrContentType) {
		t.Errorf("image: %v", err)
	}
	_, err = lib.IngestURL(ctx, fetch.New(config.Default().Fetch), srv.URL+"/page", def)
	var refused *fetch.RefusedError
	if !errors.As(err, &refused) || !strings.Contains(err.Error(), "127.0.0.1 is a loopback address") {
		t.Errorf("default config: %v", err)
	}
}

func TestIngestFeedFile(t *testing.T) {
	arts := sampleArticles(t, 3)
	ctx := context.Background()
	lib, err := ingest.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	rep, isFeed, err := lib.IngestFeedFile(ctx, "wikinews.rss", []byte(rss(arts)), news.Defaults{})
	if err != nil || !isFeed || rep.Ingested != 3 {
		t.Fatalf("feed file: %v %v %+v", err, isFeed, rep)
	}
	if _, isFeed, _ := lib.IngestFeedFile(ctx, "notes.md", []byte("# Notes\n\nNot a feed."), news.Defaults{}); isFeed {
		t.Error("Markdown taken for a feed")
	}
}

// TestUpdateArticle replaces an article's text: the index finds the new text
// only, and the first ingest time is kept.
func TestUpdateArticle(t *testing.T) {
	ctx := context.Background()
	lib, err := ingest.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	a := sampleArticles(t, 1)[0]
	if _, err := lib.Add(ctx, []*news.Article{a}); err != nil {
		t.Fatal(err)
	}
	first, _ := lib.Store.Article(a.ID)
	upd := *first
	upd.Paragraphs = []string{"The zanzibarian quokka census was postponed, officials said."}
	upd.Quotes, upd.Ingested = nil, first.Ingested
	if err := lib.UpdateArticle(ctx, &upd); err != nil {
		t.Fatal(err)
	}
	got, _ := lib.Store.Article(a.ID)
	if got.Body() != upd.Body() || !got.Ingested.Equal(first.Ingested) || lib.Store.Count() != 1 {
		t.Errorf("stored: %q ingested %v", got.Body(), got.Ingested)
	}
	oldWord := ""
	for _, w := range strings.Fields(first.Body()) {
		w = strings.Trim(w, ".,;:\"'()")
		if len(w) > len(oldWord) && !strings.ContainsAny(w, "-'’") && !strings.Contains(strings.ToLower(first.Title), strings.ToLower(w)) {
			oldWord = w
		}
	}
	for q, want := range map[string]int{"zanzibarian quokka": 1, oldWord: 0} {
		res, err := lib.Index.Search(ctx, index.SearchOptions{Query: q, Limit: 5})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if res.Total != want {
			t.Errorf("search %q: %d hits, want %d", q, res.Total, want)
		}
	}
	if pend, _ := lib.Store.Pending(); len(pend) != 0 {
		t.Errorf("pending after update: %v", pend)
	}
}
