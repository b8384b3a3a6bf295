package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/robfig/cron/v3"
)

// EnvVar pairs an environment variable with the key it overrides.
type EnvVar struct {
	Name string // e.g. "DISCORD_TOKEN"
	Key  string // e.g. "discord.token"
}

// envVars lists the environment variables Load reads.
var envVars = []EnvVar{
	{"NEWSBOT_DATA_DIR", "data_dir"},
	{"NEWSBOT_STORE_DSN", "store.dsn"},
	{"DISCORD_TOKEN", "discord.token"},
	{"NEWSBOT_DISCORD_BASE_URL", "discord.base_url"},
	{"NEWSBOT_DISCORD_GUILD_ID", "discord.guild_id"},
	{"NEWSBOT_DISCORD_PUBLIC_KEY", "discord.public_key"},
	{"NEWSBOT_HTTP_LISTEN", "http.listen"},
}

// EnvVars lists the environment variables Load reads, for help texts. A
// variable that is set and non-empty wins over the file.
func EnvVars() []EnvVar { return append([]EnvVar(nil), envVars...) }

// applyEnv overrides file values with environment variables. Values are
// trimmed because "$(cat token-file)" and env files easily carry a
// trailing newline that would otherwise break the token or URL.
func (l *loader) applyEnv(cfg *Config, getenv func(string) string) {
	for _, e := range envVars {
		val := strings.TrimSpace(getenv(e.Name))
		if val == "" {
			continue
		}
		f, ok := fieldByPath(reflect.ValueOf(cfg).Elem(), e.Key)
		if !ok || f.Kind() != reflect.String {
			panic("config: envVars names unknown string key " + e.Key)
		}
		f.SetString(val)
		l.env[e.Key] = e.Name
		delete(l.bad, e.Key) // the file's broken value no longer matters
		if e.Key == "discord.token" {
			cfg.tokenFrom = e.Name
		}
	}
}

// fieldByPath finds the field for a dotted key path without list indexes.
func fieldByPath(v reflect.Value, path string) (reflect.Value, bool) {
	for name := range strings.SplitSeq(path, ".") {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, false
		}
		found := false
		for _, f := range fields(v.Type()) {
			if f.name == name {
				v, found = v.Field(f.index), true
				break
			}
		}
		if !found {
			return reflect.Value{}, false
		}
	}
	return v, true
}

// invalid reports an invalid value at key path, placing it on the value's line,
// or on its nearest enclosing entry's line when the key is missing.
func (l *loader) invalid(path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if name, ok := l.env[path]; ok {
		// The file is not at fault, so do not point at it.
		l.problems = append(l.problems, Problem{Key: path, Msg: msg + " (from $" + name + ")"})
		return
	}
	l.add(l.lineOf(path), path, "%s", msg)
}

func (l *loader) lineOf(path string) int {
	for path != "" {
		if line, ok := l.lines[path]; ok {
			return line
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// ok reports whether path still needs validating.
func (l *loader) ok(path string) bool { return !l.bad[path] }

func (l *loader) validate(cfg *Config) {
	if l.ok("data_dir") && cfg.DataDir == "" {
		l.invalid("data_dir", "must not be empty (leave the key out for %q)", Default().DataDir)
	}
	l.validateStore(&cfg.Store)
	l.validateDiscord(&cfg.Discord)
	l.validateHTTP(&cfg.HTTP)
	l.validateFetch(&cfg.Fetch)
	l.validateFeeds(cfg.Feeds)
	l.validateDigests(cfg.Digests)
	l.validateLimits(&cfg.Limits)

	if l.ok("log.level") {
		cfg.Log.Level = strings.ToLower(cfg.Log.Level)
		switch cfg.Log.Level {
		case "debug", "info", "warn", "error":
		default:
			l.invalid("log.level", "invalid level %q: want debug, info, warn or error", cfg.Log.Level)
		}
	}
	if l.ok("log.format") {
		cfg.Log.Format = strings.ToLower(cfg.Log.Format)
		switch cfg.Log.Format {
		case "text", "json":
		default:
			l.invalid("log.format", "invalid format %q: want text or json", cfg.Log.Format)
		}
	}
}

func (l *loader) validateStore(s *Store) {
	backendOK := l.ok("store.backend")
	if backendOK {
		s.Backend = strings.ToLower(s.Backend)
		switch s.Backend {
		case BackendBbolt, BackendPostgres:
		default:
			l.invalid("store.backend", "invalid backend %q: want bbolt or postgres", s.Backend)
			backendOK = false
		}
	}
	if l.ok("store.lease_ttl") && (s.LeaseTTL < MinLeaseTTL || s.LeaseTTL > MaxLeaseTTL) {
		l.invalid("store.lease_ttl", "must be between %s and %s, got %s", fmtDuration(MinLeaseTTL), fmtDuration(MaxLeaseTTL), fmtDuration(s.LeaseTTL))
	}
	if !l.ok("store.dsn") {
		return
	}
	dsn := strings.TrimSpace(s.DSN.Reveal())
	switch {
	case backendOK && s.Backend == BackendPostgres && dsn == "":
		l.invalid("store.dsn", "required when store.backend is postgres (set NEWSBOT_STORE_DSN or store.dsn)")
	case dsn != "" && !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") && !strings.Contains(dsn, "="):
		// The value is never echoed: it may hold a password.
		l.invalid("store.dsn", "not a PostgreSQL connection string: want postgres://user@host/db or key=value pairs such as \"host=/run/postgresql dbname=newsbot\"")
	}
}

func (l *loader) validateDiscord(d *Discord) {
	if l.ok("discord.base_url") {
		if err := checkBaseURL(d.BaseURL); err != nil {
			l.invalid("discord.base_url", "%v", err)
		} else {
			// Callers append "/api/v10/..." so a trailing slash would
			// double up.
			d.BaseURL = strings.TrimSuffix(d.BaseURL, "/")
		}
	}
	l.snowflake("discord.application_id", d.ApplicationID, false)
	l.snowflake("discord.guild_id", d.GuildID, false)
	if l.ok("discord.public_key") && d.PublicKey != "" {
		if _, err := d.Ed25519PublicKey(); err != nil {
			l.invalid("discord.public_key", "must be 64 hex characters (the application's public key from the Developer Portal), got %d characters", len(d.PublicKey))
		}
	}
	idOK, countOK := l.ok("discord.shard_id"), l.ok("discord.shard_count")
	if idOK && d.ShardID < 0 {
		l.invalid("discord.shard_id", "must not be negative, got %d", d.ShardID)
		idOK = false
	}
	if countOK && d.ShardCount < 1 {
		l.invalid("discord.shard_count", "must be at least 1, got %d", d.ShardCount)
		countOK = false
	}
	if idOK && countOK && d.ShardID >= d.ShardCount {
		l.invalid("discord.shard_id", "must be less than discord.shard_count (%d), got %d", d.ShardCount, d.ShardID)
	}
	for i, r := range d.ModeratorRoles {
		l.snowflake(fmt.Sprintf("discord.moderator_roles[%d]", i), r, true)
	}
}

func (l *loader) validateHTTP(h *HTTP) {
	listenOK := l.ok("http.listen")
	if listenOK && h.Listen != "" {
		if err := checkListen(h.Listen); err != nil {
			l.invalid("http.listen", "%v", err)
			listenOK = false
		}
	}
	if l.ok("http.metrics_listen") && h.MetricsListen != "" {
		if err := checkListen(h.MetricsListen); err != nil {
			l.invalid("http.metrics_listen", "%v", err)
		} else if listenOK && sameListen(h.Listen, h.MetricsListen) {
			l.invalid("http.metrics_listen", "%q is http.listen's address too: give /metrics and /healthz a port of their own (or leave the key out to serve them on http.listen)", h.MetricsListen)
		}
	}
}

// sameListen reports whether two listen addresses would collide: the same
// port, on the same host or with either on every interface.
func sameListen(a, b string) bool {
	ha, pa, errA := net.SplitHostPort(a)
	hb, pb, errB := net.SplitHostPort(b)
	if errA != nil || errB != nil || pa != pb {
		return false
	}
	any := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return ha == hb || any(ha) || any(hb)
}

func (l *loader) validateFetch(f *Fetch) {
	for i, h := range f.AllowHosts {
		p := fmt.Sprintf("fetch.allow_hosts[%d]", i)
		if !l.ok(p) {
			continue
		}
		norm, err := checkHost(h)
		if err != nil {
			l.invalid(p, "%v", err)
			continue
		}
		f.AllowHosts[i] = norm
	}
	if l.ok("fetch.timeout") && f.Timeout <= 0 {
		l.invalid("fetch.timeout", "must be positive, got %s", fmtDuration(f.Timeout))
	}
	if l.ok("fetch.max_bytes") && f.MaxBytes <= 0 {
		l.invalid("fetch.max_bytes", "must be positive, got %d", f.MaxBytes)
	}
	if l.ok("fetch.user_agent") {
		switch {
		case f.UserAgent == "":
			l.invalid("fetch.user_agent", "must not be empty (leave the key out for the default)")
		case strings.ContainsFunc(f.UserAgent, isControl):
			// A newline here would inject headers into every request.
			l.invalid("fetch.user_agent", "must not contain control characters such as newlines")
		}
	}
}

func (l *loader) validateFeeds(feeds []Feed) {
	type ident struct{ url, guild, channel string }
	first := map[ident]int{}
	for i, f := range feeds {
		p := fmt.Sprintf("feeds[%d]", i)
		if !l.ok(p) {
			continue
		}
		if l.ok(p + ".url") {
			if f.URL == "" {
				l.invalid(p+".url", "missing: every feed needs a url")
			} else if err := checkFeedURL(f.URL); err != nil {
				l.invalid(p+".url", "%v", err)
			} else {
				id := ident{f.URL, f.GuildID, f.Channel}
				if j, dup := first[id]; dup {
					l.invalid(p+".url", "same feed as feeds[%d] (same url, guild_id and channel); items would be announced twice", j)
				} else {
					first[id] = i
				}
			}
		}
		if l.ok(p+".every") && f.Every < MinFeedInterval {
			l.invalid(p+".every", "%s is below the minimum of %s: polling more often risks being rate-limited or blocked by the site",
				fmtDuration(f.Every), fmtDuration(MinFeedInterval))
		}
		l.snowflake(p+".guild_id", f.GuildID, false)
		l.snowflake(p+".channel", f.Channel, false)
		if l.ok(p+".announce_max") && (f.AnnounceMax < 1 || f.AnnounceMax > MaxAnnounce) {
			l.invalid(p+".announce_max", "must be between 1 and %d, got %d", MaxAnnounce, f.AnnounceMax)
		}
	}
}

func (l *loader) validateDigests(digests []Digest) {
	for i := range digests {
		d := &digests[i]
		p := fmt.Sprintf("digests[%d]", i)
		if !l.ok(p) {
			continue
		}
		l.snowflake(p+".guild_id", d.GuildID, true)
		l.snowflake(p+".channel_id", d.ChannelID, true)
		if l.ok(p + ".schedule") {
			if d.Schedule == "" {
				l.invalid(p+".schedule", "missing: give a cron expression such as \"0 8 * * *\" or a descriptor such as \"@daily\"")
			} else if _, err := parseSchedule(d.Schedule); err != nil {
				l.invalid(p+".schedule", "invalid schedule %q: %v", d.Schedule, err)
			}
		}
		if l.ok(p + ".timezone") {
			if d.Timezone == "" {
				l.invalid(p+".timezone", "must not be empty (leave the key out for UTC)")
			} else if _, err := loadLocation(d.Timezone); err != nil {
				l.invalid(p+".timezone", "%v", err)
			}
		}
		if l.ok(p + ".empty") {
			switch d.Empty {
			case EmptySkip, EmptyLine:
			default:
				l.invalid(p+".empty", "invalid value %q: want %q (post nothing) or %q (post one line)", d.Empty, EmptySkip, EmptyLine)
			}
		}
	}
}

func (l *loader) validateLimits(lim *Limits) {
	if l.ok("limits.rate_per_minute") && lim.RatePerMinute < 1 {
		l.invalid("limits.rate_per_minute", "must be at least 1, got %d", lim.RatePerMinute)
	}
	if l.ok("limits.max_concurrent") && lim.MaxConcurrent < 1 {
		l.invalid("limits.max_concurrent", "must be at least 1, got %d", lim.MaxConcurrent)
	}
	if l.ok("limits.request_timeout") {
		switch {
		case lim.RequestTimeout <= 0:
			l.invalid("limits.request_timeout", "must be positive, got %s", fmtDuration(lim.RequestTimeout))
		case lim.RequestTimeout >= MaxRequestTimeout:
			l.invalid("limits.request_timeout", "%s is too long: Discord drops interactions not answered within %s, so it must be below that",
				fmtDuration(lim.RequestTimeout), fmtDuration(MaxRequestTimeout))
		}
	}
}

// snowflake checks a Discord ID: 17 to 20 decimal digits that fit in 64
// bits. Only missing required IDs are reported as missing.
func (l *loader) snowflake(path, id string, required bool) {
	if !l.ok(path) {
		return
	}
	if id == "" {
		if required {
			l.invalid(path, "missing: a Discord ID is required (enable Developer Mode in Discord, then right-click and Copy ID)")
		}
		return
	}
	if !isSnowflake(id) {
		l.invalid(path, "invalid Discord ID %q: want 17 to 20 digits", truncate(id, 40))
	}
}

func isSnowflake(s string) bool {
	if len(s) < 17 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("invalid URL %q: want an absolute http or https URL such as \"https://discord.com\"", truncate(s, 80))
	}
	if u.Path != "" && u.Path != "/" {
		return fmt.Errorf("must not have a path (got %q): give only the scheme and host; the API path is added by newsbot", u.Path)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.ForceQuery {
		return errors.New("must not have a query, fragment or user name: give only the scheme and host")
	}
	return nil
}

func checkFeedURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("invalid URL %q: want an absolute http or https URL", truncate(s, 80))
	}
	return nil
}

func checkListen(s string) error {
	const want = `want host:port such as "127.0.0.1:8080", or ":8080" for all interfaces`
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("invalid address %q: %s", truncate(s, 80), want)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("invalid port %q: want a number from 1 to 65535", truncate(port, 20))
	}
	return nil
}

// checkHost validates one fetch.allow_hosts entry and returns it in
// canonical form (lower case; IP addresses as netip prints them) so that
// comparisons elsewhere can be exact.
func checkHost(h string) (string, error) {
	if h == "" {
		return "", errors.New("empty host")
	}
	if strings.Contains(h, "://") {
		return "", fmt.Errorf("%q is a URL: give only the host name, e.g. \"example.com\"", truncate(h, 80))
	}
	if _, err := netip.ParsePrefix(h); err == nil {
		return "", fmt.Errorf("%q is a CIDR range: list host names or single IP addresses", h)
	}
	if strings.ContainsAny(h, "/?#") {
		return "", fmt.Errorf("%q has a path: give only the host name", truncate(h, 80))
	}
	bare := strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if ip, err := netip.ParseAddr(bare); err == nil {
		return ip.String(), nil
	}
	if strings.Contains(h, ":") {
		return "", fmt.Errorf("%q has a port: give only the host name or IP address", truncate(h, 80))
	}
	if strings.Contains(h, "*") {
		return "", fmt.Errorf("%q: wildcards are not supported; list each host", truncate(h, 80))
	}
	h = strings.ToLower(h)
	if len(h) > 253 {
		return "", errors.New("host name longer than 253 characters")
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' ||
			strings.ContainsFunc(label, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
			}) {
			return "", fmt.Errorf("%q is not a valid host name or IP address", truncate(h, 80))
		}
	}
	return h, nil
}

// parseSchedule parses a digest schedule with the standard five-field cron
// syntax plus descriptors, and rejects schedules that would misbehave.
func parseSchedule(spec string) (cron.Schedule, error) {
	// The cron library reads a "TZ=" prefix itself (and panics on some
	// malformed ones); the zone belongs in the timezone key instead, so
	// there is one place to look.
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, errors.New("time zone prefixes are not supported here; use the digest's timezone key")
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("%v; want five fields (minute hour day-of-month month day-of-week) or @daily, @hourly, @every 6h and similar", err)
	}
	switch s := sched.(type) {
	case cron.ConstantDelaySchedule:
		if s.Delay < MinDigestInterval {
			return nil, fmt.Errorf("@every interval %s is below the minimum of %s", fmtDuration(s.Delay), fmtDuration(MinDigestInterval))
		}
	case *cron.SpecSchedule:
		// A date that never exists (such as 31 April) parses fine but
		// would silently never post.
		ref := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		s.Location = time.UTC
		if s.Next(ref).IsZero() {
			return nil, errors.New("never fires: no date matches")
		}
	}
	return sched, nil
}

// loadLocation loads an IANA zone. "Local" is refused because it makes the
// schedule depend on the host's settings, which the file cannot see.
func loadLocation(name string) (*time.Location, error) {
	if name == "Local" {
		return nil, errors.New(`time zone "Local" depends on the host; use an IANA name such as "Europe/Berlin" or "UTC"`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: want an IANA name such as \"Europe/Berlin\" or \"UTC\"", truncate(name, 80))
	}
	return loc, nil
}

// fmtDuration prints durations as people write them: "1m" rather than
// Go's "1m0s".
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// truncate shortens s to about n bytes for messages, without splitting a
// UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
