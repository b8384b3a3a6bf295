package bench

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/newsbot/newsbot/internal/chart"
)

// ParseCounts reads a list of counts, "10000,100000,1000000" or
// "10k,100k,1M", as --articles and --concurrency take them. A count may
// repeat: each is a run of its own (three runs of a size give its spread).
func ParseCounts(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("no count given")
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		mult := 1
		switch {
		case strings.HasSuffix(f, "k"), strings.HasSuffix(f, "K"):
			mult, f = 1000, f[:len(f)-1]
		case strings.HasSuffix(f, "M"), strings.HasSuffix(f, "m"):
			mult, f = 1000000, f[:len(f)-1]
		}
		n, err := strconv.Atoi(f)
		if err != nil || f == "" {
			return nil, fmt.Errorf("%q is not a count (write 20000 or 20k)", strings.TrimSpace(f)+suffix(mult))
		}
		if n <= 0 || n > (1<<31-1)/mult {
			return nil, fmt.Errorf("%d%s: a count must be positive and below 2 billion", n, suffix(mult))
		}
		out = append(out, n*mult)
	}
	return out, nil
}

func suffix(mult int) string {
	switch mult {
	case 1000:
		return "k"
	case 1000000:
		return "M"
	}
	return ""
}

// ReadResults reads the results of earlier runs, as `newsbot bench --json`
// prints them: one JSON object after another, indented or one a line. name
// says where they came from, for errors.
func ReadResults(r io.Reader, name string) ([]Result, error) {
	dec := json.NewDecoder(r)
	var out []Result
	for i := 1; ; i++ {
		var res Result
		if err := dec.Decode(&res); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("bench: %s, result %d: %w", name, i, err)
		}
		if res.Articles <= 0 || res.IngestPerSecond <= 0 {
			return nil, fmt.Errorf("bench: %s, result %d: not a result of newsbot bench --json (no articles or ingest rate)", name, i)
		}
		out = append(out, res)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("bench: %s holds no results", name)
	}
	return out, nil
}

// sizes groups runs by their number of articles, smallest first.
func sizes(results []Result) (counts []int, runs map[int][]Result) {
	runs = map[int][]Result{}
	for _, r := range results {
		if runs[r.Articles] == nil {
			counts = append(counts, r.Articles)
		}
		runs[r.Articles] = append(runs[r.Articles], r)
	}
	slices.Sort(counts)
	return counts, runs
}

// spread is a figure over the runs of one size.
type spread struct{ median, lo, hi float64 }

func spreadOf[T any](runs []T, get func(T) float64) spread {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = get(r)
	}
	slices.Sort(v)
	m := v[len(v)/2]
	if len(v)%2 == 0 {
		m = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return spread{m, v[0], v[len(v)-1]}
}

func diskMB(r Result) float64 { return mb(r.StoreBytes + r.IndexBytes) }
func rawMB(r Result) float64  { return mb(r.RawBytes) }
func mb(b int64) float64      { return float64(b) / (1 << 20) }

// Chart draws the figures against the number of articles: the median of the
// runs of each size.
func Chart(results []Result) ([]byte, error) {
	counts, runs := sizes(results)
	if len(counts) == 0 {
		return nil, errors.New("bench: no results to chart")
	}
	series := func(name string, get func(Result) float64) chart.Series {
		s := chart.Series{Name: name}
		for _, n := range counts {
			s.X = append(s.X, float64(n))
			s.Y = append(s.Y, spreadOf(runs[n], get).median)
		}
		return s
	}
	one := func(get func(Result) float64) []chart.Series { return []chart.Series{series("", get)} }
	latency := func(p99 bool) []chart.Series {
		pick := func(l func(Result) Latency) func(Result) float64 {
			return func(r Result) float64 {
				if p99 {
					return l(r).P99
				}
				return l(r).P50
			}
		}
		return []chart.Series{
			series("search", pick(func(r Result) Latency { return r.Search })),
			series("ask", pick(func(r Result) Latency { return r.Ask })),
			series("quotes", pick(func(r Result) Latency { return r.Quotes })),
		}
	}
	title := "newsbot bench against the number of articles"
	if len(results) > len(counts) {
		title += " (medians of the runs)"
	}
	g := chart.Grid{Title: title, Panels: []chart.Panel{
		{Title: "ingest, articles/s", Series: one(func(r Result) float64 { return r.IngestPerSecond })},
		{Title: "p50, ms", Series: latency(false)},
		{Title: "p99, ms", Series: latency(true)},
		{Title: "peak RSS while serving, MB", Series: one(func(r Result) float64 { return r.PeakRSSMB })},
		{Title: "disk, MB", Series: []chart.Series{series("store + index", diskMB), series("raw text", rawMB)}},
		{Title: "cold open to a first answer, ms", Series: one(func(r Result) float64 { return r.ColdOpenMS })},
	}}
	data, err := g.PNG()
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return data, nil
}

// Table writes the figures as a Markdown table, a column per size: the
// median of its runs, and their range when there are several.
func Table(results []Result) string {
	counts, runs := sizes(results)
	var b strings.Builder
	b.WriteString("|")
	for _, n := range counts {
		fmt.Fprintf(&b, " | %s articles", thousands(float64(n)))
		if k := len(runs[n]); k > 1 {
			fmt.Fprintf(&b, " (%d runs)", k)
		}
	}
	b.WriteString(" |\n|---")
	for range counts {
		b.WriteString("|---")
	}
	b.WriteString("|\n")
	row := func(name string, cell func(runs []Result) string) {
		b.WriteString("| " + name)
		for _, n := range counts {
			b.WriteString(" | " + cell(runs[n]))
		}
		b.WriteString(" |\n")
	}
	// one is a figure with its unit; the range follows a median of several
	// runs.
	one := func(get func(Result) float64, format func(float64) string, unit string) func([]Result) string {
		return func(runs []Result) string {
			s := spreadOf(runs, get)
			out := format(s.median) + unit
			if len(runs) > 1 {
				out += " (" + format(s.lo) + "–" + format(s.hi) + ")"
			}
			return out
		}
	}
	ratio := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	lat := func(l func(Result) Latency) func([]Result) string {
		return func(runs []Result) string {
			p50 := spreadOf(runs, func(r Result) float64 { return l(r).P50 })
			p99 := spreadOf(runs, func(r Result) float64 { return l(r).P99 })
			out := fmt.Sprintf("%.1f / %.1f ms", p50.median, p99.median)
			if len(runs) > 1 {
				out += fmt.Sprintf(" (p99 %.1f–%.1f)", p99.lo, p99.hi)
			}
			return out
		}
	}
	row("ingest (parse, quotes, store, index)", one(func(r Result) float64 { return r.IngestPerSecond }, thousands, " articles/s"))
	row("store + index on disk", func(runs []Result) string {
		st := spreadOf(runs, func(r Result) float64 { return mb(r.StoreBytes) }).median
		ix := spreadOf(runs, func(r Result) float64 { return mb(r.IndexBytes) }).median
		return fmt.Sprintf("%s + %s MB = %s", thousands(st), thousands(ix), one(func(r Result) float64 { return r.DiskRatio }, ratio, "× the raw text")(runs))
	})
	row("cold open, first answer", one(func(r Result) float64 { return r.ColdOpenMS }, thousands, " ms"))
	row("search p50 / p99", lat(func(r Result) Latency { return r.Search }))
	row("ask p50 / p99", lat(func(r Result) Latency { return r.Ask }))
	row("quotes p50 / p99", lat(func(r Result) Latency { return r.Quotes }))
	row("suggest p50 / p99", lat(func(r Result) Latency { return r.Suggest }))
	row("peak RSS while serving", one(func(r Result) float64 { return r.PeakRSSMB }, thousands, " MB"))
	// The concurrency levels any run measured, each a row: clients and
	// admission limit.
	type level struct{ clients, limit int }
	var levels []level
	for _, r := range results {
		for _, c := range r.Concurrency {
			if l := (level{c.Clients, c.MaxConcurrent}); !slices.Contains(levels, l) {
				levels = append(levels, l)
			}
		}
	}
	slices.SortFunc(levels, func(a, b level) int { return cmp.Or(a.clients-b.clients, a.limit-b.limit) })
	for _, l := range levels {
		row(fmt.Sprintf("%d at once, limit %d: requests/s, p50 / p99, busy answers", l.clients, l.limit), func(runs []Result) string {
			var cs []Concurrency
			for _, r := range runs {
				for _, c := range r.Concurrency {
					if c.Clients == l.clients && c.MaxConcurrent == l.limit {
						cs = append(cs, c)
					}
				}
			}
			if len(cs) == 0 {
				return "—"
			}
			rps := spreadOf(cs, func(c Concurrency) float64 { return c.RequestsPerSecond })
			p50 := spreadOf(cs, func(c Concurrency) float64 { return c.All.P50 }).median
			p99 := spreadOf(cs, func(c Concurrency) float64 { return c.All.P99 })
			busy := spreadOf(cs, func(c Concurrency) float64 { return float64(c.Busy) }).median
			out := fmt.Sprintf("%s /s, %.1f / %.1f ms, %s busy", thousands(rps.median), p50, p99.median, thousands(busy))
			if len(cs) > 1 {
				out += fmt.Sprintf(" (%s–%s /s, p99 %.1f–%.1f)", thousands(rps.lo), thousands(rps.hi), p99.lo, p99.hi)
			}
			return out
		})
	}
	return b.String()
}

// thousands writes a whole number with thousands separators: 2,080.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
