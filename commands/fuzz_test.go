package commands

import (
	"context"
	"testing"
	"time"
)

// FuzzComponent decodes arbitrary custom_ids: never a panic, and anything not
// ours is an ephemeral refusal. Run: go test ./commands -fuzz FuzzComponent
func FuzzComponent(f *testing.F) {
	for _, seed := range []string{"pg:abc:1", "pg:abc:-1", "pg:", "pg:x:999999999999999999999", "other", ""} {
		f.Add(seed)
	}
	s := &Service{Now: func() time.Time { return time.Unix(0, 0) }}
	f.Fuzz(func(t *testing.T, id string) {
		r, err := s.Component(context.Background(), id, Request{})
		if err != nil {
			t.Fatalf("error for %q: %v", id, err)
		}
		if !r.Ephemeral {
			t.Fatalf("custom_id %q was served", id)
		}
	})
}

// FuzzParseSince reads arbitrary dates and ages without panicking.
func FuzzParseSince(f *testing.F) {
	for _, seed := range []string{"7d", "2024-11-01", "24h", "-3d", "99999999999d", "2024-13-45"} {
		f.Add(seed)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseSince(s, now)
	})
}
