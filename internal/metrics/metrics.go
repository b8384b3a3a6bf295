// Package metrics counts what a running newsbot does — interactions, feed
// polls, digests, Discord's REST errors and rate limits, gateway reconnects —
// and serves the counts in the Prometheus text format.
//
// Every method works on a nil *Metrics and does nothing, so packages record
// unconditionally and tests that do not care pass nothing.
package metrics

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Names of the metrics, for the README, dashboards and tests.
const (
	Interactions       = "newsbot_interactions_total"
	InteractionSeconds = "newsbot_interaction_seconds"
	ArticlesIndexed    = "newsbot_articles_indexed"
	QuotesIndexed      = "newsbot_quotes_indexed"
	FeedPolls          = "newsbot_feed_polls_total"
	DigestsPosted      = "newsbot_digests_posted_total"
	RESTErrors         = "newsbot_discord_rest_errors_total"
	RateLimits         = "newsbot_discord_rate_limits_total"
	GatewayReconnects  = "newsbot_gateway_reconnects_total"
)

// Outcomes of a feed poll. Other values are counted too; these are created at
// zero so that a dashboard sees the series before the first poll.
const (
	FeedOK          = "ok"           // fetched and read
	FeedNotModified = "not_modified" // 304: nothing new
	FeedError       = "error"        // could not fetch or parse
	FeedSkipped     = "skipped"      // paused, or backing off
)

// StatusNetwork is the status label of a REST call that got no HTTP response
// at all (refused, reset, timed out).
const StatusNetwork = "network"

// Counts are the gauges' sources: how many articles and quotes the library
// holds. Either may be nil (the gauge is then absent).
type Counts struct {
	Articles func() (int, error)
	Quotes   func() (int, error)
	// MaxAge lets a scrape reuse a count this young: counting quotes reads
	// every stored article, which a scrape every few seconds should not
	// repeat. Zero counts at every scrape.
	MaxAge time.Duration
}

// Metrics is one process's metrics, in their own registry: nothing another
// library registers globally ends up on newsbot's /metrics.
type Metrics struct {
	reg                *prometheus.Registry
	interactions       *prometheus.CounterVec
	interactionSeconds *prometheus.HistogramVec
	feedPolls          *prometheus.CounterVec
	digestsPosted      prometheus.Counter
	restErrors         *prometheus.CounterVec
	rateLimits         prometheus.Counter
	reconnects         prometheus.Counter
}

// New makes the metrics and registers them, with the Go runtime's and the
// process's own (memory, goroutines, open files), in a new registry.
func New(c Counts) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		interactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: Interactions,
			Help: "Interactions handled, by command and outcome (ok, error, timeout, busy, rate_limited, bad_request, respond_failed, restarting).",
		}, []string{"command", "outcome"}),
		interactionSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: InteractionSeconds,
			Help: "Time from receiving an interaction to its final response, by command.",
			// Discord wants a first response within 3 s; deferred answers
			// and moderator fetches may take up to a minute.
			Buckets: []float64{.025, .05, .1, .25, .5, 1, 1.5, 2, 2.5, 3, 5, 10, 30, 60},
		}, []string{"command"}),
		feedPolls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: FeedPolls,
			Help: "Feed polls, by outcome (ok, not_modified, error, skipped).",
		}, []string{"outcome"}),
		digestsPosted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: DigestsPosted,
			Help: "Digests posted to channels.",
		}),
		restErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: RESTErrors,
			Help: "Discord REST responses that were not 2xx, by status code (\"network\" when no response came).",
		}, []string{"status"}),
		rateLimits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: RateLimits,
			Help: "Discord REST responses with status 429 (rate limited); also counted in " + RESTErrors + ".",
		}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: GatewayReconnects,
			Help: "Gateway connections made after the first one (resumed or identified anew).",
		}),
	}
	m.reg.MustRegister(m.interactions, m.interactionSeconds, m.feedPolls, m.digestsPosted,
		m.restErrors, m.rateLimits, m.reconnects,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, o := range []string{FeedOK, FeedNotModified, FeedError, FeedSkipped} {
		m.feedPolls.WithLabelValues(o)
	}
	if c.Articles != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: ArticlesIndexed,
			Help: "Articles in the search index.",
		}, cached(c.Articles, c.MaxAge)))
	}
	if c.Quotes != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: QuotesIndexed,
			Help: "Attributed quotes held for the stored articles.",
		}, cached(c.Quotes, c.MaxAge)))
	}
	return m
}

// cached turns a count into a gauge's function. A count that fails reads as
// NaN: a stale or zero number would look like a real one, while /healthz
// says what is wrong.
func cached(count func() (int, error), maxAge time.Duration) func() float64 {
	var mu sync.Mutex
	var last float64
	var at time.Time
	return func() float64 {
		mu.Lock()
		defer mu.Unlock()
		if maxAge > 0 && !at.IsZero() && time.Since(at) < maxAge {
			return last
		}
		n, err := count()
		if err != nil {
			at = time.Time{}
			return math.NaN()
		}
		last, at = float64(n), time.Now()
		return last
	}
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry is the metrics' registry, for callers that add their own.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// Interaction records one interaction's outcome and how long it took.
func (m *Metrics) Interaction(command, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.interactions.WithLabelValues(command, outcome).Inc()
	m.interactionSeconds.WithLabelValues(command).Observe(took.Seconds())
}

// FeedPoll records one poll of one feed (FeedOK, FeedNotModified, ...).
func (m *Metrics) FeedPoll(outcome string) {
	if m == nil {
		return
	}
	m.feedPolls.WithLabelValues(outcome).Inc()
}

// DigestPosted records a digest posted to a channel.
func (m *Metrics) DigestPosted() {
	if m == nil {
		return
	}
	m.digestsPosted.Inc()
}

// RESTResponse records the status of a response from Discord's REST API:
// anything but 2xx is an error, and a 429 is also a rate limit.
func (m *Metrics) RESTResponse(status int) {
	if m == nil || status >= 200 && status < 300 {
		return
	}
	m.restErrors.WithLabelValues(strconv.Itoa(status)).Inc()
	if status == http.StatusTooManyRequests {
		m.rateLimits.Inc()
	}
}

// RESTFailed records a REST call that got no response.
func (m *Metrics) RESTFailed() {
	if m == nil {
		return
	}
	m.restErrors.WithLabelValues(StatusNetwork).Inc()
}

// GatewayReconnect records a gateway connection after the first.
func (m *Metrics) GatewayReconnect() {
	if m == nil {
		return
	}
	m.reconnects.Inc()
}
