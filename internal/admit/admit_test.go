package admit

import (
	"sync"
	"testing"
)

func TestGateSequence(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		ops   string // e: enter, l: leave
		want  []bool // per enter: admitted?
	}{
		{"up to the limit", 2, "eee", []bool{true, true, false}},
		{"a leave makes room", 2, "eeelee", []bool{true, true, false, true, false}},
		{"a limit below one is one", 0, "eele", []bool{true, false, true}},
		{"all leave", 3, "eeellleee", []bool{true, true, true, true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(tt.limit)
			var got []bool
			running := 0
			for _, op := range tt.ops {
				switch op {
				case 'e':
					n, ok := g.Enter()
					got = append(got, ok)
					if ok {
						running++
					}
					if n != running {
						t.Errorf("enter %d: in flight %d, want %d", len(got), n, running)
					}
				case 'l':
					g.Leave()
					running--
				}
				if g.InFlight() != running {
					t.Errorf("InFlight() = %d, want %d", g.InFlight(), running)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestGateConcurrent hammers a gate from many goroutines: no more than the
// limit ever run, and every refusal saw the limit reached.
func TestGateConcurrent(t *testing.T) {
	const limit, workers, rounds = 4, 32, 500
	g := New(limit)
	var mu sync.Mutex
	running, peak, refused := 0, 0, 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				n, ok := g.Enter()
				if !ok {
					mu.Lock()
					refused++
					mu.Unlock()
					if n < limit {
						t.Errorf("refused with %d in flight, limit %d", n, limit)
					}
					continue
				}
				mu.Lock()
				running++
				peak = max(peak, running)
				if running > limit {
					t.Errorf("%d running, limit %d", running, limit)
				}
				mu.Unlock()
				mu.Lock()
				running--
				mu.Unlock()
				g.Leave()
			}
		}()
	}
	wg.Wait()
	if g.InFlight() != 0 {
		t.Errorf("%d still in flight", g.InFlight())
	}
	if peak < 1 || peak > limit {
		t.Errorf("peak %d, limit %d", peak, limit)
	}
	t.Logf("peak %d, refused %d of %d", peak, refused, workers*rounds)
}

func TestLeaveWithoutEnterPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	New(1).Leave()
}
