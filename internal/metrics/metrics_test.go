package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// scrape fetches /metrics over HTTP, as Prometheus would.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("scrape: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	return string(body)
}

func TestScrape(t *testing.T) {
	quotes := 0
	m := New(Counts{
		Articles: func() (int, error) { return 42, nil },
		Quotes:   func() (int, error) { quotes++; return 7, nil },
		MaxAge:   time.Hour,
	})
	m.Interaction("ask", "ok", 300*time.Millisecond)
	m.Interaction("ask", "ok", 2*time.Second)
	m.Interaction("news add", "error", time.Second)
	m.FeedPoll(FeedOK)
	m.FeedPoll(FeedError)
	m.FeedPoll(FeedError)
	m.DigestPosted()
	m.RESTResponse(200)
	m.RESTResponse(204)
	m.RESTResponse(404)
	m.RESTResponse(429)
	m.RESTResponse(429)
	m.RESTFailed()
	m.GatewayReconnect()
	got := scrape(t, m)
	for _, want := range []string{
		`newsbot_interactions_total{command="ask",outcome="ok"} 2`,
		`newsbot_interactions_total{command="news add",outcome="error"} 1`,
		`newsbot_interaction_seconds_bucket{command="ask",le="0.5"} 1`,
		`newsbot_interaction_seconds_bucket{command="ask",le="3"} 2`,
		`newsbot_interaction_seconds_count{command="ask"} 2`,
		`newsbot_articles_indexed 42`,
		`newsbot_quotes_indexed 7`,
		`newsbot_feed_polls_total{outcome="ok"} 1`,
		`newsbot_feed_polls_total{outcome="error"} 2`,
		`newsbot_feed_polls_total{outcome="not_modified"} 0`,
		`newsbot_digests_posted_total 1`,
		`newsbot_discord_rest_errors_total{status="404"} 1`,
		`newsbot_discord_rest_errors_total{status="429"} 2`,
		`newsbot_discord_rest_errors_total{status="network"} 1`,
		`newsbot_discord_rate_limits_total 2`,
		`newsbot_gateway_reconnects_total 1`,
		`# TYPE newsbot_interaction_seconds histogram`,
	} {
		if !strings.Contains(got, "\n"+want+"\n") {
			t.Errorf("scrape lacks the line %q", want)
		}
	}
	if !strings.Contains(got, "\ngo_goroutines ") || !strings.Contains(got, "\nprocess_") {
		t.Error("the Go runtime's and the process's metrics are missing")
	}
	if strings.Contains(got, `status="200"`) || strings.Contains(got, `status="204"`) {
		t.Error("a 2xx counted as an error")
	}
	// A second scrape within MaxAge reuses the quote count.
	scrape(t, m)
	if quotes != 1 {
		t.Errorf("quotes counted %d times, want 1 (cached)", quotes)
	}
}

func TestCountFailureIsNaN(t *testing.T) {
	fail := true
	m := New(Counts{Articles: func() (int, error) {
		if fail {
			return 0, errors.New("index closed")
		}
		return 3, nil
	}, MaxAge: time.Hour})
	if got := scrape(t, m); !strings.Contains(got, "newsbot_articles_indexed NaN") {
		t.Errorf("a failed count should read NaN:\n%s", grep(got, "articles"))
	}
	// A failure is not cached: the next scrape counts again.
	fail = false
	if got := scrape(t, m); !strings.Contains(got, "newsbot_articles_indexed 3") {
		t.Errorf("after recovery:\n%s", grep(got, "articles"))
	}
	if strings.Contains(scrape(t, m), QuotesIndexed) {
		t.Error("a gauge without a source is exposed")
	}
}

// TestNilMetrics: packages record without checking whether metrics are on.
func TestNilMetrics(t *testing.T) {
	var m *Metrics
	m.Interaction("ask", "ok", time.Second)
	m.FeedPoll(FeedOK)
	m.DigestPosted()
	m.RESTResponse(500)
	m.RESTFailed()
	m.GatewayReconnect()
	if m.Registry() != nil {
		t.Error("nil metrics have a registry")
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("nil metrics serve %d", rec.Code)
	}
}

func grep(text, word string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
