package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/internal/chart"
	"github.com/newsbot/newsbot/internal/markdown"
)

func init() {
	register(Command{order: 33, Name: "trend", Description: "A chart of how much a story was covered over time, with its sources and voices", Kind: SlashCommand, Options: []Option{
		{Name: "topic", Description: "Words the articles must all hold", Type: OptString, Required: true, MaxLength: 100},
		{Name: "since", Description: "From a date or age: 30d, 2024-01-01 (default: all time)", Type: OptString, MaxLength: 40},
		{Name: "by", Description: "One bar per day, week or month (default: from the span)", Type: OptString, Choices: []Choice{
			{Name: "day", Value: "day"}, {Name: "week", Value: "week"}, {Name: "month", Value: "month"},
		}},
	}}, map[string]handlerFunc{"trend": func(s *Service, ctx context.Context, req Request) (*Reply, error) {
		return s.Trend(ctx, TrendArgs{Topic: req.String("topic"), Since: req.String("since"), By: req.String("by"), Guild: req.Guild})
	}})
	register(Command{order: 34, Name: "speakers", Description: "Who is quoted most on a topic, with one quote each", Kind: SlashCommand, Options: []Option{
		{Name: "topic", Description: "Words the quotes must all hold", Type: OptString, Required: true, MaxLength: 100},
	}}, map[string]handlerFunc{"speakers": func(s *Service, ctx context.Context, req Request) (*Reply, error) {
		return s.Speakers(ctx, SpeakersArgs{Topic: req.String("topic"), Guild: req.Guild})
	}})
}

// TrendImage is the name of the chart attached to a /trend reply, which its
// card shows as attachment://trend.png.
const TrendImage = "trend.png"

// TrendArgs is a /trend or `newsbot trend` request.
type TrendArgs struct {
	Topic string
	Guild string
	Since string // 30d, 2024-01-01; empty for all time
	By    string // day, week, month; empty to choose from the span
}

// TrendJSON is the --json shape of a trend: a contract. Buckets start at
// midnight UTC (weeks on Monday) and are given in order, empty ones too.
type TrendJSON struct {
	Topic    string       `json:"topic"`
	By       string       `json:"by"`
	Buckets  []BucketJSON `json:"buckets"`
	Total    int          `json:"total"`
	Sources  []CountJSON  `json:"sources"`
	Speakers []CountJSON  `json:"speakers"`
}

// BucketJSON is one bar of TrendJSON; Start is RFC 3339.
type BucketJSON struct {
	Start string `json:"start"`
	Count int    `json:"count"`
}

// CountJSON is a name and how many articles or quotes it has.
type CountJSON struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Trend charts how many articles in the guild's view hold the topic, per
// period, with the top sources and the most quoted speakers.
func (s *Service) Trend(ctx context.Context, a TrendArgs) (*Reply, error) {
	topic, note := CutQuery(a.Topic)
	since, err := ParseSince(a.Since, s.Now())
	if err != nil {
		return nil, userErr("since: %v", err)
	}
	by, err := index.ParsePeriod(strings.ToLower(strings.TrimSpace(a.By)))
	if err != nil {
		return nil, userErr("by: %v", err)
	}
	tr, err := s.Lib.Index.Trend(ctx, index.TrendOptions{
		Topic: topic, Scope: index.Scope{Guild: a.Guild}, Since: since, Now: s.Now(), By: by,
	})
	switch {
	case errors.Is(err, index.ErrEmptyQuery):
		return nil, userErr("Give a topic: a few words the articles hold.")
	case errors.Is(err, index.ErrTooManyBuckets):
		return nil, userErr("%s", strings.TrimPrefix(err.Error(), index.ErrTooManyBuckets.Error()+": "))
	case err != nil:
		return nil, err
	}
	data := &TrendJSON{Topic: topic, By: string(tr.By), Buckets: []BucketJSON{}, Total: tr.Total, Sources: countsJSON(tr.Sources), Speakers: countsJSON(tr.Speakers)}
	for _, b := range tr.Buckets {
		data.Buckets = append(data.Buckets, BucketJSON{Start: b.Start.Format(time.RFC3339), Count: b.Count})
	}
	r := &Reply{Data: data}
	if tr.Total == 0 {
		// No chart of nothing: an empty chart would read as a broken one.
		r.Text = fmt.Sprintf("No articles about %s", quotedTopic(topic))
		if !since.IsZero() {
			r.Text += " since " + since.Format("2 January 2006")
		}
		r.Text += "."
		if note != "" {
			r.Text = note + "\n" + r.Text
		}
		return r, nil
	}
	peak := 0
	for i, b := range tr.Buckets {
		if b.Count > tr.Buckets[peak].Count {
			peak = i // the first of equal peaks
		}
	}
	png, err := trendChart(topic, tr, peak)
	if err != nil {
		return nil, err
	}
	card := Card{
		Title: "Trend: " + topic,
		Body:  trendSummary(tr, peak),
		Image: "attachment://" + TrendImage,
	}
	if f := trendCountField("Top sources", tr.Sources, "article"); f != nil {
		card.Fields = append(card.Fields, *f)
	}
	if f := trendCountField("Most quoted", tr.Speakers, "quote"); f != nil {
		card.Fields = append(card.Fields, *f)
	}
	r.Cards = []Card{card}
	r.Files = []File{{Name: TrendImage, ContentType: "image/png", Data: png}}
	r.Text = note
	return r, nil
}

func countsJSON(in []index.SpeakerCount) []CountJSON {
	out := make([]CountJSON, 0, len(in))
	for _, c := range in {
		out = append(out, CountJSON{Name: c.Name, Count: c.Count})
	}
	return out
}

// trendCountField lists names with their counts, one a line; nil for none.
func trendCountField(name string, list []index.SpeakerCount, unit string) *Field {
	if len(list) == 0 {
		return nil
	}
	lines := make([]string, len(list))
	for i, c := range list {
		lines[i] = fmt.Sprintf("%s — %s", markdown.Escape(c.Name), howMany(c.Count, unit))
	}
	return &Field{Name: name, Value: strings.Join(lines, "\n"), Inline: true}
}

func howMany(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// quotedTopic escapes member text for a reply and puts it in quotation marks.
func quotedTopic(s string) string { return "“" + markdown.Escape(s) + "”" }

// trendWhen names a bucket in a sentence: "on 16 March 2020", "in the week of
// 16 March 2020", "in March 2020".
func trendWhen(by index.Period, start time.Time) string {
	switch by {
	case index.Week:
		return "in the week of " + start.Format("2 January 2006")
	case index.Month:
		return "in " + start.Format("January 2006")
	}
	return "on " + start.Format("2 January 2006")
}

// trendPeriod names a bucket on its own: "16 Mar 2020", "week of 16 Mar 2020",
// "March 2020".
func trendPeriod(by index.Period, start time.Time) string {
	switch by {
	case index.Week:
		return "week of " + start.Format("2 Jan 2006")
	case index.Month:
		return start.Format("January 2006")
	}
	return start.Format("2 Jan 2006")
}

// trendSummary is the card's text: the peak, the total over the span, and a
// one-line reading of the chart's shape.
func trendSummary(tr *index.Trend, peak int) string {
	p := tr.Buckets[peak]
	var b strings.Builder
	fmt.Fprintf(&b, "**Peak:** %s, %s\n", trendPeriod(tr.By, p.Start), howMany(p.Count, "article"))
	first, lastDay := tr.From.Format("2 Jan 2006"), tr.To.AddDate(0, 0, -1).Format("2 Jan 2006")
	if len(tr.Buckets) == 1 && tr.By == index.Day {
		fmt.Fprintf(&b, "**Total:** %s on %s\n", howMany(tr.Total, "article"), first)
	} else {
		fmt.Fprintf(&b, "**Total:** %s from %s to %s, counted by %s\n", howMany(tr.Total, "article"), first, lastDay, tr.By)
	}
	b.WriteString(trendReading(tr, peak))
	return b.String()
}

// trendReading says in one sentence what the chart shows: when coverage
// peaked, whether it came back, and where it stands at the end of the span.
func trendReading(tr *index.Trend, peak int) string {
	bs := tr.Buckets
	p, last := bs[peak], bs[len(bs)-1]
	switch {
	case tr.Total == 1:
		return fmt.Sprintf("A single article, %s.", trendWhen(tr.By, p.Start))
	case p.Count == tr.Total:
		return fmt.Sprintf("All the coverage came %s.", trendWhen(tr.By, p.Start))
	case steady(bs, p.Count):
		return fmt.Sprintf("Coverage was spread out, never more than %s in a %s.", howMany(p.Count, "article"), tr.By)
	case last.Count == p.Count:
		return fmt.Sprintf("Coverage is at its height: the latest %s has the most articles (%d).", tr.By, last.Count)
	}
	peaked := fmt.Sprintf("Coverage peaked %s with %s", trendWhen(tr.By, p.Start), howMany(p.Count, "article"))
	if again := secondWave(bs, peak); again > 0 {
		a := bs[again]
		came := fmt.Sprintf("rose again to %d %s", a.Count, trendWhen(tr.By, a.Start))
		if a.Count == p.Count {
			came = "matched it " + trendWhen(tr.By, a.Start)
		}
		switch {
		case again == len(bs)-1:
			return fmt.Sprintf("%s and is rising again: %d in the latest %s.", peaked, a.Count, tr.By)
		case last.Count*4 <= p.Count:
			return fmt.Sprintf("%s, %s, and has since died down.", peaked, came)
		default:
			return fmt.Sprintf("%s and %s; the latest %s has %d.", peaked, came, tr.By, last.Count)
		}
	}
	if last.Count*4 <= p.Count {
		return peaked + " and has since died down."
	}
	return fmt.Sprintf("%s; the latest %s still has %d.", peaked, tr.By, last.Count)
}

// steady reports a flat series: the peak reached again and again (in a
// third of the periods that have any article), so no one period stands out.
func steady(bs []index.Bucket, top int) bool {
	atTop, some := 0, 0
	for _, b := range bs {
		if b.Count == top {
			atTop++
		}
		if b.Count > 0 {
			some++
		}
	}
	return atTop >= 3 && atTop*3 >= some
}

// secondWave finds a later high (at least 60% of the peak) that follows a
// fall to half the peak or less: a story that came back. 0 if there is none.
func secondWave(bs []index.Bucket, peak int) int {
	top := bs[peak].Count
	best, low := 0, top
	for i := peak + 1; i < len(bs); i++ {
		c := bs[i].Count
		if low*2 <= top && c*5 >= top*3 && (best == 0 || c > bs[best].Count) {
			best = i
		}
		low = min(low, c)
	}
	return best
}

// maxAxisLabels is how many dates fit under an 800 px chart at the tick
// font size without touching; month names are shorter.
const (
	maxAxisLabels  = 7
	maxMonthLabels = 9
)

// trendChart draws the bars, the peak in the accent colour.
func trendChart(topic string, tr *index.Trend, peak int) ([]byte, error) {
	values := make([]float64, len(tr.Buckets))
	starts := make([]time.Time, len(tr.Buckets))
	for i, b := range tr.Buckets {
		values[i], starts[i] = float64(b.Count), b.Start
	}
	// The topic is cut so that the title keeps its "per week" on one line.
	title := fmt.Sprintf("“%s”: articles per %s", shortQuote(topic, 26), tr.By)
	png, err := chart.Bars{Title: title, YLabel: "articles", Values: values, Labels: trendAxisLabels(starts, tr.By), Highlight: peak}.PNG()
	if err != nil {
		return nil, fmt.Errorf("commands: trend chart: %w", err)
	}
	return png, nil
}

// trendAxisLabels names some of the bars: at most maxAxisLabels, on round steps
// (every month of a quarter, every week of a month...), the year under the
// first label and wherever it changes.
func trendAxisLabels(starts []time.Time, by index.Period) []string {
	out := make([]string, len(starts))
	if len(starts) == 0 {
		return out
	}
	var steps []int
	switch by {
	case index.Month:
		steps = []int{1, 2, 3, 6, 12, 24, 60, 120}
	case index.Week:
		steps = []int{1, 2, 4, 8, 13, 26, 52, 104}
	default:
		steps = []int{1, 2, 7, 14, 28, 56, 91, 182, 364}
	}
	most := maxAxisLabels
	if by == index.Month {
		most = maxMonthLabels
	}
	step := steps[len(steps)-1]
	for _, s := range steps {
		if (len(starts)+s-1)/s <= most {
			step = s
			break
		}
	}
	lastYear := -1
	for i, t := range starts {
		k := i
		if by == index.Month {
			// Months on calendar steps: quarters fall on Jan, Apr, Jul, Oct.
			k = t.Year()*12 + int(t.Month()) - 1
		}
		if k%step != 0 {
			continue
		}
		l := t.Format("2 Jan")
		if by == index.Month {
			l = t.Format("Jan")
		}
		if t.Year() != lastYear {
			l += "\n" + t.Format("2006")
			lastYear = t.Year()
		}
		out[i] = l
	}
	return out
}

// SpeakersArgs is a /speakers or `newsbot speakers` request.
type SpeakersArgs struct {
	Topic string
	Guild string
	Limit int // 0 = 5
}

// SpeakersJSON is the --json shape of /speakers: a contract.
type SpeakersJSON struct {
	Topic    string        `json:"topic"`
	Speakers []SpeakerJSON `json:"speakers"`
}

// SpeakerJSON is one speaker of SpeakersJSON with the quote that best matches
// the topic (null if it could not be read back).
type SpeakerJSON struct {
	Name  string     `json:"name"`
	Count int        `json:"count"`
	Quote *QuoteJSON `json:"quote"`
}

// maxShortQuote bounds the quote shown for each speaker.
const maxShortQuote = 280

// Speakers lists the people most quoted on a topic, each with their number of
// quotes and one short quote, cited.
func (s *Service) Speakers(ctx context.Context, a SpeakersArgs) (*Reply, error) {
	topic, note := CutQuery(a.Topic)
	if a.Limit <= 0 {
		a.Limit = 5
	}
	scope := index.Scope{Guild: a.Guild}
	list, err := s.Lib.Index.TopicSpeakers(ctx, index.SpeakerOptions{Topic: topic, Scope: scope, Limit: a.Limit})
	if errors.Is(err, index.ErrEmptyQuery) {
		return nil, userErr("Give a topic: a few words the quotes hold.")
	}
	if err != nil {
		return nil, err
	}
	data := &SpeakersJSON{Topic: topic, Speakers: []SpeakerJSON{}}
	r := &Reply{Data: data}
	var lines []string
	for i, sc := range list {
		sj := SpeakerJSON{Name: sc.Name, Count: sc.Count}
		lines = append(lines, fmt.Sprintf("%d. **%s** — %s", i+1, markdown.Escape(sc.Name), howMany(sc.Count, "quote")))
		// The speaker's quote that best matches the topic (BM25 on its
		// words).
		hits, _, err := s.Lib.Index.Quotes(ctx, index.QuoteOptions{Scope: scope, Speaker: sc.Name, About: topic, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(hits) > 0 {
			h := hits[0]
			q := QuoteJSON{Text: h.Quote.Text, Speaker: h.Quote.Speaker, Kind: string(h.Quote.Kind), Cue: h.Quote.Cue, Article: NewArticleJSON(h.Article)}
			if h.Quote.Title != "" {
				t := h.Quote.Title
				q.Title = &t
			}
			sj.Quote = &q
			r.Cards = append(r.Cards, Card{
				Title: h.Article.Title, URL: h.Article.URL, Body: markdown.Escape(shortQuote(h.Quote.Text, maxShortQuote)),
				Quote: true, Speaker: sc.Name, SpeakerTitle: h.Quote.Title,
				Source: h.Article.Source, Published: h.Article.Published, ArticleID: h.Article.ID,
			})
		}
		data.Speakers = append(data.Speakers, sj)
	}
	if len(list) == 0 {
		r.Text = fmt.Sprintf("Nobody is quoted on %s.", quotedTopic(topic))
	} else {
		r.Text = fmt.Sprintf("Most quoted on %s:\n%s", quotedTopic(topic), strings.Join(lines, "\n"))
	}
	if note != "" {
		r.Text = note + "\n" + r.Text
	}
	return r, nil
}

// shortQuote cuts text to about n runes at a word boundary, with "…".
func shortQuote(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	if i := strings.LastIndexByte(string(r), ' '); i > len(string(r))/2 {
		return strings.TrimRight(string(r)[:i], " ,;:") + "…"
	}
	return string(r) + "…"
}
