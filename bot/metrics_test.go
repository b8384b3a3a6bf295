package bot

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/internal/discordtest"
	"github.com/newsbot/newsbot/internal/metrics"
)

// logBuffer is a log destination that the bot's goroutines write while the
// test reads.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ops is a bot with metrics and JSON logs, serving /metrics and /healthz on a
// real HTTP server, as newsbot serve mounts them.
type ops struct {
	*harness
	m    *metrics.Metrics
	logs *logBuffer
	srv  *httptest.Server
}

func startOps(t *testing.T, opt Options, checks ...HealthCheck) *ops {
	t.Helper()
	lib := library(t)
	m := metrics.New(metrics.Counts{
		Articles: lib.Index.DocCount,
		Quotes: func() (int, error) {
			st, err := lib.Store.Stats()
			return st.Quotes, err
		},
	})
	logs := &logBuffer{}
	f := discordtest.New(t)
	svc := commands.New(lib)
	opt.Token, opt.BaseURL, opt.GuildID, opt.Metrics = f.Token(), f.URL(), guildA, m
	b, err := New(opt, svc, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("GET /healthz", b.HealthHandler(checks...))
	srv := httptest.NewServer(mux)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		_ = b.Stop(5 * time.Second)
		f.AssertNoViolations(t)
	})
	return &ops{harness: &harness{f: f, b: b, svc: svc}, m: m, logs: logs, srv: srv}
}

func fetchHTTP(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// sampleValue reads one sample of a scrape: the line that starts with series.
func sampleValue(scrape, series string) string {
	for _, l := range strings.Split(scrape, "\n") {
		if v, ok := strings.CutPrefix(l, series+" "); ok {
			return v
		}
	}
	return ""
}

// waitUntil polls cond for up to 10 s: gateway events arrive on their own
// goroutines.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestMetricsScenario runs commands, rate limits, 502s and a dropped gateway
// through the fake Discord, and reads what /metrics and /healthz say over HTTP.
func TestMetricsScenario(t *testing.T) {
	o := startOps(t, Options{})
	waitUntil(t, "healthz 200 after start", func() bool {
		code, _ := fetchHTTP(t, o.srv.URL+"/healthz")
		return code == http.StatusOK
	})

	question := "Where will NATO coordinate security assistance for Ukraine from?"
	if r := o.send(t, discordtest.SlashCommand(member(guildA), "ask", discordtest.StringOption("question", question))); !strings.Contains(text(r), "Wiesbaden") {
		t.Fatalf("ask: %s", text(r))
	}
	o.f.RateLimitNext(2, 50*time.Millisecond)
	o.send(t, discordtestSlash("help"))
	o.f.BadGatewayNext(1)
	o.send(t, discordtestSlash("help"))
	o.send(t, discordtest.Autocomplete(member(guildA), "quotes", discordtest.Focus(discordtest.StringOption("speaker", "sto"))))

	o.f.DropGateway()
	waitUntil(t, "a gateway reconnect", func() bool {
		_, body := fetchHTTP(t, o.srv.URL+"/metrics")
		return sampleValue(body, metrics.GatewayReconnects) == "1"
	})
	waitUntil(t, "healthz 200 after the reconnect", func() bool {
		code, _ := fetchHTTP(t, o.srv.URL+"/healthz")
		return code == http.StatusOK
	})
	// The reconnected bot still answers.
	o.send(t, discordtestSlash("help"))

	lib := library(t)
	articles, _ := lib.Index.DocCount()
	st, _ := lib.Store.Stats()
	tests := []struct{ series, want string }{
		{`newsbot_interactions_total{command="ask",outcome="ok"}`, "1"},
		{`newsbot_interactions_total{command="help",outcome="ok"}`, "3"},
		{`newsbot_interactions_total{command="quotes",outcome="ok"}`, "1"},
		{`newsbot_interaction_seconds_count{command="help"}`, "3"},
		{`newsbot_discord_rest_errors_total{status="429"}`, "2"},
		{`newsbot_discord_rest_errors_total{status="502"}`, "1"},
		{`newsbot_discord_rate_limits_total`, "2"},
		{`newsbot_gateway_reconnects_total`, "1"},
		{`newsbot_articles_indexed`, strconv.Itoa(articles)},
		{`newsbot_quotes_indexed`, strconv.Itoa(st.Quotes)},
		{`newsbot_digests_posted_total`, "0"},
		{`newsbot_feed_polls_total{outcome="ok"}`, "0"},
	}
	// The bot records an interaction after its response reached Discord,
	// and its counter and histogram separately, so the last one may show a
	// moment later in either: wait until every series asserted is there.
	var wrong []string
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, body := fetchHTTP(t, o.srv.URL+"/metrics")
		wrong = wrong[:0]
		for _, tt := range tests {
			if got := sampleValue(body, tt.series); code != http.StatusOK || got != tt.want {
				wrong = append(wrong, fmt.Sprintf("%s = %q, want %s", tt.series, got, tt.want))
			}
		}
		if len(wrong) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, w := range wrong {
		t.Error(w)
	}
	if articles == 0 || st.Quotes == 0 {
		t.Errorf("the sample library looks empty: %d articles, %d quotes", articles, st.Quotes)
	}

	// One log line per interaction, with the command, guild, latency and
	// outcome, and neither the token nor what the member typed.
	logs := o.logs.String()
	if strings.Contains(logs, o.f.Token()) {
		t.Error("the bot token reached the log")
	}
	if strings.Contains(logs, question) {
		t.Error("a member's question reached the log")
	}
	var lines int
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("not a JSON log line: %s", sc.Text())
		}
		if rec["msg"] != "interaction" {
			continue
		}
		lines++
		for _, k := range []string{"command", "guild", "latency", "outcome"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("interaction log line lacks %q: %s", k, sc.Text())
			}
		}
	}
	if lines != 5 {
		t.Errorf("%d interaction log lines, want 5 (one per interaction)", lines)
	}
	if !strings.Contains(logs, `"msg":"gateway reconnected"`) {
		t.Errorf("no log line for the reconnect:\n%s", logs)
	}
}
