package bot

import (
	"sync"
	"time"
)

// seenSet remembers the interactions the bot has taken, for their 15-minute
// lifetime, so a duplicate delivery is answered once. It is bounded.
type seenSet struct {
	mu    sync.Mutex
	at    map[string]time.Time
	order []string
}

const (
	seenTTL = 15 * time.Minute
	seenMax = 50000
)

// add records id and reports whether it was already there.
func (s *seenSet) add(id string, now time.Time) bool {
	if id == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.at == nil {
		s.at = map[string]time.Time{}
	}
	if t, ok := s.at[id]; ok && now.Sub(t) < seenTTL {
		return true
	}
	for len(s.order) > 0 && (len(s.order) >= seenMax || now.Sub(s.at[s.order[0]]) >= seenTTL) {
		delete(s.at, s.order[0])
		s.order = s.order[1:]
	}
	s.at[id] = now
	s.order = append(s.order, id)
	return false
}
