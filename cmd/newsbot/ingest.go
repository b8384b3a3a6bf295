package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/news"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	var d dataFlags
	var source string
	fs := newFlagSet("ingest", e)
	d.register(fs, false)
	fs.StringVar(&source, "source", "", "source `name` for articles that name none")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageErr("give files, folders or - for standard input")
	}
	if err := d.load(e); err != nil {
		return err
	}
	lib, err := d.open(ctx, e, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	opt := ingest.FileOptions{
		Defaults: news.Defaults{Source: source, Guild: d.guild},
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
	rep, err := lib.IngestPaths(ctx, paths, opt)
	if opt.Progress != nil {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if err == nil && len(urls) > 0 {
		f := fetch.New(d.cfg.Fetch)
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
		}
	}
	for _, f := range rep.Failures {
		fmt.Fprintf(e.stderr, "%s: %v\n", f.Ref, f.Err)
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
	var d dataFlags
	fs := newFlagSet("reindex", e)
	d.register(fs, false)
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := d.load(e); err != nil {
		return err
	}
	lib, err := d.open(ctx, e, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	start := time.Now()
	n, err := lib.Reindex(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reindexed %d articles in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
