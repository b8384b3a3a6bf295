package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/ingest"
)

// Options say how big a run is.
type Options struct {
	Articles int
	Queries  int
	Dir      string // data folder; a temporary one when empty
	Seed     uint64
	// Progress is told how many articles are in, during the ingest.
	Progress func(done, total int)
	// Serve runs the serving half (Serve) elsewhere, in a fresh process;
	// nil runs it here.
	Serve func(dir string) (*ServeResult, error)
	// Open opens the data folder; nil opens it with its embedded store
	// (ingest.Open). The PostgreSQL bench opens it over the database.
	Open func(ctx context.Context, dir string) (*ingest.Library, error)
	// Concurrency are the numbers of concurrent clients to run in turn,
	// after the sequential queries, on the same opened library; none runs
	// only the sequential queries.
	Concurrency []int
	// MaxConcurrent is the admission limit the concurrent clients meet (the
	// bot's limits.max_concurrent).
	MaxConcurrent int
	// IngestCPUProfile, when set, is written with a CPU profile of the
	// ingest (the timed part of Run only).
	IngestCPUProfile string
	// ServeCPUProfile and HeapProfile, when set, are written by Serve: a
	// CPU profile of the serving half (cold open and all the queries), and
	// a heap profile once the queries are done, the library still open.
	ServeCPUProfile, HeapProfile string
}

func (o Options) open(ctx context.Context, dir string) (*ingest.Library, error) {
	if o.Open != nil {
		return o.Open(ctx, dir)
	}
	return ingest.Open(ctx, dir, nil)
}

// Latency is a distribution of one kind of request, in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
	N   int     `json:"n"`
}

// Result is what a run measured.
type Result struct {
	Articles        int     `json:"articles"`
	Queries         int     `json:"queries"`
	IngestSeconds   float64 `json:"ingest_seconds"`
	IngestPerSecond float64 `json:"ingest_per_second"`
	RawBytes        int64   `json:"raw_text_bytes"`
	StoreBytes      int64   `json:"store_bytes"`
	IndexBytes      int64   `json:"index_bytes"`
	DiskRatio       float64 `json:"disk_to_raw_ratio"`
	ColdOpenMS      float64 `json:"cold_open_ms"`
	Search          Latency `json:"search_ms"`
	Ask             Latency `json:"ask_ms"`
	Quotes          Latency `json:"quotes_ms"`
	Suggest         Latency `json:"suggest_ms"`
	PeakRSSMB       float64 `json:"peak_rss_mb"`
	RSSAnonMB       float64 `json:"rss_anon_mb"`
	RSSFileMB       float64 `json:"rss_file_mb"`
	// Concurrency holds one figure per --concurrency level, in the order
	// run; absent when none was asked for.
	Concurrency []Concurrency `json:"concurrency,omitempty"`
}

// chunk is how many synthetic articles are generated and ingested at a time,
// so the corpus never sits in memory whole.
const chunk = 2000

// Run builds the corpus, ingests it, reopens the data folder cold and times
// the queries.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Articles <= 0 {
		return nil, fmt.Errorf("bench: --articles must be positive")
	}
	if o.Queries <= 0 {
		o.Queries = 1000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	m, err := loadMaterial()
	if err != nil {
		return nil, err
	}
	dir := o.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "newsbot-bench-"); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		defer os.RemoveAll(dir)
	}
	lib, err := o.open(ctx, dir)
	if err != nil {
		return nil, err
	}
	res := &Result{Articles: o.Articles, Queries: o.Queries}
	// The corpus goes through the same path as `newsbot ingest corpus.jsonl`:
	// a file read a line at a time, parsed, quotes extracted, stored,
	// indexed. It is written first, outside the timing.
	corpus := filepath.Join(dir, "corpus.jsonl")
	f, err := os.Create(corpus)
	if err != nil {
		lib.Close()
		return nil, fmt.Errorf("bench: %w", err)
	}
	for from := 0; from < o.Articles; from += chunk {
		data, raw := m.corpusJSONL(o.Seed, from, min(from+chunk, o.Articles))
		res.RawBytes += int64(raw)
		if _, err := f.Write(data); err != nil {
			f.Close()
			lib.Close()
			return nil, fmt.Errorf("bench: %w", err)
		}
	}
	if err := f.Close(); err != nil {
		lib.Close()
		return nil, fmt.Errorf("bench: %w", err)
	}
	opt := ingest.FileOptions{}
	if o.Progress != nil {
		opt.Progress = func(done int) { o.Progress(done, o.Articles) }
	}
	stopProfile := func() {}
	if o.IngestCPUProfile != "" {
		if stopProfile, err = startCPUProfile(o.IngestCPUProfile); err != nil {
			lib.Close()
			return nil, err
		}
	}
	start := time.Now()
	rep, err := lib.IngestPaths(ctx, []string{corpus}, opt)
	stopProfile()
	if err != nil {
		lib.Close()
		return nil, err
	}
	if rep.Failed > 0 {
		lib.Close()
		return nil, fmt.Errorf("bench: %d synthetic articles failed: %v", rep.Failed, rep.Failures[0])
	}
	res.IngestSeconds = time.Since(start).Seconds()
	os.Remove(corpus)
	res.IngestPerSecond = float64(o.Articles) / res.IngestSeconds
	// The store's own measure: a file's size, or a database's.
	storeBytes := lib.Store.Size()
	if err := lib.Close(); err != nil {
		return nil, err
	}

	if o.Serve != nil {
		// The serving half in a fresh process: its cold open and its peak
		// memory are the bot's, not the bulk ingest's.
		sr, err := o.Serve(dir)
		if err != nil {
			return nil, err
		}
		res.merge(sr)
	} else {
		sr, err := Serve(ctx, dir, o)
		if err != nil {
			return nil, err
		}
		res.merge(sr)
	}
	res.StoreBytes, res.IndexBytes = storeBytes, indexBytes(dir)
	res.DiskRatio = float64(res.StoreBytes+res.IndexBytes) / float64(res.RawBytes)
	return res, nil
}

// ServeResult is what the serving half measures.
type ServeResult struct {
	ColdOpenMS float64 `json:"cold_open_ms"`
	Search     Latency `json:"search_ms"`
	Ask        Latency `json:"ask_ms"`
	Quotes     Latency `json:"quotes_ms"`
	Suggest    Latency `json:"suggest_ms"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
	// RSSAnonMB and RSSFileMB split the resident memory after the
	// sequential queries: anonymous (the Go heap and runtime) and
	// file-backed (the index segments and the store, mapped). A heap
	// profile sees only the first.
	RSSAnonMB float64 `json:"rss_anon_mb"`
	RSSFileMB float64 `json:"rss_file_mb"`
	// Concurrency as in Result.
	Concurrency []Concurrency `json:"concurrency,omitempty"`
}

func (r *Result) merge(s *ServeResult) {
	r.ColdOpenMS, r.Search, r.Ask, r.Quotes, r.Suggest, r.PeakRSSMB = s.ColdOpenMS, s.Search, s.Ask, s.Quotes, s.Suggest, s.PeakRSSMB
	r.RSSAnonMB, r.RSSFileMB, r.Concurrency = s.RSSAnonMB, s.RSSFileMB, s.Concurrency
}

// Serve opens an ingested data folder cold (ready once it has answered a
// first query, as the bot is) and times the queries.
func Serve(ctx context.Context, dir string, o Options) (*ServeResult, error) {
	if o.Queries <= 0 {
		o.Queries = 1000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	m, err := loadMaterial()
	if err != nil {
		return nil, err
	}
	if o.ServeCPUProfile != "" {
		stop, err := startCPUProfile(o.ServeCPUProfile)
		if err != nil {
			return nil, err
		}
		defer stop()
	}
	start := time.Now()
	lib, err := o.open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer lib.Close()
	if _, err := lib.Index.Search(ctx, index.SearchOptions{Query: "government", Limit: 5}); err != nil {
		return nil, err
	}
	cold := ms(time.Since(start))
	reqs, err := m.requests(ctx, lib.Index, o)
	if err != nil {
		return nil, err
	}
	l, err := sequential(ctx, lib.Index, reqs)
	if err != nil {
		return nil, err
	}
	sr := &ServeResult{ColdOpenMS: cold, Search: l[kindSearch], Ask: l[kindAsk], Quotes: l[kindQuotes], Suggest: l[kindSuggest],
		// Read before the concurrent runs: this figure is the sequential
		// bench's, as it always was.
		PeakRSSMB: peakRSSMB()}
	sr.RSSAnonMB, sr.RSSFileMB = statusMB("RssAnon:"), statusMB("RssFile:")
	for _, n := range o.Concurrency {
		c, err := concurrent(ctx, lib.Index, reqs, n, o.MaxConcurrent)
		if err != nil {
			return nil, err
		}
		sr.Concurrency = append(sr.Concurrency, *c)
	}
	if o.HeapProfile != "" {
		// While the library is still open: the profile shows what serving
		// holds, not what closing freed.
		if err := writeHeapProfile(o.HeapProfile); err != nil {
			return nil, err
		}
	}
	return sr, nil
}

// indexBytes measures the index on disk.
func indexBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(filepath.Join(dir, "index"), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// kind is one of the four kinds of request members make.
type kind int

const (
	kindSearch kind = iota
	kindAsk
	kindQuotes
	kindSuggest
	kinds
)

// request is one timed request, drawn before the timing starts so that the
// sequential run and every concurrent one ask exactly the same things.
type request struct {
	kind kind
	text string // the query, question, speaker or prefix
	// speaker says whether a quotes request names a speaker (else words).
	speaker bool
}

func (q request) run(ctx context.Context, ix *index.Index) error {
	var err error
	switch q.kind {
	case kindSearch:
		_, err = ix.Search(ctx, index.SearchOptions{Query: q.text, Limit: 5})
	case kindAsk:
		_, err = ix.Ask(ctx, q.text, index.Scope{})
	case kindQuotes:
		qo := index.QuoteOptions{Limit: 5}
		if q.speaker {
			qo.Speaker = q.text
		} else {
			qo.About = q.text
		}
		_, _, err = ix.Quotes(ctx, qo)
	case kindSuggest:
		_, err = ix.SuggestSpeakers(ctx, index.Scope{}, q.text, 25)
	}
	if errors.Is(err, index.ErrEmptyQuery) {
		return nil
	}
	return err
}

// requests draws a mix of the four kinds of request, in turn, with words and
// names drawn from the corpus.
func (m *material) requests(ctx context.Context, ix *index.Index, o Options) ([]request, error) {
	r := rand.New(rand.NewPCG(o.Seed, 99))
	speakers, err := ix.SuggestSpeakers(ctx, index.Scope{}, "", 25)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range speakers {
		names = append(names, s.Name)
	}
	if len(names) == 0 {
		names = []string{"Stoltenberg"}
	}
	word := func() string { return m.titleWords[r.IntN(len(m.titleWords))] }
	reqs := make([]request, o.Queries)
	for i := range reqs {
		q := &reqs[i]
		q.kind = kind(i % int(kinds))
		switch q.kind {
		case kindSearch:
			q.text = word() + " " + word()
		case kindAsk:
			q.text = m.questions[r.IntN(len(m.questions))]
			if r.IntN(2) == 0 {
				q.text = "What did " + names[r.IntN(len(names))] + " say about " + word() + "?"
			}
		case kindQuotes:
			if q.speaker = r.IntN(2) == 0; q.speaker {
				q.text = names[r.IntN(len(names))]
			} else {
				q.text = word()
			}
		case kindSuggest:
			n := names[r.IntN(len(names))]
			q.text = strings.ToLower(n[:min(len(n), 1+r.IntN(4))])
		}
	}
	return reqs, nil
}

// sequential times the requests one after the other.
func sequential(ctx context.Context, ix *index.Index, reqs []request) (byKind [kinds]Latency, err error) {
	var took [kinds][]time.Duration
	for _, q := range reqs {
		if err := ctx.Err(); err != nil {
			return byKind, err
		}
		t := time.Now()
		if err := q.run(ctx, ix); err != nil {
			return byKind, err
		}
		took[q.kind] = append(took[q.kind], time.Since(t))
	}
	for k := range took {
		byKind[k] = dist(took[k])
	}
	return byKind, nil
}

func dist(d []time.Duration) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(q float64) float64 { return ms(d[min(len(d)-1, int(q*float64(len(d))))]) }
	return Latency{P50: at(0.50), P99: at(0.99), N: len(d)}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// peakRSSMB reads the process's peak resident set size (Linux).
func peakRSSMB() float64 { return statusMB("VmHWM:") }

// statusMB reads a figure of /proc/self/status in megabytes (Linux; 0
// elsewhere).
func statusMB(field string) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseFloat(f[0], 64)
				return kb / 1024
			}
		}
	}
	return 0
}
