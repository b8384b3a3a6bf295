package bot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/internal/metrics"
	"github.com/newsbot/newsbot/store"
)

func TestHealthz(t *testing.T) {
	probeTimeout = 100 * time.Millisecond
	t.Cleanup(func() { probeTimeout = 2 * time.Second })
	lib := library(t)
	closed, err := store.Open(filepath.Join(t.TempDir(), "closed.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	storeUp := HealthCheck{"store", func(context.Context) error { return lib.Store.Check() }}
	indexUp := HealthCheck{"index", func(context.Context) error { _, err := lib.Index.DocCount(); return err }}
	storeDown := HealthCheck{"store", func(context.Context) error { return closed.Check() }}
	hangs := HealthCheck{"slow", func(ctx context.Context) error { <-ctx.Done(); time.Sleep(time.Second); return nil }}

	connected := startOps(t, Options{})
	waitUntil(t, "the gateway up", func() bool { return connected.b.GatewayUp() == nil })
	unstarted := newBot(t, Options{})
	httpOnly := newBot(t, Options{NoGateway: true})
	stopped := newBot(t, Options{NoGateway: true})
	if err := stopped.Stop(time.Second); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		b      *Bot
		checks []HealthCheck
		status int
		want   []string
	}{
		{"all up", connected.b, []HealthCheck{storeUp, indexUp}, 200, []string{"ok\n"}},
		{"store closed", connected.b, []HealthCheck{storeDown, indexUp}, 503, []string{"store: check", "database not open"}},
		{"a check that hangs", connected.b, []HealthCheck{storeUp, hangs}, 503, []string{"slow: no answer within 100ms"}},
		{"gateway not connected", unstarted, []HealthCheck{storeUp}, 503, []string{"gateway: not connected"}},
		{"no gateway: the HTTP endpoint is enough", httpOnly, []HealthCheck{storeUp, indexUp}, 200, []string{"ok\n"}},
		{"stopping", stopped, nil, 503, []string{"bot: stopping"}},
		{"every part that is down", unstarted, []HealthCheck{storeDown}, 503, []string{"gateway: not connected\nstore: check"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.b.HealthHandler(tt.checks...))
			defer srv.Close()
			code, body := fetchHTTP(t, srv.URL)
			if code != tt.status {
				t.Errorf("status %d, want %d (%s)", code, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body %q lacks %q", body, w)
				}
			}
		})
	}
}

// newBot makes a bot without connecting it.
func newBot(t *testing.T, opt Options) *Bot {
	t.Helper()
	opt.Token, opt.BaseURL = "test.token.value", "http://127.0.0.1:1"
	b, err := New(opt, commands.New(library(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRESTCounterIgnoresTheCDN(t *testing.T) {
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/api/v10/channels/1/messages", 404, `status="404"`},
		{"/api/v10/gateway/bot", 429, `status="429"`},
		{"/attachments/1/2/a.txt", 404, ""},
		{"/api/v10/users/@me", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(tt.status) }))
			defer srv.Close()
			o := metrics.New(metrics.Counts{})
			c := &http.Client{Transport: countREST(o, http.DefaultTransport)}
			resp, err := c.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			rec := httptest.NewRecorder()
			o.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			var got []string
			for _, l := range strings.Split(rec.Body.String(), "\n") {
				if strings.HasPrefix(l, metrics.RESTErrors+"{") {
					got = append(got, l)
				}
			}
			if tt.want == "" && len(got) > 0 || tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want+"} 1")) {
				t.Errorf("rest errors: %q, want %q", got, tt.want)
			}
		})
	}
	// A REST call that gets no response at all.
	o := metrics.New(metrics.Counts{})
	c := &http.Client{Transport: countREST(o, http.DefaultTransport)}
	if _, err := c.Get("http://127.0.0.1:1/api/v10/gateway"); err == nil {
		t.Fatal("a closed port answered")
	}
	rec := httptest.NewRecorder()
	o.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if got := sampleValue(rec.Body.String(), `newsbot_discord_rest_errors_total{status="network"}`); got != "1" {
		t.Errorf("network failures = %q, want 1", got)
	}
}
