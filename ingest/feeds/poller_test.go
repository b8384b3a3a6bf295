package feeds_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/ingest/feeds"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/news"
)

// TestFormats polls an RSS, an Atom and a JSON Feed made of sample articles:
// every item becomes an article once, and the second poll is a conditional
// request answered 304.
func TestFormats(t *testing.T) {
	t.Parallel()
	arts := articles(t, 6)
	tests := []struct {
		name, ctype string
		doc         func(string, []item) []byte
	}{
		{"rss", "application/rss+xml", rssDoc},
		{"atom", "application/atom+xml", atomDoc},
		{"json feed", "application/feed+json", jsonFeedDoc},
		{"rss as text/xml", "text/xml; charset=utf-8", rssDoc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			var items []item
			for i, a := range arts {
				items = append(items, fromArticle(a, fmt.Sprintf("wikinews-%d", i), nil))
			}
			h.site.set("/feed", tt.ctype, tt.doc("Wikinews", items))
			p := h.poller([]config.Feed{feedCfg(h.url("/feed"))})

			r := h.pollOnce(p)[0]
			if r.Err != nil || r.New != len(arts) || r.Failed != 0 {
				t.Fatalf("first poll: %+v", r)
			}
			for _, a := range arts {
				got := h.article(a.ID) // the same id as the article from the CSV: canonical URL
				if got.Title != a.Title || got.Body() != a.Body() || got.Source != "Wikinews" {
					t.Errorf("article %s: %q from %q, body equal %v", a.ID, got.Title, got.Source, got.Body() == a.Body())
				}
			}
			r = h.pollOnce(p)[0]
			if r.Err != nil || !r.NotModified || r.New != 0 {
				t.Errorf("second poll: %+v", r)
			}
			if _, cond := h.site.count("/feed"); cond != 1 {
				t.Errorf("%d conditional requests, want 1", cond)
			}
			st := p.ListFeeds("")[0]
			if st.ETag == "" || st.SeenCount != len(arts) || st.Title != "Wikinews" || st.Failures != 0 {
				t.Errorf("state %+v", st)
			}
		})
	}
}

// TestDedupeAcrossFeeds follows three feeds that carry the same articles:
// links with different tracking parameters and fragments, different GUIDs,
// and one mirror whose links differ but whose text is the same.
func TestDedupeAcrossFeeds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	arts := articles(t, 4)
	var a, b, c []item
	for i, x := range arts {
		a = append(a, fromArticle(x, fmt.Sprintf("a-%d", i), withUTM("a")))
		b = append(b, fromArticle(x, fmt.Sprintf("urn:b:%d", i), withUTM("b")))
		c = append(c, fromArticle(x, fmt.Sprintf("c-%d", i), func(u string) string {
			return strings.Replace(u, "en.wikinews.org", "mirror.example.org", 1)
		}))
	}
	h.site.set("/a", "application/rss+xml", rssDoc("Feed A", a))
	h.site.set("/b", "application/atom+xml", atomDoc("Feed B", b))
	h.site.set("/c", "application/feed+json", jsonFeedDoc("Feed C", c))
	cfg := []config.Feed{feedCfg(h.url("/a")), feedCfg(h.url("/b")), feedCfg(h.url("/c"))}
	cfg[0].Channel = "100"
	cfg[1].Channel = "100"
	p := h.poller(cfg)

	rs := byURL(h.pollOnce(p))
	if r := rs[h.url("/a")]; r.New != 4 {
		t.Errorf("feed A: %+v", r)
	}
	for _, u := range []string{"/b", "/c"} {
		if r := rs[h.url(u)]; r.New != 0 || r.Duplicates != 4 || r.Err != nil {
			t.Errorf("feed %s: new %d duplicates %d err %v, want 4 duplicates", u, r.New, r.Duplicates, r.Err)
		}
	}
	if n := h.lib.Store.Count(); n != 4 {
		t.Errorf("%d articles stored, want 4", n)
	}
	if got := h.announcements(); len(got) != 1 || len(got[0].titles) != 4 {
		t.Errorf("announcements %+v, want one of 4 articles", got)
	}
	// Nothing changes on the next poll, in any feed.
	for _, r := range h.pollOnce(p) {
		if r.New+r.Updated+r.Duplicates+r.Failed != 0 || r.Err != nil {
			t.Errorf("second poll %s: %+v", r.URL, r)
		}
	}
}

// TestUpdatedItem changes an item's text and date: its article is updated in
// place (same id) and re-indexed, not added again.
func TestUpdatedItem(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	arts := articles(t, 3)
	var items []item
	for i, a := range arts {
		items = append(items, fromArticle(a, fmt.Sprintf("g%d", i), nil))
	}
	h.site.set("/feed", "application/atom+xml", atomDoc("Wikinews", items))
	p := h.poller([]config.Feed{feedCfg(h.url("/feed"))})
	if r := h.pollOnce(p)[0]; r.New != 3 {
		t.Fatalf("first poll: %+v", r)
	}
	first := h.article(arts[1].ID)

	items[1].Content += "<p>Correction: the xylophonist Zebulon Quackenbush was misnamed in an earlier version.</p>"
	items[1].Updated = items[1].Published.Add(48 * time.Hour)
	h.site.set("/feed", "application/atom+xml", atomDoc("Wikinews", items))
	r := h.pollOnce(p)[0]
	if r.New != 0 || r.Updated != 1 || r.Unchanged != 2 {
		t.Fatalf("second poll: new %d updated %d unchanged %d, want 0 1 2 (%+v)", r.New, r.Updated, r.Unchanged, r)
	}
	got := h.article(arts[1].ID)
	if !strings.Contains(got.Body(), "Zebulon Quackenbush") || !got.Ingested.Equal(first.Ingested) {
		t.Errorf("updated article: ingested %v (was %v), body ends %q", got.Ingested, first.Ingested, got.Paragraphs[len(got.Paragraphs)-1])
	}
	if n := h.lib.Store.Count(); n != 3 {
		t.Errorf("%d articles, want 3", n)
	}
	found, err := h.lib.Index.Search(context.Background(), index.SearchOptions{Query: "Quackenbush xylophonist", Limit: 5})
	if err != nil || found.Total != 1 || found.Hits[0].Article.ID != arts[1].ID {
		t.Errorf("search for the new text: %v %+v", err, found)
	}
	if len(h.announcements()) != 0 {
		t.Errorf("announced without a channel: %+v", h.announcements())
	}
	// A new tracking parameter on a link is no change.
	items[2].Link += "?utm_source=rotated"
	h.site.set("/feed", "application/atom+xml", atomDoc("Wikinews", items))
	if r := h.pollOnce(p)[0]; r.Updated != 0 || r.Unchanged != 3 {
		t.Errorf("after a utm change: %+v", r)
	}
}

// TestFullText serves teasers whose links lead to the full article pages.
func TestFullText(t *testing.T) {
	t.Parallel()
	arts := articles(t, 3)
	serveTeasers := func(h *harness) {
		var items []item
		for i, a := range arts {
			path := fmt.Sprintf("/story/%d", i)
			var body strings.Builder
			fmt.Fprintf(&body, `<!DOCTYPE html><html><head><title>%s - Wikinews</title><meta property="og:site_name" content="Wikinews">`+
				`<link rel="canonical" href="%s"></head><body><nav>Home | World</nav><article><h1>%s</h1>`, xmlText(a.Title), xmlText(a.URL), xmlText(a.Title))
			for _, p := range a.Paragraphs {
				body.WriteString("<p>" + xmlText(p) + "</p>\n")
			}
			body.WriteString("</article><footer>Share this article</footer></body></html>")
			h.site.set(path, "text/html; charset=utf-8", []byte(body.String()))
			teaser := a.Paragraphs[0]
			if len(teaser) > 300 {
				teaser = teaser[:300] + "…"
			}
			items = append(items, item{GUID: fmt.Sprintf("t%d", i), Link: h.url(path) + "?utm_source=rss", Title: a.Title,
				Summary: "<p>" + xmlText(teaser) + "</p>", Published: a.Published.Add(time.Hour)})
		}
		h.site.set("/teasers", "application/rss+xml", rssDoc("Wikinews teasers", items))
	}

	t.Run("full_text", func(t *testing.T) {
		h := newHarness(t)
		serveTeasers(h)
		cfg := feedCfg(h.url("/teasers"))
		cfg.FullText = true
		p := h.poller([]config.Feed{cfg})
		r := h.pollOnce(p)[0]
		if r.New != 3 || r.Failed != 0 || len(r.Warnings) != 0 {
			t.Fatalf("poll: %+v", r)
		}
		for _, a := range r.Added {
			var want *news.Article
			for _, x := range arts {
				if x.Title == a.Title {
					want = x
				}
			}
			if want == nil {
				t.Fatalf("unexpected article %q", a.Title)
			}
			// The page's canonical address decides the id: the same story
			// from a file or another feed is the same article.
			if a.ID != want.ID || a.Source != "Wikinews" || len(a.Paragraphs) < len(want.Paragraphs)-1 {
				t.Errorf("%q: id %s (want %s), %d paragraphs (want %d), source %q", a.Title, a.ID, want.ID, len(a.Paragraphs), len(want.Paragraphs), a.Source)
			}
			if strings.Contains(a.Body(), "Share this") || strings.Contains(a.Body(), "Home | World") {
				t.Errorf("%q kept page furniture", a.Title)
			}
		}
		if hits, _ := h.site.count("/story/1"); hits != 1 {
			t.Errorf("page fetched %d times", hits)
		}
		// Known items are not fetched again.
		h.site.set("/teasers", "application/rss+xml", append(h.site.body("/teasers"), ' '))
		h.pollOnce(p)
		if hits, _ := h.site.count("/story/1"); hits != 1 {
			t.Errorf("page fetched %d times after a second poll", hits)
		}
	})
	t.Run("summary only", func(t *testing.T) {
		h := newHarness(t)
		serveTeasers(h)
		p := h.poller([]config.Feed{feedCfg(h.url("/teasers"))})
		r := h.pollOnce(p)[0]
		if r.New != 3 {
			t.Fatalf("poll: %+v", r)
		}
		for _, a := range r.Added {
			if len(a.Paragraphs) != 1 {
				t.Errorf("%q: %d paragraphs, want the teaser alone", a.Title, len(a.Paragraphs))
			}
		}
		if hits, _ := h.site.count("/story/0"); hits != 0 {
			t.Errorf("page fetched without full_text")
		}
	})
}

// TestAnnounceAndRestart: a first poll of many items announces only
// announce_max; a restart (library closed and opened again) neither announces
// again nor misses what came in meanwhile.
func TestAnnounceAndRestart(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	arts := corpus()
	if len(arts) < 14 {
		t.Fatalf("sample too small: %d", len(arts))
	}
	var items []item
	for i, a := range arts[:12] {
		items = append(items, fromArticle(a, fmt.Sprintf("w%d", i), nil))
	}
	h.site.set("/feed", "application/rss+xml", rssDoc("Wikinews", items))
	cfg := feedCfg(h.url("/feed"))
	cfg.Channel, cfg.AnnounceMax = "555", 5
	p := h.poller([]config.Feed{cfg})

	r := h.pollOnce(p)[0]
	if r.New != 12 || r.Announced != 5 {
		t.Fatalf("first poll: new %d announced %d", r.New, r.Announced)
	}
	calls := h.announcements()
	if len(calls) != 1 || calls[0].channel != "555" || len(calls[0].titles) != 5 {
		t.Fatalf("announcements: %+v", calls)
	}
	// The newest five, oldest first.
	newest := map[string]bool{}
	for _, it := range latest(items, 5) {
		newest[it.Title] = true
	}
	for _, title := range calls[0].titles {
		if !newest[title] {
			t.Errorf("announced %q, which is not among the newest five", title)
		}
	}

	// Restart with nothing new: a 304, no announcement.
	h.restart()
	p = h.poller([]config.Feed{cfg})
	if r := h.pollOnce(p)[0]; !r.NotModified || r.Announced != 0 {
		t.Errorf("after restart: %+v", r)
	}
	// Two items arrive while the bot is down; the feed also drops its oldest.
	h.restart()
	items = append([]item{fromArticle(arts[12], "w12", nil), fromArticle(arts[13], "w13", nil)}, items[:10]...)
	h.site.set("/feed", "application/rss+xml", rssDoc("Wikinews", items))
	p = h.poller([]config.Feed{cfg})
	r = h.pollOnce(p)[0]
	if r.New != 2 || r.Unchanged != 10 || r.Announced != 2 {
		t.Errorf("after restart with new items: new %d unchanged %d announced %d", r.New, r.Unchanged, r.Announced)
	}
	if calls := h.announcements(); len(calls) != 2 || len(calls[1].titles) != 2 {
		t.Errorf("announcements: %+v", calls)
	}
	if n := h.lib.Store.Count(); n != 14 {
		t.Errorf("%d articles, want 14", n)
	}
}

func latest(items []item, n int) []item {
	s := append([]item(nil), items...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j].Published.After(s[i].Published) {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[:min(n, len(s))]
}

// TestRetryAfter: a 429 with Retry-After holds the feed for that long, even
// against PollOnce, and counts as a failure.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.site.setPage("/feed", page{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "3600"}})
	p := h.poller([]config.Feed{feedCfg(h.url("/feed"))})
	r := h.pollOnce(p)[0]
	var ra *fetch.RetryAfterError
	if !errors.As(r.Err, &ra) || ra.Delay != time.Hour {
		t.Fatalf("first poll: %v", r.Err)
	}
	if want := h.clock.Now().Add(time.Hour); !r.Next.Equal(want) {
		t.Errorf("next poll %v, want %v", r.Next, want)
	}
	h.site.set("/feed", "application/rss+xml", rssDoc("Wikinews", []item{fromArticle(articles(t, 1)[0], "x", nil)}))
	h.clock.Advance(30 * time.Minute)
	if r := h.pollOnce(p)[0]; !strings.Contains(r.Skipped, "asked us to wait") {
		t.Errorf("within the hold: %+v", r)
	}
	if hits, _ := h.site.count("/feed"); hits != 1 {
		t.Errorf("%d requests during the hold", hits)
	}
	h.clock.Advance(31 * time.Minute)
	if r := h.pollOnce(p)[0]; r.Err != nil || r.New != 1 {
		t.Errorf("after the hold: %+v", r)
	}
	if st := p.ListFeeds("")[0]; st.Failures != 0 || st.LastError != "" {
		t.Errorf("state after recovery: %+v", st)
	}
}

// TestPauseAfterFailures: the wait doubles with each failure, ten in a row
// pause the feed with the reason, the pause survives a restart, and Resume
// ends it.
func TestPauseAfterFailures(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.site.setPage("/feed", page{status: http.StatusInternalServerError})
	cfg := feedCfg(h.url("/feed"))
	p := h.poller([]config.Feed{cfg})
	for i := 1; i <= feeds.MaxFailures; i++ {
		r := h.pollOnce(p)[0]
		if r.Err == nil || !strings.Contains(r.Err.Error(), "HTTP 500") {
			t.Fatalf("poll %d: %+v", i, r)
		}
		want := min(cfg.Every<<(i-1), 12*time.Hour)
		if got := r.Next.Sub(h.clock.Now()); got != want {
			t.Errorf("after %d failures the next poll is in %s, want %s", i, got, want)
		}
	}
	st := p.ListFeeds("")[0]
	if !strings.Contains(st.Paused, "10 failed polls in a row") || !strings.Contains(st.Paused, "HTTP 500") {
		t.Fatalf("paused = %q", st.Paused)
	}
	h.restart()
	p = h.poller([]config.Feed{cfg})
	if r := h.pollOnce(p)[0]; !strings.HasPrefix(r.Skipped, "paused: ") {
		t.Errorf("after restart: %+v", r)
	}
	if hits, _ := h.site.count("/feed"); hits != feeds.MaxFailures {
		t.Errorf("%d requests, want %d", hits, feeds.MaxFailures)
	}
	h.site.set("/feed", "application/rss+xml", rssDoc("Wikinews", []item{fromArticle(articles(t, 1)[0], "x", nil)}))
	if err := p.Resume("", cfg.URL); err != nil {
		t.Fatal(err)
	}
	if r := h.pollOnce(p)[0]; r.Err != nil || r.New != 1 {
		t.Errorf("after Resume: %+v", r)
	}
}

// TestBadInput: each broken feed fails alone with a clear reason, the good
// feed polled with it goes on, and a broken feed keeps its earlier state.
func TestBadInput(t *testing.T) {
	t.Parallel()
	arts := articles(t, 3)
	good := rssDoc("Good", []item{fromArticle(arts[0], "good-0", nil)})
	var huge []item
	for i := range 10000 {
		huge = append(huge, item{GUID: fmt.Sprintf("h%d", i), Link: fmt.Sprintf("https://example.org/n/%d", i),
			Title: fmt.Sprintf("Bulletin %d", i), Summary: fmt.Sprintf("Bulletin number %d of the day.", i)})
	}
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	chunk := bytes.Repeat([]byte("<rss>"), 1<<18)
	for range 5 {
		zw.Write(chunk)
	}
	zw.Close()

	tests := []struct {
		name    string
		page    page
		timeout time.Duration
		err     string // feed error, or "" when the feed is read
		check   func(t *testing.T, r feeds.Result)
	}{
		{name: "malformed XML", page: page{ctype: "application/rss+xml", body: []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>One</ti`)},
			err: "malformed feed"},
		{name: "HTML served as a feed", page: page{ctype: "text/html", body: []byte(`<html><head><link rel="alternate" type="application/rss+xml" href="/real.rss"></head><body>Welcome</body></html>`)},
			err: "served an HTML page (text/html), not a feed; the page names its feed: "},
		{name: "not a feed", page: page{ctype: "application/json", body: []byte(`{"hello":"world"}`)}, err: "not RSS, Atom or JSON Feed"},
		{name: "empty body", page: page{ctype: "application/rss+xml"}, err: "not RSS, Atom or JSON Feed"},
		{name: "image", page: page{ctype: "image/png", body: []byte("\x89PNG\r\n")}, err: "not a page or a feed"},
		{name: "gzip bomb", page: page{handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		}}, err: "over the size limit"},
		{name: "redirect loop", page: page{handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/bad?again", http.StatusFound)
		}}, err: "redirect loop"},
		{name: "slow server", page: page{handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
			for {
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
					w.Write([]byte(" "))
				}
			}
		}}, timeout: 500 * time.Millisecond, err: "no complete response within the time limit"},
		{name: "10,000 items", page: page{ctype: "application/rss+xml", body: rssDoc("Huge", huge)}, check: func(t *testing.T, r feeds.Result) {
			if r.New != feeds.MaxItems || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "10000 items; only the first 1000") {
				t.Errorf("new %d, warnings %q", r.New, r.Warnings)
			}
		}},
		{name: "bad items", page: page{ctype: "application/rss+xml", body: rssDoc("Odd", []item{
			{GUID: "no-date", Link: "https://example.org/a", Title: "Dated oddly", Summary: "<p>The council met on a day no calendar knows.</p>", RawDate: "Blursday, 45 Smarch 2019 25:61"},
			{GUID: "no-link", Title: "", Summary: "<p>An item with text but neither a link nor a title still says something.</p>"},
			{GUID: "title-only", Link: "https://example.org/c", Title: "Only a headline"},
			{GUID: "nothing"},
			fromArticle(arts[2], "fine", nil),
		})}, check: func(t *testing.T, r feeds.Result) {
			if r.New != 3 || r.Failed != 2 || len(r.Items) != 2 {
				t.Fatalf("new %d failed %d: %+v", r.New, r.Failed, r.Items)
			}
			if !strings.Contains(r.Items[0].Error(), `item 3 ("Only a headline"): item has no text, only a title and a link (set full_text`) ||
				!strings.Contains(r.Items[1].Error(), "item 4: item has no title, link or text") {
				t.Errorf("item errors: %v; %v", r.Items[0], r.Items[1])
			}
			if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], `unreadable date "Blursday`) {
				t.Errorf("warnings %q", r.Warnings)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.site.set("/good", "application/rss+xml", good)
			h.site.set("/bad", "application/rss+xml", rssDoc("Was fine", []item{fromArticle(arts[1], "before", nil)}))
			p := h.poller([]config.Feed{feedCfg(h.url("/bad")), feedCfg(h.url("/good"))})
			h.pollOnce(p)
			before := p.ListFeeds("")[0]

			h.site.setPage("/bad", tt.page)
			h.site.set("/good", "application/rss+xml", append(bytes.Clone(good), '\n'))
			if tt.timeout > 0 {
				h.fcfg.Timeout = tt.timeout
				p = h.poller([]config.Feed{feedCfg(h.url("/bad")), feedCfg(h.url("/good"))})
			}
			rs := byURL(h.pollOnce(p))
			if r := rs[h.url("/good")]; r.Err != nil || r.Unchanged != 1 {
				t.Errorf("the good feed: %+v", r)
			}
			r := rs[h.url("/bad")]
			after := p.ListFeeds("")[0]
			if tt.err == "" {
				if r.Err != nil {
					t.Fatalf("feed error %v", r.Err)
				}
				tt.check(t, r)
				return
			}
			if r.Err == nil || !strings.Contains(r.Err.Error(), tt.err) || !strings.Contains(r.Err.Error(), h.url("/bad")) {
				t.Fatalf("error %v, want one naming the feed and %q", r.Err, tt.err)
			}
			if after.Failures != 1 || after.LastError != r.Err.Error() || after.ETag != before.ETag || after.SeenCount != before.SeenCount {
				t.Errorf("state lost: before %+v\nafter %+v", before, after)
			}
		})
	}
}

// TestRefusedFeed: with the default configuration (nothing allowed) a feed on
// a loopback address is refused, with the reason, and nothing is requested.
func TestRefusedFeed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.fcfg.AllowHosts = nil
	h.site.set("/feed", "application/rss+xml", rssDoc("x", nil))
	p := h.poller([]config.Feed{feedCfg(h.url("/feed"))})
	r := h.pollOnce(p)[0]
	var refused *fetch.RefusedError
	if !errors.As(r.Err, &refused) || !strings.Contains(r.Err.Error(), "127.0.0.1 is a loopback address") {
		t.Errorf("err = %v", r.Err)
	}
	if hits, _ := h.site.count("/feed"); hits != 0 {
		t.Errorf("%d requests reached the server", hits)
	}
}

// TestFeedsFromModerators adds, lists and removes feeds the way the bot's
// moderator commands will, and checks they survive a restart.
func TestFeedsFromModerators(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	arts := articles(t, 2)
	h.site.set("/global", "application/rss+xml", rssDoc("Global", []item{fromArticle(arts[0], "g", nil)}))
	h.site.set("/guild", "application/atom+xml", atomDoc("Guild", []item{fromArticle(arts[1], "x", nil)}))
	global := []config.Feed{feedCfg(h.url("/global"))}
	p := h.poller(global)
	ctx := context.Background()

	add := feeds.Feed{URL: h.url("/guild"), Guild: "111", Channel: "900"}
	if err := p.AddFeed(ctx, add); err != nil {
		t.Fatal(err)
	}
	if err := p.AddFeed(ctx, add); !errors.Is(err, feeds.ErrExists) {
		t.Errorf("adding twice: %v", err)
	}
	if err := p.AddFeed(ctx, feeds.Feed{URL: h.url("/global")}); !errors.Is(err, feeds.ErrExists) {
		t.Errorf("adding a config feed: %v", err)
	}
	if err := p.AddFeed(ctx, feeds.Feed{URL: "ftp://example.org/feed", Guild: "111"}); err == nil {
		t.Error("an ftp feed was accepted")
	}
	if got := p.ListFeeds("111"); len(got) != 2 || got[1].Guild != "111" || got[1].Every != feeds.DefaultEvery || got[1].AnnounceMax != feeds.DefaultAnnounceMax {
		t.Errorf("ListFeeds(111) = %+v", got)
	}
	if got := p.ListFeeds("222"); len(got) != 1 || got[0].URL != h.url("/global") {
		t.Errorf("ListFeeds(222) = %+v", got)
	}
	rs := byURL(h.pollOnce(p))
	if r := rs[h.url("/guild")]; r.New != 1 || r.Added[0].Guild != "111" || r.Announced != 1 {
		t.Errorf("guild feed: %+v", r)
	}
	if err := p.RemoveFeed("", h.url("/global")); err == nil || !strings.Contains(err.Error(), "configuration file") {
		t.Errorf("removing a config feed: %v", err)
	}

	h.restart()
	p = h.poller(global)
	if got := p.ListFeeds("111"); len(got) != 2 || got[1].SeenCount != 1 || got[1].Channels[0] != "900" {
		t.Fatalf("after restart: %+v", got)
	}
	if err := p.RemoveFeed("111", h.url("/guild")); err != nil {
		t.Fatal(err)
	}
	if err := p.RemoveFeed("111", h.url("/guild")); !errors.Is(err, feeds.ErrNoFeed) {
		t.Errorf("removing twice: %v", err)
	}
	h.restart()
	p = h.poller(global)
	if got := p.ListFeeds(""); len(got) != 1 {
		t.Errorf("removed feed came back: %+v", got)
	}
}

// TestRun drives the polling loop with a fake clock: each feed is polled when
// due, the loop sleeps until the next one, a new feed wakes it, and it stops
// with its context.
func TestRun(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	arts := articles(t, 2)
	h.site.set("/a", "application/rss+xml", rssDoc("A", []item{fromArticle(arts[0], "a", nil)}))
	h.site.set("/b", "application/rss+xml", rssDoc("B", []item{fromArticle(arts[1], "b", nil)}))
	polled := make(chan feeds.Result, 8)
	cfg := feedCfg(h.url("/a"))
	cfg.Every = 10 * time.Minute
	p := h.poller([]config.Feed{cfg}, func(o *feeds.Options) { o.OnPoll = func(r feeds.Result) { polled <- r } })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()

	next := func() feeds.Result {
		t.Helper()
		select {
		case r := <-polled:
			return r
		case <-time.After(10 * time.Second):
			t.Fatal("no poll")
		}
		return feeds.Result{}
	}
	wait := func() time.Duration {
		t.Helper()
		select {
		case d := <-h.clock.waits:
			return d
		case <-time.After(10 * time.Second):
			t.Fatal("Run does not wait")
		}
		return 0
	}
	if r := next(); r.URL != h.url("/a") || r.New != 1 {
		t.Fatalf("first poll: %+v", r)
	}
	if d := wait(); d != 10*time.Minute {
		t.Errorf("Run waits %s, want 10m", d)
	}
	// A feed added meanwhile is polled at once.
	if err := p.AddFeed(ctx, feeds.Feed{URL: h.url("/b"), Guild: "7"}); err != nil {
		t.Fatal(err)
	}
	if r := next(); r.URL != h.url("/b") || r.New != 1 {
		t.Fatalf("added feed: %+v", r)
	}
	if d := wait(); d != 10*time.Minute {
		t.Errorf("Run waits %s after the new feed, want 10m", d)
	}
	h.clock.Advance(10 * time.Minute)
	h.clock.fire <- h.clock.Now()
	if r := next(); r.URL != h.url("/a") || !r.NotModified {
		t.Errorf("second poll: %+v", r)
	}
	wait()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// TestRunReadsStateAgain: a poller made before another one polled (a replica
// taking the polling lease over from one that died) starts from the stored
// state, not from what it read at its start: nothing is added or announced
// twice, and the server's ETag is used.
func TestRunReadsStateAgain(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	arts := articles(t, 3)
	var items []item
	for i, a := range arts {
		items = append(items, fromArticle(a, fmt.Sprint("w-", i), nil))
	}
	h.site.set("/feed", "application/rss+xml", rssDoc("Wire", items))
	cfg := feedCfg(h.url("/feed"))
	cfg.Channel = "900"
	polled := make(chan feeds.Result, 8)
	later := h.poller([]config.Feed{cfg}, func(o *feeds.Options) { o.OnPoll = func(r feeds.Result) { polled <- r } })
	first := h.poller([]config.Feed{cfg})
	if r := h.pollOnce(first)[0]; r.New != len(arts) || r.Announced == 0 {
		t.Fatalf("first poller: %+v", r)
	}
	announced := len(h.announcements())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- later.Run(ctx) }()
	// The stored state says when the feed is due: not now.
	select {
	case d := <-h.clock.waits:
		if d != cfg.Every {
			t.Errorf("the later poller waits %s, want %s", d, cfg.Every)
		}
	case r := <-polled:
		t.Fatalf("the later poller polled at once, as if the feed were new: %+v", r)
	case <-time.After(10 * time.Second):
		t.Fatal("Run does not wait")
	}
	h.clock.Advance(cfg.Every)
	h.clock.fire <- h.clock.Now()
	select {
	case r := <-polled:
		if r.Err != nil || !r.NotModified || r.New != 0 {
			t.Errorf("the later poller's first poll: %+v", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no poll")
	}
	cancel()
	<-done
	if n := len(h.announcements()); n != announced {
		t.Errorf("%d announcements after the takeover, %d before", n, announced)
	}
}
