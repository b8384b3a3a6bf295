package index

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsbot/newsbot/news"
)

// TestQueriesWaitTheirTurn: with every core's slot taken, a query waits for
// one (and gives up with its context), and runs once a slot is free.
func TestQueriesWaitTheirTurn(t *testing.T) {
	a := &news.Article{Title: "Harbour reopens", Source: "herald", Paragraphs: []string{"The harbour in Portvale reopened on Monday."}}
	a.ComputeID()
	ix, err := Open(filepath.Join(t.TempDir(), "index"), memSource{a.ID: a})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.IndexArticles(context.Background(), []*news.Article{a}); err != nil {
		t.Fatal(err)
	}
	for range cap(ix.running) {
		ix.running <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	calls := map[string]func(context.Context) error{
		"search": func(ctx context.Context) error { _, err := ix.Search(ctx, SearchOptions{Query: "harbour"}); return err },
		"ask": func(ctx context.Context) error {
			_, err := ix.Ask(ctx, "When did the harbour reopen?", Scope{})
			return err
		},
		"quotes": func(ctx context.Context) error {
			_, _, err := ix.Quotes(ctx, QuoteOptions{About: "harbour"})
			return err
		},
		"suggest": func(ctx context.Context) error { _, err := ix.SuggestSpeakers(ctx, Scope{}, "p", 5); return err },
		"trend":   func(ctx context.Context) error { _, err := ix.Trend(ctx, TrendOptions{Topic: "harbour"}); return err },
	}
	for name, call := range calls {
		if err := call(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s with every slot taken: err = %v, want the context's deadline", name, err)
		}
	}
	<-ix.running // one core free
	for name, call := range calls {
		if err := call(context.Background()); err != nil {
			t.Errorf("%s with a slot free: %v", name, err)
		}
	}
	if n := len(ix.running); n != cap(ix.running)-1 {
		t.Errorf("%d slots taken after the queries, want %d: a query kept its slot", n, cap(ix.running)-1)
	}
}
