package main

import (
	"bytes"
	"context"
	"fmt"
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
