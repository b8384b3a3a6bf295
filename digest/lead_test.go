package digest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

func TestLeadSentence(t *testing.T) {
	cases := []struct {
		name  string
		title string
		paras []string
		want  string
	}{
		{"review notice first", "NATO agrees plan for Ukraine",
			[]string{"This article requires pre-publication review by an uninvolved reviewer (one not substantially involved in writing the article).", "NATO ministers agreed a plan to coordinate security assistance for Ukraine on Tuesday."},
			"NATO ministers agreed a plan to coordinate security assistance for Ukraine on Tuesday."},
		{"dateline and series note", "Campaign trail: debates held",
			[]string{"Tuesday, November 19, 2024", "The following is the sixth edition of a monthly series chronicling the election.", "Two debates were held by the foundation this month, with four campaign candidates."},
			"Two debates were held by the foundation this month, with four campaign candidates."},
		{"furniture line", "Harbour reopens after storm",
			[]string{"Share this article", "Read more", "The harbour in Portvale reopened on Tuesday after the storm."},
			"The harbour in Portvale reopened on Tuesday after the storm."},
		{"background before the story", "Harbour reopens after storm",
			[]string{"Autumn gales are common on this coast every year. The harbour reopened on Tuesday after repairs."},
			"The harbour reopened on Tuesday after repairs."},
		{"nothing about the headline: the first news sentence", "Quiet day",
			[]string{"Editor's note: corrected on Monday.", "Nothing much happened in the town on Sunday at all."},
			"Nothing much happened in the town on Sunday at all."},
		{"nothing usable", "Empty", []string{"Read more"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := leadSentence(&news.Article{Title: c.title, Paragraphs: c.paras}); got != c.want {
				t.Errorf("lead = %q, want %q", got, c.want)
			}
		})
	}
}

// A window spanning years: the newest story leads, and the others follow by
// date, however many quotes the older ones have; a quote needs a named
// speaker.
func TestBuildNewestLeadsOverQuotes(t *testing.T) {
	lib := openLib(t, t.TempDir())
	defer lib.Close()
	end := day0
	var many []quotes.Quote
	for range 25 {
		many = append(many, direct("Ana Lind", "A long interview answer about many things."))
	}
	mk := func(id, title string, published time.Time, qs ...quotes.Quote) *news.Article {
		a := article(id, guild, title, end.Add(-time.Hour), qs...)
		a.Published = published
		return a
	}
	add(t, lib,
		mk("interview", "Long interview with a painter", end.AddDate(-4, 0, 0), many...),
		mk("older", "Bridge closes for repairs", end.AddDate(-4, -2, 0)),
		mk("news", "Ministers agree on aid plan", end.AddDate(0, -1, 0), direct("D.C.", "Not a speaker's words at all."), direct("Jens Stoltenberg", "We agreed.")),
		mk("mid", "Rail line opens", end.AddDate(-2, 0, 0)),
	)
	d, err := Build(context.Background(), lib.Index, Query{Guild: guild, From: end.AddDate(-10, 0, 0), To: end})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ids(d), " "); got != "news mid interview older" {
		t.Errorf("ranking = %s, want news mid interview older", got)
	}
	if q := d.Items[0].Quote; q == nil || q.Speaker != "Jens Stoltenberg" {
		t.Errorf("notable quote %+v, want the one with a named speaker", q)
	}
}
