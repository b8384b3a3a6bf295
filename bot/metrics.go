package bot

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/internal/metrics"
)

// restCounter counts the statuses of Discord's REST responses. It sits under
// discordgo's own retries, so every 429 and 5xx that discordgo retries is
// counted, not only the ones that reach the bot as errors.
type restCounter struct {
	m    *metrics.Metrics
	base http.RoundTripper
}

// countREST wraps a transport; without metrics it is the transport itself.
func countREST(m *metrics.Metrics, base http.RoundTripper) http.RoundTripper {
	if m == nil {
		return base
	}
	return &restCounter{m: m, base: base}
}

func (t *restCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	// Only the API: attachment downloads from the CDN share the client,
	// and a missing file there is not Discord's REST API failing.
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		return resp, err
	}
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		t.m.RESTFailed()
	case err == nil:
		t.m.RESTResponse(resp.StatusCode)
	}
	return resp, err
}

// gatewayState follows the gateway connection through discordgo's events.
type gatewayState struct {
	up       atomic.Bool
	connects atomic.Int64
}

// watchGateway counts reconnects and keeps the connection state for /healthz.
// discordgo emits Connect after every successful Open — the first and each
// reconnect, whether it resumed or identified anew — and Disconnect when a
// connection closes.
func (b *Bot) watchGateway() {
	b.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) {
		b.gw.up.Store(true)
		if b.gw.connects.Add(1) > 1 {
			b.opt.Metrics.GatewayReconnect()
			b.log.Info("gateway reconnected", "shard", b.opt.ShardID)
		}
	})
	b.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		b.gw.up.Store(false)
		if !b.stopping() {
			b.log.Warn("gateway disconnected; reconnecting", "shard", b.opt.ShardID)
		}
	})
	b.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		b.log.Debug("gateway session resumed", "shard", b.opt.ShardID)
	})
}

func (b *Bot) stopping() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closing
}
