package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/news"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	c, err := prepareIngest(e, args)
	if err != nil {
		return err
	}
	return c.run(ctx, e, "ingest", args)
}

func prepareIngest(e *env, args []string) (*libCommand, error) {
	c := &libCommand{}
	var source string
	fs := newFlagSet("ingest", e)
	c.d.register(fs, false)
	fs.StringVar(&source, "source", "", "source `name` of every article ingested (wins over what the files say)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) == 0 {
		return nil, usageErr("give files, folders or - for standard input")
	}
	c.stdin = slices.Contains(pos, "-")
	c.work = func(ctx context.Context, e *env, lib *ingest.Library) error {
		return ingestWork(ctx, e, lib, c, pos, source)
	}
	return c, nil
}

func ingestWork(ctx context.Context, e *env, lib *ingest.Library, c *libCommand, pos []string, source string) error {
	opt := ingest.FileOptions{
		Defaults: news.Defaults{SetSource: source, Guild: c.d.guild},
		Stdin:    e.stdin,
	}
	if isTerminal(e.stderr) {
		start := time.Now()
		opt.Progress = func(done int) {
			rate := float64(done) / max(time.Since(start).Seconds(), 0.001)
			fmt.Fprintf(e.stderr, "\r%d articles, %.0f/s ", done, rate)
		}
	}
	// Addresses are fetched (safely: see fetch.allow_hosts), the rest are
	// files, folders or standard input.
	var paths, urls []string
	for _, p := range pos {
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
			urls = append(urls, p)
		} else {
			paths = append(paths, p)
		}
	}
	paths, shown := c.localPaths(paths)
	rep, err := lib.IngestPaths(ctx, paths, opt)
	if opt.Progress != nil {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if err == nil && len(urls) > 0 {
		f := fetch.New(c.d.cfg.Fetch)
		for _, u := range urls {
			r, uerr := lib.IngestURL(ctx, f, u, opt.Defaults)
			if uerr != nil {
				rep.Failed++
				rep.Failures = append(rep.Failures, ingest.Failure{Ref: u, Err: uerr})
				continue
			}
			rep.Ingested += r.Ingested
			rep.Duplicates += r.Duplicates
			rep.Failed += r.Failed
			rep.Failures = append(rep.Failures, r.Failures...)
			rep.Skipped = append(rep.Skipped, r.Skipped...)
		}
	}
	for _, f := range rep.Skipped {
		fmt.Fprintf(e.stderr, "%s: skipped: %v\n", shown(f.Ref), f.Err)
	}
	for _, f := range rep.Failures {
		fmt.Fprintf(e.stderr, "%s: %v\n", shown(f.Ref), f.Err)
	}
	fmt.Fprintf(e.stdout, "ingested %d, duplicates %d, failed %d\n", rep.Ingested, rep.Duplicates, rep.Failed)
	if err != nil {
		return err
	}
	if rep.Failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("")}
	}
	return nil
}

func runReindex(ctx context.Context, e *env, args []string) error {
	c, err := prepareReindex(e, args)
	if err != nil {
		return err
	}
	return c.run(ctx, e, "reindex", args)
}

func prepareReindex(e *env, args []string) (*libCommand, error) {
	c := &libCommand{}
	fs := newFlagSet("reindex", e)
	c.d.register(fs, false)
	if _, err := parseArgs(fs, args); err != nil {
		return nil, err
	}
	c.work = reindexWork
	return c, nil
}

// reindexWork rebuilds the index beside the one in use and swaps it in
// (Library.Reindex): a serving bot keeps answering meanwhile.
func reindexWork(ctx context.Context, e *env, lib *ingest.Library) error {
	start := time.Now()
	var progress func(done, total int)
	if isTerminal(e.stderr) {
		progress = func(done, total int) {
			rate := float64(done) / max(time.Since(start).Seconds(), 0.001)
			eta := time.Duration(float64(total-done)/max(rate, 1)) * time.Second
			fmt.Fprintf(e.stderr, "\r%d/%d articles, %.0f/s, ETA %s ", done, total, rate, eta.Round(time.Second))
		}
	}
	n, err := lib.Reindex(ctx, progress)
	if progress != nil {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reindexed %d articles in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
