package feeds_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/ingest/feeds"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
)

// corpus is the Wikinews 2019 sample: real articles to make feeds from.
var corpus = sync.OnceValue(func() []*news.Article {
	data, err := fs.ReadFile(sample.FS(), "wikinews/wikinews_2019.csv")
	if err != nil {
		panic(err)
	}
	var out []*news.Article
	for _, it := range news.Parse("wikinews_2019.csv", data, news.FormatCSV, news.Defaults{}) {
		if it.Article != nil && it.Article.URL != "" && len(it.Article.Paragraphs) >= 3 && len(it.Article.Body()) > 1500 {
			out = append(out, it.Article)
		}
	}
	return out
})

func articles(t *testing.T, n int) []*news.Article {
	t.Helper()
	c := corpus()
	if len(c) < n {
		t.Fatalf("the sample has %d usable articles, want %d", len(c), n)
	}
	return c[:n]
}

// item is one feed entry as a test writes it.
type item struct {
	GUID, Link, Title string
	Summary, Content  string // HTML
	Published         time.Time
	RawDate           string // written as is instead of Published
	Updated           time.Time
}

// fromArticle makes a feed item of a sample article, with its whole text as
// content. link rewrites the address (utm parameters, another host).
func fromArticle(a *news.Article, guid string, link func(string) string) item {
	var b strings.Builder
	for _, p := range a.Paragraphs {
		b.WriteString("<p>" + xmlText(p) + "</p>\n")
	}
	l := a.URL
	if link != nil {
		l = link(l)
	}
	pub := a.Published
	if pub.IsZero() {
		pub = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return item{GUID: guid, Link: l, Title: a.Title, Content: b.String(), Published: pub.Add(12 * time.Hour)}
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func rssDoc(title string, items []item) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>`)
	fmt.Fprintf(&b, "<title>%s</title><link>https://en.wikinews.org/</link><description>test</description>\n", xmlText(title))
	for _, it := range items {
		b.WriteString("<item>")
		if it.GUID != "" {
			fmt.Fprintf(&b, `<guid isPermaLink="false">%s</guid>`, xmlText(it.GUID))
		}
		if it.Title != "" {
			fmt.Fprintf(&b, "<title>%s</title>", xmlText(it.Title))
		}
		if it.Link != "" {
			fmt.Fprintf(&b, "<link>%s</link>", xmlText(it.Link))
		}
		switch {
		case it.RawDate != "":
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", xmlText(it.RawDate))
		case !it.Published.IsZero():
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it.Published.Format(time.RFC1123Z))
		}
		if it.Summary != "" {
			fmt.Fprintf(&b, "<description>%s</description>", xmlText(it.Summary))
		}
		if it.Content != "" {
			fmt.Fprintf(&b, "<content:encoded>%s</content:encoded>", xmlText(it.Content))
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

func atomDoc(title string, items []item) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<feed xmlns="http://www.w3.org/2005/Atom">`)
	fmt.Fprintf(&b, "<title>%s</title><id>urn:test:%s</id><updated>2019-12-31T00:00:00Z</updated>\n", xmlText(title), xmlText(title))
	for _, it := range items {
		b.WriteString("<entry>")
		fmt.Fprintf(&b, "<id>%s</id><title>%s</title>", xmlText(it.GUID), xmlText(it.Title))
		if it.Link != "" {
			fmt.Fprintf(&b, `<link rel="alternate" href="%s"/>`, xmlText(it.Link))
		}
		if !it.Published.IsZero() {
			fmt.Fprintf(&b, "<published>%s</published>", it.Published.Format(time.RFC3339))
		}
		up := it.Updated
		if up.IsZero() {
			up = it.Published
		}
		if !up.IsZero() {
			fmt.Fprintf(&b, "<updated>%s</updated>", up.Format(time.RFC3339))
		}
		if it.Summary != "" {
			fmt.Fprintf(&b, `<summary type="html">%s</summary>`, xmlText(it.Summary))
		}
		if it.Content != "" {
			fmt.Fprintf(&b, `<content type="html">%s</content>`, xmlText(it.Content))
		}
		b.WriteString("</entry>\n")
	}
	b.WriteString("</feed>\n")
	return []byte(b.String())
}

func jsonFeedDoc(title string, items []item) []byte {
	type jitem struct {
		ID            string `json:"id"`
		URL           string `json:"url,omitempty"`
		Title         string `json:"title,omitempty"`
		ContentHTML   string `json:"content_html,omitempty"`
		Summary       string `json:"summary,omitempty"`
		DatePublished string `json:"date_published,omitempty"`
		DateModified  string `json:"date_modified,omitempty"`
	}
	doc := struct {
		Version string  `json:"version"`
		Title   string  `json:"title"`
		Items   []jitem `json:"items"`
	}{Version: "https://jsonfeed.org/version/1.1", Title: title}
	for _, it := range items {
		j := jitem{ID: it.GUID, URL: it.Link, Title: it.Title, ContentHTML: it.Content, Summary: it.Summary}
		if !it.Published.IsZero() {
			j.DatePublished = it.Published.Format(time.RFC3339)
		}
		if !it.Updated.IsZero() {
			j.DateModified = it.Updated.Format(time.RFC3339)
		}
		doc.Items = append(doc.Items, j)
	}
	b, _ := json.Marshal(doc)
	return b
}

// page is one document the test site serves.
type page struct {
	ctype   string
	body    []byte
	status  int
	header  map[string]string
	handler http.HandlerFunc // overrides everything else
}

// site is a web server whose pages a test changes as it goes. It answers
// conditional requests with 304 when the ETag matches.
type site struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]page
	hits  map[string]int
	cond  map[string]int // conditional requests seen per path
}

func newSite(t *testing.T) *site {
	s := &site{pages: map[string]page{}, hits: map[string]int{}, cond: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *site) set(path, ctype string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = page{ctype: ctype, body: body}
}

func (s *site) body(path string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.pages[path].body...)
}

func (s *site) setPage(path string, p page) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = p
}

func (s *site) count(path string) (hits, conditional int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path], s.cond[path]
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.pages[r.URL.Path]
	s.hits[r.URL.Path]++
	if r.Header.Get("If-None-Match") != "" {
		s.cond[r.URL.Path]++
	}
	s.mu.Unlock()
	switch {
	case !ok:
		http.NotFound(w, r)
		return
	case p.handler != nil:
		p.handler(w, r)
		return
	}
	for k, v := range p.header {
		w.Header().Set(k, v)
	}
	if p.status != 0 {
		w.WriteHeader(p.status)
		return
	}
	sum := sha256.Sum256(p.body)
	etag := `"` + hex.EncodeToString(sum[:6]) + `"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", p.ctype)
	w.Write(p.body)
}

// clock is a controllable time for the poller: Now, and After channels the
// test fires.
type clock struct {
	mu    sync.Mutex
	t     time.Time
	waits chan time.Duration
	fire  chan time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC), waits: make(chan time.Duration, 16), fire: make(chan time.Time)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// After reports the wait asked for and returns a channel that fires when the
// test calls tick.
func (c *clock) After(d time.Duration) <-chan time.Time {
	c.waits <- d
	return c.fire
}

// harness is a data folder, a site and a poller over them.
type harness struct {
	t     *testing.T
	dir   string
	site  *site
	clock *clock
	lib   *ingest.Library
	fcfg  config.Fetch
	mu    sync.Mutex
	calls []announcement
}

type announcement struct {
	channel string
	titles  []string
}

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, dir: t.TempDir(), site: newSite(t), clock: newClock()}
	h.fcfg = config.Default().Fetch
	h.fcfg.AllowHosts = []string{"127.0.0.1"}
	// Generous: machines running many test binaries at once are slow. The
	// slow-server case sets its own short limit.
	h.fcfg.Timeout = 10 * time.Second
	h.fcfg.MaxBytes = 4 << 20
	h.open()
	t.Cleanup(func() {
		if h.lib != nil {
			h.lib.Close()
		}
	})
	return h
}

func (h *harness) open() {
	lib, err := ingest.Open(context.Background(), h.dir, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	h.lib = lib
}

// restart closes the library and opens it again, as a restarted bot would.
func (h *harness) restart() {
	if err := h.lib.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.open()
}

func (h *harness) url(path string) string { return h.site.URL + path }

func (h *harness) poller(cfgFeeds []config.Feed, mod ...func(*feeds.Options)) *feeds.Poller {
	h.t.Helper()
	opt := feeds.Options{
		Now:    h.clock.Now,
		After:  h.clock.After,
		Jitter: func(time.Duration) time.Duration { return 0 },
		Announce: func(_ context.Context, ch string, arts []*news.Article) error {
			a := announcement{channel: ch}
			for _, x := range arts {
				a.titles = append(a.titles, x.Title)
			}
			h.mu.Lock()
			h.calls = append(h.calls, a)
			h.mu.Unlock()
			return nil
		},
	}
	for _, m := range mod {
		m(&opt)
	}
	p, err := h.lib.NewPoller(fetch.New(h.fcfg), cfgFeeds, opt)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) announcements() []announcement {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]announcement(nil), h.calls...)
}

func (h *harness) pollOnce(p *feeds.Poller) []feeds.Result {
	h.t.Helper()
	res, err := p.PollOnce(context.Background())
	if err != nil {
		h.t.Fatalf("PollOnce: %v", err)
	}
	return res
}

func (h *harness) article(id string) *news.Article {
	h.t.Helper()
	a, err := h.lib.Store.Article(id)
	if err != nil {
		h.t.Fatalf("article %s: %v", id, err)
	}
	return a
}

func feedCfg(u string) config.Feed {
	return config.Feed{URL: u, Every: 15 * time.Minute, AnnounceMax: 5}
}

// withUTM adds tracking parameters and a fragment, as feeds do to links.
func withUTM(src string) func(string) string {
	return func(u string) string {
		p, _ := url.Parse(u)
		q := p.Query()
		q.Set("utm_source", src)
		q.Set("utm_medium", "rss")
		p.RawQuery = q.Encode()
		p.Fragment = "from-" + src
		return p.String()
	}
}

func byURL(rs []feeds.Result) map[string]feeds.Result {
	m := map[string]feeds.Result{}
	for _, r := range rs {
		m[r.URL] = r
	}
	return m
}
