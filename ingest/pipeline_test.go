package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
)

func TestSecondProcessFailsFastNamingTheHolder(t *testing.T) {
	dir := t.TempDir()
	lib, err := Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	start := time.Now()
	_, err = Open(context.Background(), dir, nil)
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "PID "+strconv.Itoa(os.Getpid())) {
		t.Errorf("second open: %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Error("the second open hung")
	}
}

// TestBrokenIndexIsRebuiltFromTheStore: an index that cannot be opened is
// rebuilt from the store, never the other way round.
func TestBrokenIndexIsRebuiltFromTheStore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	lib, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.IngestFS(ctx, sample.FS(), sample.Articles()[:2], FileOptions{}); err != nil {
		t.Fatal(err)
	}
	stored := lib.Store.Count()
	lib.Close()
	if err := os.WriteFile(filepath.Join(dir, indexFolder, "index_meta.json"), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	lib, err = Open(ctx, dir, nil)
	if err != nil {
		t.Fatalf("reopen with a broken index: %v", err)
	}
	defer lib.Close()
	n, err := lib.Index.DocCount()
	if err != nil || n != stored || lib.Store.Count() != stored {
		t.Errorf("after the rebuild: indexed %d, stored %d, want %d (%v)", n, lib.Store.Count(), stored, err)
	}
}

// TestIndexBehindTheStoreIsReconciled: an index that lost articles (restored
// from an older backup) gets them back from the store at open.
func TestIndexBehindTheStoreIsReconciled(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	lib, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.IngestFS(ctx, sample.FS(), sample.Articles()[:1], FileOptions{}); err != nil {
		t.Fatal(err)
	}
	a, err := lib.Store.Article(firstID(t, lib))
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Index.DeleteArticle(a); err != nil {
		t.Fatal(err)
	}
	lib.Close()
	lib, err = Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	has, err := lib.Index.Has([]string{a.ID})
	if err != nil || !has[a.ID] {
		t.Errorf("the article the index lost is still missing (%v)", err)
	}
}

func firstID(t *testing.T, lib *Library) string {
	t.Helper()
	var id string
	_ = lib.Store.ForEach(func(a *news.Article) error {
		if id == "" {
			id = a.ID
		}
		return nil
	})
	return id
}

// TestLargeJSONLStreams: a JSONL export far over the 10 MB file cap goes in a
// line at a time, and a bad line fails alone.
func TestLargeJSONLStreams(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	filler := strings.Repeat("The council met again to discuss the harbour budget. ", 200) // ~10 KB
	const n = 1200                                                                         // ~12 MB
	for i := range n {
		fmt.Fprintf(f, "{\"title\":\"Council meeting %d\",\"text\":%q,\"url\":\"https://council.example/%d\"}\n", i, filler, i)
		if i == 7 {
			fmt.Fprintln(f, "{not json")
		}
	}
	f.Close()
	lib, err := Open(context.Background(), filepath.Join(dir, "data"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	rep, err := lib.IngestPaths(context.Background(), []string{path}, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Ingested != n || rep.Failed != 1 || !strings.HasSuffix(rep.Failures[0].Ref, "big.jsonl:9") {
		t.Errorf("ingested %d, failed %d (%v), want %d and the bad line 9", rep.Ingested, rep.Failed, rep.Failures, n)
	}
	// A file ingest counts what it adds and keeps none of it: the report of
	// a million-article file must not hold a million articles.
	if len(rep.Added) != 0 || len(rep.DuplicateOf) != 0 {
		t.Errorf("the report holds %d added and %d duplicated articles, want counts only", len(rep.Added), len(rep.DuplicateOf))
	}
}

// TestReindexWhileServing rebuilds the index while searches run on it: no
// failure, no moment without an index, and the count is whole afterwards.
func TestReindexWhileServing(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	lib, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if _, err := lib.IngestFS(ctx, sample.FS(), sample.Articles()[:2], FileOptions{}); err != nil {
		t.Fatal(err)
	}
	stored := lib.Store.Count()
	stop := make(chan struct{})
	errs := make(chan error, 1)
	go func() {
		defer close(errs)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := lib.Index.Search(ctx, index.SearchOptions{Query: "election", Limit: 3}); err != nil {
				errs <- err
				return
			}
		}
	}()
	n, err := lib.Reindex(ctx, nil)
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errs; err != nil {
		t.Errorf("a search during the reindex failed: %v", err)
	}
	if n != stored {
		t.Errorf("reindexed %d, stored %d", n, stored)
	}
}

// TestManyBatches ingests a file of many batches, each stored while the one
// before it is indexed, with duplicates of articles from earlier batches:
// every article is indexed once, the counts add up, and progress only grows.
func TestManyBatches(t *testing.T) {
	defer func(n int) { addBatch = n }(addBatch)
	addBatch = 40
	dir := t.TempDir()
	path := filepath.Join(dir, "many.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	const n = 430
	dups := 0
	for i := range n {
		fmt.Fprintf(f, "{\"title\":\"Harbour report %d\",\"text\":\"The harbour board met for the %dth time and approved budget line %d.\",\"url\":\"https://harbour.example/%d\"}\n", i, i, i, i)
		if i%97 == 96 { // an article of an earlier batch, again
			j := i - 90
			fmt.Fprintf(f, "{\"title\":\"Harbour report %d\",\"text\":\"The harbour board met for the %dth time and approved budget line %d.\",\"url\":\"https://harbour.example/%d\"}\n", j, j, j, j)
			dups++
		}
	}
	f.Close()
	lib, err := Open(context.Background(), filepath.Join(dir, "data"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	last := 0
	rep, err := lib.IngestPaths(context.Background(), []string{path}, FileOptions{Progress: func(done int) {
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last = done
	}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Ingested != n || rep.Duplicates != dups || rep.Failed != 0 {
		t.Errorf("ingested %d, duplicates %d, failed %d; want %d, %d, 0", rep.Ingested, rep.Duplicates, rep.Failed, n, dups)
	}
	if last != n+dups {
		t.Errorf("progress ended at %d, want %d", last, n+dups)
	}
	count, err := lib.Index.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Errorf("the index holds %d articles, want %d", count, n)
	}
	// The bodies repeat one sentence, which the source's boilerplate
	// model learns to strip; the titles stay.
	res, err := lib.Index.Search(context.Background(), index.SearchOptions{Query: "harbour report", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != n {
		t.Errorf("a search for the words of every title finds %d, want %d", res.Total, n)
	}
}
