package index

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Period is the width of one bar of a trend.
type Period string

// The periods a trend counts by. Weeks start on Monday (ISO 8601), all periods
// at midnight UTC, so a bar means the same thing to every member.
const (
	Day   Period = "day"
	Week  Period = "week"
	Month Period = "month"
)

// ParsePeriod reads "day", "week" or "month". The empty string is the zero
// Period: let the span choose (AutoPeriod).
func ParsePeriod(s string) (Period, error) {
	switch p := Period(s); p {
	case "", Day, Week, Month:
		return p, nil
	}
	return "", fmt.Errorf("%q is not a period: use day, week or month", s)
}

// Start is the start of the period that holds t.
func (p Period) Start(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch p {
	case Week:
		// Monday is 0 days back, Sunday 6.
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case Month:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return day
}

// Next is the start of the period after the one that starts at start.
func (p Period) Next(start time.Time) time.Time {
	switch p {
	case Week:
		return start.AddDate(0, 0, 7)
	case Month:
		return start.AddDate(0, 1, 0)
	}
	return start.AddDate(0, 0, 1)
}

// AutoPeriod picks the bar width for a span: days up to 60 days, weeks up to a
// year, months beyond, which keeps a chart between a handful and ~60 bars for
// most spans.
func AutoPeriod(from, to time.Time) Period {
	switch d := to.Sub(from); {
	case d <= 60*24*time.Hour:
		return Day
	case d <= 366*24*time.Hour:
		return Week
	}
	return Month
}

// MaxBuckets bounds the bars of a trend: a year of days still shows its shape
// on an 800 px chart, and every bar is one range of the date facet that each
// matching article is checked against.
const MaxBuckets = 400

// ErrTooManyBuckets is returned when a span holds more than MaxBuckets periods.
var ErrTooManyBuckets = errors.New("too many bars")

// TrendOptions is a trend request.
type TrendOptions struct {
	Topic string
	Scope Scope
	// Since starts the span (inclusive); zero starts it at the first
	// matching article.
	Since time.Time
	// Now ends a span that has a Since, so that a story that went quiet
	// shows its empty weeks; zero is the current time. Without a Since the
	// span ends at the last matching article.
	Now time.Time
	// By is the bar width; zero picks it from the span (AutoPeriod).
	By Period
	// Sources and Speakers bound the lists of top sources and speakers
	// (0 = 5).
	Sources  int
	Speakers int
}

// Bucket is one bar of a trend: the articles published in [Start, next period).
type Bucket struct {
	Start time.Time
	Count int
}

// Trend is how many articles about a topic were published per period, with
// the sources that published them and the people quoted on it.
type Trend struct {
	Topic string
	By    Period
	// From and To bound the span: the start of the first bucket, the end of
	// the last (exclusive). Zero when nothing matched.
	From, To time.Time
	Buckets  []Bucket
	// Total is the number of articles in the buckets: matching articles
	// without a publication date are not counted, as they have no bar.
	Total    int
	Sources  []SpeakerCount
	Speakers []SpeakerCount
}

// topicQuery matches documents that hold every word of the topic (stop words
// aside) in any of the fields: a trend of "climate change" counts articles
// about both words, not every article that says "change". The terms come from
// the same analyzer as the fields, so a term query is exactly bleve's match.
func (ix *Index) topicQuery(topic string, fields ...string) (query.Query, error) {
	if err := CheckQuery(topic); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var all []query.Query
	for _, tok := range ix.analyzer.Analyze([]byte(topic)) {
		term := string(tok.Term)
		if seen[term] {
			continue
		}
		seen[term] = true
		var anyField []query.Query
		for _, f := range fields {
			tq := bleve.NewTermQuery(term)
			tq.SetField(f)
			anyField = append(anyField, tq)
		}
		if len(anyField) == 1 {
			all = append(all, anyField[0])
		} else {
			all = append(all, bleve.NewDisjunctionQuery(anyField...))
		}
	}
	if len(all) == 0 {
		return nil, ErrEmptyQuery
	}
	if len(all) == 1 {
		return all[0], nil
	}
	return bleve.NewConjunctionQuery(all...), nil
}

// dated keeps documents that have a publication date: a range needs a bound,
// and bleve's earliest usable date is the loosest one.
func dated() query.Query {
	q := bleve.NewDateRangeQuery(query.MinRFC3339CompatibleTime, time.Time{})
	q.SetField("published")
	return q
}

// publishedBounds finds the first and last publication dates among the
// documents q matches, from the index's sorted doc values.
func (ix *Index) publishedBounds(ctx context.Context, q query.Query, filters []query.Query) (first, last time.Time, ok bool, err error) {
	one := func(order string) (time.Time, bool, error) {
		bq := bleve.NewBooleanQuery()
		bq.AddMust(q)
		filterBy(bq, append(filters, dated())...)
		req := bleve.NewSearchRequestOptions(bq, 1, 0, false)
		req.SortBy([]string{order})
		res, err := ix.b().SearchInContext(ctx, req)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("index: trend dates: %w", err)
		}
		if len(res.Hits) == 0 || len(res.Hits[0].Sort) == 0 {
			return time.Time{}, false, nil
		}
		// The sort value is the indexed term: nanoseconds, prefix coded.
		ns, err := numeric.PrefixCoded(res.Hits[0].Sort[0]).Int64()
		if err != nil {
			return time.Time{}, false, fmt.Errorf("index: trend dates: sort value: %w", err)
		}
		return time.Unix(0, ns).UTC(), true, nil
	}
	if first, ok, err = one("published"); err != nil || !ok {
		return first, last, ok, err
	}
	last, ok, err = one("-published")
	return first, last, ok, err
}

// span settles the buckets' range and width.
func span(o TrendOptions, first, last time.Time) (from, to time.Time, by Period, err error) {
	from, end := first, last
	if !o.Since.IsZero() {
		from = o.Since
		now := o.Now
		if now.IsZero() {
			now = time.Now()
		}
		end = now
		if last.After(end) {
			end = last // dated in the future: still shown
		}
	}
	by = o.By
	if by == "" {
		by = AutoPeriod(from, end)
	}
	from = by.Start(from)
	to = by.Next(by.Start(end))
	n := 0
	for t := from; t.Before(to); t = by.Next(t) {
		if n++; n > MaxBuckets {
			return from, to, by, fmt.Errorf("%w: counting by %s from %s to %s makes more than %d bars; count by a longer period or give a later since",
				ErrTooManyBuckets, by, from.Format("2 Jan 2006"), end.Format("2 Jan 2006"), MaxBuckets)
		}
	}
	return from, to, by, nil
}

// Trend counts the articles in scope that hold every word of the topic, per
// period, and lists their top sources and the people most quoted on it. All
// counting is done by the index: date range facets on the publication date,
// term facets on the source and the speaker.
func (ix *Index) Trend(ctx context.Context, o TrendOptions) (*Trend, error) {
	release, err := ix.slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	tq, err := ix.topicQuery(o.Topic, "title", "body")
	if err != nil {
		return nil, err
	}
	if o.Sources <= 0 {
		o.Sources = 5
	}
	if o.Speakers <= 0 {
		o.Speakers = 5
	}
	tr := &Trend{Topic: o.Topic, By: o.By, Buckets: []Bucket{}}
	scope := ix.scoped(o.Scope)
	filters := (SearchOptions{Scope: scope}).filters(docArticle)
	first, last, ok, err := ix.publishedBounds(ctx, tq, filters)
	if err != nil || !ok {
		return tr, err
	}
	from, to, by, err := span(o, first, last)
	if err != nil {
		return nil, err
	}
	tr.By, tr.From, tr.To = by, from, to
	if !to.After(from) {
		return tr, nil // a since after now: nothing to count
	}

	var starts []time.Time
	for t := from; t.Before(to); t = by.Next(t) {
		starts = append(starts, t)
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(tq)
	window := (SearchOptions{Scope: scope, Since: from, Until: to}).filters(docArticle)
	filterBy(bq, window...)
	req := bleve.NewSearchRequestOptions(bq, 0, 0, false)
	bars := bleve.NewFacetRequest("published", len(starts))
	for i, s := range starts {
		// Ranges are start-inclusive, end-exclusive: each article is in
		// exactly one bar.
		bars.AddDateTimeRange(strconv.Itoa(i), s, by.Next(s))
	}
	req.AddFacet("bars", bars)
	req.AddFacet("sources", bleve.NewFacetRequest("source", o.Sources))
	res, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: trend: %w", err)
	}
	counts := make([]int, len(starts))
	if f := res.Facets["bars"]; f != nil {
		// The facet lists only ranges that matched something.
		for _, r := range f.DateRanges {
			if i, err := strconv.Atoi(r.Name); err == nil && i >= 0 && i < len(counts) {
				counts[i] = r.Count
			}
		}
	}
	for i, s := range starts {
		tr.Buckets = append(tr.Buckets, Bucket{Start: s, Count: counts[i]})
		tr.Total += counts[i]
	}
	if f := res.Facets["sources"]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			tr.Sources = append(tr.Sources, SpeakerCount{Name: t.Term, Count: t.Count})
		}
	}
	if tr.Total == 0 {
		return tr, nil
	}
	// Quotes are counted over the same window as the bars when the member
	// gave one; over all time they also count quotes of undated articles.
	sp := SpeakerOptions{Topic: o.Topic, Scope: o.Scope, Limit: o.Speakers}
	if !o.Since.IsZero() {
		sp.Since, sp.Until = from, to
	}
	if tr.Speakers, err = ix.topicSpeakers(ctx, sp); err != nil {
		return nil, err
	}
	return tr, nil
}

// SpeakerOptions asks who is quoted on a topic.
type SpeakerOptions struct {
	Topic string
	Scope Scope
	Since time.Time // inclusive; zero = from the start
	Until time.Time // exclusive; zero = to the end
	Limit int       // 0 = 5
}

// TopicSpeakers lists the people most quoted on a topic, with their number of
// quotes: quotes whose words hold every word of the topic, counted per speaker
// by a term facet. A surname given alone is counted with the one full name
// that ends with it, as in SuggestSpeakers; unattributed quotes are left out.
func (ix *Index) TopicSpeakers(ctx context.Context, o SpeakerOptions) ([]SpeakerCount, error) {
	release, err := ix.slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return ix.topicSpeakers(ctx, o)
}

// topicSpeakers is TopicSpeakers within a query's slot (Trend's).
func (ix *Index) topicSpeakers(ctx context.Context, o SpeakerOptions) ([]SpeakerCount, error) {
	tq, err := ix.topicQuery(o.Topic, "text")
	if err != nil {
		return nil, err
	}
	if o.Limit <= 0 {
		o.Limit = 5
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(tq)
	filters := (SearchOptions{Scope: ix.scoped(o.Scope)}).filters(docQuote)
	if w := quoteWindow(o.Since, o.Until); w != nil {
		filters = append(filters, w)
	}
	filterBy(bq, filters...)
	req := bleve.NewSearchRequestOptions(bq, 0, 0, false)
	// More terms than asked for, so that surnames folded into full names
	// do not leave the list short.
	req.AddFacet("speakers", bleve.NewFacetRequest("speaker", o.Limit*3+1))
	res, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: topic speakers: %w", err)
	}
	var list []SpeakerCount
	if f := res.Facets["speakers"]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			if t.Term != "" {
				list = append(list, SpeakerCount{Name: t.Term, Count: t.Count})
			}
		}
	}
	list = mergeSurnames(list)
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Count != list[j].Count {
			return list[i].Count > list[j].Count
		}
		return list[i].Name < list[j].Name
	})
	if len(list) > o.Limit {
		list = list[:o.Limit]
	}
	return list, nil
}

// quoteWindow keeps the quotes of articles dated in [since, until): a quote
// document has no "published" field, only its article's recency as a sortable
// keyword (timeKey), so the window is a range of terms. Nil without bounds.
func quoteWindow(since, until time.Time) query.Query {
	if since.IsZero() && until.IsZero() {
		return nil
	}
	var lo, hi string
	if !since.IsZero() {
		lo = timeKey(since)
	}
	if !until.IsZero() {
		hi = timeKey(until)
	}
	incl, excl := true, false
	r := bleve.NewTermRangeInclusiveQuery(lo, hi, &incl, &excl)
	r.SetField("recency")
	return r
}
