package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/internal/metrics"
	"github.com/newsbot/newsbot/store"
)

func runServe(ctx context.Context, e *env, args []string) error {
	var d dataFlags
	var noGateway bool
	var logFormat string
	fs := newFlagSet("serve", e)
	d.register(fs, false)
	fs.BoolVar(&noGateway, "no-gateway", false, "take interactions over the HTTP endpoint only")
	fs.StringVar(&logFormat, "log-format", "", "log format: text or json (default: the config's log.format)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := d.load(e); err != nil {
		return err
	}
	cfg := d.cfg
	if err := cfg.RequireToken(); err != nil {
		return &exitError{code: 2, err: err}
	}
	if logFormat == "" {
		logFormat = cfg.Log.Format
	}
	log, err := newLogger(e, logFormat, cfg.Log.Level)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	pub, err := cfg.Discord.Ed25519PublicKey()
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if noGateway && (pub == nil || cfg.HTTP.Listen == "") {
		return &exitError{code: 2, err: errors.New("--no-gateway needs discord.public_key and http.listen for the interactions endpoint")}
	}
	// Replicas starting together migrate once: Migrate holds a lock.
	d.migrate = true
	lib, err := d.openLogged(ctx, e, log, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	// With a shared store, articles added by other processes reach this
	// index through the store's log.
	followCtx, stopFollow := context.WithCancel(ctx)
	followDone := make(chan struct{})
	go func() { defer close(followDone); lib.Follow(followCtx) }()
	defer func() { stopFollow(); <-followDone }()
	// The command line's ingest, export, stats and reindex on this folder run
	// here while the bot holds it. Its Close is deferred after lib.Close's,
	// so the commands have stopped when the library closes.
	if ctl, err := startControl(lib, cfg, log); err != nil {
		log.Warn("ingest, export, stats and reindex will need the bot stopped", "err", err)
	} else {
		defer ctl.Close()
	}
	svc := commands.New(lib)
	m := metrics.New(metrics.Counts{
		Articles: func() (int, error) { return lib.Index.DocCount() },
		Quotes: func() (int, error) {
			st, err := lib.Store.Stats()
			return st.Quotes, err
		},
		// PostgreSQL counts quotes over every article (the bbolt file
		// keeps the counts): once a minute is plenty.
		MaxAge: time.Minute,
	})
	// Links, feeds, full-text pages and attachments: one fetcher, one
	// address policy.
	f := fetch.New(cfg.Fetch)
	f.SetLogger(log)
	b, err := bot.New(bot.Options{
		Token:          cfg.Discord.Token.Reveal(),
		BaseURL:        cfg.Discord.BaseURL,
		GuildID:        cfg.Discord.GuildID,
		ApplicationID:  cfg.Discord.ApplicationID,
		PublicKey:      pub,
		ShardID:        cfg.Discord.ShardID,
		ShardCount:     cfg.Discord.ShardCount,
		ModeratorRoles: cfg.Discord.ModeratorRoles,
		NoGateway:      noGateway,
		MaxConcurrent:  cfg.Limits.MaxConcurrent,
		RequestTimeout: cfg.Limits.RequestTimeout,
		RatePerMinute:  cfg.Limits.RatePerMinute,
		Metrics:        m,
		Shared:         shared(lib),
		Fetch:          f,
	}, svc, log)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if err := wireFetching(lib, b, f, svc, cfg, log); err != nil {
		return err
	}
	digests, err := newDigests(lib, b, svc, cfg.Digests, m, log)
	if err != nil {
		return err
	}
	servers, err := startHTTP(cfg.HTTP, b, pub != nil, libraryChecks(lib), m, log)
	if err != nil {
		return err
	}
	if err := b.Start(ctx); err != nil {
		for _, srv := range servers {
			srv.Close()
		}
		if ctx.Err() != nil {
			// Stopped while starting (a signal before the gateway was
			// ready): a clean stop, not a failure.
			log.Info("stopped while starting")
			return b.Stop(10 * time.Second)
		}
		return err
	}
	lease := leases(lib, cfg.Store.LeaseTTL, log)
	waitDigests := runDigests(ctx, digests, lease)
	waitFeeds := runFeeds(ctx, svc, lease, log)
	log.Info("newsbot is serving", "data", d.data, "articles", lib.Store.Count())
	<-ctx.Done()
	log.Info("shutting down: finishing the interactions in flight")
	waitDigests()
	waitFeeds()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	for _, srv := range servers {
		_ = srv.Shutdown(sctx)
	}
	cancel()
	return b.Stop(10 * time.Second)
}

// shared is the library's store as state the replicas share, nil for the
// embedded store.
func shared(lib *ingest.Library) store.Shared {
	sh, _ := lib.Store.(store.Shared)
	return sh
}

// startHTTP opens the HTTP servers the config asks for: http.listen with
// /interactions (when there is a public key), and /metrics and /healthz
// there too, unless http.metrics_listen gives them an address of their own.
// Both are under bot.DefaultServerLimits.
func startHTTP(cfg config.HTTP, b *bot.Bot, interactions bool, checks []bot.HealthCheck, m *metrics.Metrics, log *slog.Logger) ([]*bot.Server, error) {
	public, private := http.NewServeMux(), http.NewServeMux()
	if interactions {
		public.Handle("POST /interactions", b.InteractionsHandler())
	}
	ops := public
	if cfg.MetricsListen != "" {
		ops = private
	}
	ops.Handle("GET /healthz", b.HealthHandler(checks...))
	ops.Handle("GET /metrics", m.Handler())

	var servers []*bot.Server
	for _, l := range []struct {
		key, addr string
		mux       *http.ServeMux
	}{
		{"http.listen", cfg.Listen, public},
		{"http.metrics_listen", cfg.MetricsListen, private},
	} {
		if l.addr == "" {
			continue
		}
		srv, err := bot.Listen(l.addr, l.mux, bot.DefaultServerLimits(), func(err error) {
			log.Error("http server stopped", "key", l.key, "err", err)
		})
		if err != nil {
			for _, s := range servers {
				s.Close()
			}
			return nil, &exitError{code: 2, err: fmt.Errorf("%s: %w", l.key, err)}
		}
		servers = append(servers, srv)
		log.Info("http listening", "key", l.key, "addr", srv.Addr().String(),
			"interactions", interactions && l.mux == public, "metrics", l.mux == ops)
	}
	return servers, nil
}

// newLogger makes the process's logger: text for people, JSON for machines.
func newLogger(e *env, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil && level != "" {
		return nil, fmt.Errorf("log.level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is neither text nor json", format)
}
