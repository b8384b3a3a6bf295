package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/ingest/feeds"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/internal/metrics"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/store"
)

// wireFetching gives the commands the safe fetcher (/news add url:, Add to
// news) and the feed poller (/feed), announcing through the bot. f is the
// bot's fetcher too (attachments): one policy for every outgoing request.
func wireFetching(lib *ingest.Library, b *bot.Bot, f *fetch.Fetcher, svc *commands.Service, cfg *config.Config, log *slog.Logger) error {
	svc.Fetch = f.Article
	m := b.Metrics()
	p, err := lib.NewPoller(f, cfg.Feeds, feeds.Options{
		Log: log,
		OnPoll: func(r feeds.Result) {
			switch {
			case r.Skipped != "":
				m.FeedPoll(metrics.FeedSkipped)
			case r.Err != nil:
				m.FeedPoll(metrics.FeedError)
			case r.NotModified:
				m.FeedPoll(metrics.FeedNotModified)
			default:
				m.FeedPoll(metrics.FeedOK)
			}
		},
		Announce: func(ctx context.Context, channelID string, arts []*news.Article) error {
			return b.Announce(ctx, channelID, "", arts)
		},
	})
	if err != nil {
		return err
	}
	svc.Feeds = p
	return nil
}

// runFeeds polls the feeds until ctx ends; the returned func waits for the
// poller to stop.
// With a shared store, one replica at a time polls: the holder of the "feeds"
// lease.
func runFeeds(ctx context.Context, svc *commands.Service, lease leaseFunc, log *slog.Logger) func() {
	if svc.Feeds == nil {
		return func() {}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		lease(ctx, "feeds", func(ctx context.Context) {
			if err := svc.Feeds.Run(ctx); err != nil {
				log.Error("feed poller stopped", "err", err)
			}
		})
	})
	return wg.Wait
}

// leaseFunc runs a singleton job while this process holds its lease.
type leaseFunc func(ctx context.Context, name string, job func(context.Context))

// leases runs singleton jobs under leases of the library's store, held in
// this process's name; with the embedded store the jobs just run.
func leases(lib *ingest.Library, ttl time.Duration, log *slog.Logger) leaseFunc {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	holder := fmt.Sprintf("%s/%d/%x", host, os.Getpid(), b)
	return func(ctx context.Context, name string, job func(context.Context)) {
		store.RunLeased(ctx, lib.Store, name, holder, ttl, log.With("holder", holder), job)
	}
}
