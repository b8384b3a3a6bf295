package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
)

// allowLoopback is the configuration of most tests: the test servers listen on
// loopback, which the default configuration refuses.
func allowLoopback() config.Fetch {
	c := config.Default().Fetch
	c.AllowHosts = []string{"127.0.0.1"}
	return c
}

// serve starts a test server and counts the requests that reach it.
func serve(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestRefusesNonPublicAddresses(t *testing.T) {
	srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "secret") })
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	tests := []struct {
		name, url, reason string
	}{
		{"loopback", "http://127.0.0.1:" + port + "/", "127.0.0.1 is a loopback address"},
		{"loopback elsewhere in 127/8", "http://127.1.2.3:" + port + "/", "is a loopback address"},
		{"IPv6 loopback", "http://[::1]:" + port + "/", "::1 is a loopback address"},
		{"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]:" + port + "/", "is a loopback address (IPv4-mapped)"},
		{"localhost by name", "http://localhost:" + port + "/", "is a loopback address"},
		{"rebinding name", "http://rebind.example:" + port + "/", "127.0.0.1 is a loopback address"},
		{"unspecified", "http://0.0.0.0:" + port + "/", "is the unspecified address"},
		{"RFC 1918", "http://10.20.30.40/", "10.20.30.40 is a private address"},
		{"RFC 1918 172", "http://172.16.0.1/", "is a private address"},
		{"RFC 1918 192", "http://192.168.1.1/admin", "is a private address"},
		{"CGNAT", "http://100.64.0.1/", "is a shared (carrier-grade NAT) address"},
		{"cloud metadata", "http://169.254.169.254/latest/meta-data/", "is a link-local address"},
		{"IPv6 link-local", "http://[fe80::1]/", "is a link-local address"},
		{"unique local", "http://[fd12:3456::1]/", "is a unique-local address"},
		{"multicast", "http://224.0.0.1/", "is a multicast address"},
		{"IPv6 multicast", "http://[ff02::1]/", "is a multicast address"},
		{"NAT64 of private", "http://[64:ff9b::a00:1]/", "(NAT64)"},
		{"name the system resolves to loopback", "http://2130706433:" + port + "/", "is a loopback address"},
	}
	f := New(config.Default().Fetch) // no allow_hosts
	f.fakeDNS(map[string]string{"rebind.example": "127.0.0.1", "localhost": "127.0.0.1", "2130706433": "127.0.0.1"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Get(context.Background(), tt.url)
			var refused *RefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("Get(%s) = %v, want a RefusedError", tt.url, err)
			}
			if !strings.Contains(err.Error(), tt.reason) || !strings.Contains(err.Error(), "fetch.allow_hosts") {
				t.Errorf("error %q does not say %q and how to allow it", err, tt.reason)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}

	_, err := f.Get(context.Background(), "http://127.0.0.1:"+port+"/")
	want := "fetch: refused http://127.0.0.1:" + port + "/: 127.0.0.1 is a loopback address (add the host to fetch.allow_hosts to allow it)"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant   %s", err, want)
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/", "gopher://127.0.0.1/"} {
		if _, err := f.Get(context.Background(), u); err == nil || !strings.Contains(err.Error(), "only http and https") {
			t.Errorf("Get(%s) = %v, want refused scheme", u, err)
		}
	}
}

func TestRefusalTable(t *testing.T) {
	for addr, refused := range map[string]bool{
		"8.8.8.8": false, "93.184.215.14": false, "2606:4700:4700::1111": false, "172.32.0.1": false,
		"100.128.0.1": false, "192.169.0.1": false,
		"127.0.0.1": true, "10.0.0.1": true, "172.31.255.255": true, "192.168.0.1": true, "100.127.255.255": true,
		"169.254.1.1": true, "0.0.0.0": true, "0.1.2.3": true, "255.255.255.255": true, "240.0.0.1": true,
		"::": true, "::1": true, "fe80::1%eth0": true, "fc00::1": true, "fdff::1": true, "ff05::2": true,
		"::ffff:10.0.0.1": true, "::ffff:8.8.8.8": false, "64:ff9b::7f00:1": true, "64:ff9b::808:808": false,
		"192.0.2.1": true, "192.0.3.1": false, "198.51.100.200": true, "203.0.113.9": true, "203.0.112.255": false,
		"198.18.0.1": true, "198.19.255.254": true, "198.20.0.1": false, "198.17.255.255": false,
		"2001:db8::1": true, "2001:db8:ffff::1": true, "2001:db9::1": false, "::ffff:203.0.113.1": true,
	} {
		if got := refusal(netip.MustParseAddr(addr)) != ""; got != refused {
			t.Errorf("refusal(%s) = %q, want refused=%v", addr, refusal(netip.MustParseAddr(addr)), refused)
		}
	}
}

func TestAllowHosts(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "hello")
	})
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	// A proxy in the environment must not be used: it would do the
	// dialing, and the address check would see only the proxy.
	t.Setenv("HTTP_PROXY", "http://192.0.2.1:3128")
	t.Setenv("http_proxy", "http://192.0.2.1:3128")

	cfg := config.Default().Fetch
	cfg.AllowHosts = []string{"LocalHost"}
	f := New(cfg)
	f.fakeDNS(map[string]string{"localhost": "127.0.0.1"})
	resp, err := f.Get(context.Background(), "http://localhost:"+port+"/")
	if err != nil || string(resp.Body) != "hello" {
		t.Fatalf("allowed host: %v, %+v", err, resp)
	}
	// The name is allowed, not the address it resolves to.
	if _, err := f.Get(context.Background(), "http://127.0.0.1:"+port+"/"); err == nil {
		t.Error("127.0.0.1 was fetched though only localhost is allowed")
	}
	f = New(config.Fetch{AllowHosts: []string{"127.0.0.1"}})
	if _, err := f.Get(context.Background(), "http://127.0.0.1:"+port+"/"); err != nil {
		t.Errorf("allowed IP: %v", err)
	}
}

func TestRedirects(t *testing.T) {
	var srvURL string
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/to-loopback":
			http.Redirect(w, r, srvURL+"/secret", http.StatusFound)
		case p == "/to-private":
			http.Redirect(w, r, "http://10.0.0.5/internal", http.StatusMovedPermanently)
		case p == "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case p == "/loop-a":
			http.Redirect(w, r, "/loop-b", http.StatusFound)
		case p == "/loop-b":
			http.Redirect(w, r, "/loop-a", http.StatusFound)
		case strings.HasPrefix(p, "/chain/"):
			var n int
			fmt.Sscanf(p, "/chain/%d", &n)
			if n > 0 {
				http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "end of chain")
		case p == "/secret":
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "internal data")
		}
	})
	srvURL = srv.URL
	local := strings.TrimPrefix(srv.URL, "http://")
	port := local[strings.LastIndex(local, ":")+1:]
	public := "http://public.example:" + port

	// The default configuration: nothing allowed. public.example stands for
	// a site on the internet that redirects to an internal address.
	f := New(config.Default().Fetch)
	f.fakeDNS(map[string]string{"public.example": "93.184.215.14"})
	f.routeTo("93.184.215.14", local)

	resp, err := f.Get(context.Background(), public+"/chain/2")
	if err != nil || string(resp.Body) != "end of chain" || resp.URL != public+"/chain/0" {
		t.Fatalf("public site: %v %+v", err, resp)
	}

	tests := []struct {
		name, path string
		check      func(error) bool
		want       string
	}{
		{"to loopback", "/to-loopback", isRefused, "refused " + srv.URL + "/secret: 127.0.0.1 is a loopback address"},
		{"to private", "/to-private", isRefused, "refused http://10.0.0.5/internal: 10.0.0.5 is a private address"},
		{"to file", "/to-file", isRefused, "redirect to a scheme other than http or https"},
		{"loop", "/loop-a", is(ErrRedirectLoop), "redirect loop: " + public + "/loop-a -> " + public + "/loop-b -> " + public + "/loop-a"},
		{"too many", "/chain/6", is(ErrTooManyRedirects), "stopped after 5 redirects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Get(context.Background(), public+tt.path)
			if err == nil || !tt.check(err) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Get(%s) = %v, want %q", tt.path, err, tt.want)
			}
		})
	}
	if resp, err := f.Get(context.Background(), public+"/chain/5"); err != nil || string(resp.Body) != "end of chain" {
		t.Errorf("5 redirects: %v", err)
	}
}

func isRefused(err error) bool {
	var r *RefusedError
	return errors.As(err, &r)
}

func is(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }

func TestLimits(t *testing.T) {
	// Twenty gzip members of 1 MiB each: 20 MiB of text from a few
	// kilobytes, and quick to make.
	bomb := bytes.Repeat(gzipped(bytes.Repeat([]byte("a"), 1<<20)), 20)
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		switch r.URL.Path {
		case "/big":
			w.Write(bytes.Repeat([]byte("x"), 2000))
		case "/big-chunked":
			for range 40 {
				w.Write(bytes.Repeat([]byte("y"), 100))
				w.(http.Flusher).Flush()
			}
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		case "/small-gzip":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipped([]byte("compressed hello")))
		case "/trickle":
			for i := 0; ; i++ {
				if _, err := w.Write([]byte("z")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		case "/slow-headers":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	})
	cfg := allowLoopback()
	cfg.MaxBytes = 1000
	cfg.Timeout = 300 * time.Millisecond
	f := New(cfg)
	// The default 5 MiB cap applies to the decompressed bomb.
	def := New(allowLoopback())
	tests := []struct {
		name string
		f    *Fetcher
		path string
		err  error
	}{
		{"declared too large", f, "/big", ErrTooLarge},
		{"chunked too large", f, "/big-chunked", ErrTooLarge},
		{"gzip bomb", def, "/bomb", ErrTooLarge},
		{"trickling body", f, "/trickle", ErrTimeout},
		{"slow headers", f, "/slow-headers", ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := tt.f.Get(context.Background(), srv.URL+tt.path)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !strings.Contains(err.Error(), srv.URL+tt.path) {
				t.Errorf("error %q does not name the URL", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
	resp, err := f.Get(context.Background(), srv.URL+"/small-gzip")
	if err != nil || string(resp.Body) != "compressed hello" {
		t.Errorf("gzip: %v %+v", err, resp)
	}
	// The caller's own cancellation is not a timeout.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Get(ctx, srv.URL+"/small-gzip"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestContentTypes(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	rss := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>`)
	tests := []struct {
		name, ctype string
		body        []byte
		want        string // media type, or "" for refused
		format      news.Format
	}{
		{"html", "text/html; charset=utf-8", []byte("<html><body><p>hi</p></body></html>"), "text/html", news.FormatHTML},
		{"xhtml", "application/xhtml+xml", []byte("<html><body><p>hi</p></body></html>"), "application/xhtml+xml", news.FormatHTML},
		{"plain", "text/plain", []byte("hi"), "text/plain", news.FormatText},
		{"markdown", "text/markdown", []byte("# hi"), "text/markdown", news.FormatMarkdown},
		{"json", "application/json", []byte(`{"title":"x"}`), "application/json", news.FormatJSON},
		{"json feed", "application/feed+json", []byte(`{"version":"https://jsonfeed.org/version/1.1"}`), "application/feed+json", news.FormatJSON},
		{"rss", "application/rss+xml", rss, "application/rss+xml", ""},
		{"atom", "application/atom+xml; charset=utf-8", []byte(`<feed xmlns="http://www.w3.org/2005/Atom"></feed>`), "application/atom+xml", ""},
		{"text/xml", "text/xml", rss, "text/xml", ""},
		{"csv", "text/csv", []byte("title,text\na,b\n"), "text/csv", news.FormatCSV},
		{"octet-stream feed", "application/octet-stream", rss, "application/xml", ""},
		{"no type html", "", []byte("<!DOCTYPE html><html><body>x</body></html>"), "text/html", news.FormatHTML},
		{"image", "image/png", png, "", ""},
		{"pdf", "application/pdf", []byte("%PDF-1.4"), "", ""},
		{"zip", "application/zip", []byte("PK\x03\x04"), "", ""},
		{"octet-stream image", "application/octet-stream", png, "", ""},
		{"no type image", "", png, "", ""},
		{"javascript", "application/javascript", []byte("alert(1)"), "", ""},
	}
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		for _, tt := range tests {
			if r.URL.Path == "/"+url.PathEscape(tt.name) || r.URL.Path == "/"+tt.name {
				w.Header()["Content-Type"] = []string{tt.ctype}
				if tt.ctype == "" {
					w.Header()["Content-Type"] = nil
				}
				w.Write(tt.body)
			}
		}
	})
	f := New(allowLoopback())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := f.Get(context.Background(), srv.URL+"/"+url.PathEscape(tt.name))
			if tt.want == "" {
				if !errors.Is(err, ErrContentType) || !strings.Contains(err.Error(), "not a page or a feed") {
					t.Fatalf("err = %v, want refused content type", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.ContentType != tt.want || resp.Format() != tt.format {
				t.Errorf("type %q format %q, want %q %q", resp.ContentType, resp.Format(), tt.want, tt.format)
			}
		})
	}
}

func TestCharsets(t *testing.T) {
	latin1 := func(s string) []byte { b, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(s)); return b }
	utf16 := func(s string) []byte {
		b, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		return b
	}
	tests := []struct {
		name, ctype string
		body        []byte
		want        string
	}{
		{"header charset", "text/plain; charset=iso-8859-1", latin1("Caf\u00e9 cr\u00e8me"), "Café crème"},
		{"html meta", "text/html", latin1(`<html><head><meta charset="iso-8859-1"></head><body>Caf` + "\u00e9" + `</body></html>`), "Café"},
		{"xml declaration", "application/rss+xml", latin1(`<?xml version="1.0" encoding="ISO-8859-1"?><rss><t>Caf` + "\u00e9" + `</t></rss>`), `<?xml version="1.0" encoding="UTF-8"?><rss><t>Café</t></rss>`},
		{"utf-16 bom", "text/plain", utf16("na\u00efve"), "naïve"},
		{"utf-8 bom", "text/plain", []byte("\ufeffplain"), "plain"},
		{"invalid utf-8 guessed 1252", "text/plain", []byte("Caf\xe9 \x93quoted\x94"), "Café “quoted”"},
		{"late utf-8 in ascii head", "text/html", []byte("<html><body>" + strings.Repeat("ascii ", 300) + "caf\u00e9</body></html>"), "café"},
	}
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		for _, tt := range tests {
			if r.URL.Path == "/"+tt.name {
				w.Header().Set("Content-Type", tt.ctype)
				w.Write(tt.body)
			}
		}
	})
	f := New(allowLoopback())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := f.Get(context.Background(), srv.URL+"/"+url.PathEscape(tt.name))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(resp.Body), tt.want) {
				t.Errorf("body %q (from %s) does not contain %q", resp.Body, resp.Charset, tt.want)
			}
		})
	}
}

func TestConditionalAndRetryAfter(t *testing.T) {
	const etag = `"v1"`
	const lastMod = "Mon, 02 Jan 2006 15:04:05 GMT"
	var gotUA atomic.Value
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		gotUA.Store(r.UserAgent())
		switch r.URL.Path {
		case "/etag":
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "v1")
		case "/lastmod":
			if r.Header.Get("If-Modified-Since") == lastMod {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Last-Modified", lastMod)
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "v1")
		case "/429":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		case "/429-bare":
			w.WriteHeader(http.StatusTooManyRequests)
		case "/503-date":
			w.Header().Set("Retry-After", "Wed, 01 Jan 2031 00:10:00 GMT")
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/503":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/404":
			http.NotFound(w, r)
		}
	})
	cfg := allowLoopback()
	cfg.UserAgent = "newsbot-test/1.0 (+https://example.org/bot)"
	f := New(cfg)
	f.setNow(func() time.Time { return time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) })
	ctx := context.Background()

	for _, path := range []string{"/etag", "/lastmod"} {
		first, err := f.Get(ctx, srv.URL+path)
		if err != nil || first.NotModified {
			t.Fatalf("%s first: %v %+v", path, err, first)
		}
		again, err := f.Do(ctx, Request{URL: srv.URL + path, ETag: first.ETag, LastModified: first.LastModified})
		if err != nil || !again.NotModified || again.Status != 304 || again.ETag != first.ETag || again.LastModified != first.LastModified {
			t.Errorf("%s conditional: %v %+v", path, err, again)
		}
	}
	if ua := gotUA.Load(); ua != cfg.UserAgent {
		t.Errorf("User-Agent %q, want %q", ua, cfg.UserAgent)
	}

	tests := []struct {
		path   string
		delay  time.Duration
		status int
	}{
		{"/429", 120 * time.Second, 429},
		{"/429-bare", 0, 429},
		{"/503-date", 10 * time.Minute, 503},
	}
	for _, tt := range tests {
		_, err := f.Get(ctx, srv.URL+tt.path)
		var ra *RetryAfterError
		if !errors.As(err, &ra) || ra.Delay != tt.delay || ra.Status != tt.status {
			t.Errorf("%s: %v, want retry after %s", tt.path, err, tt.delay)
		}
	}
	for _, path := range []string{"/503", "/404"} {
		_, err := f.Get(ctx, srv.URL+path)
		var se *StatusError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "HTTP ") {
			t.Errorf("%s: %v, want a StatusError", path, err)
		}
	}
}

// TestArticle fetches a page built from a real article: the canonical URL
// decides the id, and a page sent in Latin-1 reads correctly.
func TestArticle(t *testing.T) {
	items := news.Parse("wikinews_2019.csv", mustRead(t, "wikinews/wikinews_2019.csv"), news.FormatCSV, news.Defaults{})
	a := items[0].Article
	canonical := a.URL
	var page strings.Builder
	fmt.Fprintf(&page, `<!DOCTYPE html><html><head><meta charset="iso-8859-1"><title>%s</title>`+
		`<link rel="canonical" href="%s"><meta property="og:site_name" content="Wikinews"></head><body><article><h1>%s</h1>`,
		a.Title, canonical, a.Title)
	for _, p := range a.Paragraphs {
		fmt.Fprintf(&page, "<p>%s</p>\n", p)
	}
	page.WriteString("<p>Caf\u00e9 society.</p></article></body></html>")
	body, err := charmap.ISO8859_1.NewEncoder().String(page.String())
	if err != nil {
		body = page.String() // a character Latin-1 lacks: send UTF-8 and say so
	}
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/go" {
			http.Redirect(w, r, "/story?utm_source=feed#top", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, body)
	})
	f := New(allowLoopback())
	got, err := f.Article(context.Background(), srv.URL+"/go", news.Defaults{Guild: "42"})
	if err != nil || len(got) != 1 || got[0].Err != nil {
		t.Fatalf("Article: %v %+v", err, got)
	}
	art := got[0].Article
	want := &news.Article{URL: canonical, Guild: "42"}
	want.ComputeID()
	if art.ID != want.ID || art.Source != "Wikinews" || art.Guild != "42" {
		t.Errorf("article %s %q %q, want id %s from the canonical URL", art.ID, art.URL, art.Source, want.ID)
	}
	if !strings.Contains(art.Body(), "Café society.") || !strings.Contains(art.Body(), a.Paragraphs[0][:40]) {
		t.Errorf("body lost text or decoded it wrongly: %.200q", art.Body())
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(sample.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
