// Package admit is the bot's admission control: at most a limit of requests
// run at once and the rest are refused at once, never queued. The bot and the
// concurrency bench share it, so the bench measures the bot's own refusals.
package admit

import "sync"

// Gate admits requests up to its limit. A refused member is told the bot is
// busy straight away: a queue they cannot see would only make every answer
// late.
type Gate struct {
	mu    sync.Mutex
	limit int
	n     int
}

// New makes a gate for limit requests at once (at least one).
func New(limit int) *Gate {
	return &Gate{limit: max(limit, 1)}
}

// Enter admits a request, or refuses it when the limit is reached. inFlight
// is the number of requests running when it decided, this one included when
// admitted: a refusal's count is what proves the limit, not a slower request,
// caused it. Every admitted request calls Leave once.
func (g *Gate) Enter() (inFlight int, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n >= g.limit {
		return g.n, false
	}
	g.n++
	return g.n, true
}

// Leave ends an admitted request.
func (g *Gate) Leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n == 0 {
		panic("admit: Leave without Enter")
	}
	g.n--
}

// Limit is how many requests may run at once.
func (g *Gate) Limit() int { return g.limit }

// InFlight is how many requests are running now.
func (g *Gate) InFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}
