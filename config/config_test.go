package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// noEnv keeps tests independent of the developer's environment.
func noEnv(string) string { return "" }

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeConfig writes src to a private temp file and returns its path.
func writeConfig(t *testing.T, src string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(src), mode); err != nil {
		t.Fatal(err)
	}
	// WriteFile's mode is filtered by the umask; set it exactly.
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func inspect(t *testing.T, src string, env map[string]string) (*Config, []Problem) {
	t.Helper()
	return Inspect(writeConfig(t, src, 0o600), envMap(env))
}

func dump(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\n\t%d %s: %s", p.Line, p.Key, p.Msg)
	}
	return b.String()
}

func TestDefault(t *testing.T) {
	d := Default()
	want := &Config{
		DataDir: "./data",
		Discord: Discord{BaseURL: "https://discord.com", ShardCount: 1},
		Fetch:   Fetch{Timeout: 15 * time.Second, MaxBytes: 5242880, UserAgent: DefaultUserAgent},
		Limits:  Limits{RatePerMinute: 10, MaxConcurrent: 8, RequestTimeout: 2500 * time.Millisecond},
		Log:     Log{Level: "info", Format: "text"},
		Store:   Store{Backend: BackendBbolt, LeaseTTL: 30 * time.Second},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("Default() = %+v\nwant %+v", d, want)
	}
	if !strings.HasPrefix(DefaultUserAgent, "newsbot/") {
		t.Errorf("DefaultUserAgent = %q", DefaultUserAgent)
	}
	if Default() == Default() {
		t.Error("Default must return a fresh value each time")
	}

	// No file at all: the defaults, valid as they are.
	cfg, err := LoadWith("", noEnv)
	if err != nil {
		t.Fatalf("LoadWith(\"\"): %v", err)
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("LoadWith(\"\") = %+v\nwant %+v", cfg, want)
	}
	if f, d := defaultFeed(), defaultDigest(); f.Every != 15*time.Minute || f.AnnounceMax != 5 || f.FullText ||
		d.Timezone != "UTC" || d.Empty != EmptySkip {
		t.Errorf("list defaults: %+v %+v", f, d)
	}
}

func TestEmptyFilesMeanDefaults(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "---\n", "~\n", "discord:\nfetch:\n  timeout:\n"} {
		cfg, ps := inspect(t, src, nil)
		if len(ps) > 0 {
			t.Errorf("%q: unexpected problems:%s", src, dump(ps))
		}
		if !reflect.DeepEqual(cfg, Default()) {
			t.Errorf("%q: got %+v, want defaults", src, cfg)
		}
	}
}

func TestExampleHasNoProblems(t *testing.T) {
	cfg, ps := Inspect("../config.example.yaml", noEnv)
	if len(ps) > 0 {
		t.Fatalf("config.example.yaml has problems:%s", dump(ps))
	}
	if len(cfg.Feeds) == 0 || len(cfg.Digests) == 0 {
		t.Error("the example should show a feed and a digest")
	}
	if cfg.Discord.Token != "" {
		t.Error("the example must not contain a token")
	}
}

// TestExampleDocumentsEveryKey keeps config.example.yaml in step with the
// struct: every key appears, has a comment, names its environment variable
// and states the default that Default actually uses.
func TestExampleDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	envOf := map[string]string{}
	for _, e := range EnvVars() {
		envOf[e.Key] = e.Name
	}
	defaults := map[string]reflect.Value{}
	collectDefaults(reflect.ValueOf(*Default()), "", defaults)
	collectDefaults(reflect.ValueOf(defaultFeed()), "feeds[]", defaults)
	collectDefaults(reflect.ValueOf(defaultDigest()), "digests[]", defaults)

	paths := KeyPaths()
	if len(paths) < 30 {
		t.Fatalf("KeyPaths() = %v; too few, reflection broken?", paths)
	}
	for _, p := range paths {
		key := findKey(doc.Content[0], strings.Split(p, "."))
		if key == nil {
			t.Errorf("config.example.yaml does not show %s", p)
			continue
		}
		comment := key.HeadComment + "\n" + key.LineComment
		if strings.TrimSpace(comment) == "" {
			t.Errorf("%s (line %d) has no comment", p, key.Line)
			continue
		}
		comment = strings.ReplaceAll(strings.ReplaceAll(comment, "# ", ""), "\n", " ")
		if env, ok := envOf[p]; ok && !strings.Contains(comment, "Env: "+env+".") {
			t.Errorf("%s: comment does not say \"Env: %s.\": %q", p, env, comment)
		}
		if strings.Contains(comment, "Required") {
			if !defaults[p].IsZero() {
				t.Errorf("%s: documented as required but has a default", p)
			}
			continue
		}
		_, raw, ok := strings.Cut(comment, "Default: ")
		if !ok {
			t.Errorf("%s: comment states neither a default nor Required: %q", p, comment)
			continue
		}
		checkDocumentedDefault(t, p, raw, defaults[p])
	}
	for _, e := range EnvVars() {
		if !containsString(paths, e.Key) {
			t.Errorf("env var %s overrides unknown key %s", e.Name, e.Key)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func collectDefaults(v reflect.Value, prefix string, out map[string]reflect.Value) {
	for _, f := range fields(v.Type()) {
		fv := v.Field(f.index)
		p := join(prefix, f.name)
		if fv.Kind() == reflect.Struct && fv.Type() != durationType {
			collectDefaults(fv, p, out)
			continue
		}
		out[p] = fv
	}
}

// checkDocumentedDefault compares the text after "Default: " with the value.
func checkDocumentedDefault(t *testing.T, path, raw string, want reflect.Value) {
	t.Helper()
	if !want.IsValid() {
		t.Errorf("%s: no default value found", path)
		return
	}
	word := strings.TrimSuffix(strings.Fields(raw)[0], ".")
	var ok bool
	switch {
	case want.Type() == durationType:
		d, err := time.ParseDuration(word)
		ok = err == nil && d == time.Duration(want.Int())
	case want.Kind() == reflect.String:
		if want.String() == "" {
			ok = word == "empty"
		} else {
			ok = strings.HasPrefix(raw, want.String())
		}
	case want.Kind() == reflect.Slice:
		ok = want.Len() == 0 && word == "[]"
	default:
		ok = word == fmt.Sprint(want.Interface())
	}
	if !ok {
		t.Errorf("%s: comment says default %q, code says %v", path, raw, want.Interface())
	}
}

// findKey finds the key node for a path such as "feeds[].url", looking in
// every list entry for "[]" segments.
func findKey(n *yaml.Node, path []string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	name, list := strings.CutSuffix(path[0], "[]")
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != name {
			continue
		}
		if len(path) == 1 {
			return n.Content[i]
		}
		val := n.Content[i+1]
		if !list {
			return findKey(val, path[1:])
		}
		for _, item := range val.Content {
			if k := findKey(item, path[1:]); k != nil {
				return k
			}
		}
	}
	return nil
}

func TestGoodFiles(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		check func(t *testing.T, c *Config)
	}{
		{"overrides", `
data_dir: /var/lib/newsbot
discord:
  base_url: http://127.0.0.1:9999/
  guild_id: 123456789012345678
  application_id: "98765432109876543"
  public_key: "` + strings.Repeat("aB", 32) + `"
  shard_id: 1
  shard_count: 2
  moderator_roles: [123456789012345678, "12345678901234567890"]
http: {listen: ":8080", metrics_listen: "127.0.0.1:9090"}
fetch:
  allow_hosts: [Example.COM, "::1", "[fe80::1]", 10.0.0.7, my_host.lan]
  timeout: 1m30s
  max_bytes: 0x100000
  user_agent: test/1
limits: {rate_per_minute: 1, max_concurrent: 1, request_timeout: 2999ms}
log: {level: DEBUG, format: json}
`, func(t *testing.T, c *Config) {
			want := Discord{
				BaseURL:        "http://127.0.0.1:9999", // trailing slash removed
				GuildID:        "123456789012345678",    // YAML int kept as text
				ApplicationID:  "98765432109876543",
				PublicKey:      strings.Repeat("aB", 32),
				ShardID:        1,
				ShardCount:     2,
				ModeratorRoles: []string{"123456789012345678", "12345678901234567890"},
			}
			if !reflect.DeepEqual(c.Discord, want) {
				t.Errorf("discord = %+v\nwant %+v", c.Discord, want)
			}
			if c.DataDir != "/var/lib/newsbot" || c.HTTP != (HTTP{":8080", "127.0.0.1:9090"}) {
				t.Errorf("data_dir/http = %q %+v", c.DataDir, c.HTTP)
			}
			wantFetch := Fetch{
				AllowHosts: []string{"example.com", "::1", "fe80::1", "10.0.0.7", "my_host.lan"},
				Timeout:    90 * time.Second, MaxBytes: 1 << 20, UserAgent: "test/1",
			}
			if !reflect.DeepEqual(c.Fetch, wantFetch) {
				t.Errorf("fetch = %+v\nwant %+v", c.Fetch, wantFetch)
			}
			if c.Limits != (Limits{1, 1, 2999 * time.Millisecond}) {
				t.Errorf("limits = %+v", c.Limits)
			}
			if c.Log != (Log{"debug", "json"}) {
				t.Errorf("log = %+v (want lower-cased)", c.Log)
			}
			if k, err := c.Discord.Ed25519PublicKey(); err != nil || len(k) != 32 {
				t.Errorf("Ed25519PublicKey = %x, %v", k, err)
			}
		}},
		{"feeds with defaults", `
feeds:
  - url: https://example.com/feed.xml
  - url: http://example.org/rss
    every: 1m
    guild_id: "123456789012345678"
    channel: 223456789012345678
    full_text: true
    announce_max: 50
`, func(t *testing.T, c *Config) {
			want := []Feed{
				{URL: "https://example.com/feed.xml", Every: 15 * time.Minute, AnnounceMax: 5},
				{URL: "http://example.org/rss", Every: time.Minute, GuildID: "123456789012345678",
					Channel: "223456789012345678", FullText: true, AnnounceMax: 50},
			}
			if !reflect.DeepEqual(c.Feeds, want) {
				t.Errorf("feeds = %+v\nwant %+v", c.Feeds, want)
			}
		}},
		{"digests", `
digests:
  - {guild_id: "123456789012345678", channel_id: "123456789012345679", schedule: "@daily"}
  - guild_id: "123456789012345678"
    channel_id: "123456789012345679"
    schedule: "30 7 * * mon-fri"
    timezone: Europe/Berlin
    empty: line
  - {guild_id: "123456789012345678", channel_id: "123456789012345679", schedule: "@every 6h", timezone: America/New_York}
  - {guild_id: "123456789012345678", channel_id: "123456789012345679", schedule: "0 0 29 2 *"}
`, func(t *testing.T, c *Config) {
			if len(c.Digests) != 4 {
				t.Fatalf("digests = %+v", c.Digests)
			}
			d := c.Digests[0]
			if d.Timezone != "UTC" || d.Empty != EmptySkip || d.Schedule != "@daily" {
				t.Errorf("digest defaults = %+v", d)
			}
			if c.Digests[1].Empty != EmptyLine || c.Digests[1].Location().String() != "Europe/Berlin" {
				t.Errorf("digest 1 = %+v", c.Digests[1])
			}
		}},
		{"merge keys", `
feeds:
  - &base
    url: https://example.com/a
    every: 2h
    full_text: true
  - <<: *base
    url: https://example.com/b
  - <<: [*base]
    url: https://example.com/c
    every: 5m
`, func(t *testing.T, c *Config) {
			got := []string{}
			for _, f := range c.Feeds {
				got = append(got, fmt.Sprintf("%s %s %v", f.URL, fmtDuration(f.Every), f.FullText))
			}
			want := []string{"https://example.com/a 2h true", "https://example.com/b 2h true", "https://example.com/c 5m true"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("merged feeds = %q, want %q", got, want)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.src, 0o600)
			cfg, err := LoadWith(path, noEnv)
			if err != nil {
				t.Fatalf("LoadWith: %v", err)
			}
			tt.check(t, cfg)
		})
	}
}

func TestBadValues(t *testing.T) {
	const ids = `guild_id: "123456789012345678"
    channel_id: "123456789012345679"
`
	tests := []struct {
		name string
		src  string
		line int
		key  string
		msg  string // substring of Msg
	}{
		{"duration typo", "fetch:\n  timeout: 15x\n", 2, "fetch.timeout", `invalid duration "15x"`},
		{"duration as number", "fetch:\n  timeout: 15\n", 2, "fetch.timeout", "a bare number has no unit"},
		{"duration zero", "fetch:\n  timeout: 0s\n", 2, "fetch.timeout", "must be positive"},
		{"duration negative", "fetch:\n  timeout: -1s\n", 2, "fetch.timeout", "must be positive"},
		{"duration as list", "fetch:\n  timeout: [1s]\n", 2, "fetch.timeout", "got a list"},
		{"max_bytes zero", "fetch:\n  max_bytes: 0\n", 2, "fetch.max_bytes", "must be positive"},
		{"max_bytes string", "fetch:\n  max_bytes: 5MiB\n", 2, "fetch.max_bytes", `expected a whole number, got string "5MiB"`},
		{"max_bytes quoted", "fetch:\n  max_bytes: \"100\"\n", 2, "fetch.max_bytes", "(remove the quotes)"},
		{"max_bytes float", "fetch:\n  max_bytes: 1.5\n", 2, "fetch.max_bytes", "got number 1.5"},
		{"int overflow", "discord:\n  shard_count: 99999999999999999999\n", 2, "discord.shard_count", "out of range"},
		{"user agent empty", "fetch:\n  user_agent: \"\"\n", 2, "fetch.user_agent", "must not be empty"},
		{"user agent newline", "fetch:\n  user_agent: \"a\\nX-Evil: 1\"\n", 2, "fetch.user_agent", "control characters"},
		{"allow host url", "fetch:\n  allow_hosts:\n    - ok.example\n    - https://x.example/\n", 4, "fetch.allow_hosts[1]", "is a URL"},
		{"allow host port", "fetch:\n  allow_hosts: [x.example:80]\n", 2, "fetch.allow_hosts[0]", "has a port"},
		{"allow host cidr", "fetch:\n  allow_hosts: [10.0.0.0/8]\n", 2, "fetch.allow_hosts[0]", "CIDR"},
		{"allow host wildcard", "fetch:\n  allow_hosts: [\"*.example.com\"]\n", 2, "fetch.allow_hosts[0]", "wildcards"},
		{"allow host bad chars", "fetch:\n  allow_hosts: [\"a b\"]\n", 2, "fetch.allow_hosts[0]", "not a valid host"},
		{"allow hosts scalar", "fetch:\n  allow_hosts: example.com\n", 2, "fetch.allow_hosts", "expected a list"},
		{"allow hosts null entry", "fetch:\n  allow_hosts:\n    -\n    - a.example\n", 3, "fetch.allow_hosts[0]", "empty list entry"},
		{"data_dir empty", "data_dir: \"\"\n", 1, "data_dir", "must not be empty"},
		{"data_dir bool", "data_dir: true\n", 1, "data_dir", "expected a string, got boolean true"},
		{"base_url path", "discord:\n  base_url: https://discord.com/api\n", 2, "discord.base_url", "must not have a path"},
		{"base_url relative", "discord:\n  base_url: discord.com\n", 2, "discord.base_url", "absolute http or https URL"},
		{"base_url ftp", "discord:\n  base_url: ftp://discord.com\n", 2, "discord.base_url", "absolute http or https URL"},
		{"base_url query", "discord:\n  base_url: https://discord.com/?x=1\n", 2, "discord.base_url", "query"},
		{"guild id short", "discord:\n  guild_id: 12345\n", 2, "discord.guild_id", `invalid Discord ID "12345"`},
		{"guild id letters", "discord:\n  guild_id: \"12345678901234567a\"\n", 2, "discord.guild_id", "17 to 20 digits"},
		{"guild id too big", "discord:\n  guild_id: \"99999999999999999999\"\n", 2, "discord.guild_id", "17 to 20 digits"},
		{"application id float", "discord:\n  application_id: 1.2e18\n", 2, "discord.application_id", "invalid Discord ID"},
		{"public key short", "discord:\n  public_key: abcd\n", 2, "discord.public_key", "64 hex characters"},
		{"public key not hex", "discord:\n  public_key: " + strings.Repeat("zz", 32) + "\n", 2, "discord.public_key", "64 hex characters"},
		{"shard id negative", "discord:\n  shard_id: -1\n", 2, "discord.shard_id", "must not be negative"},
		{"shard count zero", "discord:\n  shard_count: 0\n", 2, "discord.shard_count", "at least 1"},
		{"shard id too big", "discord:\n  shard_count: 2\n  shard_id: 2\n", 3, "discord.shard_id", "less than discord.shard_count (2)"},
		{"moderator role", "discord:\n  moderator_roles:\n    - \"123456789012345678\"\n    - admins\n", 4, "discord.moderator_roles[1]", `invalid Discord ID "admins"`},
		{"listen no port", "http:\n  listen: localhost\n", 2, "http.listen", "want host:port"},
		{"listen bad port", "http:\n  listen: \":http\"\n", 2, "http.listen", "invalid port"},
		{"listen port 0", "http:\n  listen: \"127.0.0.1:0\"\n", 2, "http.listen", "invalid port"},
		{"metrics_listen no port", "http:\n  metrics_listen: localhost\n", 2, "http.metrics_listen", "want host:port"},
		{"metrics_listen same as listen", "http:\n  listen: \":8080\"\n  metrics_listen: \"127.0.0.1:8080\"\n", 3, "http.metrics_listen", "is http.listen's address too"},
		{"feed no url", "feeds:\n  - every: 5m\n", 2, "feeds[0].url", "missing"},
		{"feed bad url", "feeds:\n  - url: example.com/feed\n", 2, "feeds[0].url", "absolute http or https URL"},
		{"feed file url", "feeds:\n  - url: file:///etc/passwd\n", 2, "feeds[0].url", "absolute http or https URL"},
		{"feed too often", "feeds:\n  - url: https://a.example/\n    every: 30s\n", 3, "feeds[0].every", "30s is below the minimum of 1m: polling more often"},
		{"feed full_text yes", "feeds:\n  - url: https://a.example/\n    full_text: yes\n", 3, "feeds[0].full_text", `expected true or false, got string "yes"`},
		{"feed full_text quoted", "feeds:\n  - url: https://a.example/\n    full_text: \"true\"\n", 3, "feeds[0].full_text", "(remove the quotes)"},
		{"feed announce 0", "feeds:\n  - url: https://a.example/\n    announce_max: 0\n", 3, "feeds[0].announce_max", "between 1 and 50"},
		{"feed announce 51", "feeds:\n  - url: https://a.example/\n    announce_max: 51\n", 3, "feeds[0].announce_max", "between 1 and 50"},
		{"feed channel", "feeds:\n  - url: https://a.example/\n    channel: general\n", 3, "feeds[0].channel", "invalid Discord ID"},
		{"feed guild", "feeds:\n  - url: https://a.example/\n    guild_id: 42\n", 3, "feeds[0].guild_id", "invalid Discord ID"},
		{"feed duplicate", "feeds:\n  - url: https://a.example/\n  - url: https://a.example/\n", 3, "feeds[1].url", "same feed as feeds[0]"},
		{"feed not mapping", "feeds:\n  - https://a.example/\n", 2, "feeds[0]", "expected a mapping of keys, got string"},
		{"feed null", "feeds:\n  -\n", 2, "feeds[0]", "empty list entry"},
		{"feeds mapping", "feeds:\n  url: https://a.example/\n", 2, "feeds", "expected a list, got a mapping"},
		{"digest no guild", "digests:\n  - channel_id: \"123456789012345679\"\n    schedule: \"@daily\"\n", 2, "digests[0].guild_id", "missing"},
		{"digest no channel", "digests:\n  - guild_id: \"123456789012345679\"\n    schedule: \"@daily\"\n", 2, "digests[0].channel_id", "missing"},
		{"digest no schedule", "digests:\n  - " + ids, 2, "digests[0].schedule", "missing"},
		{"digest bad cron", "digests:\n  - " + ids + "    schedule: \"0 8 * *\"\n", 4, "digests[0].schedule", "expected exactly 5 fields"},
		{"digest six fields", "digests:\n  - " + ids + "    schedule: \"0 0 8 * * *\"\n", 4, "digests[0].schedule", "expected exactly 5 fields"},
		{"digest out of range", "digests:\n  - " + ids + "    schedule: \"0 25 * * *\"\n", 4, "digests[0].schedule", "above maximum"},
		{"digest bad descriptor", "digests:\n  - " + ids + "    schedule: \"@fortnightly\"\n", 4, "digests[0].schedule", "unrecognized descriptor"},
		{"digest every too short", "digests:\n  - " + ids + "    schedule: \"@every 10s\"\n", 4, "digests[0].schedule", "below the minimum of 1m"},
		{"digest TZ prefix", "digests:\n  - " + ids + "    schedule: \"TZ=UTC\"\n", 4, "digests[0].schedule", "use the digest's timezone key"},
		{"digest never", "digests:\n  - " + ids + "    schedule: \"0 0 31 4 *\"\n", 4, "digests[0].schedule", "never fires"},
		{"digest timezone", "digests:\n  - " + ids + "    schedule: \"@daily\"\n    timezone: Mars/Olympus\n", 5, "digests[0].timezone", `unknown time zone "Mars/Olympus"`},
		{"digest timezone Local", "digests:\n  - " + ids + "    schedule: \"@daily\"\n    timezone: Local\n", 5, "digests[0].timezone", "depends on the host"},
		{"digest timezone empty", "digests:\n  - " + ids + "    schedule: \"@daily\"\n    timezone: \"\"\n", 5, "digests[0].timezone", "must not be empty"},
		{"digest empty", "digests:\n  - " + ids + "    schedule: \"@daily\"\n    empty: post\n", 5, "digests[0].empty", `invalid value "post"`},
		{"rate zero", "limits:\n  rate_per_minute: 0\n", 2, "limits.rate_per_minute", "at least 1"},
		{"concurrency zero", "limits:\n  max_concurrent: 0\n", 2, "limits.max_concurrent", "at least 1"},
		{"request timeout 3s", "limits:\n  request_timeout: 3s\n", 2, "limits.request_timeout", "Discord drops interactions"},
		{"request timeout 0", "limits:\n  request_timeout: 0s\n", 2, "limits.request_timeout", "must be positive"},
		{"log level", "log:\n  level: verbose\n", 2, "log.level", `invalid level "verbose"`},
		{"log format", "log:\n  format: xml\n", 2, "log.format", `invalid format "xml"`},
		{"section not mapping", "log: debug\n", 1, "log", `expected a mapping of keys, got string "debug"`},
		{"duplicate key", "log:\n  level: info\n  level: debug\n", 3, "log.level", "duplicate key (first set on line 2)"},
		{"top level list", "- a\n- b\n", 1, "", "must be a mapping"},
		{"syntax error", "log:\n  level: info\n bad indent: x\n", 2, "", "invalid YAML"},
		{"two documents", "log: {level: info}\n---\nlog: {level: debug}\n", 2, "", "more than one YAML document"},
		{"custom tag", "data_dir: !env HOME\n", 1, "data_dir", "unsupported tag !env"},
		{"complex key", "? [a, b]\n: 1\n", 1, "", "keys must be plain names"},
		{"bad merge", "log:\n  <<: 5\n", 2, "log", "must merge a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.src, 0o600)
			_, ps := Inspect(path, noEnv)
			if len(ps) != 1 {
				t.Fatalf("got %d problems, want 1:%s", len(ps), dump(ps))
			}
			p := ps[0]
			if p.Line != tt.line || p.Key != tt.key || !strings.Contains(p.Msg, tt.msg) || p.File != path {
				t.Errorf("got %s\nwant line %d, key %q, msg containing %q", p, tt.line, tt.key, tt.msg)
			}
			// The string form is what check-config prints.
			prefix := fmt.Sprintf("%s:%d: ", path, tt.line)
			if tt.key != "" {
				prefix += tt.key + ": "
			}
			if !strings.HasPrefix(p.String(), prefix) {
				t.Errorf("String() = %q, want prefix %q", p.String(), prefix)
			}
			// Load must fail with the same problem.
			if _, err := LoadWith(path, noEnv); err == nil || !strings.Contains(err.Error(), p.String()) {
				t.Errorf("LoadWith error = %v, want it to contain %q", err, p.String())
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{File: "config.yaml", Line: 12, Key: "fetch.timeout", Msg: `invalid duration "15x"`}
	if got, want := p.String(), `config.yaml:12: fetch.timeout: invalid duration "15x"`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{Problem{File: "c.yaml", Msg: "x"}, "c.yaml: x"},
		{Problem{Key: "k", Msg: "x"}, "k: x"},
		{Problem{Line: 3, Msg: "x"}, "line 3: x"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestManyProblemsAtOnce(t *testing.T) {
	src := `data_dir: ./d
discord:
  guild_id: abc
  shard_count: 0
fetch:
  timeout: 15x
  max_bytes: many
feeds:
  - url: https://a.example/
    every: 10s
  - url: nope
    every: 3
    colour: red
digests:
  - schedule: "@sometimes"
limits:
  request_timeout: 5s
log:
  levle: debug
`
	_, ps := inspect(t, src, nil)
	type want struct {
		line int
		key  string
	}
	wants := []want{
		{3, "discord.guild_id"},
		{4, "discord.shard_count"},
		{6, "fetch.timeout"},
		{7, "fetch.max_bytes"},
		{10, "feeds[0].every"},
		{11, "feeds[1].url"},
		{12, "feeds[1].every"},
		{13, "feeds[1].colour"},
		{15, "digests[0].guild_id"},
		{15, "digests[0].channel_id"},
		{15, "digests[0].schedule"},
		{17, "limits.request_timeout"},
		{19, "log.levle"},
	}
	var got []want
	for _, p := range ps {
		got = append(got, want{p.Line, p.Key})
	}
	if !reflect.DeepEqual(got, wants) {
		t.Errorf("problems:%s\nwant %v", dump(ps), wants)
	}

	_, err := LoadWith(writeConfig(t, src, 0o600), noEnv)
	var cerr *Error
	if !errors.As(err, &cerr) || len(cerr.Problems) != len(wants) {
		t.Fatalf("LoadWith error = %v", err)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w.key) {
			t.Errorf("error does not name %s:\n%v", w.key, err)
		}
	}
	var p Problem
	if !errors.As(err, &p) || p.Key != "discord.guild_id" {
		t.Errorf("errors.As(Problem) = %v", p)
	}
}

func TestUnknownKeys(t *testing.T) {
	tests := []struct {
		src  string
		key  string
		msg  string
		line int
	}{
		{"fetch:\n  tiemout: 5s\n", "fetch.tiemout", `did you mean "timeout"?`, 2},
		{"dataDir: x\n", "dataDir", `did you mean "data_dir"?`, 1},
		{"fetch:\n  User-Agent: x\n", "fetch.User-Agent", `did you mean "user_agent"?`, 2},
		{"feeds:\n  - url: https://a.example/\n    evry: 5m\n", "feeds[0].evry", `did you mean "every"?`, 3},
		{"digests:\n  - {guild_id: \"123456789012345678\", channel_id: \"123456789012345678\", schedule: \"@daily\", tz: UTC}\n",
			"digests[0].tz", "known keys under digests[0]: guild_id, channel_id, schedule, timezone, empty", 2},
		{"token: x\n", "token", "did you mean discord.token?", 1},
		{"timeout: 5s\n", "timeout", "did you mean fetch.timeout?", 1},
		{"guild_id: x\n", "guild_id", "discord.guild_id, feeds[].guild_id or digests[].guild_id", 1},
		{"discord:\n  channel: x\n", "discord.channel", "did you mean feeds[].channel?", 2},
		{"discord:\n  intents: 513\n", "discord.intents", "unknown key (known keys under discord:", 2},
		{"log:\n  levle: debug\n", "log.levle", `did you mean "level"?`, 2},
		{"zzz: 1\n", "zzz", "known keys at the top level: data_dir, discord", 1},
	}
	for _, tt := range tests {
		_, ps := inspect(t, tt.src, nil)
		if len(ps) != 1 || ps[0].Key != tt.key || ps[0].Line != tt.line || !strings.Contains(ps[0].Msg, tt.msg) {
			t.Errorf("%q: got%s\nwant %d %s: ...%s...", tt.src, dump(ps), tt.line, tt.key, tt.msg)
		}
	}
}

func TestEnvOverrides(t *testing.T) {
	src := `data_dir: /from/file
discord:
  token: file.token.value
  base_url: https://file.example
  guild_id: "111111111111111111"
  public_key: ""
http:
  listen: "127.0.0.1:1"
`
	env := map[string]string{
		"NEWSBOT_DATA_DIR":           "/from/env",
		"DISCORD_TOKEN":              " env.token.value\n", // trimmed
		"NEWSBOT_DISCORD_BASE_URL":   "http://localhost:8081",
		"NEWSBOT_DISCORD_GUILD_ID":   "222222222222222222",
		"NEWSBOT_DISCORD_PUBLIC_KEY": strings.Repeat("0f", 32),
		"NEWSBOT_HTTP_LISTEN":        ":9000",
		"NEWSBOT_STORE_DSN":          "postgres://env@localhost/newsbot",
	}
	cfg, ps := inspect(t, src+"store:\n  backend: postgres\n  dsn: postgres://file@localhost/newsbot\n", env)
	if len(ps) > 0 {
		t.Fatalf("problems:%s", dump(ps))
	}
	got := []string{cfg.DataDir, cfg.Discord.Token.Reveal(), cfg.Discord.BaseURL, cfg.Discord.GuildID, cfg.Discord.PublicKey, cfg.HTTP.Listen, cfg.Store.DSN.Reveal()}
	want := []string{"/from/env", "env.token.value", "http://localhost:8081", "222222222222222222", strings.Repeat("0f", 32), ":9000", "postgres://env@localhost/newsbot"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if len(EnvVars()) != len(env) {
		t.Errorf("EnvVars() has %d entries, test covers %d", len(EnvVars()), len(env))
	}

	// Empty variables do not override.
	cfg, _ = inspect(t, src, map[string]string{"NEWSBOT_DATA_DIR": ""})
	if cfg.DataDir != "/from/file" {
		t.Errorf("empty env overrode data_dir: %q", cfg.DataDir)
	}

	// Without a file, env still applies.
	cfg, err := LoadWith("", envMap(map[string]string{"NEWSBOT_HTTP_LISTEN": "127.0.0.1:8080"}))
	if err != nil || cfg.HTTP.Listen != "127.0.0.1:8080" {
		t.Errorf("LoadWith(\"\") with env = %+v, %v", cfg, err)
	}

	// A bad env value is blamed on the variable, not on a line.
	_, ps = inspect(t, src, map[string]string{"NEWSBOT_DISCORD_BASE_URL": "discord.com"})
	if len(ps) != 1 || ps[0].Line != 0 || ps[0].File != "" || ps[0].Key != "discord.base_url" ||
		!strings.HasSuffix(ps[0].Msg, "(from $NEWSBOT_DISCORD_BASE_URL)") {
		t.Errorf("bad env problems:%s", dump(ps))
	}

	// An env value replaces a broken file value, so only the env counts.
	_, ps = inspect(t, "discord:\n  guild_id: [1]\n", map[string]string{"NEWSBOT_DISCORD_GUILD_ID": "222222222222222222"})
	if len(ps) != 1 || ps[0].Key != "discord.guild_id" {
		t.Errorf("type error in overridden key: %s", dump(ps))
	}
}

func TestPermissionWarning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not describe access on Windows")
	}
	const withToken = "discord:\n  token: aaaa.bbbb.cccc\n"
	tests := []struct {
		name string
		src  string
		mode os.FileMode
		env  map[string]string
		warn bool
	}{
		{"0644 with token", withToken, 0o644, nil, true},
		{"0640 with token", withToken, 0o640, nil, true},
		{"0600 with token", withToken, 0o600, nil, false},
		{"0400 with token", withToken, 0o400, nil, false},
		{"0644 without token", "data_dir: x\n", 0o644, nil, false},
		{"0644 empty token", "discord:\n  token: \"\"\n", 0o644, nil, false},
		{"0644 token from env only", "data_dir: x\n", 0o644, map[string]string{"DISCORD_TOKEN": "a.b.c"}, false},
		{"0644 token in file and env", withToken, 0o644, map[string]string{"DISCORD_TOKEN": "a.b.c"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.src, tt.mode)
			cfg, err := LoadWith(path, envMap(tt.env))
			if err != nil {
				t.Fatalf("a permission issue must not be an error: %v", err)
			}
			if got := len(cfg.Warnings) > 0; got != tt.warn {
				t.Fatalf("warnings = %q, want warning: %v", cfg.Warnings, tt.warn)
			}
			if tt.warn {
				w := cfg.Warnings[0]
				if !strings.Contains(w, fmt.Sprintf("%04o", tt.mode)) || !strings.Contains(w, "chmod 600") || strings.Contains(w, "aaaa") {
					t.Errorf("warning = %q", w)
				}
			}
			if ps := Check(path); len(ps) > 0 && tt.env == nil {
				t.Errorf("Check reported a warning as a problem:%s", dump(ps))
			}
		})
	}
}

func TestRequireToken(t *testing.T) {
	const good = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789_-AB"
	tests := []struct {
		token string
		from  string // env or file
		want  string // "" for no error
	}{
		{good, "file", ""},
		{good, "env", ""},
		{"", "file", "discord.token: missing (set DISCORD_TOKEN or discord.token)"},
		{"Bot " + good, "file", `remove the "Bot " prefix`},
		{"abc def.g.h", "file", "contains whitespace"},
		{"abc\tdef.g.h", "file", "contains whitespace"},
		{"onlyonepart", "file", "three dot-separated parts, this one has 1"},
		{"a.b.c.d", "env", "discord.token (from DISCORD_TOKEN): malformed"},
		{"a..c", "file", "part 2 is not base64url"},
		{"a+b.c.d/e", "file", "part 1 is not base64url"},
	}
	for _, tt := range tests {
		src, env := "", map[string]string{}
		if tt.from == "file" && tt.token != "" {
			src = fmt.Sprintf("discord:\n  token: %q\n", tt.token)
		} else {
			env["DISCORD_TOKEN"] = tt.token
		}
		cfg, err := LoadWith(writeConfig(t, src, 0o600), envMap(env))
		if err != nil {
			t.Fatalf("%q: Load must not check the token: %v", tt.token, err)
		}
		err = cfg.RequireToken()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q: unexpected error %v", tt.token, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%q: error = %v, want %q", tt.token, err, tt.want)
		case err != nil && tt.token != "" && strings.Contains(err.Error(), tt.token):
			t.Errorf("error reveals the token: %v", err)
		}
	}
}

func TestTokenIsNeverPrinted(t *testing.T) {
	const secret = "c2VjcmV0LXRva2Vu.c2VjcmV0.dG9rZW4tdmFsdWU"
	cfg, err := LoadWith(writeConfig(t, "discord:\n  token: "+secret+"\n", 0o600), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10s", "%d"} {
		outputs = append(outputs, fmt.Sprintf(verb, cfg), fmt.Sprintf(verb, *cfg), fmt.Sprintf(verb, cfg.Discord.Token))
	}
	j, _ := json.Marshal(cfg)
	y, _ := yaml.Marshal(cfg)
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("cfg", "token", cfg.Discord.Token, "discord", cfg.Discord)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("cfg", "token", cfg.Discord.Token, "cfg", cfg)
	outputs = append(outputs, string(j), string(y), logged.String())
	for _, out := range outputs {
		if strings.Contains(out, secret) || strings.Contains(out, "c2VjcmV0") || strings.Contains(out, "632556") {
			t.Errorf("token leaked: %s", out)
		}
	}
	if !strings.Contains(fmt.Sprint(cfg.Discord.Token), "[redacted]") {
		t.Errorf("Secret prints as %q", fmt.Sprint(cfg.Discord.Token))
	}
	if Secret("").String() != "" {
		t.Error("an empty Secret should print as empty")
	}
	if cfg.Discord.Token.Reveal() != secret {
		t.Error("Reveal must return the token")
	}

	// Nor in problems: wrong type, or pasted where a key belongs.
	for _, src := range []string{
		"discord:\n  token: [" + secret + "]\n",
		"discord:\n  " + secret + ": x\n",
		"discord:\n  token: " + secret + "\n  token: " + secret + "\n",
	} {
		_, ps := inspect(t, src, nil)
		if len(ps) == 0 {
			t.Errorf("%q: expected a problem", src)
		}
		for _, p := range ps {
			if strings.Contains(p.String(), "c2VjcmV0") {
				t.Errorf("problem leaks the token: %s", p)
			}
		}
	}
}

func TestReadErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := LoadWith(missing, noEnv)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: error %v should wrap fs.ErrNotExist", err)
	}
	if ps := Check(missing); len(ps) != 1 || !strings.Contains(ps[0].String(), "nope.yaml: cannot read config: file does not exist") {
		t.Errorf("Check(missing) = %s", dump(ps))
	}
	if _, err := LoadWith(t.TempDir(), noEnv); err == nil {
		t.Error("a directory should not load")
	}
}

func TestAliasBomb(t *testing.T) {
	// Each level doubles; expanding this fully would visit 2^30 nodes.
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x]\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d]\n", i, i, i-1, i-1)
	}
	b.WriteString("fetch:\n  allow_hosts: *a30\n")
	done := make(chan []Problem)
	go func() {
		_, ps := inspect(t, b.String(), nil)
		done <- ps
	}()
	select {
	case ps := <-done:
		if len(ps) == 0 {
			t.Error("expected problems")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("alias expansion is not bounded")
	}
	_, ps := inspect(t, "fetch:\n  allow_hosts: &x [a.example, *x]\n", nil)
	_ = ps // must simply terminate; the YAML library may or may not reject it
}

func TestDigestSchedule(t *testing.T) {
	d := Digest{Schedule: "0 8 * * *", Timezone: "Asia/Tokyo"}
	s, err := d.CronSchedule()
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC) // 09:00 in Tokyo
	next := s.Next(from)
	if want := time.Date(2025, 3, 1, 23, 0, 0, 0, time.UTC); !next.Equal(want) {
		t.Errorf("next = %v, want %v (08:00 Tokyo)", next.UTC(), want)
	}
	d = Digest{Schedule: "@every 6h", Timezone: "UTC"}
	if s, err = d.CronSchedule(); err != nil || !s.Next(from).Equal(from.Add(6*time.Hour)) {
		t.Errorf("@every 6h: %v %v", s, err)
	}
	if _, err := (Digest{Schedule: "nope"}).CronSchedule(); err == nil {
		t.Error("bad schedule accepted")
	}
	if (Digest{Timezone: "Nowhere/Land"}).Location() != time.UTC {
		t.Error("invalid zone should fall back to UTC")
	}
}

func TestKeyPathsAndSuggestHelpers(t *testing.T) {
	paths := KeyPaths()
	for _, want := range []string{"data_dir", "discord.token", "discord.moderator_roles", "feeds[].announce_max", "digests[].empty", "log.format"} {
		if !containsString(paths, want) {
			t.Errorf("KeyPaths() lacks %s", want)
		}
	}
	if containsString(paths, "warnings") || containsString(paths, "Warnings") {
		t.Error("Warnings is not a key")
	}
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "", 3}, {"timeout", "tiemout", 1}, {"levle", "level", 1}, {"ab", "ba", 1}, {"ca", "abc", 3}, {"every", "evry", 1}, {"kitten", "sitting", 3}} {
		if got := editDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
	if got := fmtDuration(time.Hour); got != "1h" {
		t.Errorf("fmtDuration(1h) = %q", got)
	}
	if got := fmtDuration(90 * time.Second); got != "1m30s" {
		t.Errorf("fmtDuration(90s) = %q", got)
	}
}

func TestStoreKeys(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		env     map[string]string
		backend string
		problem string // "key: part of the message"; empty for none
	}{
		{"default is bbolt", "data_dir: x\n", nil, BackendBbolt, ""},
		{"postgres with dsn", "store:\n  backend: postgres\n  dsn: host=/tmp dbname=newsbot\n", nil, BackendPostgres, ""},
		{"postgres, dsn from env", "store:\n  backend: Postgres\n", map[string]string{"NEWSBOT_STORE_DSN": "postgresql://u@h/db"}, BackendPostgres, ""},
		{"postgres without dsn", "store:\n  backend: postgres\n", nil, BackendPostgres, "store.dsn: required when store.backend is postgres"},
		{"unknown backend", "store:\n  backend: sqlite\n", nil, "", `store.backend: invalid backend "sqlite"`},
		{"lease too short", "store:\n  lease_ttl: 1s\n", nil, "", "store.lease_ttl: must be between 3s and 10m"},
		{"dsn that is no dsn", "store:\n  backend: postgres\n  dsn: secretpassword\n", nil, BackendPostgres, "store.dsn: not a PostgreSQL connection string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, ps := inspect(t, tt.src, tt.env)
			if tt.problem == "" {
				if len(ps) > 0 {
					t.Fatalf("problems:%s", dump(ps))
				}
				if cfg.Store.Backend != tt.backend {
					t.Errorf("backend = %q, want %q", cfg.Store.Backend, tt.backend)
				}
				return
			}
			if len(ps) != 1 || !strings.Contains(ps[0].Key+": "+ps[0].Msg, tt.problem) {
				t.Fatalf("problems:%s\nwant one with %q", dump(ps), tt.problem)
			}
			if strings.Contains(ps[0].Msg, "secretpassword") {
				t.Errorf("the message repeats the DSN: %s", ps[0].Msg)
			}
		})
	}
}
