package commands

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/store/postgres"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// replica opens a service over the shared PostgreSQL store, with its own
// data folder and index.
func replica(t *testing.T, dsn string) *Service {
	t.Helper()
	ctx := context.Background()
	st, err := postgres.Open(ctx, dsn, postgres.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	lib, err := ingest.OpenStore(ctx, t.TempDir(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return New(lib)
}

// TestPagingAcrossReplicas: a search answered by one replica is paged by
// another, as behind a load balancer; the page state is in the database.
func TestPagingAcrossReplicas(t *testing.T) {
	dsn := pgtest.DSN(t)
	a := replica(t, dsn)
	ctx := context.Background()
	if _, err := a.Lib.IngestFS(ctx, sample.FS(), sample.Articles(), ingest.FileOptions{}); err != nil {
		t.Fatal(err)
	}
	b := replica(t, dsn) // opened after the ingest: built from the store
	r, err := a.Handle(ctx, Request{Command: "search", Options: map[string]any{"query": "president election"}})
	if err != nil || len(r.Buttons) != 2 {
		t.Fatalf("search: %+v, %v", r, err)
	}
	next, err := b.Component(ctx, r.Buttons[1].CustomID, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if next.Ephemeral || len(next.Cards) == 0 || next.Cards[0].ArticleID == r.Cards[0].ArticleID {
		t.Errorf("page 2 through the other replica = %+v", next)
	}
	if other, _ := b.Component(ctx, r.Buttons[1].CustomID, Request{Guild: "999"}); !other.Ephemeral {
		t.Error("another guild could page this search")
	}
	if gone, _ := b.Component(ctx, "pg:AAAAAAAAAAAA:1", Request{}); !gone.Ephemeral || !strings.Contains(gone.Text, "15 minutes") {
		t.Errorf("unknown page: %+v", gone)
	}
}
