package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/bench"
	"github.com/newsbot/newsbot/store/postgres"
)

func runBench(ctx context.Context, e *env, args []string) error {
	var o bench.Options
	var asJSON bool
	var seed uint
	fs := newFlagSet("bench", e)
	fs.IntVar(&o.Articles, "articles", 10000, "synthetic articles to ingest")
	fs.IntVar(&o.Queries, "queries", 2000, "queries to time, mixed: search, ask, quotes, suggest")
	fs.StringVar(&o.Dir, "data", "", "data `folder` to build in (default: a temporary one, removed after)")
	fs.UintVar(&seed, "seed", 1, "corpus seed")
	fs.BoolVar(&asJSON, "json", false, "print the figures as one JSON object")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to `file` (go tool pprof)")
	memProfile := fs.String("memprofile", "", "write a heap profile of the serving half to `file`, taken after its queries with the data folder open (go tool pprof)")
	serveOnly := fs.Bool("serve-only", false, "time the queries on an ingested --data folder only (the bench runs this half in a fresh process)")
	inProcess := fs.Bool("in-process", false, "run the query half in this process (its peak RSS then includes the ingest)")
	storeKind := fs.String("store", config.BackendBbolt, "store to measure: bbolt, or postgres (an empty database named by --dsn or NEWSBOT_STORE_DSN)")
	dsn := fs.String("dsn", "", "PostgreSQL connection `string` for --store postgres (default $NEWSBOT_STORE_DSN)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
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
	if isTerminal(e.stderr) {
		start := time.Now()
		o.Progress = func(done, total int) {
			el := time.Since(start)
			rate := float64(done) / max(el.Seconds(), 0.001)
			eta := time.Duration(float64(total-done)/max(rate, 1)) * time.Second
			fmt.Fprintf(e.stderr, "\ringest %d/%d, %.0f/s, ETA %s ", done, total, rate, eta.Round(time.Second))
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return usageErr("--cpuprofile: %v", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return usageErr("--cpuprofile: %v", err)
		}
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		o.AfterQueries = func() error { return writeHeapProfile(*memProfile) }
	}
	if *serveOnly {
		if o.Dir == "" {
			return usageErr("--serve-only needs --data")
		}
		sr, err := bench.Serve(ctx, o.Dir, o)
		if err != nil {
			return err
		}
		return json.NewEncoder(e.stdout).Encode(sr)
	}
	if !*inProcess {
		o.Serve = func(dir string) (*bench.ServeResult, error) {
			return serveInChild(ctx, dir, o, *storeKind, *dsn, *memProfile)
		}
	}
	res, err := bench.Run(ctx, o)
	if o.Progress != nil {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
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
	fmt.Fprintf(e.stdout, "peak RSS        %.0f MB\n", res.PeakRSSMB)
	return nil
}

// writeHeapProfile writes the live heap, after a collection, to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: --memprofile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("bench: --memprofile: %w", err)
	}
	return f.Close()
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
func serveInChild(ctx context.Context, dir string, o bench.Options, storeKind, dsn, memProfile string) (*bench.ServeResult, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	args := []string{"bench", "--serve-only", "--data", dir,
		"--queries", strconv.Itoa(o.Queries), "--seed", strconv.FormatUint(o.Seed, 10), "--store", storeKind}
	if memProfile != "" {
		args = append(args, "--memprofile", memProfile)
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
