package postgres

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/store"
)

func TestSharedState(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, b := open(t, dsn), open(t, dsn) // two replicas
	defer a.Close()
	defer b.Close()
	ctx := context.Background()

	if _, err := b.GetTemp(ctx, "pages", "k"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing value: %v", err)
	}
	if err := a.PutTemp(ctx, "pages", "k", []byte(`{"q":"x"}`), time.Minute); err != nil {
		t.Fatal(err)
	}
	if v, err := b.GetTemp(ctx, "pages", "k"); err != nil || string(v) != `{"q":"x"}` {
		t.Errorf("value through the other replica = %s, %v", v, err)
	}
	if err := a.PutTemp(ctx, "pages", "old", nil, -time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetTemp(ctx, "pages", "old"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired value: %v", err)
	}

	claims := []struct {
		st   *Store
		key  string
		ttl  time.Duration
		want bool
	}{
		{a, "i1", time.Minute, true},
		{b, "i1", time.Minute, false}, // the duplicate delivery, on another replica
		{a, "i2", -time.Second, true},
		{b, "i2", time.Minute, true}, // the first mark expired
	}
	for i, c := range claims {
		if got, err := c.st.Claim(ctx, "seen", c.key, c.ttl); err != nil || got != c.want {
			t.Errorf("claim %d: %v, %v; want %v", i, got, err, c.want)
		}
	}

	// Twenty uses at once over two replicas, a limit of 5: five pass.
	var passed atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		st := []*Store{a, b}[i%2]
		wg.Go(func() {
			ok, err := st.Hit(ctx, "rate", "member", time.Minute, 5)
			if err != nil {
				t.Error(err)
			}
			if ok {
				passed.Add(1)
			}
		})
	}
	wg.Wait()
	if passed.Load() != 5 {
		t.Errorf("%d uses passed a limit of 5", passed.Load())
	}
	if ok, _ := a.Hit(ctx, "rate", "other member", time.Minute, 5); !ok {
		t.Error("one member's uses limited another")
	}
	// A window that has passed counts nothing.
	if ok, _ := a.Hit(ctx, "rate", "member", time.Nanosecond, 5); !ok {
		t.Error("uses outside the window still counted")
	}
}
