package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/store/postgres"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// openReplica opens a data folder of its own over the shared database and
// follows the log until the test ends.
func openReplica(t *testing.T, dsn string) *Library {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	lib := openShared(t, dsn)
	done := make(chan struct{})
	go func() { defer close(done); lib.Follow(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return lib
}

// openShared opens a data folder of its own over the shared database; it is
// closed when the test ends.
func openShared(t *testing.T, dsn string) *Library {
	t.Helper()
	ctx := context.Background()
	st, err := postgres.Open(ctx, dsn, postgres.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	lib, err := OpenStore(ctx, t.TempDir(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return lib
}

// waitFound polls a replica's index until the query finds want hits, and
// returns how long that took.
func waitFound(t *testing.T, lib *Library, query string, want int) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		res, err := lib.Index.Search(context.Background(), index.SearchOptions{Query: query, Scope: index.Scope{}, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total == want {
			return time.Since(start)
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("%q: %d hits after 30 s, want %d", query, res.Total, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReplicasFollowTheLog: an article added through one replica is found
// through the others, and a removal likewise, without any restart.
func TestReplicasFollowTheLog(t *testing.T) {
	dsn := pgtest.DSN(t)
	r1, r2, r3 := openReplica(t, dsn), openReplica(t, dsn), openReplica(t, dsn)
	ctx := context.Background()
	a := &news.Article{Title: "Portvale harbour reopens", Paragraphs: []string{"The harbour in Portvale reopened on Tuesday."}}
	a.ComputeID()
	if res, err := r1.Add(ctx, []*news.Article{a}); err != nil || len(res.Added) != 1 {
		t.Fatalf("add: %+v, %v", res, err)
	}
	for i, r := range []*Library{r2, r3} {
		t.Logf("added through replica 1, found through replica %d after %v", i+2, waitFound(t, r, "Portvale", 1))
	}
	if _, err := r3.Remove(a.ID); err != nil {
		t.Fatal(err)
	}
	for i, r := range []*Library{r1, r2} {
		t.Logf("removed through replica 3, gone from replica %d after %v", i+1, waitFound(t, r, "Portvale", 0))
	}
	// A replica opened later builds its index from the store.
	a2 := &news.Article{Title: "Ferry to Islay resumes", Paragraphs: []string{"The ferry to Islay resumed service."}}
	a2.ComputeID()
	if _, err := r2.Add(ctx, []*news.Article{a2}); err != nil {
		t.Fatal(err)
	}
	r4 := openReplica(t, dsn)
	waitFound(t, r4, "Islay", 1)
	waitFound(t, r4, "Portvale", 0)
}

// TestOwnIngestMovesThePosition: what a library ingests itself moves its log
// position on, so the next open has nothing to index again.
func TestOwnIngestMovesThePosition(t *testing.T) {
	ctx := context.Background()
	lib := openShared(t, pgtest.DSN(t))
	st := lib.Store.(*postgres.Store)
	var arts []*news.Article
	for i := range 5 {
		a := &news.Article{Title: fmt.Sprint("Article ", i), Paragraphs: []string{fmt.Sprint("Text number ", i)}}
		a.ComputeID()
		arts = append(arts, a)
	}
	if _, err := lib.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	head, _ := st.LogHead(ctx)
	pos, err := readPos(lib.Dir)
	if err != nil || pos.Seq != head || head == 0 {
		t.Errorf("position %+v (%v), log head %d", pos, err, head)
	}
	if len(lib.follow.indexed) != 0 {
		t.Errorf("%d own entries left over", len(lib.follow.indexed))
	}
}

// TestOpenFillsGaps: an index that lost an article its log position says it
// has (a crash before the index wrote it) gets it back at the next open.
func TestOpenFillsGaps(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	lib := openShared(t, dsn)
	a := &news.Article{Title: "Portvale harbour reopens", Paragraphs: []string{"The harbour in Portvale reopened on Tuesday."}}
	a.ComputeID()
	if _, err := lib.Add(ctx, []*news.Article{a}); err != nil {
		t.Fatal(err)
	}
	dir := lib.Dir
	if err := lib.Index.DeleteArticle(a); err != nil {
		t.Fatal(err)
	}
	lib.Close()
	st, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := OpenStore(ctx, dir, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	waitFound(t, again, "Portvale", 1)
}

// TestFollowSurvivesRestart: the database restarts; the replica keeps
// following once it is back, without being reopened.
func TestFollowSurvivesRestart(t *testing.T) {
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	r1, r2 := openReplica(t, dsn), openReplica(t, dsn)
	c.Stop()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	a := &news.Article{Title: "Portvale harbour reopens", Paragraphs: []string{"The harbour in Portvale reopened on Tuesday."}}
	a.ComputeID()
	deadline := time.Now().Add(30 * time.Second)
	for {
		// The pool notices the restart on its first use and connects again.
		_, err := r1.Add(context.Background(), []*news.Article{a})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("add after the restart: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitFound(t, r2, "Portvale", 1)
	if _, err := os.Stat(filepath.Join(r2.Dir, posFile)); err != nil {
		t.Error(err)
	}
}
