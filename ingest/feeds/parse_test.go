package feeds

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/news"
)

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"plain text", "First paragraph\nstill first.\n\nSecond one.", []string{"First paragraph still first.", "Second one."}},
		{"entities in plain text", "Fish &amp; chips", []string{"Fish & chips"}},
		{"paragraph tags", "<p>One.</p><p>Two <b>bold</b> words.</p>", []string{"One.", "Two bold words."}},
		{"double br", "Line one<br/>continues<br><br>Line two", []string{"Line one continues", "Line two"}},
		{"skipped elements", `<p>Text.</p><script>alert(1)</script><img src="x.png"><figure><figcaption>Photo</figcaption></figure><style>p{}</style>`, []string{"Text."}},
		{"wordpress footer", "<p>The story.</p><p>The post Story appeared first on Example News.</p>", []string{"The story."}},
		{"read more", `<p>Teaser text.</p><p><a href="/x">Read more</a></p>`, []string{"Teaser text."}},
		{"list", "<ul><li>one</li><li>two</li></ul>", []string{"one", "two"}},
		{"control characters", "Bad\x00 bytes\x1b here", []string{"Bad bytes here"}},
		{"empty", "  ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := paragraphs(tt.in)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsFeed(t *testing.T) {
	tests := []struct {
		media, body string
		want        bool
	}{
		{"application/rss+xml", "", true},
		{"text/xml", `<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`, true},
		{"text/plain", "\ufeff  <feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", true},
		{"", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><channel/></rdf:RDF>`, true},
		{"application/json", `{"version": "https://jsonfeed.org/version/1.1", "items": []}`, true},
		{"application/json", `{"title": "an article"}`, false},
		{"text/html", `<rss></rss>`, false},
		{"application/xml", `<html><body>x</body></html>`, false},
		{"", "just text", false},
	}
	for _, tt := range tests {
		if got := IsFeed(tt.media, []byte(tt.body)); got != tt.want {
			t.Errorf("IsFeed(%q, %.40q) = %v, want %v", tt.media, tt.body, got, tt.want)
		}
	}
}

func TestParseFile(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example &amp; Co</title><link>https://example.org/</link>
<item><title>Relative &lt;i&gt;link&lt;/i&gt;</title><link>/news/1?utm_source=rss#top</link><guid>1</guid>
<pubDate>Tue, 19 Nov 2024 10:00:00 +0000</pubDate><description>&lt;p&gt;The mayor said the bridge would reopen in spring.&lt;/p&gt;</description></item>
<item><title>Bad link</title><link>javascript:alert(1)</link><description>Text of the second item.</description></item>
<item></item>
</channel></rss>`
	items, ok := ParseFile("local.xml", []byte(doc), news.Defaults{Guild: "9"})
	if !ok || len(items) != 3 {
		t.Fatalf("ParseFile: ok %v, %d items", ok, len(items))
	}
	a := items[0].Article
	if a == nil || a.URL != "https://example.org/news/1?utm_source=rss#top" || a.Guild != "9" || a.Source != "Example & Co" ||
		a.Title != "Relative link" || !a.Published.Equal(time.Date(2024, 11, 19, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("first item: %+v (err %v)", a, items[0].Err)
	}
	want := &news.Article{URL: "https://example.org/news/1", Guild: "9"}
	want.ComputeID()
	if a != nil && a.ID != want.ID {
		t.Errorf("id %s, want the canonical URL's %s", a.ID, want.ID)
	}
	if b := items[1].Article; b == nil || b.URL != "" {
		t.Errorf("a javascript: link must be dropped, the item kept: %+v %v", b, items[1].Err)
	}
	if items[2].Err == nil || !strings.Contains(items[2].Ref, "local.xml item 3") {
		t.Errorf("empty item: %+v", items[2])
	}
	if _, ok := ParseFile("notes.txt", []byte("just some notes"), news.Defaults{}); ok {
		t.Error("plain text taken for a feed")
	}
	if items, ok := ParseFile("broken.xml", []byte(`<rss><channel><item><title>x</ti`), news.Defaults{}); !ok || len(items) != 1 || items[0].Err == nil {
		t.Errorf("broken feed: %v %+v", ok, items)
	}
}

func TestRememberBounds(t *testing.T) {
	var st State
	for round := range 5 {
		var cur []Seen
		for i := range 900 {
			cur = append(cur, Seen{Key: fmt.Sprintf("%d-%d", round, i)})
		}
		st.remember(cur)
	}
	if len(st.Seen) != MaxSeen || st.Seen[0].Key != "4-0" || st.Seen[900].Key != "3-0" {
		t.Errorf("%d seen, first %q, 900th %q", len(st.Seen), st.Seen[0].Key, st.Seen[900].Key)
	}
	// An item seen again moves to the front without being kept twice.
	st.remember([]Seen{{Key: "2-5"}})
	n := 0
	for _, s := range st.Seen {
		if s.Key == "2-5" {
			n++
		}
	}
	if st.Seen[0].Key != "2-5" || n != 1 {
		t.Errorf("re-seen item: first %q, %d copies", st.Seen[0].Key, n)
	}
}

func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		every    time.Duration
		failures int
		want     time.Duration
	}{
		{15 * time.Minute, 1, 15 * time.Minute},
		{15 * time.Minute, 2, 30 * time.Minute},
		{15 * time.Minute, 5, 4 * time.Hour},
		{15 * time.Minute, 9, 12 * time.Hour},
		{10 * time.Second, 1, time.Minute},
		{time.Hour, 40, 12 * time.Hour},
	} {
		if got := backoff(tt.every, tt.failures); got != tt.want {
			t.Errorf("backoff(%s, %d) = %s, want %s", tt.every, tt.failures, got, tt.want)
		}
	}
}

// FuzzParseFeed feeds arbitrary bytes through the feed path: detection, the
// parser and the conversion into articles. Nothing may panic, and every item
// is an article with clean text or an error.
// Its seeds are in testdata/fuzz/FuzzParseFeed.
func FuzzParseFeed(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		items, ok := ParseFile("fuzz", data, news.Defaults{Guild: "1"})
		if !ok {
			return
		}
		if len(items) == 0 {
			t.Fatal("a feed gave no items and no error")
		}
		for _, it := range items {
			if (it.Article == nil) == (it.Err == nil) {
				t.Fatalf("item %s: article %v, err %v", it.Ref, it.Article, it.Err)
			}
			if a := it.Article; a != nil {
				if a.ID == "" || len(a.Paragraphs) == 0 || a.Guild != "1" {
					t.Fatalf("item %s: incomplete article %+v", it.Ref, a)
				}
				for _, s := range append([]string{a.Title, a.Author, a.Source, a.URL}, a.Paragraphs...) {
					if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
						t.Fatalf("item %s: unclean text %q", it.Ref, s)
					}
				}
			}
		}
	})
}
