package postgres

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/store"
	"github.com/newsbot/newsbot/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func open(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Backend { return open(t, pgtest.DSN(t)) })
}

func TestLog(t *testing.T) {
	s := open(t, pgtest.DSN(t))
	defer s.Close()
	ctx := context.Background()
	if h, err := s.LogHead(ctx); err != nil || h != 0 {
		t.Fatalf("head of an empty log = %d, %v", h, err)
	}
	if res, err := s.AddArticles([]*news.Article{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}}); err != nil || len(res.LogSeqs) != 2 {
		t.Fatalf("add: %+v, %v", res, err)
	}
	if res, _ := s.AddArticles([]*news.Article{{ID: "a", Title: "dup"}}); len(res.LogSeqs) != 0 { // a duplicate is no change
		t.Errorf("a duplicate was logged: %v", res.LogSeqs)
	}
	_ = s.PutArticle(&news.Article{ID: "a", Title: "A2"})
	_ = s.Delete("b")
	got, err := s.LogAfter(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for i, e := range got {
		op := "put"
		if e.Deleted {
			op = "del"
		}
		ops = append(ops, e.ID+":"+op)
		if i > 0 && e.Seq <= got[i-1].Seq {
			t.Errorf("sequence does not grow: %v", got)
		}
	}
	if strings.Join(ops, " ") != "a:put b:put a:put b:del" {
		t.Errorf("log = %v", ops)
	}
	if h, _ := s.LogHead(ctx); h != got[len(got)-1].Seq {
		t.Errorf("head = %d, last = %d", h, got[len(got)-1].Seq)
	}
	if rest, _ := s.LogAfter(ctx, got[1].Seq, 1); len(rest) != 1 || rest[0].Seq != got[2].Seq {
		t.Errorf("LogAfter(second, 1) = %v", rest)
	}
}

// TestWaitLogWakes: a writer's commit wakes a waiter long before its timeout.
func TestWaitLogWakes(t *testing.T) {
	dsn := pgtest.DSN(t)
	s, w := open(t, dsn), open(t, dsn)
	defer s.Close()
	defer w.Close()
	ctx := context.Background()
	w.WaitLog(ctx, 10*time.Millisecond) // starts listening
	done := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		w.WaitLog(ctx, time.Minute)
		done <- time.Since(start)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := s.AddArticles([]*news.Article{{ID: time.Now().String(), Title: "x"}}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-done:
			return
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("WaitLog did not wake on a commit")
		}
	}
}

func TestLease(t *testing.T) {
	s := open(t, pgtest.DSN(t))
	defer s.Close()
	ctx := context.Background()
	steps := []struct {
		holder string
		ttl    time.Duration
		want   bool
	}{
		{"r1", time.Hour, true},
		{"r2", time.Hour, false},
		{"r1", time.Hour, true}, // renewal
		{"r1", -time.Second, true},
		{"r2", time.Hour, true}, // r1's lease expired
		{"r1", time.Hour, false},
	}
	for i, st := range steps {
		got, err := s.TryLease(ctx, "poll", st.holder, st.ttl)
		if err != nil || got != st.want {
			t.Fatalf("step %d: TryLease(%s) = %v, %v; want %v", i, st.holder, got, err, st.want)
		}
	}
	if err := s.ReleaseLease(ctx, "poll", "r1"); err != nil { // not the holder: no effect
		t.Fatal(err)
	}
	if ok, _ := s.TryLease(ctx, "poll", "r1", time.Hour); ok {
		t.Error("a release by a non-holder freed the lease")
	}
	_ = s.ReleaseLease(ctx, "poll", "r2")
	if ok, _ := s.TryLease(ctx, "poll", "r1", time.Hour); !ok {
		t.Error("a released lease was not free")
	}
	if ok, _ := s.TryLease(ctx, "digest", "r2", time.Hour); !ok {
		t.Error("leases of different names exclude each other")
	}
}

func TestMigrate(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	if _, err := Open(ctx, dsn, Options{}); !errors.Is(err, ErrSchemaOld) || !strings.Contains(err.Error(), "newsbot migrate") {
		t.Fatalf("open of an empty database without migrating: %v", err)
	}
	// Replicas starting together: each migration is applied once.
	errs := make(chan error, 4)
	applied := make(chan int, 4)
	for range 4 {
		go func() {
			s, err := Open(ctx, dsn, Options{})
			if err == nil {
				s.Close()
			}
			s2, err := openPool(ctx, dsn)
			if err != nil {
				errs <- err
				return
			}
			defer s2.Close()
			got, err := Migrate(ctx, s2)
			applied <- len(got)
			errs <- err
		}()
	}
	total := 0
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		total += <-applied
	}
	if total != SchemaVersion() {
		t.Errorf("four concurrent migrations applied %d migrations, want %d once", total, SchemaVersion())
	}
	s := open(t, dsn)
	defer s.Close()
	if got, err := Migrate(ctx, s.Pool()); err != nil || len(got) != 0 {
		t.Errorf("a second migrate applied %v, %v", got, err)
	}
	if _, err := s.Pool().Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES (999, 'future')"); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{}, {Migrate: true}} {
		if _, err := Open(ctx, dsn, o); !errors.Is(err, ErrSchemaNewer) || !strings.Contains(err.Error(), "version 999") {
			t.Errorf("open with %+v of a newer schema: %v", o, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tests := []struct {
		name, dsn, want string
	}{
		{"not a dsn", "postgres://u:hunter2@[::1", "store.dsn"},
		{"nothing listens", "host=" + dir + " user=u password=hunter2 dbname=x connect_timeout=2", "cannot reach the database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(ctx, tt.dsn, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the password is in the message: %v", err)
			}
		})
	}
}
