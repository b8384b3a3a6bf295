package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/internal/chart"
)

// TestTrendAndSpeakers runs /trend and /speakers on the bundled sample
// (Wikinews, 2019-2020), ingested once.
func TestTrendAndSpeakers(t *testing.T) {
	s := service(t)
	s.Now = func() time.Time { return time.Date(2021, 1, 15, 12, 0, 0, 0, time.UTC) }
	ctx := context.Background()

	t.Run("chart", func(t *testing.T) {
		r, err := s.Handle(ctx, Request{Command: "trend", Options: map[string]any{"topic": "election"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Cards) != 1 || len(r.Files) != 1 {
			t.Fatalf("%d cards, %d files; want one of each: %+v", len(r.Cards), len(r.Files), r)
		}
		c, f := r.Cards[0], r.Files[0]
		if c.Image != "attachment://trend.png" || f.Name != TrendImage || f.ContentType != "image/png" {
			t.Errorf("image %q, file %q (%s)", c.Image, f.Name, f.ContentType)
		}
		img, err := png.Decode(bytes.NewReader(f.Data))
		if err != nil {
			t.Fatalf("the chart is not a PNG: %v", err)
		}
		if b := img.Bounds(); b.Dx() != chart.Width || b.Dy() != chart.Height || len(f.Data) > 200<<10 {
			t.Errorf("chart %dx%d, %d bytes", b.Dx(), b.Dy(), len(f.Data))
		}
		data := r.Data.(*TrendJSON)
		// Two years of the sample, all time: by month.
		if data.By != "month" || len(data.Buckets) != 24 || data.Buckets[0].Start != "2019-01-01T00:00:00Z" {
			t.Errorf("by %s, %d buckets from %v", data.By, len(data.Buckets), data.Buckets[0])
		}
		sum := 0
		for _, b := range data.Buckets {
			sum += b.Count
		}
		if sum != data.Total || data.Total == 0 {
			t.Errorf("buckets add up to %d, total %d", sum, data.Total)
		}
		for _, want := range []string{"**Peak:**", "**Total:** " + howMany(data.Total, "article"), "counted by month", "Coverage"} {
			if !strings.Contains(c.Body, want) {
				t.Errorf("description lacks %q:\n%s", want, c.Body)
			}
		}
		var names []string
		for _, f := range c.Fields {
			names = append(names, f.Name)
		}
		if !slices.Equal(names, []string{"Top sources", "Most quoted"}) || !strings.Contains(c.Fields[0].Value, "en.wikinews.org — ") {
			t.Errorf("fields %+v", c.Fields)
		}
	})

	t.Run("json contract", func(t *testing.T) {
		r, err := s.Trend(ctx, TrendArgs{Topic: "coronavirus", Since: "2020-01-01", By: "week"})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range got {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := []string{"buckets", "by", "sources", "speakers", "topic", "total"}; !slices.Equal(keys, want) {
			t.Errorf("keys %v, want %v", keys, want)
		}
		buckets := got["buckets"].([]any)
		first := buckets[0].(map[string]any)
		// 1 January 2020 is a Wednesday: its week starts on Monday 30 December.
		if first["start"] != "2019-12-30T00:00:00Z" {
			t.Errorf("first bucket %v", first)
		}
		if _, err := time.Parse(time.RFC3339, first["start"].(string)); err != nil {
			t.Error(err)
		}
		// The span runs to now (15 January 2021), empty weeks included.
		last := buckets[len(buckets)-1].(map[string]any)
		if last["start"] != "2021-01-11T00:00:00Z" || last["count"] != 0.0 {
			t.Errorf("last bucket %v", last)
		}
		for _, k := range []string{"sources", "speakers"} {
			for _, e := range got[k].([]any) {
				m := e.(map[string]any)
				if _, ok := m["name"].(string); !ok || m["count"].(float64) < 1 {
					t.Errorf("%s entry %v", k, m)
				}
			}
		}
	})

	t.Run("nothing found", func(t *testing.T) {
		r, err := s.Trend(ctx, TrendArgs{Topic: "zorblax quuxification"})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Files) != 0 || len(r.Cards) != 0 || !strings.Contains(r.Text, "No articles about “zorblax quuxification”") {
			t.Errorf("reply %+v", r)
		}
		raw, _ := json.Marshal(r.Data)
		if want := `{"topic":"zorblax quuxification","by":"","buckets":[],"total":0,"sources":[],"speakers":[]}`; string(raw) != want {
			t.Errorf("json %s, want %s", raw, want)
		}
	})

	t.Run("one article", func(t *testing.T) {
		// The sample has one article about narwhals.
		r, err := s.Trend(ctx, TrendArgs{Topic: "narwhal"})
		if err != nil {
			t.Fatal(err)
		}
		data := r.Data.(*TrendJSON)
		if data.Total != 1 || len(data.Buckets) != 1 || data.By != "day" || len(r.Files) != 1 {
			t.Fatalf("trend %+v", data)
		}
		if !strings.Contains(r.Cards[0].Body, "A single article, on ") {
			t.Errorf("description %q", r.Cards[0].Body)
		}
	})

	t.Run("mistakes", func(t *testing.T) {
		for _, tt := range []struct {
			opts map[string]any
			want string
		}{
			{map[string]any{"topic": "the of"}, "Give a topic"},
			{map[string]any{"topic": "election", "by": "fortnight"}, "by: \"fortnight\" is not a period"},
			{map[string]any{"topic": "election", "since": "yesterdayish"}, "since:"},
			{map[string]any{"topic": "election", "by": "day", "since": "2019-01-01"}, "more than 400 bars"},
		} {
			r, err := s.Handle(ctx, Request{Command: "trend", Options: tt.opts})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Ephemeral || !strings.Contains(r.Text, tt.want) {
				t.Errorf("%v: reply %q (ephemeral %v), want %q", tt.opts, r.Text, r.Ephemeral, tt.want)
			}
		}
	})

	t.Run("speakers", func(t *testing.T) {
		r, err := s.Handle(ctx, Request{Command: "speakers", Options: map[string]any{"topic": "coronavirus"}})
		if err != nil {
			t.Fatal(err)
		}
		data := r.Data.(*SpeakersJSON)
		if len(data.Speakers) == 0 || len(data.Speakers) > 5 {
			t.Fatalf("%d speakers", len(data.Speakers))
		}
		if !strings.HasPrefix(r.Text, "Most quoted on “coronavirus”:\n1. **") {
			t.Errorf("text %q", r.Text)
		}
		for i, sp := range data.Speakers {
			if i > 0 && sp.Count > data.Speakers[i-1].Count {
				t.Errorf("not most quoted first: %+v", data.Speakers)
			}
			if sp.Quote == nil || sp.Quote.Article.URL == "" {
				t.Errorf("%s: no cited quote", sp.Name)
			}
		}
		if len(r.Cards) != len(data.Speakers) {
			t.Fatalf("%d cards for %d speakers", len(r.Cards), len(data.Speakers))
		}
		for _, c := range r.Cards {
			if !c.Quote || c.Speaker == "" || c.URL == "" || len([]rune(c.Body)) > maxShortQuote+40 {
				t.Errorf("card %+v", c)
			}
		}
		r, err = s.Speakers(ctx, SpeakersArgs{Topic: "zorblax"})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(r.Data)
		if !strings.Contains(r.Text, "Nobody is quoted") || string(raw) != `{"topic":"zorblax","speakers":[]}` {
			t.Errorf("nobody: %q %s", r.Text, raw)
		}
	})
}

func TestTrendRegistered(t *testing.T) {
	for name, opts := range map[string][]string{"trend": {"topic", "since", "by"}, "speakers": {"topic"}} {
		c, ok := Find(name)
		if !ok {
			t.Fatalf("%s not registered", name)
		}
		var got []string
		for _, o := range c.Options {
			got = append(got, o.Name)
		}
		if !reflect.DeepEqual(got, opts) || !c.Options[0].Required {
			t.Errorf("%s options %v, want %v (topic required)", name, got, opts)
		}
	}
}

func buckets(start string, by index.Period, counts ...int) *index.Trend {
	t0, _ := time.Parse("2006-01-02", start)
	tr := &index.Trend{By: by, From: t0}
	for _, c := range counts {
		tr.Buckets = append(tr.Buckets, index.Bucket{Start: t0, Count: c})
		tr.Total += c
		t0 = by.Next(t0)
	}
	tr.To = t0
	return tr
}

func TestTrendReading(t *testing.T) {
	tests := []struct {
		name string
		tr   *index.Trend
		want string
	}{
		{"single", buckets("2024-06-20", index.Day, 1), "A single article, on 20 June 2024."},
		{"one bar", buckets("2024-06-01", index.Month, 4), "All the coverage came in June 2024."},
		{"died down", buckets("2024-06-03", index.Week, 2, 14, 9, 3), "Coverage peaked in the week of 10 June 2024 with 14 articles and has since died down."},
		{"still going", buckets("2024-06-03", index.Week, 2, 14, 9, 8), "Coverage peaked in the week of 10 June 2024 with 14 articles; the latest week still has 8."},
		{"at its height", buckets("2024-06-01", index.Day, 1, 2, 5), "Coverage is at its height: the latest day has the most articles (5)."},
		{"came back", buckets("2019-01-01", index.Month, 2, 8, 3, 1, 7, 1), "Coverage peaked in February 2019 with 8 articles, rose again to 7 in May 2019, and has since died down."},
		{"rising again", buckets("2019-01-01", index.Month, 8, 1, 6), "Coverage peaked in January 2019 with 8 articles and is rising again: 6 in the latest month."},
		{"spread out", buckets("2019-01-01", index.Week, 1, 0, 1, 1, 0, 1), "Coverage was spread out, never more than 1 article in a week."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			peak := 0
			for i, b := range tt.tr.Buckets {
				if b.Count > tt.tr.Buckets[peak].Count {
					peak = i
				}
			}
			if got := trendReading(tt.tr, peak); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
	sum := trendSummary(buckets("2024-06-03", index.Week, 2, 14, 9, 3), 1)
	if want := "**Peak:** week of 10 Jun 2024, 14 articles\n**Total:** 28 articles from 3 Jun 2024 to 30 Jun 2024, counted by week\n"; !strings.HasPrefix(sum, want) {
		t.Errorf("summary %q, want it to start %q", sum, want)
	}
}

func TestTrendAxisLabels(t *testing.T) {
	tr := buckets("2019-01-01", index.Month, make([]int, 24)...)
	var starts []time.Time
	for _, b := range tr.Buckets {
		starts = append(starts, b.Start)
	}
	got := trendAxisLabels(starts, index.Month)
	var shown []string
	for _, l := range got {
		if l != "" {
			shown = append(shown, l)
		}
	}
	want := []string{"Jan\n2019", "Apr", "Jul", "Oct", "Jan\n2020", "Apr", "Jul", "Oct"}
	if !slices.Equal(shown, want) {
		t.Errorf("month labels %q, want %q", shown, want)
	}
	for _, by := range []index.Period{index.Day, index.Week} {
		for _, n := range []int{1, 7, 8, 29, 60, 400} {
			tr := buckets("2024-12-20", by, make([]int, n)...)
			starts = starts[:0]
			for _, b := range tr.Buckets {
				starts = append(starts, b.Start)
			}
			labels := trendAxisLabels(starts, by)
			count := 0
			for _, l := range labels {
				if l != "" {
					count++
				}
			}
			if count == 0 || count > maxAxisLabels || !strings.Contains(labels[0], "\n2024") {
				t.Errorf("%d %ss: %d labels, first %q", n, by, count, labels[0])
			}
		}
	}
}
