package postgres

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/store"
)

// TestRunLeased: of three processes, one runs the job at a time; when its
// database connection dies (the process is gone), another takes over once
// the lease expires.
func TestRunLeased(t *testing.T) {
	dsn := pgtest.DSN(t)
	const ttl = 3 * time.Second
	var running, maxRunning atomic.Int32
	var mu sync.Mutex
	var order []string
	job := func(name string) func(context.Context) {
		return func(ctx context.Context) {
			n := running.Add(1)
			defer running.Add(-1)
			for {
				if m := maxRunning.Load(); n <= m || maxRunning.CompareAndSwap(m, n) {
					break
				}
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			<-ctx.Done()
		}
	}
	stores := make([]*Store, 3)
	cancels := make([]context.CancelFunc, 3)
	var wg sync.WaitGroup
	for i := range stores {
		stores[i] = open(t, dsn)
		defer stores[i].Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancels[i] = cancel
		defer cancel()
		name := string(rune('a' + i))
		wg.Go(func() { store.RunLeased(ctx, stores[i], "digests", name, ttl, nil, job(name)) })
	}
	first := waitHolder(t, stores[0])
	// The holder's process dies: its connections close, the lease is not
	// released, and nobody renews it.
	i := int(first[0] - 'a')
	dead := time.Now()
	stores[i].Close()
	next := waitOther(t, stores[(i+1)%3], first)
	t.Logf("%s held the lease; %s took over %v after it died (ttl %v)", first, next, time.Since(dead).Round(time.Millisecond), ttl)
	for _, c := range cancels {
		c()
	}
	wg.Wait()
	if m := maxRunning.Load(); m != 1 {
		t.Errorf("%d jobs ran at once", m)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(order) < 2 || order[0] != first || order[len(order)-1] != next {
		t.Errorf("the job ran in %v", order)
	}
}

func holder(s *Store) string {
	var h string
	_ = s.pool.QueryRow(context.Background(), "SELECT holder FROM leases WHERE name = 'digests' AND expires > now()").Scan(&h)
	return h
}

func waitHolder(t *testing.T, s *Store) string {
	t.Helper()
	return waitOther(t, s, "")
}

func waitOther(t *testing.T, s *Store, not string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if h := holder(s); h != "" && h != not {
			return h
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no holder other than %q within a minute", not)
	return ""
}

// TestRunLeasedJobThatStops: a job that returns by itself (it failed at
// once) is started again after a pause of ttl/3, not in a tight loop.
func TestRunLeasedJobThatStops(t *testing.T) {
	st := open(t, pgtest.DSN(t))
	defer st.Close()
	const ttl = 600 * time.Millisecond
	starts := make(chan time.Time, 10)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		store.RunLeased(ctx, st, "feeds", "a", ttl, nil, func(context.Context) { starts <- time.Now() })
	}()
	first, second := <-starts, <-starts
	cancel()
	<-done
	if gap := second.Sub(first); gap < ttl/3 {
		t.Errorf("the job was started again %v after it stopped, want at least %v", gap, ttl/3)
	}
}
