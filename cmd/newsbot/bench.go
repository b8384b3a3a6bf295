package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/bench"
	"github.com/newsbot/newsbot/store/postgres"
)

func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "chart" {
		return runBenchChart(e, args[1:])
	}
	var o bench.Options
	var asJSON bool
	var seed uint
	fs := newFlagSet("bench", e)
	articles := fs.String("articles", "10000", "synthetic articles to ingest; a `list` (10k,100k,1M) runs each size in turn, each in a data folder of its own")
	fs.IntVar(&o.Queries, "queries", 2000, "queries to time, mixed: search, ask, quotes, suggest")
	fs.StringVar(&o.Dir, "data", "", "data `folder` to build in (default: a temporary one, removed after); with several sizes, a folder per size inside it")
	fs.UintVar(&seed, "seed", 1, "corpus seed")
	fs.BoolVar(&asJSON, "json", false, "print the figures as one JSON object (one per size)")
	concurrency := fs.String("concurrency", "", "after the sequential queries, run them again with N concurrent clients on the same opened library; a `list` (1,8,50) runs each in turn")
	fs.IntVar(&o.MaxConcurrent, "max-concurrent", config.Default().Limits.MaxConcurrent, "admission `limit` the concurrent clients meet, as the bot's limits.max_concurrent (more in flight: a busy answer)")
	chartFile := fs.String("chart", "", "draw the figures against the number of articles into this PNG `file` (see also: newsbot bench chart)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the ingest half to `file` (go tool pprof); with --serve-only, of the serving half")
	serveCPUProfile := fs.String("serve-cpuprofile", "", "write a CPU profile of the serving half (cold open and every query) to `file`")
	memProfile := fs.String("memprofile", "", "write a heap profile of the serving process, once the queries are done, to `file`")
	serveOnly := fs.Bool("serve-only", false, "time the queries on an ingested --data folder only (the bench runs this half in a fresh process)")
	inProcess := fs.Bool("in-process", false, "run the query half in this process (its peak RSS then includes the ingest)")
	storeKind := fs.String("store", config.BackendBbolt, "store to measure: bbolt, or postgres (an empty database named by --dsn or NEWSBOT_STORE_DSN)")
	dsn := fs.String("dsn", "", "PostgreSQL connection `string` for --store postgres (default $NEWSBOT_STORE_DSN)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	sizes, err := bench.ParseCounts(*articles)
	if err != nil {
		return usageErr("--articles: %v", err)
	}
	if *concurrency != "" {
		if o.Concurrency, err = bench.ParseCounts(*concurrency); err != nil {
			return usageErr("--concurrency: %v", err)
		}
	}
	if o.MaxConcurrent < 1 {
		return usageErr("--max-concurrent: must be at least 1, got %d", o.MaxConcurrent)
	}
	if v := e.getenv("NEWSBOT_STORE_DSN"); *dsn == "" && v != "" {
		*dsn = v
	}
	switch *storeKind {
	case config.BackendBbolt:
	case config.BackendPostgres:
		if *dsn == "" {
			return usageErr("--store postgres needs --dsn or NEWSBOT_STORE_DSN")
		}
		if len(sizes) > 1 {
			// Each size needs an empty database; one DSN names one.
			return usageErr("--store postgres measures one size a run")
		}
		if !*serveOnly {
			if err := emptyDatabase(ctx, *dsn); err != nil {
				return err
			}
		}
		o.Open = func(ctx context.Context, dir string) (*ingest.Library, error) {
			st, err := postgres.Open(ctx, *dsn, postgres.Options{Migrate: true})
			if err != nil {
				return nil, err
			}
			return ingest.OpenStore(ctx, dir, st, nil)
		}
	default:
		return usageErr("--store: %q is neither bbolt nor postgres", *storeKind)
	}
	o.Seed = uint64(seed)
	if *serveOnly {
		if o.Dir == "" {
			return usageErr("--serve-only needs --data")
		}
		// The child's whole run is the serving half.
		o.ServeCPUProfile = cmp.Or(*serveCPUProfile, *cpuProfile)
		o.HeapProfile = *memProfile
		sr, err := bench.Serve(ctx, o.Dir, o)
		if err != nil {
			return err
		}
		return json.NewEncoder(e.stdout).Encode(sr)
	}
	var results []bench.Result
	for i, n := range sizes {
		so := o
		so.Articles = n
		// With several sizes every file names its size, so none
		// overwrites another.
		each := func(path string) string {
			if path == "" || len(sizes) == 1 {
				return path
			}
			ext := filepath.Ext(path)
			return fmt.Sprintf("%s-%d-%d%s", strings.TrimSuffix(path, ext), n, i+1, ext)
		}
		if o.Dir != "" && len(sizes) > 1 {
			so.Dir = filepath.Join(o.Dir, fmt.Sprintf("%d-%d", n, i+1))
		}
		so.IngestCPUProfile, so.ServeCPUProfile, so.HeapProfile = each(*cpuProfile), each(*serveCPUProfile), each(*memProfile)
		res, err := benchOne(ctx, e, so, !*inProcess, *storeKind, *dsn)
		if err != nil {
			return err
		}
		results = append(results, *res)
		if asJSON {
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(res); err != nil {
				return err
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		printBench(e, res)
	}
	if *chartFile != "" {
		return writeBenchChart(*chartFile, results)
	}
	return nil
}

// benchOne runs the bench at one size, its serving half in a fresh process
// when child is set.
func benchOne(ctx context.Context, e *env, o bench.Options, child bool, storeKind, dsn string) (*bench.Result, error) {
	if isTerminal(e.stderr) {
		start := time.Now()
		o.Progress = func(done, total int) {
			el := time.Since(start)
			rate := float64(done) / max(el.Seconds(), 0.001)
			eta := time.Duration(float64(total-done)/max(rate, 1)) * time.Second
			fmt.Fprintf(e.stderr, "\ringest %d/%d, %.0f/s, ETA %s ", done, total, rate, eta.Round(time.Second))
		}
	}
	if child {
		o.Serve = func(dir string) (*bench.ServeResult, error) {
			return serveInChild(ctx, dir, o, storeKind, dsn)
		}
	}
	res, err := bench.Run(ctx, o)
	if o.Progress != nil {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	return res, err
}

func printBench(e *env, res *bench.Result) {
	fmt.Fprintf(e.stdout, "articles        %d\n", res.Articles)
	fmt.Fprintf(e.stdout, "ingest          %.0f articles/s (%.1f s)\n", res.IngestPerSecond, res.IngestSeconds)
	fmt.Fprintf(e.stdout, "disk            store %.1f MB + index %.1f MB = %.2f× the raw text (%.1f MB)\n",
		mb(res.StoreBytes), mb(res.IndexBytes), res.DiskRatio, mb(res.RawBytes))
	fmt.Fprintf(e.stdout, "cold open       %.0f ms\n", res.ColdOpenMS)
	for _, l := range []struct {
		name string
		l    bench.Latency
	}{{"search", res.Search}, {"ask", res.Ask}, {"quotes", res.Quotes}, {"suggest", res.Suggest}} {
		fmt.Fprintf(e.stdout, "%-15s p50 %.1f ms, p99 %.1f ms (%d)\n", l.name, l.l.P50, l.l.P99, l.l.N)
	}
	fmt.Fprintf(e.stdout, "peak RSS        %.0f MB (after the queries: %.0f MB anonymous, %.0f MB mapped files)\n", res.PeakRSSMB, res.RSSAnonMB, res.RSSFileMB)
	for _, c := range res.Concurrency {
		fmt.Fprintf(e.stdout, "%-15s %.0f requests/s; p50 %.1f ms, p99 %.1f ms (search %.1f, ask %.1f, quotes %.1f, suggest %.1f); %s\n",
			fmt.Sprintf("%d at once", c.Clients), c.RequestsPerSecond, c.All.P50, c.All.P99,
			c.Search.P99, c.Ask.P99, c.Quotes.P99, c.Suggest.P99, busyText(c))
	}
}

// busyText says how the admission limit answered.
func busyText(c bench.Concurrency) string {
	if c.Busy == 0 {
		return fmt.Sprintf("no busy answer (limit %d, at most %d in flight)", c.MaxConcurrent, c.PeakInFlight)
	}
	return fmt.Sprintf("%d busy answers, each with at least %d in flight (limit %d)", c.Busy, c.BusyMinInFlight, c.MaxConcurrent)
}

// runBenchChart draws the chart and prints the table of earlier runs'
// --json results: the sizes can be measured apart (1M alone, overnight) and
// drawn together.
func runBenchChart(e *env, args []string) error {
	fs := newFlagSet("bench chart", e)
	out := fs.String("o", "bench.png", "PNG `file` to write")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: newsbot bench chart [-o FILE] RESULTS.json... (- reads stdin)\n\nDraws the figures of earlier `newsbot bench --json` runs against the number of\narticles, and prints them as a Markdown table (medians and ranges of repeated runs).")
		fs.PrintDefaults()
	}
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageErr("bench chart: name the files of earlier `newsbot bench --json` runs (- for stdin)")
	}
	var results []bench.Result
	for _, name := range files {
		var r io.Reader = e.stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				return usageErr("bench chart: %v", err)
			}
			defer f.Close()
			r = f
		}
		rs, err := bench.ReadResults(r, name)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		results = append(results, rs...)
	}
	if err := writeBenchChart(*out, results); err != nil {
		return err
	}
	fmt.Fprint(e.stdout, bench.Table(results))
	return nil
}

func writeBenchChart(path string, results []bench.Result) error {
	data, err := bench.Chart(results)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("bench: chart: %w", err)
	}
	return nil
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// emptyDatabase refuses a database that holds articles: the bench adds
// thousands of synthetic ones.
func emptyDatabase(ctx context.Context, dsn string) error {
	st, err := postgres.Open(ctx, dsn, postgres.Options{Migrate: true})
	if err != nil {
		return err
	}
	defer st.Close()
	if n := st.Count(); n > 0 {
		return usageErr("--store postgres: %s holds %d articles; the bench writes synthetic ones, so give it an empty database", st.Path(), n)
	}
	return nil
}

// serveInChild runs `newsbot bench --serve-only` on the ingested folder in a
// fresh process and reads its figures.
func serveInChild(ctx context.Context, dir string, o bench.Options, storeKind, dsn string) (*bench.ServeResult, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	args := []string{"bench", "--serve-only", "--data", dir,
		"--queries", strconv.Itoa(o.Queries), "--seed", strconv.FormatUint(o.Seed, 10), "--store", storeKind,
		"--max-concurrent", strconv.Itoa(o.MaxConcurrent)}
	if len(o.Concurrency) > 0 {
		var levels []string
		for _, n := range o.Concurrency {
			levels = append(levels, strconv.Itoa(n))
		}
		args = append(args, "--concurrency", strings.Join(levels, ","))
	}
	// The child may run elsewhere in the tree: its files are named in full.
	for _, p := range []struct{ flag, path string }{{"--serve-cpuprofile", o.ServeCPUProfile}, {"--memprofile", o.HeapProfile}} {
		if p.path != "" {
			abs, err := filepath.Abs(p.path)
			if err != nil {
				return nil, fmt.Errorf("bench: %s: %w", p.flag, err)
			}
			args = append(args, p.flag, abs)
		}
	}
	cmd := exec.CommandContext(ctx, self, args...)
	// The DSN may hold a password: it goes through the environment, not the
	// command line that ps shows.
	cmd.Env = append(os.Environ(), "NEWSBOT_STORE_DSN="+dsn)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("bench: the query half failed: %w: %s", err, stderr.String())
	}
	var sr bench.ServeResult
	if err := json.Unmarshal(out, &sr); err != nil {
		return nil, fmt.Errorf("bench: the query half: %w", err)
	}
	return &sr, nil
}
