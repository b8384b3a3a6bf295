// Package config loads, defaults and validates newsbot's YAML configuration.
//
// The file is decoded by walking the yaml.Node tree rather than by
// yaml.Unmarshal into the struct, because check-config must report every
// problem at once, each with the line it sits on, and must notice unknown
// keys (a misspelt key would otherwise be silently ignored and the default
// used instead). The Config struct itself is the schema: its yaml tags list
// the known keys, so the decoder, the "did you mean" suggestions and the test
// that keeps config.example.yaml complete cannot drift apart.
//
// The order of precedence is: environment variables, then the file, then
// the defaults from Default.
package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"time"
	"unicode"

	// Digest time zones are IANA names; embedding the database keeps them
	// working in minimal containers and on Windows, where no zoneinfo exists.
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
)

// DefaultUserAgent is the User-Agent sent when fetching feeds and articles
// unless fetch.user_agent says otherwise. It names the project so site
// operators who see the traffic can find out what it is.
const DefaultUserAgent = "newsbot/dev (+https://github.com/newsbot/newsbot)"

// Limits that validation enforces. They are exported so that other packages
// and the documentation can refer to them instead of repeating the numbers.
const (
	// MinFeedInterval is the shortest allowed feeds[].every.
	MinFeedInterval = time.Minute
	// MinDigestInterval is the shortest allowed "@every" digest schedule.
	MinDigestInterval = time.Minute
	// MaxRequestTimeout bounds limits.request_timeout: Discord drops an
	// interaction that is not acknowledged within three seconds.
	MaxRequestTimeout = 3 * time.Second
	// MaxAnnounce bounds feeds[].announce_max so one poll cannot flood a
	// channel (and run into Discord's per-channel rate limits).
	MaxAnnounce = 50
	// MinLeaseTTL and MaxLeaseTTL bound store.lease_ttl: shorter leases
	// need renewals more often than a loaded database answers; longer ones
	// leave the jobs undone for long after their holder died.
	MinLeaseTTL = 3 * time.Second
	MaxLeaseTTL = 10 * time.Minute
)

// Values accepted for Digest.Empty.
const (
	EmptySkip = "skip" // post nothing when there is nothing new
	EmptyLine = "line" // post a single "nothing new" line
)

// Config is newsbot's complete configuration. The yaml tags are the key
// names in the file and are a contract with users' files: do not rename.
type Config struct {
	// DataDir holds the database and search index.
	DataDir string `yaml:"data_dir"`

	Discord Discord  `yaml:"discord"`
	HTTP    HTTP     `yaml:"http"`
	Fetch   Fetch    `yaml:"fetch"`
	Feeds   []Feed   `yaml:"feeds"`
	Digests []Digest `yaml:"digests"`
	Limits  Limits   `yaml:"limits"`
	Log     Log      `yaml:"log"`
	Store   Store    `yaml:"store"`

	// Warnings are findings that do not stop the bot, such as a token in a
	// file that other users can read. Load fills it; callers should log it.
	Warnings []string `yaml:"-"`

	// tokenFrom names where Discord.Token came from, so RequireToken can
	// tell the user which place to fix.
	tokenFrom string
	// tokenInFile records that the file itself holds a token, which is
	// what the permission warning is about (an env override does not
	// remove the token from the file).
	tokenInFile bool
}

// Values accepted for Store.Backend.
const (
	BackendBbolt    = "bbolt"    // one file in data_dir, no server
	BackendPostgres = "postgres" // a shared PostgreSQL database, for replicas
)

// Store chooses where the articles and the bot's state live. The search
// index is always local, in data_dir.
type Store struct {
	// Backend is BackendBbolt or BackendPostgres.
	Backend string `yaml:"backend"`
	// DSN is the PostgreSQL connection string (URL or key=value form). It is
	// a Secret because it usually holds a password.
	DSN Secret `yaml:"dsn"`
	// LeaseTTL is how long a replica's lease on the singleton jobs (feed
	// polling, digest posting) lasts without renewal: another replica
	// takes over within about 4/3 of it after the holder dies.
	LeaseTTL time.Duration `yaml:"lease_ttl"`
}

// Discord configures the connection to Discord.
type Discord struct {
	// Token is the bot token. It is a Secret so that printing or logging
	// the configuration never reveals it.
	Token Secret `yaml:"token"`
	// BaseURL is the scheme and host of the Discord API, without a
	// trailing slash (one is removed when loading). Tests point it at a
	// fake server.
	BaseURL string `yaml:"base_url"`
	// ApplicationID is normally learned from the gateway's READY event.
	ApplicationID string `yaml:"application_id"`
	// GuildID, when set, registers slash commands in that guild only
	// (they appear at once); when empty they are registered globally.
	GuildID string `yaml:"guild_id"`
	// PublicKey is the application's hex Ed25519 public key, used to verify
	// requests to the HTTP interactions endpoint.
	PublicKey string `yaml:"public_key"`
	// ShardID and ShardCount select this process's gateway shard.
	ShardID    int `yaml:"shard_id"`
	ShardCount int `yaml:"shard_count"`
	// ModeratorRoles are role IDs whose members may use moderator commands.
	ModeratorRoles []string `yaml:"moderator_roles"`
}

// HTTP configures the optional HTTP servers.
type HTTP struct {
	// Listen is a host:port to listen on; empty means no HTTP server.
	Listen string `yaml:"listen"`
	// MetricsListen, when set, is a host:port of its own for /metrics and
	// /healthz, which are then not served on Listen: Listen faces the
	// internet for Discord, this one a private network.
	MetricsListen string `yaml:"metrics_listen"`
}

// Fetch configures outgoing requests for feeds and articles.
type Fetch struct {
	// AllowHosts lists host names or IP addresses (lower-cased when
	// loading) that fetching treats as explicitly allowed.
	AllowHosts []string      `yaml:"allow_hosts"`
	Timeout    time.Duration `yaml:"timeout"`
	MaxBytes   int64         `yaml:"max_bytes"`
	UserAgent  string        `yaml:"user_agent"`
}

// Feed is one subscribed RSS/Atom feed.
type Feed struct {
	URL string `yaml:"url"`
	// Every is the polling interval.
	Every time.Duration `yaml:"every"`
	// GuildID limits the feed to one guild; empty means all guilds.
	GuildID string `yaml:"guild_id"`
	// Channel, when set, is the channel ID new items are announced in.
	Channel string `yaml:"channel"`
	// FullText asks for the article page to be fetched and extracted
	// instead of relying on the feed's summary.
	FullText bool `yaml:"full_text"`
	// AnnounceMax caps announcements per poll.
	AnnounceMax int `yaml:"announce_max"`
}

// Digest is a scheduled summary posted to a channel.
type Digest struct {
	GuildID   string `yaml:"guild_id"`
	ChannelID string `yaml:"channel_id"`
	// Schedule is a five-field cron expression or a descriptor such as
	// "@daily" or "@every 6h", interpreted in Timezone.
	Schedule string `yaml:"schedule"`
	// Timezone is an IANA time zone name such as "Europe/Berlin".
	Timezone string `yaml:"timezone"`
	// Empty is EmptySkip or EmptyLine.
	Empty string `yaml:"empty"`
}

// Limits protects the bot and Discord from bursts of commands.
type Limits struct {
	// RatePerMinute is how many commands one member may run per minute.
	RatePerMinute int `yaml:"rate_per_minute"`
	// MaxConcurrent is how many commands may run at the same time.
	MaxConcurrent int `yaml:"max_concurrent"`
	// RequestTimeout bounds the work done before answering an
	// interaction; it must stay below MaxRequestTimeout.
	RequestTimeout time.Duration `yaml:"request_timeout"`
}

// Log configures logging.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn or error
	Format string `yaml:"format"` // text or json
}

// Default returns the configuration used when neither the file nor the
// environment says otherwise.
func Default() *Config {
	return &Config{
		DataDir: "./data",
		Store:   Store{Backend: BackendBbolt, LeaseTTL: 30 * time.Second},
		Discord: Discord{
			BaseURL:    "https://discord.com",
			ShardID:    0,
			ShardCount: 1,
		},
		Fetch: Fetch{
			Timeout:   15 * time.Second,
			MaxBytes:  5 << 20,
			UserAgent: DefaultUserAgent,
		},
		Limits: Limits{
			RatePerMinute:  10,
			MaxConcurrent:  8,
			RequestTimeout: 2500 * time.Millisecond,
		},
		Log: Log{Level: "info", Format: "text"},
	}
}

// defaultFeed and defaultDigest are the starting values of each list entry;
// keys present in the file overwrite them.
func defaultFeed() Feed {
	return Feed{Every: 15 * time.Minute, AnnounceMax: 5}
}

func defaultDigest() Digest {
	return Digest{Timezone: "UTC", Empty: EmptySkip}
}

// Location returns the digest's time zone. Load has already validated it;
// UTC is returned for a Digest that did not come from Load and is invalid.
func (d Digest) Location() *time.Location {
	loc, err := loadLocation(d.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// CronSchedule parses Schedule for use with github.com/robfig/cron/v3, in
// the digest's time zone.
func (d Digest) CronSchedule() (cron.Schedule, error) {
	sched, err := parseSchedule(d.Schedule)
	if err != nil {
		return nil, fmt.Errorf("digest schedule %q: %w", d.Schedule, err)
	}
	// The parser always uses time.Local unless the spec carries a zone
	// prefix, and we reject such prefixes, so set the zone here.
	if s, ok := sched.(*cron.SpecSchedule); ok {
		s.Location = d.Location()
	}
	return sched, nil
}

// Ed25519PublicKey decodes PublicKey. It returns nil and no error when no
// key is configured.
func (d Discord) Ed25519PublicKey() (ed25519.PublicKey, error) {
	if d.PublicKey == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(d.PublicKey)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("discord.public_key: want 64 hex characters")
	}
	return ed25519.PublicKey(b), nil
}

// RequireToken reports whether the configuration holds a usable-looking bot
// token. Load does not check this because commands such as "ask" work
// without Discord. The error never contains the token.
func (c *Config) RequireToken() error {
	tok := c.Discord.Token.Reveal()
	where := "discord.token"
	if c.tokenFrom != "" && c.tokenFrom != "discord.token" {
		where = "discord.token (from " + c.tokenFrom + ")"
	}
	if tok == "" {
		return errors.New("discord.token: missing (set DISCORD_TOKEN or discord.token)")
	}
	if strings.HasPrefix(tok, "Bot ") || strings.HasPrefix(tok, "Bearer ") {
		return fmt.Errorf("%s: malformed: remove the %q prefix, newsbot adds it itself", where, strings.Fields(tok)[0]+" ")
	}
	if strings.ContainsFunc(tok, unicode.IsSpace) {
		return fmt.Errorf("%s: malformed: contains whitespace (%d characters)", where, len(tok))
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return fmt.Errorf("%s: malformed: a bot token has three dot-separated parts, this one has %d", where, len(parts))
	}
	for i, p := range parts {
		if p == "" || strings.ContainsFunc(p, notBase64URL) {
			return fmt.Errorf("%s: malformed: part %d is not base64url text", where, i+1)
		}
	}
	return nil
}

func notBase64URL(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}

// Secret is a string that refuses to be printed. Every formatting route
// (fmt verbs, slog, JSON/YAML/text marshalling) yields "[redacted]", so a
// debug dump of Config cannot leak the bot token. Use Reveal to get the
// value for the one place that needs it.
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret value.
func (s Secret) Reveal() string { return string(s) }

// String returns "[redacted]", or "" when the secret is empty so that
// "is it set?" remains answerable from logs.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString covers %#v.
func (s Secret) GoString() string { return fmt.Sprintf("config.Secret(%q)", s.String()) }

// Format covers every verb, including %x and %q, which would otherwise
// bypass String for a string kind.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, s.String())
}

// LogValue keeps slog from printing the value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText makes encoders (JSON, YAML, text) write "[redacted]".
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Problem is one thing wrong with a configuration.
type Problem struct {
	// File is the configuration file's path as given; empty for problems
	// that come only from the environment or defaults.
	File string
	// Line is 1-based; 0 means the problem has no line (for example a
	// value taken from an environment variable).
	Line int
	// Key is the dotted path of the offending key, such as
	// "feeds[2].every"; empty for problems with the file as a whole.
	Key string
	Msg string

	err error // underlying error, for errors.Is (e.g. fs.ErrNotExist)
}

// String formats the problem like a compiler diagnostic:
// "config.yaml:12: fetch.timeout: invalid duration "15x"".
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	} else if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error makes a Problem usable as an error.
func (p Problem) Error() string { return p.String() }

// Unwrap returns the underlying error, if any.
func (p Problem) Unwrap() error { return p.err }

// Error is returned by Load when the configuration has problems. It unwraps
// to the individual Problems, so errors.As(err, &config.Problem{}) and
// errors.Is(err, fs.ErrNotExist) work.
type Error struct {
	Path     string
	Problems []Problem
}

func (e *Error) Error() string {
	name := e.Path
	if name == "" {
		name = "configuration"
	}
	if len(e.Problems) == 1 {
		return "invalid config: " + e.Problems[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "invalid config: %s has %d problems:", name, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns the problems as errors.
func (e *Error) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Load reads the configuration at path (an empty path means defaults only),
// applies the environment variables, fills in defaults and validates the
// result. On failure the error is an *Error listing every problem.
func Load(path string) (*Config, error) {
	return LoadWith(path, os.Getenv)
}

// LoadWith is Load with the environment lookup supplied by the caller, so
// tests do not depend on, or modify, the process environment.
func LoadWith(path string, getenv func(string) string) (*Config, error) {
	cfg, problems := Inspect(path, getenv)
	if len(problems) > 0 {
		return nil, &Error{Path: path, Problems: problems}
	}
	return cfg, nil
}

// Check reports every problem in the configuration at path, as Load would
// see it with the current environment. It is the basis of
// "newsbot check-config". Warnings are not problems; use Inspect to get
// them as well.
func Check(path string) []Problem {
	_, problems := Inspect(path, os.Getenv)
	return problems
}

// Inspect does the work of Load and Check. It returns the configuration as
// far as it could be built (never nil; invalid values are left at their
// defaults) together with all problems, sorted by line. cfg.Warnings holds
// the warnings. getenv may be nil, meaning no environment.
func Inspect(path string, getenv func(string) string) (*Config, []Problem) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if path == "" {
		return build("", nil, getenv)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			msg = "file does not exist"
		}
		cfg := Default()
		return cfg, []Problem{{File: path, Msg: "cannot read config: " + msg, err: err}}
	}
	cfg, problems := build(path, data, getenv)
	if w := permissionWarning(path, cfg); w != "" {
		cfg.Warnings = append(cfg.Warnings, w)
	}
	return cfg, problems
}

// permissionWarning warns about a token stored in a file that other local
// users can read. It is only a warning: on a single-user machine or in a
// container the mode may not matter, and refusing to start would be
// surprising.
func permissionWarning(path string, cfg *Config) string {
	if runtime.GOOS == "windows" || !cfg.tokenInFile {
		return ""
	}
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	mode := fi.Mode().Perm()
	if mode&0o077 == 0 {
		return ""
	}
	return fmt.Sprintf("%s: file contains discord.token but is readable by other users (mode %04o); run \"chmod 600 %s\" or set DISCORD_TOKEN instead",
		path, mode, path)
}
