package index_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/news"
)

func TestIngestedWindow(t *testing.T) {
	lib, err := ingest.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	from := time.Date(2030, 3, 4, 8, 0, 0, 0, time.UTC)
	to := from.Add(24 * time.Hour)
	at := map[string]time.Time{
		"early":  from.Add(-time.Nanosecond),
		"from":   from,
		"mid":    from.Add(time.Hour),
		"mid2":   from.Add(time.Hour), // one batch: the id orders them
		"latest": to.Add(-time.Nanosecond),
		"to":     to,
	}
	var arts []*news.Article
	for id, when := range at {
		arts = append(arts, &news.Article{ID: id, Title: "Article " + id, Paragraphs: []string{"Text " + id + "."}, Ingested: when})
	}
	// A guild's article in the window, and one published long ago but
	// ingested in it: the window is on the ingest time.
	arts = append(arts,
		&news.Article{ID: "own", Guild: "111", Title: "Guild article", Paragraphs: []string{"Own."}, Ingested: from.Add(2 * time.Hour)},
		&news.Article{ID: "archive", Title: "Archive", Paragraphs: []string{"Old."}, Published: from.AddDate(-10, 0, 0), Ingested: from.Add(3 * time.Hour)},
	)
	if _, err := lib.Add(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		scope index.Scope
		limit int
		want  string
		total int
	}{
		{index.Scope{}, 0, "[latest archive mid mid2 from]", 5},
		{index.Scope{Guild: "111"}, 0, "[latest archive own mid mid2 from]", 6},
		{index.Scope{Guild: "222"}, 2, "[latest archive]", 5},
	}
	for _, tt := range tests {
		got, total, err := lib.Index.Ingested(context.Background(), index.WindowOptions{Scope: tt.scope, From: from, To: to, Limit: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		if fmt.Sprint(ids) != tt.want || total != tt.total {
			t.Errorf("scope %q: %v (total %d), want %s (total %d)", tt.scope.Guild, ids, total, tt.want, tt.total)
		}
	}
}
