package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/internal/metrics"
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
	lib, err := d.open(ctx, e, false)
	if err != nil {
		return err
	}
	defer lib.Close()
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
		// Counting quotes reads every article: once a minute is plenty.
		MaxAge: time.Minute,
	})
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
	}, svc, log)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if err := wireFetching(lib, b, svc, cfg, log); err != nil {
		return err
	}
	digests, err := newDigests(lib, b, svc, cfg.Digests, m, log)
	if err != nil {
		return err
	}
	var srv *http.Server
	if cfg.HTTP.Listen != "" {
		mux := http.NewServeMux()
		if pub != nil {
			mux.Handle("POST /interactions", b.InteractionsHandler())
		}
		mux.Handle("GET /healthz", b.HealthHandler(libraryChecks(lib)...))
		mux.Handle("GET /metrics", m.Handler())
		ln, err := net.Listen("tcp", cfg.HTTP.Listen)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("http.listen: %w", err)}
		}
		srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("http server stopped", "err", err)
			}
		}()
		log.Info("http listening", "addr", ln.Addr().String(), "interactions", pub != nil)
	}
	if err := b.Start(ctx); err != nil {
		if srv != nil {
			srv.Close()
		}
		if ctx.Err() != nil {
			// Asked to stop while still starting (a signal as the commands
			// were being registered): a clean stop, not a failure.
			log.Info("stopped while starting", "err", err)
			return nil
		}
		return err
	}
	waitDigests := runDigests(ctx, digests)
	waitFeeds := runFeeds(ctx, svc, log)
	log.Info("newsbot is serving", "data", d.data, "articles", lib.Store.Count())
	<-ctx.Done()
	log.Info("shutting down: finishing the interactions in flight")
	waitDigests()
	waitFeeds()
	if srv != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = srv.Shutdown(sctx)
		cancel()
	}
	return b.Stop(10 * time.Second)
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
