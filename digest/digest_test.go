package digest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

const (
	guild = "100000000000000001"
	other = "100000000000000002"
	chanA = "100000000000000010"
)

// day0 is a Monday; the tests' clocks start from it.
var day0 = time.Date(2030, 3, 4, 0, 0, 0, 0, time.UTC)

func openLib(t *testing.T, dir string) *ingest.Library {
	t.Helper()
	lib, err := ingest.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// article makes an article with a fixed id and ingest time. Quotes are given
// (not extracted), so each test says exactly which an article has.
func article(id, guild, title string, ingested time.Time, qs ...quotes.Quote) *news.Article {
	if qs == nil {
		qs = []quotes.Quote{}
	}
	return &news.Article{
		ID: id, Guild: guild, Title: title, Source: "Source " + id, URL: "https://news.example/" + id,
		Paragraphs: []string{title + ". It happened on " + ingested.Format("Monday") + ", officials said.", "More details followed."},
		Ingested:   ingested, Quotes: qs,
	}
}

func add(t *testing.T, lib *ingest.Library, arts ...*news.Article) {
	t.Helper()
	res, err := lib.Add(context.Background(), arts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != len(arts) {
		t.Fatalf("added %d of %d articles", len(res.Added), len(arts))
	}
}

func ids(d Digest) []string {
	var out []string
	for _, it := range d.Items {
		out = append(out, it.Article.ID)
	}
	return out
}

func direct(speaker, text string) quotes.Quote {
	return quotes.Quote{Text: text, Speaker: speaker, Kind: quotes.Direct, Cue: "said"}
}

func TestBuildWindowAndScope(t *testing.T) {
	lib := openLib(t, t.TempDir())
	defer lib.Close()
	from, to := day0.Add(8*time.Hour), day0.Add(32*time.Hour)
	add(t, lib,
		article("before", guild, "Ferry timetable changes announced", from.Add(-time.Nanosecond)),
		article("first", guild, "Council approves the river bridge", from),
		article("last", "", "Library reopens after renovation works", to.Add(-time.Nanosecond)),
		article("after", guild, "Marathon route published for spring", to),
		article("elsewhere", other, "Another server's local election", from.Add(time.Hour)),
	)
	d, err := Build(context.Background(), lib.Index, Query{Guild: guild, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(ids(d), " ")
	if d.Total != 2 || !strings.Contains(got, "first") || !strings.Contains(got, "last") || len(d.Items) != 2 {
		t.Errorf("window [from, to) in guild scope = %q (total %d), want first and last only", got, d.Total)
	}
	// The global scope sees the global article only.
	d, _ = Build(context.Background(), lib.Index, Query{From: from, To: to})
	if got := strings.Join(ids(d), " "); got != "last" {
		t.Errorf("global scope = %q, want last", got)
	}
	for _, it := range d.Items {
		if it.Lead == "" {
			t.Errorf("%s has no lead", it.Article.ID)
		}
	}
}

func TestBuildCollapsesNearDuplicates(t *testing.T) {
	lib := openLib(t, t.TempDir())
	defer lib.Close()
	at := day0.Add(10 * time.Hour)
	sameURL1 := article("u1", guild, "Minister resigns over expenses", at)
	sameURL2 := article("u2", "", "Expenses row: the minister steps down", at.Add(time.Minute))
	sameURL1.URL = "https://news.example/minister?utm_source=feed#top"
	sameURL2.URL = "https://news.example/minister"
	add(t, lib, sameURL1, sameURL2,
		// 6 of 7 words shared: 0.86, one story.
		article("t1", guild, "Storm closes harbour in Portvale on Tuesday", at, direct("Ines Gale", "We are closed until the wind drops.")),
		article("t2", guild, "Storm closes harbour in Portvale Tuesday", at.Add(2*time.Minute)),
		article("t3", guild, "Storm closes harbour in Portvale on Tuesday", at.Add(3*time.Minute)),
		// 4 of 6 words shared: 0.67, two stories.
		article("d1", guild, "Storm closes airport in Riverton", at),
		article("d2", guild, "Storm closes stadium in Riverton", at),
	)
	d, err := Build(context.Background(), lib.Index, Query{Guild: guild, From: day0, To: day0.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if d.Total != 4 || len(d.Items) != 4 {
		t.Fatalf("%d stories (total %d), want 4: %v", len(d.Items), d.Total, ids(d))
	}
	for _, it := range d.Items {
		switch it.Article.ID {
		case "t1", "t2", "t3":
			// The telling with a quote is the one shown.
			if it.Article.ID != "t1" || len(it.Also) != 2 {
				t.Errorf("harbour story shown as %s with %d others, want t1 with 2", it.Article.ID, len(it.Also))
			}
			if n := len(it.Sources()); n != 3 {
				t.Errorf("harbour story has %d sources, want 3", n)
			}
		case "u1", "u2":
			if len(it.Also) != 1 {
				t.Errorf("same canonical URL not collapsed: %s alone", it.Article.ID)
			}
		case "d1", "d2":
			if len(it.Also) != 0 {
				t.Errorf("different stories collapsed: %s", it.Article.ID)
			}
		}
	}
}

func TestBuildRanksAndQuotes(t *testing.T) {
	lib := openLib(t, t.TempDir())
	defer lib.Close()
	end := day0.Add(24 * time.Hour)
	at := end.Add(-time.Hour)
	old := article("old", guild, "Archive piece about the 1990 floods", at)
	old.Published = end.AddDate(-5, 0, 0)
	widely := []*news.Article{
		article("w1", guild, "Central bank raises interest rates again", at),
		article("w2", guild, "Central bank raises interest rates again", at),
		article("w3", guild, "Central bank raises the interest rates again", at),
	}
	quoted := article("q", guild, "Mayor opens the new tram line", at,
		direct("Ana Lind", "Short one."),
		direct("Ana Lind", "This tram line joins the two halves of our city at last."),
		quotes.Quote{Text: "the line would be extended to the airport by the end of the decade if funding allows", Speaker: "Ana Lind", Kind: quotes.Indirect, Cue: "said"},
		direct("", "An unattributed quote that is longer than every attributed one in this article."),
		// Stored by an older extractor: a religion is no speaker.
		direct("Muslim", "A quote credited to a word that is not a person, longer than every other one here."),
	)
	plain := article("p", guild, "Weather service issues a fog warning", at)
	add(t, lib, append(widely, old, quoted, plain)...)
	d, err := Build(context.Background(), lib.Index, Query{Guild: guild, From: day0, To: end})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(d)
	want := []string{"w3", "q", "p", "old"} // w3: the longest telling of its story
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ranking = %v, want %v (more sources, then more quotes, then the rest; old news last)", got, want)
	}
	for _, it := range d.Items {
		if it.Article.ID != "q" {
			if it.Quote != nil {
				t.Errorf("%s has quote %q, it has none", it.Article.ID, it.Quote.Text)
			}
			continue
		}
		if it.Quote == nil || !strings.HasPrefix(it.Quote.Text, "This tram line") {
			t.Errorf("notable quote = %+v, want the longest direct quote with a speaker", it.Quote)
		}
	}
}

func TestBuildCapsAndCounts(t *testing.T) {
	lib := openLib(t, t.TempDir())
	defer lib.Close()
	var arts []*news.Article
	for i := range 45 {
		arts = append(arts, article(fmt.Sprintf("a%02d", i), guild, fmt.Sprintf("Story number %d about %s", i, strings.Repeat("x", i+1)), day0.Add(time.Duration(i)*time.Minute)))
	}
	add(t, lib, arts...)
	d, err := Build(context.Background(), lib.Index, Query{Guild: guild, From: day0, To: day0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Items) != MaxItems || d.Total != 45 || d.More() != 15 {
		t.Errorf("%d items, total %d, more %d; want %d, 45, 15", len(d.Items), d.Total, d.More(), MaxItems)
	}
	// The newest come first when nothing else tells the stories apart.
	if d.Items[0].Article.ID != "a44" {
		t.Errorf("first item %s, want the newest (a44)", d.Items[0].Article.ID)
	}
	d, _ = Build(context.Background(), lib.Index, Query{Guild: guild, From: day0, To: day0.Add(time.Hour), MaxItems: 5})
	if len(d.Items) != 5 || d.More() != 40 {
		t.Errorf("MaxItems 5: %d items, %d more", len(d.Items), d.More())
	}
}

func TestJaccard(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"Storm closes harbour", "storm closes harbour!", 1},
		{"Storm closes harbour in Portvale on Tuesday", "Storm closes harbour in Portvale Tuesday", 6.0 / 7},
		{"Storm closes airport in Riverton", "Storm closes stadium in Riverton", 4.0 / 6},
		{"", "anything", 0},
	}
	for _, tt := range tests {
		if got := jaccard(titleWords(tt.a), titleWords(tt.b)); got != tt.want {
			t.Errorf("jaccard(%q, %q) = %.3f, want %.3f", tt.a, tt.b, got, tt.want)
		}
	}
}
