package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/newsbot/newsbot/internal/bench"
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
	if _, err := parseArgs(fs, args); err != nil {
		return err
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

func mb(b int64) float64 { return float64(b) / (1 << 20) }
