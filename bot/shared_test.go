package bot

import (
	"context"
	"testing"

	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/store/postgres"
)

// TestSharedMarksAndLimits: two replicas sharing a database see each other's
// duplicate-delivery marks and count a member's commands together.
func TestSharedMarksAndLimits(t *testing.T) {
	dsn := pgtest.DSN(t)
	svc := commands.New(library(t))
	var bots []*Bot
	for range 2 {
		st, err := postgres.Open(context.Background(), dsn, postgres.Options{Migrate: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		b, err := New(Options{Token: "a.b.c", RatePerMinute: 3, Shared: st}, svc, nil)
		if err != nil {
			t.Fatal(err)
		}
		bots = append(bots, b)
	}
	a, b := bots[0], bots[1]
	if a.duplicate("1001") || !b.duplicate("1001") || !a.duplicate("1001") {
		t.Error("a delivery to one replica is not a duplicate on the other")
	}
	steps := []struct {
		bot  *Bot
		user string
		want bool
	}{
		{a, "u1", true}, {b, "u1", true}, {a, "u1", true},
		{b, "u1", false}, // the fourth command in a minute, over both replicas
		{a, "u2", true},
	}
	for i, st := range steps {
		if got := st.bot.allow(st.user); got != st.want {
			t.Errorf("step %d: allow(%s) = %v", i, st.user, got)
		}
	}
}
