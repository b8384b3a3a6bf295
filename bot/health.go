package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// HealthCheck is one part /healthz looks at besides the gateway. Probe
// returns why the part is down; its error should name the part ("store: ...").
type HealthCheck struct {
	Name  string
	Probe func(context.Context) error
}

// probeTimeout bounds one probe: a health check that hangs is a failed one,
// and the load balancer or monitor asking should not hang with it. A
// variable so that tests need not wait.
var probeTimeout = 2 * time.Second

var errGatewayDown = errors.New("gateway: not connected")

// GatewayUp reports whether the bot takes interactions: connected to the
// gateway, or running without it (--no-gateway) on the HTTP endpoint.
func (b *Bot) GatewayUp() error {
	if b.stopping() {
		return errors.New("bot: stopping")
	}
	if b.opt.NoGateway {
		return nil
	}
	// discordgo's DataReady is the authority, but discordgo holds the
	// session's lock for the whole of a connection attempt, which may take
	// seconds: rather than wait, fall back to what the Connect and
	// Disconnect events said.
	up := b.gw.up.Load()
	if b.s.TryRLock() {
		up = b.s.DataReady
		b.s.RUnlock()
	}
	if !up {
		return errGatewayDown
	}
	return nil
}

// HealthHandler serves /healthz: 200 and "ok" when the gateway and every
// check are up, else 503 with one line per part that is down.
func (b *Bot) HealthHandler(checks ...HealthCheck) http.Handler {
	checks = append([]HealthCheck{{Name: "gateway", Probe: func(context.Context) error { return b.GatewayUp() }}}, checks...)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var down []string
		for _, c := range checks {
			if err := probe(r.Context(), c); err != nil {
				down = append(down, err.Error())
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if len(down) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, strings.Join(down, "\n"))
			return
		}
		fmt.Fprintln(w, "ok")
	})
}

// probe runs one check within probeTimeout.
func probe(ctx context.Context, c HealthCheck) error {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.Probe(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("%s: no answer within %s", c.Name, probeTimeout)
	}
}
