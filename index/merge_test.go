package index_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

// Sorts and facets read doc values, which newsbot writes in a layout of its
// own for some fields (index.rawDocValues); they must read the same after
// bleve merges the segments of several batches into one.
func TestRawDocValuesSurviveMerges(t *testing.T) {
	ctx := context.Background()
	lib, err := ingest.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	speakers := []string{"Ada Quill", "Bo Lindqvist", "Cy Adams"}
	want := map[string]int{}
	words := strings.Fields("mayor council crew pilot union board port " +
		"quietly today again finally slowly " + "harbour pier bridge quay")
	// Three batches, three segments; articles of the same batch are
	// neither in date order nor in id order.
	for batch := range 3 {
		var arts []*news.Article
		for i := range 40 {
			n := batch*40 + (i*17)%40
			sp := speakers[n%len(speakers)]
			want[sp]++
			arts = append(arts, &news.Article{
				ID: fmt.Sprintf("a%03d", 119-n), Title: fmt.Sprintf("Harbour report %d", n), Source: fmt.Sprintf("source %d", n),
				Published: start.Add(time.Duration(n) * time.Hour),
				// Words of its own, or the boilerplate filter strips
				// the paragraph from all but the first articles.
				Paragraphs: []string{fmt.Sprintf("The %s %s reopened the %s.", words[n%7], words[7+n%5], words[12+n%4])},
				Quotes:     []quotes.Quote{{Speaker: sp, Text: fmt.Sprintf("The harbour is open, day %d", n), Kind: quotes.Direct, Cue: "said"}},
			})
		}
		if _, err := lib.Add(ctx, arts); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		hits, total, err := lib.Index.Quotes(ctx, index.QuoteOptions{Speaker: "Ada Quill", Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Article.Published.Format("01-02T15"))
		}
		// Ada Quill speaks on n = 0, 3, ..., 117: the newest five first.
		wantDates := "[01-05T21 01-05T18 01-05T15 01-05T12 01-05T09]"
		if fmt.Sprint(got) != wantDates || total != want["Ada Quill"] {
			t.Errorf("%s: Ada Quill's newest quotes %v of %d, want %s of %d", when, got, total, wantDates, want["Ada Quill"])
		}
		sugg, err := lib.Index.SuggestSpeakers(ctx, index.Scope{}, "ad", 5)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(sugg) != fmt.Sprintf("[{Ada Quill %d} {Cy Adams %d}]", want["Ada Quill"], want["Cy Adams"]) {
			t.Errorf("%s: suggestions for \"ad\": %v, want Ada Quill %d, Cy Adams %d", when, sugg, want["Ada Quill"], want["Cy Adams"])
		}
	}
	check("three segments")
	if err := lib.Index.ForceMerge(ctx); err != nil {
		t.Fatal(err)
	}
	check("merged")
}
