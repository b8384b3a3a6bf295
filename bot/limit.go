package bot

import (
	"sync"
	"time"
)

// rateLimiter allows each member a number of commands a minute (a sliding
// window of their recent commands); it forgets idle members so it stays small.
type rateLimiter struct {
	perMinute int
	now       func() time.Time
	mu        sync.Mutex
	seen      map[string][]time.Time
	sweep     time.Time
}

func newRateLimiter(perMinute int, now func() time.Time) *rateLimiter {
	if now == nil {
		now = time.Now
	}
	return &rateLimiter{perMinute: perMinute, now: now, seen: map[string][]time.Time{}}
}

// allow records a command by the member and reports whether it is within the
// limit. A limit of 0 or less allows everything.
func (l *rateLimiter) allow(member string) bool {
	if l.perMinute <= 0 || member == "" {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	cutoff := now.Add(-time.Minute)
	if now.Sub(l.sweep) > time.Minute {
		for k, ts := range l.seen {
			if len(ts) == 0 || ts[len(ts)-1].Before(cutoff) {
				delete(l.seen, k)
			}
		}
		l.sweep = now
	}
	ts := l.seen[member]
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	ts = ts[i:]
	if len(ts) >= l.perMinute {
		l.seen[member] = ts
		return false
	}
	l.seen[member] = append(ts, now)
	return true
}
