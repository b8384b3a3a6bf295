package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/discordtest"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
)

const testGuild = "100000000000000001"

var (
	opsOnce sync.Once
	opsDir  string
	opsErr  error
)

// opsLibrary is a data folder with the bundled sample (global, with quotes),
// two articles of a guild, one without a source and one without quotes. It is
// made once: the tests only read it (serve answers questions, adds nothing).
func opsLibrary(t *testing.T) string {
	t.Helper()
	opsOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "newsbot-ops-test")
		if err != nil {
			opsErr = err
			return
		}
		opsDir = filepath.Join(tmp, "data")
		opsErr = fillOpsLibrary(opsDir)
	})
	if opsErr != nil {
		t.Fatal(opsErr)
	}
	return opsDir
}

func fillOpsLibrary(dir string) error {
	ctx := context.Background()
	lib, err := ingest.Open(ctx, dir, nil)
	if err != nil {
		return err
	}
	defer lib.Close()
	if _, err := lib.IngestFS(ctx, sample.FS(), sample.Articles(), ingest.FileOptions{}); err != nil {
		return err
	}
	// Ingest keeps dates in UTC (news.ParseDate), so a stored date is UTC.
	published := time.Date(2024, 11, 19, 7, 30, 0, 0, time.UTC)
	local := []*news.Article{
		{Title: "Harbour reopens in Portvale", Guild: testGuild, Source: "Portvale Post", Author: "Ines Gale",
			URL: "https://portvale.example/harbour?id=1", Published: published,
			Paragraphs: []string{"The harbour in Portvale reopened on Tuesday.", `"We are back," harbour master Ines Gale said.`}},
		{Title: "Ferry resumes", Guild: testGuild,
			Paragraphs: []string{"The ferry to Islay resumed service on Monday after a week of storms."}},
	}
	for _, a := range local {
		a.ComputeID()
	}
	_, err = lib.Add(ctx, local)
	return err
}

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if opsDir != "" {
		os.RemoveAll(filepath.Dir(opsDir))
	}
	os.Exit(code)
}

// storedArticles reads every article of a data folder as JSON, by id.
func storedArticles(t *testing.T, dir string) map[string]string {
	t.Helper()
	lib, err := ingest.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	out := map[string]string{}
	err = lib.Store.ForEach(func(a *news.Article) error {
		raw, err := json.Marshal(a)
		out[a.ID] = string(raw)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ofGuild keeps the articles of one guild.
func ofGuild(t *testing.T, all map[string]string, guild string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for id, raw := range all {
		var a news.Article
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			t.Fatal(err)
		}
		if a.Guild == guild {
			out[id] = raw
		}
	}
	return out
}

func statsOf(t *testing.T, dir string) stats {
	t.Helper()
	out, errOut, code := newsbot(t, "", "stats", "--data", dir, "--json")
	if code != 0 {
		t.Fatalf("stats exit %d: %s", code, errOut)
	}
	var s stats
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}
	return s
}

// TestExportIngestRoundTrip: what export writes, ingest into an empty folder
// reads back to the same articles — ids, every field, quotes — and the same
// counts.
func TestExportIngestRoundTrip(t *testing.T) {
	src := opsLibrary(t)
	out, errOut, code := newsbot(t, "", "export", "--data", src)
	if code != 0 {
		t.Fatalf("export exit %d: %s", code, errOut)
	}
	want := storedArticles(t, src)
	if !strings.Contains(errOut, fmt.Sprintf("exported %d articles", len(want))) {
		t.Errorf("stderr = %q", errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d lines for %d articles", len(lines), len(want))
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("not JSON: %v: %s", err, l)
		}
		for _, k := range []string{"id", "title", "paragraphs", "ingested", "quotes"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("record lacks %q: %.200s", k, l)
			}
		}
	}

	file := writeFile(t, t.TempDir(), "articles.jsonl", out)
	guildOut, _, _ := newsbot(t, "", "export", "--data", src, "--guild", testGuild)
	for _, tt := range []struct {
		name  string
		stdin string
		args  []string
		want  map[string]string
	}{
		{"everything from a file", "", []string{file}, want},
		{"a guild from stdin", guildOut, []string{"-"}, ofGuild(t, want, testGuild)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "restored")
			res, errOut, code := newsbot(t, tt.stdin, append([]string{"ingest", "--data", dst}, tt.args...)...)
			if code != 0 || res != fmt.Sprintf("ingested %d, duplicates 0, failed 0\n", len(tt.want)) {
				t.Fatalf("ingest: %q %s exit %d", res, errOut, code)
			}
			got := storedArticles(t, dst)
			for id, w := range tt.want {
				if got[id] != w {
					t.Errorf("article %s differs after the round trip:\n got %s\nwant %s", id, got[id], w)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("%d articles restored, want %d", len(got), len(tt.want))
			}
			if len(tt.want) == len(want) {
				s, d := statsOf(t, src), statsOf(t, dst)
				if s.Articles != d.Articles || s.Indexed != d.Indexed || s.Quotes != d.Quotes ||
					fmt.Sprint(s.ByGuild, s.BySource) != fmt.Sprint(d.ByGuild, d.BySource) {
					t.Errorf("stats differ:\nsource   %+v\nrestored %+v", s, d)
				}
			}
			// The restored index answers as the original did.
			ans, _, _ := newsbot(t, "", "quotes", "--data", dst, "--guild", testGuild, "--speaker", "Ines Gale")
			if !strings.Contains(ans, "We are back") {
				t.Errorf("restored guild quote not found:\n%s", ans)
			}
		})
	}
}

func TestExportGuild(t *testing.T) {
	src := opsLibrary(t)
	all := storedArticles(t, src)
	tests := []struct {
		guild string
		want  func(guild string) bool
	}{
		{testGuild, func(g string) bool { return g == testGuild }},
		{"global", func(g string) bool { return g == "" }},
		{"100000000000000999", func(string) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.guild, func(t *testing.T) {
			out, errOut, code := newsbot(t, "", "export", "--data", src, "--guild", tt.guild)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			n := 0
			for _, raw := range all {
				var a news.Article
				_ = json.Unmarshal([]byte(raw), &a)
				if tt.want(a.Guild) {
					n++
					if !strings.Contains(out, `"id":"`+a.ID+`"`) {
						t.Errorf("article %s (guild %q) missing", a.ID, a.Guild)
					}
				}
			}
			if got := strings.Count(out, "\n"); got != n {
				t.Errorf("%d articles exported, want %d", got, n)
			}
		})
	}
}

func TestStats(t *testing.T) {
	src := opsLibrary(t)
	out, _, code := newsbot(t, "", "stats", "--data", src, "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	// The exact keys, no more.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range raw {
			if !yield(k) {
				return
			}
		}
	})
	wantKeys := []string{"articles", "by_guild", "by_source", "index_bytes", "indexed", "last_ingest", "quotes", "store_bytes"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("keys = %v, want %v", keys, wantKeys)
	}
	s := statsOf(t, src)
	n := len(sample.Articles())
	if s.Articles < n || s.Indexed != s.Articles || s.Quotes == 0 || s.StoreBytes == 0 || s.IndexBytes == 0 {
		t.Errorf("stats = %+v", s)
	}
	if s.ByGuild[testGuild] != 2 || s.ByGuild["global"] != s.Articles-2 || s.ByGuild[""] != 0 {
		t.Errorf("by_guild = %v", s.ByGuild)
	}
	sum := 0
	for _, n := range s.BySource {
		sum += n
	}
	if s.BySource["Portvale Post"] != 1 || s.BySource["unknown"] < 1 || s.BySource[""] != 0 || sum != s.Articles {
		t.Errorf("by_source = %v", s.BySource)
	}
	if s.LastIngest == nil {
		t.Fatal("last_ingest is null after an ingest")
	}
	if at, err := time.Parse(time.RFC3339, *s.LastIngest); err != nil || time.Since(at) > time.Hour {
		t.Errorf("last_ingest = %q (%v)", *s.LastIngest, err)
	}

	// An empty folder: zeros, empty maps and null.
	out, _, _ = newsbot(t, "", "stats", "--data", t.TempDir(), "--json")
	for _, want := range []string{`"articles": 0`, `"by_guild": {}`, `"last_ingest": null`} {
		if !strings.Contains(out, want) {
			t.Errorf("empty stats lack %s:\n%s", want, out)
		}
	}

	// A folder that is not there is not created.
	missing := filepath.Join(t.TempDir(), "typo")
	for _, cmd := range []string{"stats", "export"} {
		if _, errOut, code := newsbot(t, "", cmd, "--data", missing); code != 1 || !strings.Contains(errOut, "no data folder at") {
			t.Errorf("%s on a missing folder: exit %d %q", cmd, code, errOut)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a missing data folder was created")
	}

	// The terminal table: names flush left, counts flush right.
	out, _, _ = newsbot(t, "", "stats", "--data", src)
	for _, re := range []string{
		`(?m)^articles +\d+ stored, \d+ indexed$`,
		`(?m)^GUILD +ARTICLES$`,
		`(?m)^global +\d+$`,
		`(?m)^` + testGuild + ` +2$`,
		`(?m)^Portvale Post +1$`,
		`(?m)^last ingest +\d{4}-\d\d-\d\d \d\d:\d\d UTC$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("terminal stats do not match %s:\n%s", re, out)
		}
	}
}

func TestCheckConfig(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("data_dir: ./data\ndiscord:\n  token: aaaa.bbbb.cccc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := writeFile(t, dir, "broken.yaml", "discrod:\n  guild_id: 1\nfetch:\n  timeout: 15x\nlimits:\n  max_concurrent: -1\n")
	readable := writeFile(t, dir, "readable.yaml", "discord:\n  token: aaaa.bbbb.cccc\n")
	if err := os.Chmod(readable, 0o644); err != nil {
		t.Fatal(err)
	}
	noToken := writeFile(t, dir, "notoken.yaml", "data_dir: ./data\n")
	syntax := writeFile(t, dir, "syntax.yaml", "data_dir: ./data\nlimits: [\n")
	tests := []struct {
		name  string
		args  []string
		code  int
		lines []string // in this order, on stdout
	}{
		{"good", []string{"--config", good}, 0, []string{good + ": OK"}},
		{"positional", []string{good}, 0, []string{good + ": OK"}},
		{"every problem with its line", []string{broken}, 1, []string{
			broken + `:1: discrod: unknown key; did you mean "discord"?`,
			broken + `:4: fetch.timeout: invalid duration "15x"`,
			broken + `:6: limits.max_concurrent: must be at least 1, got -1`,
		}},
		{"syntax error", []string{syntax}, 1, []string{syntax + ":2: invalid YAML"}},
		{"missing file", []string{filepath.Join(dir, "nope.yaml")}, 1, []string{"nope.yaml: cannot read config: file does not exist"}},
		{"no token: a warning", []string{noToken}, 0, []string{"warning: discord.token: missing", noToken + ": OK"}},
		{"no file", nil, 2, nil},
		{"two files", []string{good, broken}, 2, nil},
	}
	if runtime.GOOS != "windows" {
		tests = append(tests, struct {
			name  string
			args  []string
			code  int
			lines []string
		}{"token in a world-readable file: a warning", []string{readable}, 0, []string{"warning: " + readable + ": file contains discord.token but is readable by other users (mode 0644)", readable + ": OK"}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := newsbot(t, "", append([]string{"check-config"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout %s\nstderr %s", code, tt.code, out, errOut)
			}
			rest := out
			for _, l := range tt.lines {
				i := strings.Index(rest, l)
				if i < 0 {
					t.Errorf("stdout lacks %q (in order):\n%s", l, out)
					continue
				}
				rest = rest[i+len(l):]
			}
			if tt.code == 1 && !strings.Contains(errOut, "problem") {
				t.Errorf("stderr = %q", errOut)
			}
			if strings.Contains(out+errOut, "aaaa.bbbb.cccc") {
				t.Error("the token was printed")
			}
		})
	}
}

func TestVersion(t *testing.T) {
	out, _, code := newsbot(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "newsbot dev\n") || !strings.Contains(out, "go: "+runtime.Version()+"\n") {
		t.Fatalf("version: exit %d\n%s", code, out)
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build info in this binary")
	}
	for _, mod := range versionModules {
		want := moduleVersion(bi, mod)
		if !strings.HasPrefix(want, "v") {
			t.Errorf("%s: version %q, want the module's version", mod, want)
		}
		if !strings.Contains(out, mod+": "+want+"\n") {
			t.Errorf("version lacks %s %s:\n%s", mod, want, out)
		}
	}
}

// lockedBuffer is serve's stderr, written by its goroutines, read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeHealthAndMetrics runs `newsbot serve` against the fake Discord and
// scrapes its /healthz and /metrics over HTTP while members use it.
func TestServeHealthAndMetrics(t *testing.T) {
	const token = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789_-AB"
	f := discordtest.New(t, discordtest.WithToken(token))
	data := opsLibrary(t)
	addr := freeAddr(t)
	srv, _ := startServe(t, fmt.Sprintf("data_dir: %s\ndiscord:\n  token: %s\n  base_url: %s\n  guild_id: %q\nhttp:\n  listen: %s\n", data, token, f.URL(), testGuild, addr))
	ctx, done, logs := srv.ctx, srv.done, srv.logs

	base := "http://" + addr
	waitFor(t, done, logs, "/healthz 200", func() bool {
		code, _ := httpGet(base + "/healthz")
		return code == http.StatusOK
	})
	if _, body := httpGet(base + "/healthz"); body != "ok\n" {
		t.Errorf("/healthz = %q", body)
	}
	inv := discordtest.GuildMember(testGuild, "100000000000000010", discordtest.User{Username: "reader"}, "2048")
	for _, i := range []discordtest.Interaction{
		discordtest.SlashCommand(inv, "ask", discordtest.StringOption("question", "Where will NATO coordinate security assistance for Ukraine from?")),
		discordtest.SlashCommand(inv, "quotes", discordtest.StringOption("speaker", "Ines Gale")),
	} {
		sent, err := f.SendInteraction(i)
		if err != nil {
			t.Fatal(err)
		}
		wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
		_, err = f.WaitResponse(wctx, sent.ID)
		wcancel()
		if err != nil {
			t.Fatalf("no response: %v\n%s", err, logs)
		}
	}
	var body string
	waitFor(t, done, logs, "the interactions in /metrics", func() bool {
		_, body = httpGet(base + "/metrics")
		// Recorded after the response reached Discord: a moment later.
		return strings.Contains(body, `newsbot_interaction_seconds_count{command="quotes"} 1`) &&
			strings.Contains(body, `newsbot_interaction_seconds_count{command="ask"} 1`)
	})
	for _, want := range []string{
		`newsbot_interactions_total{command="ask",outcome="ok"} 1`,
		`newsbot_interactions_total{command="quotes",outcome="ok"} 1`,
		`newsbot_gateway_reconnects_total 0`,
		`newsbot_discord_rate_limits_total 0`,
		`newsbot_digests_posted_total 0`,
		"# TYPE newsbot_articles_indexed gauge",
		"# TYPE newsbot_quotes_indexed gauge",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if m := regexp.MustCompile(`(?m)^newsbot_articles_indexed (\d+)$`).FindStringSubmatch(body); m == nil || m[1] == "0" {
		t.Errorf("articles gauge: %v", m)
	}

	srv.stop(t)
	out := logs.String()
	if strings.Contains(out, token) {
		t.Error("the token reached the log")
	}
	if n := strings.Count(out, `"msg":"interaction"`); n != 2 {
		t.Errorf("%d interaction log lines, want 2:\n%s", n, out)
	}
	f.AssertNoViolations(t)
}

// freeAddr finds a local port for http.listen, which must name one.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func httpGet(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// waitFor polls cond until it holds, serve exits, or 20 s pass.
func waitFor(t *testing.T, done chan int, logs *lockedBuffer, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d while waiting for %s:\n%s", code, what, logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s:\n%s", what, logs)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
