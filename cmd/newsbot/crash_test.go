package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/bench"
	"github.com/newsbot/newsbot/news"
)

// TestCrashChild is the process the crash test kills: it runs the command line
// given in NEWSBOT_CRASH_ARGS and nothing else.
func TestCrashChild(t *testing.T) {
	args := os.Getenv("NEWSBOT_CRASH_ARGS")
	if args == "" {
		t.Skip("run by TestCrashDuringIngest")
	}
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: func(string) string { return "" }}
	os.Exit(run(context.Background(), e, strings.Split(args, "\x1f")))
}

// TestCrashDuringIngest kills a bulk ingest with SIGKILL, then checks that
// every stored article is searchable, none is half present, and running the
// same ingest again adds exactly the missing ones.
func TestCrashDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const n = 1500
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	corpus, err := bench.WriteCorpus(3, n)
	if err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(dir, "corpus.jsonl")
	if err := os.WriteFile(input, corpus, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), "NEWSBOT_CRASH_ARGS="+strings.Join([]string{"ingest", "--data", data, input}, "\x1f"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once a first batch is in the index (a segment file on disk):
	// in the middle of the ingest.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		segs, _ := filepath.Glob(filepath.Join(data, "index", "store", "*.zap"))
		if len(segs) > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if strings.Contains(out.String(), "ingested 1500") {
		t.Log("the ingest finished before the kill; the check below still holds")
	}

	// Restart: the library reconciles on open.
	lib, err := ingest.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	stored := lib.Store.Count()
	indexed, err := lib.Index.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	err = lib.Store.ForEach(func(a *news.Article) error {
		if a.ID == "" || a.Title == "" || len(a.Paragraphs) == 0 || a.Ingested.IsZero() {
			return fmt.Errorf("half-present article %s: %+v", a.ID, a)
		}
		ids = append(ids, a.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	has, err := lib.Index.Has(ids)
	if err != nil {
		t.Fatal(err)
	}
	lib.Close()
	if len(has) != stored || indexed != stored {
		t.Fatalf("stored %d, indexed %d, searchable %d", stored, indexed, len(has))
	}
	t.Logf("killed with %d of %d articles stored", stored, n)

	// The same ingest again adds exactly the missing ones.
	got, errOut, code := newsbot(t, "", "ingest", "--data", data, input)
	want := fmt.Sprintf("ingested %d, duplicates %d, failed 0\n", n-stored, stored)
	if got != want || code != 0 {
		t.Errorf("re-run: %q (exit %d, %s), want %q", got, code, errOut, want)
	}
}

// TestCrashDuringFeedPoll kills `newsbot poll --once` while it stores a large
// feed's items, then polls again: every item ends up stored once, none twice,
// and the feed's state reads back.
func TestCrashDuringFeedPoll(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const items = 900 // a poll reads at most 1,000 items of a document
	var feed bytes.Buffer
	feed.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big Wire</title><link>https://big.example/</link>`)
	for i := range items {
		fmt.Fprintf(&feed, `<item><title>Item %d on the harbour works</title><link>https://big.example/items/%d</link><guid>g%d</guid>`+
			`<description>Workers finished stage %d of the harbour works on Monday. "It went well," foreman Ada Lane said.</description></item>`, i, i, i, i)
	}
	feed.WriteString(`</channel></rss>`)
	served := make(chan struct{}, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(feed.Bytes())
		served <- struct{}{}
	}))
	defer srv.Close()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cfgPath := writeFile(t, dir, "newsbot.yaml", fmt.Sprintf("data_dir: %s\nfetch:\n  allow_hosts: [\"127.0.0.1\"]\nfeeds:\n  - url: %s/feed.xml\n", data, srv.URL))
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), "NEWSBOT_CRASH_ARGS="+strings.Join([]string{"poll", "--config", cfgPath, "--once"}, "\x1f"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it while it reads and stores the items it was just served.
	select {
	case <-served:
	case <-time.After(60 * time.Second):
		t.Fatal("the poll never fetched the feed")
	}
	time.Sleep(30 * time.Millisecond)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()

	lib, err := ingest.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	before := lib.Store.Count()
	lib.Close()
	t.Logf("killed with %d of %d items stored", before, items)

	got, errOut, code := newsbot(t, "", "poll", "--config", cfgPath, "--once")
	if code != 0 || !strings.Contains(got, fmt.Sprintf("new %d", items-before)) {
		t.Errorf("second poll: %q (exit %d) %s; want new %d", got, code, errOut, items-before)
	}
	lib, err = ingest.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	indexed, _ := lib.Index.DocCount()
	if n := lib.Store.Count(); n != items || indexed != items {
		t.Errorf("stored %d, indexed %d, want %d each", n, indexed, items)
	}
	// A third poll finds nothing new: the state survived.
	lib.Close()
	got, _, _ = newsbot(t, "", "poll", "--config", cfgPath, "--once")
	if !strings.Contains(got, "new 0") {
		t.Errorf("third poll: %q", got)
	}
}
