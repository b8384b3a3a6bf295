package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/digest"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/metrics"
)

// runDigest previews a digest without Discord: what a guild's channel would
// get for a window, as the exact message payloads (--json) or as text.
func runDigest(ctx context.Context, e *env, args []string) error {
	var d dataFlags
	var since string
	fs := newFlagSet("digest", e)
	d.register(fs, true)
	fs.StringVar(&since, "since", "", "start of the window: an age (24h, 7d) or a date (RFC 3339, 2024-11-01); default: the guild's last digest, else 24h")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("digest takes no arguments (the window is --since, the guild --guild)")
	}
	if err := d.load(e); err != nil {
		return err
	}
	if since != "" {
		// Checked before the data folder is opened (and perhaps seeded).
		if _, err := commands.ParseSince(since, time.Now()); err != nil {
			return usageErr("--since: %v", err)
		}
	}
	lib, err := d.open(ctx, e, true)
	if err != nil {
		return err
	}
	defer lib.Close()
	// The window ends now, after a first run has seeded the sample.
	now := time.Now()
	var from time.Time
	if since != "" {
		from, _ = commands.ParseSince(since, now)
	}

	q := digest.Query{Guild: d.guild, From: from, To: now}
	// The guild's digest, when it has one, says where it goes, its time zone
	// and where the last one ended.
	if list, err := digest.Schedules(lib.Store, d.cfg.Digests); list != nil {
		if err != nil {
			fmt.Fprintf(e.stderr, "newsbot: warning: %v\n", err)
		}
		for _, sc := range list {
			if sc.Guild != d.guild {
				continue
			}
			q.Channel, q.Location, q.EmptyLine = sc.Channel, sc.Location(), sc.Empty == digest.EmptyLine
			if w, ok, err := digest.LoadWatermark(lib.Store, sc.Key()); err == nil && ok && since == "" {
				q.From = w.Through
			}
			break
		}
	}
	if q.From.IsZero() && since == "" {
		q.From = now.Add(-24 * time.Hour)
	}
	dg, err := digest.Build(ctx, lib.Index, q)
	if err != nil {
		return err
	}
	if !d.jsonOut {
		_, err := fmt.Fprint(e.stdout, renderTerminal(commands.DigestReply(dg)))
		return err
	}
	payloads, err := bot.DigestPayloads(dg)
	if err != nil {
		return err
	}
	return writePayloads(e.stdout, payloads)
}

// writePayloads prints the bodies as a JSON array, one body a line, each byte
// for byte as it is POSTed (so no re-indenting).
func writePayloads(w io.Writer, payloads []json.RawMessage) error {
	if len(payloads) == 0 {
		_, err := fmt.Fprintln(w, "[]")
		return err
	}
	if _, err := fmt.Fprint(w, "[\n"); err != nil {
		return err
	}
	for i, p := range payloads {
		sep := ",\n"
		if i == len(payloads)-1 {
			sep = "\n"
		}
		if _, err := fmt.Fprintf(w, "  %s%s", p, sep); err != nil {
			return err
		}
	}
	_, err := fmt.Fprint(w, "]\n")
	return err
}

// newDigests readies the digest scheduler of `newsbot serve` and connects
// /digest to it.
func newDigests(lib *ingest.Library, b *bot.Bot, svc *commands.Service, cfg []config.Digest, m *metrics.Metrics, log *slog.Logger) (*digest.Scheduler, error) {
	s, err := digest.New(digest.Options{
		Library: lib, Poster: b.DigestPoster(), Config: cfg, Log: log,
		OnPosted: func(digest.Outcome) { m.DigestPosted() },
	})
	if err != nil {
		return nil, err
	}
	svc.SetDigests(s)
	return s, nil
}

// runDigests starts posting digests until ctx ends; the returned func waits
// for a post in flight to finish, so the library is not closed under it.
// With a shared store, one replica at a time posts them: the holder of the
// "digests" lease.
func runDigests(ctx context.Context, s *digest.Scheduler, lease leaseFunc) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		lease(ctx, "digests", func(ctx context.Context) { _ = s.Run(ctx) })
	}()
	return func() { <-done }
}
