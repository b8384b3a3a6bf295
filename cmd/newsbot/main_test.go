package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newsbot runs the command line in-process and returns stdout, stderr and the
// exit status.
func newsbot(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, args)
	return out.String(), errOut.String(), code
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestIngestCountsAndFailures(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	in := filepath.Join(dir, "in")
	writeFile(t, in, "a.txt", "Monday, March 4, 2024\n\nCity council approves budget\n\nThe council approved the budget on Monday.\n")
	writeFile(t, in, "b.md", "# Harbour reopens\n\nThe harbour reopened after repairs.\n")
	writeFile(t, in, "sub/c.json", `[{"title":"Rail strike ends","text":"Drivers returned to work.","url":"https://news.example/rail"}]`)
	writeFile(t, in, "empty.txt", "  \n")
	writeFile(t, in, "bad.csv", "title,text\nGood row,Fine text.\nBad row\n")
	if err := os.WriteFile(filepath.Join(in, "img.png"), []byte{0x89, 'P', 'N', 'G', 0, 0, 1}, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := newsbot(t, "", "ingest", "--data", data, in)
	if out != "ingested 4, duplicates 0, failed 3\n" {
		t.Errorf("stdout = %q", out)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1 when something failed", code)
	}
	for _, want := range []string{"empty.txt: no article text", "img.png: binary file", "bad.csv#row2"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// The same input again: all duplicates, nothing new.
	out, _, _ = newsbot(t, "", "ingest", "--data", data, filepath.Join(in, "a.txt"), filepath.Join(in, "b.md"))
	if out != "ingested 0, duplicates 2, failed 0\n" {
		t.Errorf("re-ingest: %q", out)
	}
	// Standard input.
	out, _, code = newsbot(t, "Ferry service resumes\n\nThe ferry resumed service today.\n", "ingest", "--data", data, "-")
	if out != "ingested 1, duplicates 0, failed 0\n" || code != 0 {
		t.Errorf("stdin: %q exit %d", out, code)
	}
	// A missing path fails alone.
	out, errOut, code = newsbot(t, "", "ingest", "--data", data, filepath.Join(dir, "nope"))
	if out != "ingested 0, duplicates 0, failed 1\n" || code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing path: %q %q exit %d", out, errOut, code)
	}
}

func TestSearchAndAskJSON(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	writeFile(t, dir, "a.txt", "Tuesday, November 19, 2024\n\nHarbour *reopens* after storm\n\nThe harbour in Portvale reopened on Tuesday after the storm. Repairs cost 3 million euros.\n")
	if _, _, code := newsbot(t, "", "ingest", "--data", data, "--source", "Local Paper", filepath.Join(dir, "a.txt")); code != 0 {
		t.Fatal("ingest failed")
	}
	out, _, code := newsbot(t, "", "search", "--data", data, "--json", "harbour storm")
	if code != 0 {
		t.Fatalf("search exit %d", code)
	}
	var s struct {
		Query string `json:"query"`
		Total int    `json:"total"`
		Hits  []struct {
			Article map[string]any `json:"article"`
			Snippet string         `json:"snippet"`
			Score   float64        `json:"score"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	if s.Query != "harbour storm" || s.Total != 1 || len(s.Hits) != 1 {
		t.Fatalf("search = %+v", s)
	}
	art := s.Hits[0].Article
	for _, k := range []string{"id", "title", "url", "source", "author", "published"} {
		if _, ok := art[k]; !ok {
			t.Errorf("article lacks %q: %v", k, art)
		}
	}
	if art["published"] != "2024-11-19T00:00:00Z" || art["source"] != "Local Paper" || art["title"] != "Harbour *reopens* after storm" {
		t.Errorf("article = %v", art)
	}
	if !strings.Contains(s.Hits[0].Snippet, "**harbour**") {
		t.Errorf("snippet = %q", s.Hits[0].Snippet)
	}

	out, _, code = newsbot(t, "", "ask", "--data", data, "--json", "How much did the repairs cost?")
	if code != 0 {
		t.Fatalf("ask exit %d", code)
	}
	var a struct {
		Question  string `json:"question"`
		Abstained bool   `json:"abstained"`
		Answers   []struct {
			Text    string         `json:"text"`
			Article map[string]any `json:"article"`
			Score   float64        `json:"score"`
		} `json:"answers"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask --json: %v\n%s", err, out)
	}
	if a.Abstained || len(a.Answers) == 0 || a.Answers[0].Text != "Repairs cost 3 million euros." {
		t.Errorf("ask = %+v", a)
	}
	// Flags after the question work too, and the terminal rendering cites.
	out, _, _ = newsbot(t, "", "ask", "How much did the repairs cost?", "--data", data)
	if !strings.Contains(out, "Repairs cost 3 million euros.") || !strings.Contains(out, "Harbour *reopens* after storm") {
		t.Errorf("terminal answer:\n%s", out)
	}
	out, _, _ = newsbot(t, "", "ask", "--data", data, "--json", "Who won the chess olympiad?")
	if !strings.Contains(out, `"abstained": true`) || !strings.Contains(out, `"answers": []`) {
		t.Errorf("unanswerable: %s", out)
	}
}

func TestBadCommandLines(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no command", nil, 2, "Usage"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"ask without question", []string{"ask", "--data", data}, 2, "give the question"},
		{"empty query", []string{"search", "--data", data, "  "}, 2, "Give some words"},
		{"bad since", []string{"search", "--data", data, "--since", "soon", "x"}, 2, "not a date"},
		{"unknown flag", []string{"ask", "--nope", "q"}, 2, "flag provided but not defined"},
		{"missing config", []string{"ask", "--config", "/nonexistent.yaml", "q"}, 2, "nonexistent.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := newsbot(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d stderr %q; want %d and %q", code, errOut, tt.code, tt.err)
			}
		})
	}
}

// TestQuickStart is the README's first command: on an empty default data
// folder, ask fills it with the bundled sample and answers.
func TestQuickStart(t *testing.T) {
	t.Chdir(t.TempDir())
	out, errOut, code := newsbot(t, "", "ask", "Where will NATO coordinate security assistance for Ukraine from?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "ingesting the bundled sample articles") {
		t.Errorf("stderr does not say the sample was ingested: %q", errOut)
	}
	if !strings.Contains(out, "Wiesbaden") {
		t.Errorf("answer:\n%s", out)
	}
	// Second run: the folder is no longer empty, nothing is ingested again.
	_, errOut, _ = newsbot(t, "", "ask", "Where will NATO coordinate security assistance for Ukraine from?")
	if strings.Contains(errOut, "ingesting") {
		t.Errorf("sample ingested twice: %q", errOut)
	}
}

func TestServeConfigErrors(t *testing.T) {
	dir := t.TempDir()
	noToken := writeFile(t, dir, "a.yaml", "data_dir: "+filepath.Join(dir, "data")+"\n")
	badKey := writeFile(t, dir, "b.yaml", "fetch:\n  timeout: 15x\n")
	tests := []struct {
		name, config, want string
	}{
		{"missing token", noToken, "discord.token"},
		{"bad value", badKey, "fetch.timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := newsbot(t, "", "serve", "--config", tt.config)
			if code != 2 || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "goroutine") {
				t.Errorf("exit %d, stderr %q; want 2 naming %s", code, errOut, tt.want)
			}
		})
	}
}

func TestIngestURLsAndFeedFiles(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	// The default config refuses loopback addresses, with the reason.
	out, errOut, code := newsbot(t, "", "ingest", "--data", data, "http://127.0.0.1:9/article")
	if out != "ingested 0, duplicates 0, failed 1\n" || code != 1 || !strings.Contains(errOut, "loopback") {
		t.Errorf("loopback URL: %q %q exit %d", out, errOut, code)
	}
	// A feed file's items become articles.
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title><link>https://wire.example/</link>
<item><title>Bridge reopens</title><link>https://wire.example/bridge</link><guid>b1</guid><pubDate>Tue, 19 Nov 2024 10:00:00 GMT</pubDate><description>The bridge over the Tay reopened on Tuesday after repairs.</description></item>
<item><title>Library extends hours</title><link>https://wire.example/library</link><guid>b2</guid><description>The city library will open until nine in the evening.</description></item>
</channel></rss>`
	feed := writeFile(t, dir, "wire.xml", rss)
	out, errOut, code = newsbot(t, "", "ingest", "--data", data, feed)
	if out != "ingested 2, duplicates 0, failed 0\n" || code != 0 {
		t.Errorf("feed file: %q %q exit %d", out, errOut, code)
	}
	out, _, _ = newsbot(t, "", "search", "--data", data, "--json", "bridge Tay")
	if !strings.Contains(out, "https://wire.example/bridge") {
		t.Errorf("feed item not searchable: %s", out)
	}
}

// TestEmptyRowsAreSkipped: a table row without text (Wikinews has a test page
// like that) is said on stderr and skipped, not a failure of the ingest.
func TestEmptyRowsAreSkipped(t *testing.T) {
	dir := t.TempDir()
	csv := writeFile(t, dir, "t.csv", "url,date,title,text\nhttps://w.example/a,2019-01-04,A,\"Friday, January 4, 2019\n\nReal text here.\"\nhttps://w.example/b,2019-01-05,TEST PAGE,\"Saturday, January 5, 2019\n\n\n\"\n")
	out, errOut, code := newsbot(t, "", "ingest", "--data", filepath.Join(dir, "data"), csv)
	if out != "ingested 1, duplicates 0, failed 0\n" || code != 0 || !strings.Contains(errOut, "t.csv#row2: skipped: no article text") {
		t.Errorf("%q %q exit %d", out, errOut, code)
	}
}

// The serving half's heap profile is written with the data folder still
// open, as a gzipped pprof profile.
func TestBenchMemProfile(t *testing.T) {
	prof := filepath.Join(t.TempDir(), "heap.pprof")
	out, stderr, code := newsbot(t, "", "bench", "--articles", "200", "--queries", "8", "--in-process", "--json", "--memprofile", prof)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `"peak_rss_mb"`) {
		t.Errorf("no figures: %s", out)
	}
	data, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 100 || data[0] != 0x1f || data[1] != 0x8b {
		t.Errorf("heap profile is %d bytes, not a gzipped profile", len(data))
	}
}
