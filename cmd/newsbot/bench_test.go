package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/bench"
)

func TestBenchFlagErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.json", `{"articles": 3}`)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no size", []string{"bench", "--articles", ""}, "--articles: no count given"},
		{"a zero size", []string{"bench", "--articles", "10k,0"}, "--articles: 0: a count must be positive"},
		{"a word", []string{"bench", "--articles", "many"}, `--articles: "many" is not a count`},
		{"no clients", []string{"bench", "--concurrency", "1,0"}, "--concurrency: 0: a count must be positive"},
		{"no admission", []string{"bench", "--max-concurrent", "0"}, "--max-concurrent: must be at least 1"},
		{"postgres, two sizes", []string{"bench", "--store", "postgres", "--dsn", "postgres://x", "--articles", "1k,2k"}, "one size a run"},
		{"chart of nothing", []string{"bench", "chart"}, "name the files"},
		{"chart of a missing file", []string{"bench", "chart", filepath.Join(dir, "nope.json")}, "no such file"},
		{"chart of something else", []string{"bench", "chart", "-o", filepath.Join(dir, "x.png"), bad}, "not a result of newsbot bench"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := newsbot(t, "", tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x.png")); err == nil {
		t.Error("a chart was written from a bad file")
	}
}

// TestBenchChartCommand draws the chart and prints the table of earlier
// results, from a file and from stdin.
func TestBenchChartCommand(t *testing.T) {
	fixture := filepath.Join("..", "..", "internal", "bench", "testdata", "results.jsonl")
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "internal", "bench", "testdata", "table.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, stdin string
		args        []string
	}{
		{"a file", "", []string{fixture}},
		{"stdin", string(data), []string{"-"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "perf.png")
			stdout, errOut, code := newsbot(t, tt.stdin, append([]string{"bench", "chart", "-o", out}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if stdout != string(want) {
				t.Errorf("table:\n%s\nwant:\n%s", stdout, want)
			}
			img, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := png.Decode(bytes.NewReader(img)); err != nil {
				t.Errorf("not a PNG: %v", err)
			}
		})
	}
}

// TestBenchSizesAndConcurrency runs two small sizes in this process, each with
// concurrent clients, and draws their chart: the JSON is one object a size,
// readable by bench chart.
func TestBenchSizesAndConcurrency(t *testing.T) {
	dir := t.TempDir()
	chart := filepath.Join(dir, "curve.png")
	heap := filepath.Join(dir, "heap.prof")
	stdout, errOut, code := newsbot(t, "", "bench", "--articles", "150,250", "--queries", "24", "--in-process", "--json",
		"--concurrency", "1,5", "--max-concurrent", "2", "--data", filepath.Join(dir, "data"), "--chart", chart, "--memprofile", heap)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rs, err := bench.ReadResults(strings.NewReader(stdout), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Articles != 150 || rs[1].Articles != 250 {
		t.Fatalf("results %+v", rs)
	}
	for _, r := range rs {
		if len(r.Concurrency) != 2 || r.Concurrency[1].Clients != 5 || r.Concurrency[1].MaxConcurrent != 2 || r.Concurrency[1].Requests != 24 {
			t.Errorf("%d articles: concurrency %+v", r.Articles, r.Concurrency)
		}
	}
	// The field names are a contract: the old ones are all still there.
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(strings.NewReader(stdout)).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"articles", "queries", "ingest_seconds", "ingest_per_second", "raw_text_bytes", "store_bytes", "index_bytes",
		"disk_to_raw_ratio", "cold_open_ms", "search_ms", "ask_ms", "quotes_ms", "suggest_ms", "peak_rss_mb"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("--json lacks %q", k)
		}
	}
	// Each size kept its own folder under --data, and its own profile.
	for _, name := range []string{"data/150-1", "data/250-2", "heap-150-1.prof", "heap-250-2.prof", "curve.png"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	f, err := os.Open(chart)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("chart: %v", err)
	}
}
