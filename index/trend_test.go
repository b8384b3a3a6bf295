package index_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// trendCorpus is a small library whose dates, guilds, sources and quotes are
// known, so every count of a trend can be worked out by hand.
func trendCorpus(t *testing.T) *ingest.Library {
	t.Helper()
	lib, err := ingest.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	q := func(speaker, text string) quotes.Quote {
		return quotes.Quote{Speaker: speaker, Text: text, Kind: quotes.Direct, Cue: "said"}
	}
	arts := []*news.Article{
		// Week of Monday 3 June 2024: two global articles.
		{Title: "Zebra crossing repainted on Main Street", Source: "herald", Published: day("2024-06-03T09:00:00Z"),
			Paragraphs: []string{"The zebra crossing on Main Street was repainted."},
			Quotes:     []quotes.Quote{q("Ada Quill", "The zebra crossing is safer now")}},
		{Title: "Council debates the crossing", Source: "herald", Published: day("2024-06-05T12:00:00Z"),
			Paragraphs: []string{"A second zebra crossing was proposed near the school."}, Quotes: []quotes.Quote{}},
		// Week of 10 June: three in guild g1 (one late on a Wednesday,
		// which stays on Wednesday in UTC), one in g2.
		{Title: "Lights for the zebra crossing", Source: "gazette", Guild: "g1", Published: day("2024-06-11T08:00:00Z"),
			Paragraphs: []string{"The zebra crossing gets lights."},
			Quotes: []quotes.Quote{
				q("Quill", "Every zebra crossing needs lights"),
				q("Bo Lindqvist", "A zebra crossing saves lives"),
				q("", "zebra crossing rules are unclear"),
				q("Bo Lindqvist", "The budget is tight"),
			}},
		{Title: "Crossing works begin", Source: "gazette", Guild: "g1", Published: day("2024-06-12T23:30:00Z"),
			Paragraphs: []string{"Works on the zebra crossing began late at night."}, Quotes: []quotes.Quote{}},
		{Title: "Crossing works end", Source: "gazette", Guild: "g1", Published: day("2024-06-13T10:00:00Z"),
			Paragraphs: []string{"Works on the zebra crossing ended."}, Quotes: []quotes.Quote{}},
		{Title: "Elsewhere, a zebra crossing", Source: "courier", Guild: "g2", Published: day("2024-06-11T10:00:00Z"),
			Paragraphs: []string{"Another town paints a zebra crossing."},
			Quotes:     []quotes.Quote{q("Cy Moss", "Our zebra crossing is the best")}},
		// Week of 1 July: one global.
		{Title: "Zebra crossing wins award", Source: "post", Published: day("2024-07-01T00:00:00Z"),
			Paragraphs: []string{"The Main Street zebra crossing won a design award."}, Quotes: []quotes.Quote{}},
		// Undated: matches but has no bar.
		{Title: "Undated zebra crossing note", Source: "herald",
			Paragraphs: []string{"A note about the zebra crossing, without a date."}, Quotes: []quotes.Quote{}},
		// One of the two words only: not about the topic.
		{Title: "Zebra born at the zoo", Source: "herald", Published: day("2024-06-04T10:00:00Z"),
			Paragraphs: []string{"A zebra foal was born."}, Quotes: []quotes.Quote{}},
		// The only unicorn.
		{Title: "Unicorn parade", Source: "post", Published: day("2024-06-20T15:00:00Z"),
			Paragraphs: []string{"A unicorn parade filled the square."}, Quotes: []quotes.Quote{}},
	}
	for _, a := range arts {
		a.ComputeID()
	}
	if _, err := lib.Add(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	return lib
}

type counts []int

func bucketCounts(tr *index.Trend) counts {
	out := counts{}
	for _, b := range tr.Buckets {
		out = append(out, b.Count)
	}
	return out
}

func TestTrendBuckets(t *testing.T) {
	lib := trendCorpus(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		o        index.TrendOptions
		by       index.Period
		from     string
		counts   counts
		total    int
		nBuckets int // when the counts are too many to write out
		checkDay string
		dayCount int
		sources  []index.SpeakerCount
		speakers []index.SpeakerCount
	}{
		{name: "guild by week", o: index.TrendOptions{Topic: "zebra crossing", Scope: index.Scope{Guild: "g1"}, By: index.Week},
			by: index.Week, from: "2024-06-03T00:00:00Z", counts: counts{2, 3, 0, 0, 1}, total: 6,
			sources:  []index.SpeakerCount{{Name: "gazette", Count: 3}, {Name: "herald", Count: 2}, {Name: "post", Count: 1}},
			speakers: []index.SpeakerCount{{Name: "Ada Quill", Count: 2}, {Name: "Bo Lindqvist", Count: 1}}},
		{name: "global only", o: index.TrendOptions{Topic: "zebra crossing", By: index.Week},
			by: index.Week, from: "2024-06-03T00:00:00Z", counts: counts{2, 0, 0, 0, 1}, total: 3,
			speakers: []index.SpeakerCount{{Name: "Ada Quill", Count: 1}}},
		{name: "other guild", o: index.TrendOptions{Topic: "Zebra Crossing", Scope: index.Scope{Guild: "g2"}, By: index.Week},
			by: index.Week, from: "2024-06-03T00:00:00Z", counts: counts{2, 1, 0, 0, 1}, total: 4},
		{name: "by month", o: index.TrendOptions{Topic: "zebra crossing", Scope: index.Scope{Guild: "g1"}, By: index.Month},
			by: index.Month, from: "2024-06-01T00:00:00Z", counts: counts{5, 1}, total: 6},
		// 3 June to 1 July is within 60 days: by day, 29 bars.
		{name: "auto is by day", o: index.TrendOptions{Topic: "zebra crossing", Scope: index.Scope{Guild: "g1"}},
			by: index.Day, from: "2024-06-03T00:00:00Z", nBuckets: 29, total: 6, checkDay: "2024-06-12T00:00:00Z", dayCount: 1},
		{name: "since, up to now", o: index.TrendOptions{Topic: "zebra crossing", Scope: index.Scope{Guild: "g1"}, By: index.Week,
			Since: day("2024-06-10T00:00:00Z"), Now: day("2024-07-10T12:00:00Z")},
			by: index.Week, from: "2024-06-10T00:00:00Z", counts: counts{3, 0, 0, 1, 0}, total: 4},
		{name: "one article", o: index.TrendOptions{Topic: "unicorns"},
			by: index.Day, from: "2024-06-20T00:00:00Z", counts: counts{1}, total: 1,
			sources: []index.SpeakerCount{{Name: "post", Count: 1}}},
		{name: "nothing found", o: index.TrendOptions{Topic: "narwhal"}, counts: counts{}, total: 0},
		{name: "since in the future", o: index.TrendOptions{Topic: "zebra crossing", Since: day("2030-01-01T00:00:00Z"), Now: day("2024-08-20T00:00:00Z")},
			counts: counts{}, total: 0},
		{name: "since after everything", o: index.TrendOptions{Topic: "zebra crossing", By: index.Week,
			Since: day("2024-08-01T00:00:00Z"), Now: day("2024-08-20T00:00:00Z")},
			by: index.Week, from: "2024-07-29T00:00:00Z", counts: counts{0, 0, 0, 0}, total: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := lib.Index.Trend(ctx, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Total != tt.total {
				t.Errorf("total = %d, want %d", tr.Total, tt.total)
			}
			if tt.nBuckets > 0 {
				if len(tr.Buckets) != tt.nBuckets {
					t.Errorf("%d buckets, want %d", len(tr.Buckets), tt.nBuckets)
				}
			} else if got := bucketCounts(tr); !reflect.DeepEqual(got, tt.counts) {
				t.Errorf("counts = %v, want %v", got, tt.counts)
			}
			if tt.from == "" {
				return
			}
			if tr.By != tt.by {
				t.Errorf("by = %q, want %q", tr.By, tt.by)
			}
			if len(tr.Buckets) == 0 || !tr.Buckets[0].Start.Equal(day(tt.from)) || !tr.From.Equal(day(tt.from)) {
				t.Fatalf("first bucket %v, from %v; want %s", tr.Buckets, tr.From, tt.from)
			}
			for i, b := range tr.Buckets {
				if i > 0 && !b.Start.Equal(tr.By.Next(tr.Buckets[i-1].Start)) {
					t.Errorf("bucket %d starts %v, not a %s after the last", i, b.Start, tr.By)
				}
			}
			if end := tr.By.Next(tr.Buckets[len(tr.Buckets)-1].Start); !tr.To.Equal(end) {
				t.Errorf("to = %v, want %v", tr.To, end)
			}
			if tt.checkDay != "" {
				for _, b := range tr.Buckets {
					if b.Start.Equal(day(tt.checkDay)) && b.Count != tt.dayCount {
						t.Errorf("%s: %d articles, want %d", tt.checkDay, b.Count, tt.dayCount)
					}
				}
			}
			if tt.sources != nil && !reflect.DeepEqual(tr.Sources, tt.sources) {
				t.Errorf("sources = %v, want %v", tr.Sources, tt.sources)
			}
			if tt.speakers != nil && !reflect.DeepEqual(tr.Speakers, tt.speakers) {
				t.Errorf("speakers = %v, want %v", tr.Speakers, tt.speakers)
			}
		})
	}
}

func TestTrendErrors(t *testing.T) {
	lib := trendCorpus(t)
	ctx := context.Background()
	for _, topic := range []string{"", "   ", "the of and"} {
		if _, err := lib.Index.Trend(ctx, index.TrendOptions{Topic: topic}); !errors.Is(err, index.ErrEmptyQuery) {
			t.Errorf("topic %q: err = %v, want ErrEmptyQuery", topic, err)
		}
	}
	_, err := lib.Index.Trend(ctx, index.TrendOptions{Topic: "zebra crossing", By: index.Day,
		Since: day("2020-01-01T00:00:00Z"), Now: day("2024-07-10T00:00:00Z")})
	if !errors.Is(err, index.ErrTooManyBuckets) {
		t.Errorf("four years by day: err = %v, want ErrTooManyBuckets", err)
	}
}

func TestTopicSpeakers(t *testing.T) {
	lib := trendCorpus(t)
	got, err := lib.Index.TopicSpeakers(context.Background(), index.SpeakerOptions{Topic: "zebra crossing", Scope: index.Scope{Guild: "g2"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []index.SpeakerCount{{Name: "Ada Quill", Count: 1}, {Name: "Cy Moss", Count: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("g2 speakers = %v, want %v", got, want)
	}
	got, err = lib.Index.TopicSpeakers(context.Background(), index.SpeakerOptions{Topic: "budget", Scope: index.Scope{Guild: "g1"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []index.SpeakerCount{{Name: "Bo Lindqvist", Count: 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("budget speakers = %v, want %v", got, want)
	}
	// A window of dates keeps the quotes of the articles published in it:
	// in g1, the week of 3 June holds Ada Quill's (global) quote, the week
	// of 10 June g1's own two; nobody is quoted on it from July.
	windows := []struct {
		since, until string
		want         []index.SpeakerCount
	}{
		{"2024-06-03T00:00:00Z", "2024-06-10T00:00:00Z", []index.SpeakerCount{{Name: "Ada Quill", Count: 1}}},
		{"2024-06-10T00:00:00Z", "2024-06-17T00:00:00Z", []index.SpeakerCount{{Name: "Bo Lindqvist", Count: 1}, {Name: "Quill", Count: 1}}},
		{"2024-07-01T00:00:00Z", "", nil},
	}
	for _, w := range windows {
		o := index.SpeakerOptions{Topic: "zebra crossing", Scope: index.Scope{Guild: "g1"}, Since: day(w.since)}
		if w.until != "" {
			o.Until = day(w.until)
		}
		got, err := lib.Index.TopicSpeakers(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(w.want) || len(got) > 0 && !reflect.DeepEqual(got, w.want) {
			t.Errorf("speakers from %s to %s = %v, want %v", w.since, w.until, got, w.want)
		}
	}
}

func TestPeriods(t *testing.T) {
	tests := []struct {
		by       index.Period
		t, start string
		next     string
	}{
		{index.Day, "2024-06-12T23:30:00Z", "2024-06-12T00:00:00Z", "2024-06-13T00:00:00Z"},
		{index.Week, "2024-06-16T23:59:00Z", "2024-06-10T00:00:00Z", "2024-06-17T00:00:00Z"}, // a Sunday
		{index.Week, "2024-06-10T00:00:00Z", "2024-06-10T00:00:00Z", "2024-06-17T00:00:00Z"}, // a Monday
		{index.Week, "2025-01-01T12:00:00Z", "2024-12-30T00:00:00Z", "2025-01-06T00:00:00Z"}, // across a year
		{index.Month, "2024-02-29T12:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"},
		{index.Month, "2024-12-31T12:00:00+05:00", "2024-12-01T00:00:00Z", "2025-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		s := tt.by.Start(day(tt.t))
		if !s.Equal(day(tt.start)) || !tt.by.Next(s).Equal(day(tt.next)) {
			t.Errorf("%s of %s: start %v next %v, want %s %s", tt.by, tt.t, s, tt.by.Next(s), tt.start, tt.next)
		}
	}
	auto := []struct {
		days int
		want index.Period
	}{{1, index.Day}, {60, index.Day}, {61, index.Week}, {366, index.Week}, {367, index.Month}, {3650, index.Month}}
	from := day("2024-01-01T00:00:00Z")
	for _, a := range auto {
		if got := index.AutoPeriod(from, from.AddDate(0, 0, a.days)); got != a.want {
			t.Errorf("span of %d days: %s, want %s", a.days, got, a.want)
		}
	}
	for _, s := range []string{"", "day", "week", "month"} {
		if _, err := index.ParsePeriod(s); err != nil {
			t.Errorf("ParsePeriod(%q): %v", s, err)
		}
	}
	if _, err := index.ParsePeriod("fortnight"); err == nil {
		t.Error("fortnight accepted")
	}
}
