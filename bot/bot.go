// Package bot is newsbot on Discord: it registers the command set, receives
// interactions over the gateway and the HTTP endpoint, checks who may run what,
// runs the transport-neutral handlers of package commands, and renders their
// replies within Discord's limits.
package bot

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/internal/admit"
	"github.com/newsbot/newsbot/internal/discordep"
	"github.com/newsbot/newsbot/internal/metrics"
	"github.com/newsbot/newsbot/store"
)

// Options configure a bot.
type Options struct {
	Token   string
	BaseURL string // Discord's origin, or a proxy's or a fake's
	// GuildID registers the commands in one guild (instant, for testing);
	// empty registers them globally.
	GuildID        string
	PublicKey      ed25519.PublicKey // for the HTTP interactions endpoint
	ShardID        int
	ShardCount     int
	ModeratorRoles []string
	NoGateway      bool
	MaxConcurrent  int
	RequestTimeout time.Duration // the deadline of a search or ask
	RatePerMinute  int           // commands a member may run a minute
	// DeferAfter is how long a handler may run before the bot defers (Discord
	// allows 3 s for the first response).
	DeferAfter time.Duration
	// ApplicationID is learned from READY when empty; the HTTP-only mode
	// needs it from the config or from GET /applications/@me.
	ApplicationID string
	// Metrics, when set, counts interactions, REST errors and gateway
	// reconnects (see metrics.go).
	Metrics *metrics.Metrics
	// Shared, when set, keeps duplicate-delivery marks and member rate
	// limits where every replica sees them (see shared.go); nil keeps them
	// in this process.
	Shared store.Shared
	// Fetch downloads members' attachments, from Discord's CDN hosts only
	// and under its address policy; nil makes one from the default fetch
	// settings (which allow no private address).
	Fetch *fetch.Fetcher
}

// Bot is newsbot connected to Discord.
type Bot struct {
	opt     Options
	svc     *commands.Service
	log     *slog.Logger
	s       *discordgo.Session
	gate    *admit.Gate
	limiter *rateLimiter

	mu       sync.Mutex
	appID    string
	closing  bool
	inflight sync.WaitGroup
	ready    chan struct{}
	readyOne sync.Once
	seen     seenSet
	gw       gatewayState
}

var apiOnce sync.Once

// useAPIv10 points discordgo's endpoints at API v10 (it defaults to v9); the
// origin is replaced per session by the transport, so this is the same for
// every bot in the process.
func useAPIv10() {
	apiOnce.Do(func() { discordep.Point("https://discord.com/", "10") })
}

// originTransport sends every request for discord.com to the configured
// origin, paths unchanged.
type originTransport struct {
	origin *url.URL
	base   http.RoundTripper
}

func (t *originTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == "discord.com" && (t.origin.Host != "discord.com" || t.origin.Scheme != "https") {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = t.origin.Scheme, t.origin.Host, ""
	}
	return t.base.RoundTrip(r)
}

// New makes a bot; Run connects it.
func New(opt Options, svc *commands.Service, log *slog.Logger) (*Bot, error) {
	useAPIv10()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.Token == "" {
		return nil, errors.New("bot: discord.token: missing (set DISCORD_TOKEN or discord.token)")
	}
	if opt.BaseURL == "" {
		opt.BaseURL = "https://discord.com"
	}
	origin, err := url.Parse(strings.TrimRight(opt.BaseURL, "/"))
	if err != nil || (origin.Scheme != "http" && origin.Scheme != "https") || origin.Host == "" {
		return nil, fmt.Errorf("bot: discord.base_url: %q is not an http(s) origin", opt.BaseURL)
	}
	if opt.MaxConcurrent <= 0 {
		opt.MaxConcurrent = 8
	}
	if opt.RequestTimeout <= 0 {
		opt.RequestTimeout = 2500 * time.Millisecond
	}
	if opt.DeferAfter <= 0 {
		opt.DeferAfter = 1500 * time.Millisecond
	}
	if opt.ShardCount <= 0 {
		opt.ShardCount = 1
	}
	if opt.Fetch == nil {
		opt.Fetch = fetch.New(config.Fetch{})
	}
	s, err := discordgo.New("Bot " + opt.Token)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	s.Client = &http.Client{Timeout: 20 * time.Second, Transport: &originTransport{origin: origin, base: countREST(opt.Metrics, http.DefaultTransport)}}
	s.Dialer = &websocket.Dialer{HandshakeTimeout: 10 * time.Second, Proxy: http.ProxyFromEnvironment}
	s.ShardID, s.ShardCount = opt.ShardID, opt.ShardCount
	s.Identify.Intents = discordgo.IntentsGuilds // interactions need no privileged intent
	s.LogLevel = discordgo.LogError
	s.ShouldReconnectOnError = true
	s.StateEnabled = false
	b := &Bot{
		opt: opt, svc: svc, log: log, s: s,
		gate:    admit.New(opt.MaxConcurrent),
		limiter: newRateLimiter(opt.RatePerMinute, svc.Now),
		appID:   opt.ApplicationID,
		ready:   make(chan struct{}),
	}
	s.AddHandler(b.onReady)
	s.AddHandler(b.onInteraction)
	b.watchGateway()
	return b, nil
}

// Session is the bot's discordgo session (for the digest poster and tests).
func (b *Bot) Session() *discordgo.Session { return b.s }

func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	b.mu.Lock()
	if b.appID == "" && r.Application != nil {
		b.appID = r.Application.ID
	}
	if b.appID == "" && r.User != nil {
		b.appID = r.User.ID
	}
	b.mu.Unlock()
	b.log.Info("connected to Discord", "user", r.User.Username, "shard", b.opt.ShardID, "shards", b.opt.ShardCount)
	b.readyOne.Do(func() { close(b.ready) })
}

// AppID is the application's id, once known.
func (b *Bot) AppID() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appID
}

// Start connects to the gateway (unless NoGateway) and registers the command
// set. It returns once the bot takes interactions.
func (b *Bot) Start(ctx context.Context) error {
	if !b.opt.NoGateway {
		if err := b.s.Open(); err != nil {
			return fmt.Errorf("bot: connect to the gateway: %w", err)
		}
		select {
		case <-b.ready:
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(30 * time.Second):
			return errors.New("bot: no READY from the gateway within 30 s")
		}
	}
	if b.AppID() == "" {
		app, err := b.s.Application("@me")
		if err != nil {
			return fmt.Errorf("bot: learn the application id (set discord.application_id): %w", err)
		}
		b.mu.Lock()
		b.appID = app.ID
		b.mu.Unlock()
	}
	return b.Register()
}

// Register overwrites the application's commands with newsbot's set: in the
// configured guild (instant) or globally.
func (b *Bot) Register() error {
	cmds := applicationCommands()
	if _, err := b.s.ApplicationCommandBulkOverwrite(b.AppID(), b.opt.GuildID, cmds); err != nil {
		where := "globally"
		if b.opt.GuildID != "" {
			where = "in guild " + b.opt.GuildID
		}
		return fmt.Errorf("bot: register commands %s: %w", where, err)
	}
	b.log.Info("commands registered", "count", len(cmds), "guild", b.opt.GuildID)
	return nil
}

// Stop stops taking interactions, waits for those in flight (at most wait),
// and closes the gateway connection.
func (b *Bot) Stop(wait time.Duration) error {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
		b.log.Warn("stopping with interactions still in flight")
	}
	if b.opt.NoGateway {
		return nil
	}
	return b.s.Close()
}

// begin registers an interaction in flight, unless the bot is stopping.
func (b *Bot) begin() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing {
		return false
	}
	b.inflight.Add(1)
	return true
}
