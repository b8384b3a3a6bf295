package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/store"
)

const heraldByline = "By Mara Quill, Harbour Herald staff writer"

func heraldArticle(i int) *news.Article {
	a := &news.Article{
		Title:  fmt.Sprintf("Harbour works reach stage %d", i),
		URL:    fmt.Sprintf("https://herald.example/h%d", i),
		Source: "Harbour Herald",
		Paragraphs: []string{heraldByline,
			fmt.Sprintf("The harbour works at berth %c%c reached a new stage, the port authority said.", 'a'+i%26, 'a'+i/26)},
	}
	a.ComputeID()
	return a
}

// quillHits counts the articles whose indexed text holds the byline's name.
func quillHits(t *testing.T, ix *index.Index) int {
	t.Helper()
	res, err := ix.Search(context.Background(), index.SearchOptions{Query: "Quill", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// Boilerplate learned as articles arrive one by one is applied to the
// articles stored before it was learned.
func TestBoilerplateAppliedToStoredArticles(t *testing.T) {
	ctx := context.Background()
	lib, err := Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	for i := range 12 {
		if _, err := lib.Add(ctx, []*news.Article{heraldArticle(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if n := quillHits(t, lib.Index); n != 0 {
		t.Errorf("%d articles still indexed with the byline", n)
	}
	stored, err := lib.Store.Article(heraldArticle(0).ID)
	if err != nil || stored.Paragraphs[0] != heraldByline {
		t.Errorf("the stored article lost its byline: %v %q", err, stored.Paragraphs)
	}
}

// A data folder filled by a version that did not learn boilerplate: the
// first open learns from the store and indexes the articles again.
func TestBoilerplateLearnedOnUpgrade(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, storeFile), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(dir, indexFolder), st)
	if err != nil {
		t.Fatal(err)
	}
	var arts []*news.Article
	for i := range 12 {
		arts = append(arts, heraldArticle(i))
	}
	if _, err := st.AddArticles(arts); err != nil {
		t.Fatal(err)
	}
	if err := ix.IndexArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	st.MarkIndexed(ids)
	if n := quillHits(t, ix); n != 12 {
		t.Fatalf("the old index holds the byline in %d articles, want 12", n)
	}
	ix.Close()
	st.Close()

	lib, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if n := quillHits(t, lib.Index); n != 0 {
		t.Errorf("after the upgrade, %d articles indexed with the byline", n)
	}
}
