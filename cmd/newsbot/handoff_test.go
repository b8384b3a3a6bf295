package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/control"
	"github.com/newsbot/newsbot/internal/discordtest"
	"github.com/newsbot/newsbot/internal/sample"
)

// copyDir copies a closed data folder, so that two folders start the same.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// smallLibrary is a closed data folder with a few dozen articles of the
// sample (global, with quotes) and two of a guild, one without a source:
// enough for every part of stats and export, quick to reindex.
func smallLibrary(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	seed, err := fs.ReadFile(sample.FS(), sample.Articles()[0])
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, tmp, "seed.txt", string(seed))
	f, err := sample.FS().Open("wikinews/wikinews_2019.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(filepath.Join(tmp, "wikinews.csv"))
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	w.WriteAll(rows[:min(len(rows), 41)])
	if err := errors.Join(w.Error(), out.Close()); err != nil {
		t.Fatal(err)
	}
	writeFile(t, tmp, "harbour.txt", "Tuesday, November 19, 2024\n\nHarbour reopens in Portvale\n\nThe harbour in Portvale reopened on Tuesday. \"We are back,\" harbour master Ines Gale said.\n")
	writeFile(t, tmp, "ferry.txt", "Ferry resumes\n\nThe ferry to Islay resumed service on Monday after a week of storms.\n")
	for _, args := range [][]string{
		{"ingest", "--data", data, filepath.Join(tmp, "seed.txt"), filepath.Join(tmp, "wikinews.csv")},
		{"ingest", "--data", data, "--guild", testGuild, "--source", "Portvale Post", filepath.Join(tmp, "harbour.txt")},
		{"ingest", "--data", data, "--guild", testGuild, filepath.Join(tmp, "ferry.txt")},
	} {
		if _, errOut, code := newsbot(t, "", args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	return data
}

// holdLibrary opens a data folder and serves the handoff on it as serve does.
func holdLibrary(t *testing.T, dir string) (*ingest.Library, *control.Server) {
	t.Helper()
	if !control.Supported() {
		t.Skip("no handoff on this system")
	}
	lib, err := ingest.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := startControl(lib, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		lib.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		lib.Close()
	})
	return lib, srv
}

// TestHandoff: ingest, export, stats and reindex pointed at a folder another
// holder has open run in the holder and print what they print on a copy of
// the folder that nobody holds; with nobody answering they fail at once,
// naming the holder.
func TestHandoff(t *testing.T) {
	root := t.TempDir()
	held, alone := filepath.Join(root, "held", "data"), filepath.Join(root, "alone", "data")
	src := smallLibrary(t)
	copyDir(t, src, held)
	copyDir(t, src, alone)
	lib, srv := holdLibrary(t, held)

	// Inputs named relative to the command line's working directory, which
	// is not the holder's: a folder, a file, a JSONL export with a bad
	// line, an empty file, a missing one, and standard input.
	work := filepath.Join(root, "work")
	writeFile(t, work, "in/a.txt", "Monday, March 4, 2024\n\nCity council approves budget\n\nThe council approved the budget on Monday.\n")
	writeFile(t, work, "in/sub/b.md", "# Harbour reopens\n\nThe harbour reopened after repairs.\n")
	writeFile(t, work, "in/empty.txt", "  \n")
	writeFile(t, work, "records.jsonl", `{"title":"Rail strike ends","text":"Drivers returned to work."}`+"\nnot json\n")
	t.Chdir(work)
	const stdin = "Ferry service resumes\n\nThe ferry resumed service today.\n"

	// both runs a command line on both folders: it must print the same
	// (up to the folder's name) and exit the same.
	both := func(stdin string, args ...string) (string, string, int) {
		t.Helper()
		start := time.Now()
		out, errOut, code := newsbot(t, stdin, append(args, "--data", held)...)
		if took := time.Since(start); took > 900*time.Millisecond && args[0] != "reindex" {
			// Waiting for the store's lock takes a second: the handoff
			// must not.
			t.Errorf("%v took %v", args, took)
		}
		aOut, aErr, aCode := newsbot(t, stdin, append(args, "--data", alone)...)
		// Sizes on disk are left out: bleve merges and persists segments in
		// the background, so the live index's size differs from moment to
		// moment and from a copy's.
		norm := func(s, dir string) string {
			s = strings.ReplaceAll(s, filepath.Dir(dir), "ROOT")
			s = diskSizeRE.ReplaceAllString(s, "$1SIZE")
			return indexLineRE.ReplaceAllString(s, "$1 SIZE")
		}
		if norm(out, held) != norm(aOut, alone) || norm(errOut, held) != norm(aErr, alone) || code != aCode {
			t.Errorf("%v handed over:\n%s%s[exit %d]\nalone:\n%s%s[exit %d]", args, out, errOut, code, aOut, aErr, aCode)
		}
		return out, errOut, code
	}

	out, _, _ := both("", "stats", "--json")
	var before stats
	if err := json.Unmarshal([]byte(out), &before); err != nil || before.Quotes == 0 || len(before.ByGuild) != 2 || before.BySource[noSourceKey] == 0 {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}
	both("", "stats")
	if out, _, _ := both("", "export"); strings.Count(out, "\n") != before.Articles {
		t.Errorf("export wrote %d lines for %d articles", strings.Count(out, "\n"), before.Articles)
	}
	both("", "export", "--guild", testGuild)

	out, errOut, code := both(stdin, "ingest", "in", "./records.jsonl", "-", "missing.txt")
	if out != "ingested 4, duplicates 0, failed 3\n" || code != 1 {
		t.Errorf("ingest: %q exit %d", out, code)
	}
	for _, want := range []string{"in/empty.txt: ", "./records.jsonl:2: ", "missing.txt: "} {
		if !strings.Contains(errOut, want) {
			t.Errorf("ingest stderr lacks %q:\n%s", want, errOut)
		}
	}
	if out, _, code := both(stdin, "ingest", "--source", "Wire", "in", "-"); out != "ingested 0, duplicates 3, failed 1\n" || code != 1 {
		t.Errorf("ingest again: %q exit %d", out, code)
	}

	// The reindex time differs from run to run; the rest may not.
	reindexed := regexp.MustCompile(`^reindexed (\d+) articles in \S+\n$`)
	hOut, hErr, hCode := newsbot(t, "", "reindex", "--data", held)
	aOut, aErr, aCode := newsbot(t, "", "reindex", "--data", alone)
	hm, am := reindexed.FindStringSubmatch(hOut), reindexed.FindStringSubmatch(aOut)
	if hm == nil || am == nil || hm[1] != am[1] || hErr != aErr || hCode != 0 || aCode != 0 {
		t.Errorf("reindex handed over: %q %q exit %d; alone: %q %q exit %d", hOut, hErr, hCode, aOut, aErr, aCode)
	}
	// The holder goes on with the new index.
	if n, err := lib.Index.DocCount(); err != nil || n != before.Articles+4 {
		t.Errorf("holder's index after reindex: %d %v, want %d", n, err, before.Articles+4)
	}
	var after [2]stats
	for i, dir := range []string{held, alone} {
		after[i] = statsOf(t, dir)
		after[i].StoreBytes, after[i].IndexBytes, after[i].LastIngest = 0, 0, nil
	}
	if fmt.Sprint(after[0]) != fmt.Sprint(after[1]) || after[0].Indexed != before.Articles+4 {
		t.Errorf("stats after: held %+v, alone %+v", after[0], after[1])
	}

	// Commands other than the four wait for the lock and fail as before.
	if _, errOut, code := newsbot(t, "", "search", "--data", held, "harbour"); code != 1 || !strings.Contains(errOut, "in use by PID "+strconv.Itoa(os.Getpid())) {
		t.Errorf("search: exit %d %q", code, errOut)
	}
	// A serving process refuses them too, should a client ask.
	var refused lockedBuffer
	code, err := control.Run(context.Background(), srv.Path(), control.Request{Args: []string{"search", "harbour"}}, nil, io.Discard, &refused)
	if err != nil || code != 2 || !strings.Contains(refused.String(), "only ingest, export, stats and reindex") {
		t.Errorf("search handed over: exit %d %v %q", code, err, refused.String())
	}

	// Nobody answers: a stale socket, then none.
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(held, control.SocketName)
	if _, err := os.Lstat(sock); err == nil {
		t.Error("the socket outlived its server")
	}
	stale, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	stale.SetUnlinkOnClose(false)
	stale.Close()
	inUse := func(what string, args ...string) {
		start := time.Now()
		out, errOut, code := newsbot(t, stdin, append(args, "--data", held)...)
		want := fmt.Sprintf("newsbot %s: data folder in use by PID %d", args[0], os.Getpid())
		if code != 1 || out != "" || !strings.HasPrefix(errOut, want) {
			t.Errorf("%s: %v: %q %q exit %d", what, args, out, errOut, code)
		}
		// A second of it is the store's lock giving up.
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%s: %v took %v to fail", what, args, took)
		}
	}
	inUse("stale socket", "stats", "--json")
	os.Remove(sock)
	// Each waits for the store's lock: together, they take that wait once.
	var wg sync.WaitGroup
	for _, args := range [][]string{{"stats", "--json"}, {"ingest", "-"}, {"export"}, {"reindex"}} {
		wg.Go(func() { inUse("no socket", args...) })
	}
	wg.Wait()
}

// TestServeHandsOver: a real `newsbot serve` takes the command line's stats
// while it runs, and removes its socket when it stops.
func TestServeHandsOver(t *testing.T) {
	if !control.Supported() {
		t.Skip("no handoff on this system")
	}
	const token = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789_-AB"
	f := discordtest.New(t, discordtest.WithToken(token))
	data := smallLibrary(t)
	want, _ := json.Marshal(statsOf(t, data))
	srv, cfg := startServe(t, fmt.Sprintf("data_dir: %s\ndiscord:\n  token: %s\n  base_url: %s\n  guild_id: %q\n", data, token, f.URL(), testGuild))
	done, logs := srv.done, srv.logs
	sock := filepath.Join(data, control.SocketName)
	waitFor(t, done, logs, "the socket", func() bool {
		_, err := os.Lstat(sock)
		return err == nil
	})
	// A client gives up on a bot that has not taken its command within 2 s
	// (a wedged bot must not hang the command line); a bot still starting
	// on a loaded machine may take longer, so wait until it answers.
	var out string
	waitFor(t, done, logs, "serve answering stats", func() bool {
		var code int
		out, _, code = newsbot(t, "", "stats", "--data", data, "--json")
		return code == 0
	})
	var fromServe stats
	if err := json.Unmarshal([]byte(out), &fromServe); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}

	got, _ := json.Marshal(fromServe)
	if diskSizeRE.ReplaceAllString(string(got), "${1}SIZE") != diskSizeRE.ReplaceAllString(string(want), "${1}SIZE") {
		t.Errorf("stats from serve %s, alone %s", got, want)
	}
	// --config names the folder as well as --data does.
	if out, errOut, code := newsbot(t, "", "stats", "--config", cfg, "--json"); code != 0 || !strings.Contains(out, `"articles"`) {
		t.Errorf("stats --config: exit %d %q %q", code, out, errOut)
	}

	srv.stop(t)
	if _, err := os.Lstat(sock); err == nil {
		t.Error("serve left its socket behind")
	}
	if !strings.Contains(logs.String(), `"msg":"command line handed over","command":"stats","exit":0`) {
		t.Errorf("no log line for the handed-over stats:\n%s", logs)
	}
}

var (
	diskSizeRE  = regexp.MustCompile(`("(?:index|store)_bytes":\s*)\d+`)
	indexLineRE = regexp.MustCompile(`(?m)^((?:index|store)) +[0-9.]+ [KMG]?i?B`)
)
