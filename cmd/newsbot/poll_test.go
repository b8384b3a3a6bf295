package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
)

// feedSite serves an RSS feed of sample articles at /news.rss, with ETags,
// and a failing feed at /broken.rss.
func feedSite(t *testing.T, n int) *httptest.Server {
	t.Helper()
	data, err := fs.ReadFile(sample.FS(), "wikinews/wikinews_2019.csv")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wikinews</title>`)
	count := 0
	for _, it := range news.Parse("w.csv", data, news.FormatCSV, news.Defaults{}) {
		if it.Article == nil || it.Article.URL == "" || count == n {
			continue
		}
		count++
		var esc bytes.Buffer
		xml.EscapeText(&esc, []byte("<p>"+strings.Join(it.Article.Paragraphs, "</p><p>")+"</p>"))
		var title, link bytes.Buffer
		xml.EscapeText(&title, []byte(it.Article.Title))
		xml.EscapeText(&link, []byte(it.Article.URL))
		fmt.Fprintf(&b, "<item><guid>%d</guid><title>%s</title><link>%s</link><description>%s</description></item>", count, title.String(), link.String(), esc.String())
	}
	b.WriteString("</channel></rss>")
	doc := b.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/news.rss":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, doc)
		default:
			http.Error(w, "gone", http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func pollConfig(t *testing.T, dir string, urls ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "data_dir: %s\nfetch:\n  allow_hosts: [\"127.0.0.1\"]\n  timeout: 5s\nfeeds:\n", filepath.Join(dir, "data"))
	for _, u := range urls {
		fmt.Fprintf(&b, "  - url: %s\n    every: 5m\n", u)
	}
	return writeFile(t, dir, "newsbot.yaml", b.String())
}

// pollCmd runs the poll command in-process.
func pollCmd(t *testing.T, ctx context.Context, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	err := runPoll(ctx, e, args)
	code := 0
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		code = ee.code
		if ee.err != nil {
			errOut.WriteString(ee.err.Error())
		}
	case err != nil:
		errOut.WriteString(err.Error())
		code = 1
	}
	return out.String(), errOut.String(), code
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) WriteString(p string) { s.Write([]byte(p)) }

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestPollOnce(t *testing.T) {
	srv := feedSite(t, 5)
	dir := t.TempDir()
	good, broken := srv.URL+"/news.rss", srv.URL+"/broken.rss"
	cfg := pollConfig(t, dir, good, broken)
	ctx := context.Background()

	out, _, code := pollCmd(t, ctx, "--config", cfg, "--once")
	want := good + ": new 5, updated 0, unchanged 0, failed 0\n" +
		broken + ": failed: fetch: " + broken + ": HTTP 500 Internal Server Error\n" +
		"total: 2 feeds, 1 failed; new 5, updated 0, unchanged 0, failed 0\n"
	if out != want || code != 1 {
		t.Errorf("first poll, exit %d:\n%s\nwant:\n%s", code, out, want)
	}
	// The state is kept in the data folder: the second poll is conditional.
	out, _, _ = pollCmd(t, ctx, "--once", "--config", cfg)
	if !strings.HasPrefix(out, good+": new 0, updated 0, unchanged 0, failed 0 (not modified)\n") {
		t.Errorf("second poll:\n%s", out)
	}
	// Only the good feed: exit 0.
	cfg = pollConfig(t, dir, good)
	if out, errOut, code := pollCmd(t, ctx, "--once", "--config", cfg); code != 0 {
		t.Errorf("good feed only: exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := pollCmd(t, ctx, "--once", "--data", filepath.Join(dir, "empty")); code != 2 || !strings.Contains(errOut, "no feeds to poll") {
		t.Errorf("no feeds: exit %d %q", code, errOut)
	}
}

// TestPollForever runs without --once until interrupted.
func TestPollForever(t *testing.T) {
	srv := feedSite(t, 2)
	dir := t.TempDir()
	cfg := pollConfig(t, dir, srv.URL+"/news.rss")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	done := make(chan error, 1)
	go func() { done <- runPoll(ctx, e, []string{"--config", cfg}) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "new 2") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("runPoll: %v", err)
	}
	if want := srv.URL + "/news.rss: new 2, updated 0, unchanged 0, failed 0\n"; out.String() != want {
		t.Errorf("stdout %q, want %q (stderr %q)", out.String(), want, errOut.String())
	}
}
