package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/newsbot/newsbot/ingest/feeds"
	"github.com/newsbot/newsbot/ingest/fetch"
)

// runPoll polls the configured feeds (and those moderators added) into the
// data folder: once with --once, else until interrupted. Nothing is
// announced here; items it takes are known to the bot afterwards and so are
// not announced there either.
func runPoll(ctx context.Context, e *env, args []string) error {
	var d dataFlags
	var once, resume bool
	fs := newFlagSet("poll", e)
	d.register(fs, false)
	fs.BoolVar(&once, "once", false, "poll every feed once, print what each gave, and exit")
	fs.BoolVar(&resume, "resume", false, "poll paused feeds again (a feed is paused after 10 failures in a row)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("poll takes no arguments: the feeds come from the config file (--config)")
	}
	if err := d.load(e); err != nil {
		return err
	}
	lib, err := d.open(ctx, e, false)
	if err != nil {
		return err
	}
	defer lib.Close()

	out := &lockedWriter{w: e.stdout}
	p, err := lib.NewPoller(fetch.New(d.cfg.Fetch), d.cfg.Feeds, feeds.Options{
		OnPoll: func(r feeds.Result) { printPollResult(out, e.stderr, r) },
	})
	if err != nil {
		return err
	}
	states := p.ListFeeds("")
	if len(states) == 0 {
		return usageErr("no feeds to poll: list them under feeds: in the config file (--config)")
	}
	if resume {
		for _, st := range states {
			if st.Paused != "" {
				if err := p.Resume(st.Guild, st.URL); err != nil {
					return err
				}
			}
		}
	}

	if !once {
		fmt.Fprintf(e.stderr, "newsbot: polling %d feeds into %s; interrupt to stop\n", len(states), absPath(d.data))
		return p.Run(ctx)
	}
	results, err := p.PollOnce(ctx)
	var total feeds.Result
	failed := 0
	for _, r := range results {
		if printPollResult(out, e.stderr, r) {
			failed++
		}
		total.New += r.New
		total.Updated += r.Updated
		total.Unchanged += r.Unchanged + r.Duplicates
		total.Failed += r.Failed
	}
	fmt.Fprintf(out, "total: %d feeds, %d failed; new %d, updated %d, unchanged %d, failed %d\n",
		len(results), failed, total.New, total.Updated, total.Unchanged, total.Failed)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return &exitError{code: 1, err: errors.New("interrupted")}
		}
		return err
	}
	if failed > 0 {
		return &exitError{code: 1, err: errors.New("")}
	}
	return nil
}

// printPollResult prints a feed's line on w, and its item failures and
// warnings on errw. It reports whether the feed failed (or is paused).
func printPollResult(w, errw io.Writer, r feeds.Result) (failed bool) {
	switch {
	case strings.HasPrefix(r.Skipped, "paused:"):
		fmt.Fprintf(w, "%s: %s (--resume polls it again)\n", r.URL, r.Skipped)
		return true
	case r.Skipped != "":
		fmt.Fprintf(w, "%s: waiting: %s\n", r.URL, r.Skipped)
		return false
	case r.Err != nil:
		fmt.Fprintf(w, "%s: failed: %v\n", r.URL, r.Err)
		return true
	}
	note := ""
	if r.NotModified {
		note = " (not modified)"
	}
	fmt.Fprintf(w, "%s: new %d, updated %d, unchanged %d, failed %d%s\n", r.URL, r.New, r.Updated, r.Unchanged+r.Duplicates, r.Failed, note)
	for _, it := range r.Items {
		fmt.Fprintf(errw, "  %v\n", it)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(errw, "  warning: %s\n", warn)
	}
	return false
}

// lockedWriter serialises lines written from the poller's goroutine and
// ours.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
