// Package index is newsbot's full-text index (bleve, on disk): the mapping,
// batched writes, and the queries behind Search, Ask, Quotes and Suggest. It is
// derived from the store and can always be rebuilt from it.
package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/simple"
	"github.com/blevesearch/bleve/v2/analysis/token/edgengram"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/newsbot/newsbot/internal/enfast"
	"github.com/newsbot/newsbot/internal/lexicon"
	"github.com/newsbot/newsbot/news"
)

// MappingVersion changes whenever the mapping does; an index built with another
// version must be rebuilt (newsbot reindex).
const MappingVersion = "5"

// GlobalGuild is the guild value indexed for articles visible everywhere:
// keyword fields cannot hold an empty string.
const GlobalGuild = "_global"

// ArticleSource gives the index the text it does not store: the articles
// themselves, kept by the store.
type ArticleSource interface {
	Articles(ids []string) (map[string]*news.Article, error)
}

// Index is an open bleve index plus what it needs to build replies.
type Index struct {
	// cur is the open bleve index; Swap replaces it under running requests
	// (a rebuild), so it is read through b().
	cur      atomic.Pointer[handle]
	path     string
	src      ArticleSource
	analyzer analysis.Analyzer
	// lemma maps irregular word forms to the stem of their base form.
	lemma map[string]string
	// groups maps a stem to the ids of the related-word groups it is in.
	groups map[string][]int

	// running holds a slot per query being worked on: as many as there
	// are cores. More queries at once would only share the cores, each
	// taking longer (a bot admitting 8 on 2 cores saw its p99 at 100k
	// articles reach 190 ms); waiting in turn (channels wake waiters in
	// order) keeps a query's time near its own work.
	running chan struct{}

	// exhaustive makes Search score every match, as bleve alone does
	// (tests compare the two); bounded counts the searches that ranked
	// only the articles that could make the page (topPage).
	exhaustive bool
	bounded    atomic.Int64

	suggestMu    sync.Mutex
	suggestCache map[string]suggestEntry // by guild
}

// ErrLocked means another process holds the index open.
var ErrLocked = errors.New("index: in use by another process")

// Open opens the index at path, creating it when it does not exist. The lock of
// another process is waited on for at most a second.
func Open(path string, src ArticleSource) (*Index, error) {
	rt := map[string]any{"bolt_timeout": "1s"}
	b, err := bleve.OpenUsing(path, rt)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		m, merr := newMapping()
		if merr != nil {
			return nil, fmt.Errorf("index: mapping: %w", merr)
		}
		b, err = bleve.NewUsing(path, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, rt)
		if err == nil {
			err = b.SetInternal([]byte("mapping_version"), []byte(MappingVersion))
		}
	}
	if err != nil {
		if strings.Contains(err.Error(), "timeout") {
			return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
		}
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	v, _ := b.GetInternal([]byte("mapping_version"))
	if string(v) != MappingVersion {
		b.Close()
		return nil, fmt.Errorf("index: %s was built by another version of newsbot (mapping %q, want %q): run newsbot reindex", path, v, MappingVersion)
	}
	an := b.Mapping().AnalyzerNamed(enfast.AnalyzerName)
	if an == nil {
		b.Close()
		return nil, fmt.Errorf("index: analyzer %q missing", enfast.AnalyzerName)
	}
	ix := &Index{path: path, src: src, analyzer: an, running: make(chan struct{}, runtime.GOMAXPROCS(0))}
	ix.cur.Store(&handle{b})
	ix.buildLexicon()
	lexicon.Load() // WordNet, for Ask: now rather than in the first question
	return ix, nil
}

// reader opens a reader of the index's terms (close it).
func (ix *Index) reader() (bindex.IndexReader, error) {
	adv, err := ix.b().Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// Close closes the index.
func (ix *Index) Close() error { return ix.b().Close() }

// Path is the index folder.
func (ix *Index) Path() string { return ix.path }

// Size is the index's size on disk in bytes.
func (ix *Index) Size() int64 {
	var n int64
	_ = filepath.WalkDir(ix.path, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// DocCount is the number of articles indexed: the length of the posting list
// of the article type, read without walking it (a search walked a million
// postings at a million articles, for every metrics scrape and question).
func (ix *Index) DocCount() (int, error) {
	r, err := ix.reader()
	if err != nil {
		return 0, fmt.Errorf("index: count: %w", err)
	}
	defer r.Close()
	n, err := termCount(context.Background(), r, docArticle, "type")
	return int(n), err
}

// termCount is how many documents hold term in field, deleted ones excluded.
func termCount(ctx context.Context, r bindex.IndexReader, term, field string) (uint64, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("index: count %s:%q: %w", field, term, err)
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

const (
	docArticle = "article"
	docQuote   = "quote"
)

// articleDoc is what bleve sees of an article: text to search and fields to
// filter on. Nothing is stored; replies read the article from the store.
type articleDoc struct {
	Type      string    `json:"type"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Source    string    `json:"source"`
	Guild     string    `json:"guild"`
	Published time.Time `json:"published,omitzero"`
	// Ingested and Recency are times as fixed-width keys (timeKey):
	// keyword terms sort and range like times at the cost of one term, where
	// a datetime field indexes a dozen and more. Recency is the publication
	// date, else the ingest time: what /latest sorts on.
	Ingested string `json:"ingested"`
	Recency  string `json:"recency"`
}

// timeKey writes a time as an 11-byte key whose byte order is the times' order,
// to the nanosecond: its Unix nanoseconds, sign bit flipped, six bits a byte
// in an alphabet of rising ASCII. Sorting quotes by recency reads this key of
// every matching quote, so its size is the cost: RFC 3339 text took 30 bytes.
// Times outside what Unix nanoseconds hold (years 1678 to 2262) sort as the
// nearest one they do.
func timeKey(t time.Time) string {
	var n int64
	switch {
	case t.Before(minKeyTime):
		n = math.MinInt64
	case t.After(maxKeyTime):
		n = math.MaxInt64
	default:
		n = t.UnixNano()
	}
	u := uint64(n) ^ 1<<63
	var b [timeKeyLen]byte
	for i := timeKeyLen - 1; i >= 0; i-- {
		b[i] = keyDigits[u&63]
		u >>= 6
	}
	return string(b[:])
}

const (
	timeKeyLen = 11 // 66 bits hold 64
	keyDigits  = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)

var (
	minKeyTime = time.Unix(0, math.MinInt64)
	maxKeyTime = time.Unix(0, math.MaxInt64)
)

// BleveType tells bleve which document mapping applies.
func (d articleDoc) BleveType() string { return docArticle }

func guildValue(g string) string {
	if g == "" {
		return GlobalGuild
	}
	return g
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = enfast.AnalyzerName
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	// A keyword is a filter: no doc values (bleve's default), which only
	// sorts and facets read, and which cost every document they are kept
	// for at indexing and at every merge. sorted is a keyword they read.
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	sorted := func() *mapping.FieldMapping {
		f := kw()
		f.DocValues = true
		return f
	}
	date := func() *mapping.FieldMapping {
		f := bleve.NewDateTimeFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		return f
	}
	art := bleve.NewDocumentStaticMapping()
	art.AddFieldMappingsAt("title", text())
	art.AddFieldMappingsAt("body", text())
	art.AddFieldMappingsAt("type", kw())
	art.AddFieldMappingsAt("source", sorted()) // the sources facets
	art.AddFieldMappingsAt("guild", kw())
	art.AddFieldMappingsAt("published", date())
	art.AddFieldMappingsAt("ingested", sorted())
	art.AddFieldMappingsAt("recency", sorted())
	art.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	edge := bleve.NewTextFieldMapping()
	edge.Analyzer = edgeAnalyzer
	edge.Store, edge.IncludeInAll, edge.IncludeTermVectors, edge.DocValues = false, false, false, false
	speakerText := text()
	speakerText.Analyzer = simple.Name // names are not stemmed

	// A quote document holds only what the quote queries read (quotes.go,
	// trend.go): its article, kind and source are read from the store.
	q := bleve.NewDocumentStaticMapping()
	q.AddFieldMappingsAt("text", text())
	q.AddFieldMappingsAt("type", kw())
	q.AddFieldMappingsAt("speaker", sorted()) // the suggestions facet
	q.AddFieldMappingsAt("speaker_key", kw())
	q.AddFieldMappingsAt("speaker_text", speakerText)
	q.AddFieldMappingsAt("speaker_edge", edge)
	q.AddFieldMappingsAt("url", kw())
	q.AddFieldMappingsAt("guild", kw())
	q.AddFieldMappingsAt("recency", sorted()) // the article's, for sorting
	q.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	m := bleve.NewIndexMapping()
	if err := m.AddCustomTokenFilter(edgeFilter, map[string]any{
		"type": edgengram.Name, "min": 1.0, "max": float64(edgeMax),
	}); err != nil {
		return nil, err
	}
	if err := m.AddCustomAnalyzer(edgeAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name, edgeFilter},
	}); err != nil {
		return nil, err
	}
	m.ScoringModel = bindex.BM25Scoring
	m.DefaultAnalyzer = enfast.AnalyzerName
	m.DefaultMapping = bleve.NewDocumentDisabledMapping()
	m.AddDocumentMapping(docArticle, art)
	m.AddDocumentMapping(docQuote, q)
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, m.Validate()
}

// The speaker suggestion field: every prefix of every word of a name, up to
// edgeMax letters, so a prefix is one term lookup, not a fan-out.
const (
	edgeFilter   = "speaker_edge_ngram"
	edgeAnalyzer = "speaker_edge"
	edgeMax      = 20
)

// batchSize bounds one bleve batch, in documents (articles and quotes). Each
// batch becomes one segment, and scorch merges segments of like size ten at a
// time: a bulk ingest's segments of a few thousand documents skip the first
// round of merges that segments of 500 went through, and build faster per
// document. The bound keeps a batch's analysed text (some tens of MB) from
// growing with the input.
const batchSize = 5000

// IndexArticles adds or replaces articles (and their quotes) in batches.
func (ix *Index) IndexArticles(ctx context.Context, arts []*news.Article) error {
	b := ix.b().NewBatch()
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := ix.b().Batch(b); err != nil {
			return fmt.Errorf("index: batch: %w", err)
		}
		b.Reset()
		return nil
	}
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return err
		}
		doc := articleDoc{
			Type:      docArticle,
			Title:     a.Title,
			Body:      a.Body(),
			Source:    a.Source,
			Guild:     guildValue(a.Guild),
			Published: a.Published,
			Ingested:  timeKey(a.Ingested),
			Recency:   timeKey(recency(a)),
		}
		if err := ix.add(b, a.ID, doc); err != nil {
			return fmt.Errorf("index: %s: %w", a.ID, err)
		}
		if err := ix.addQuotes(b, a); err != nil {
			return err
		}
		if b.Size() >= batchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// rawDocValues are the fields whose doc values a sort reads for every
// matching document, over the whole index: the quotes' recency (quotes newest
// first). mapDoc has them written one document a chunk, uncompressed, as
// bleve does for geo points; otherwise each value read decompressed the
// chunk of 1,024 documents around it, which at a million articles was a
// quarter of all serving CPU (quotes p50 50 ms, now 5). The cost is eight
// bytes of memory per document, for the chunks' offsets: 25 MB at a million
// articles. The speakers facet, a smaller share of serving (suggest p99
// 21 ms at a million articles with raw values), keeps compressed ones and
// saves the memory.
//
// Both options go together: bleve's merge (zapx v17 iterateAllDocValues)
// reads a chunk without compression as a single document's values, so
// uncompressed chunks of 1,024 documents are garbled by the first merge
// (TestRawDocValuesSurviveMerges).
var rawDocValues = map[string]bool{"recency": true}

// add puts data in the batch as bleve's Batch.Index does, through mapDoc.
func (ix *Index) add(b *bleve.Batch, id string, data any) error {
	doc, err := mapDoc(ix.b().Mapping(), id, data)
	if err != nil {
		return err
	}
	return b.IndexAdvanced(doc)
}

// mapDoc maps data to a document with the index's mapping, then marks the doc
// values of rawDocValues to be written unchunked and uncompressed (options
// bleve's mapping does not offer).
func mapDoc(m mapping.IndexMapping, id string, data any) (*document.Document, error) {
	doc := document.NewDocument(id)
	if err := m.MapDocument(doc, data); err != nil {
		return nil, err
	}
	for i, f := range doc.Fields {
		tf, ok := f.(*document.TextField)
		if !ok || !rawDocValues[tf.Name()] {
			continue
		}
		doc.Fields[i] = document.NewTextFieldCustom(tf.Name(), tf.ArrayPositions(), tf.Value(),
			tf.Options()|bindex.SkipDVChunking|bindex.SkipDVCompression, tf.Analyzer())
	}
	return doc, nil
}

// DeleteArticle removes an article and its quotes.
func (ix *Index) DeleteArticle(a *news.Article) error {
	b := ix.b().NewBatch()
	b.Delete(a.ID)
	for i := range a.Quotes {
		b.Delete(quoteID(a.ID, i))
	}
	if err := ix.b().Batch(b); err != nil {
		return fmt.Errorf("index: delete %s: %w", a.ID, err)
	}
	return nil
}

// Has reports which of the ids the index holds.
func (ix *Index) Has(ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	res, err := ix.b().Search(req)
	if err != nil {
		return nil, fmt.Errorf("index: lookup: %w", err)
	}
	for _, h := range res.Hits {
		out[h.ID] = true
	}
	return out, nil
}

// recency is an article's date for "newest first": its publication date, else
// when it was ingested.
func recency(a *news.Article) time.Time {
	if a.Published.IsZero() {
		return a.Ingested
	}
	return a.Published
}

// handle boxes a bleve index for atomic.Pointer.
type handle struct{ bleve.Index }

// b is the current bleve index.
func (ix *Index) b() bleve.Index { return ix.cur.Load().Index }

// swapGrace is how long a replaced bleve index stays open for the requests
// that started on it.
const swapGrace = 30 * time.Second

// Swap makes the index at path (built and closed by the caller) the one this
// Index serves, without a moment of no index: requests in flight finish on the
// old one, which is closed swapGrace later, and its folder (old) removed.
func (ix *Index) Swap(newPath, oldDir string) error {
	nb, err := bleve.OpenUsing(newPath, map[string]any{"bolt_timeout": "1s"})
	if err != nil {
		return fmt.Errorf("index: open rebuilt %s: %w", newPath, err)
	}
	prev := ix.cur.Swap(&handle{nb})
	ix.suggestMu.Lock()
	ix.suggestCache = nil
	ix.suggestMu.Unlock()
	time.AfterFunc(swapGrace, func() {
		prev.Close()
		if oldDir != "" {
			os.RemoveAll(oldDir)
		}
	})
	return nil
}

// slot waits for a query's turn on a core; release gives it back. A
// cancelled or expired context stops the wait.
func (ix *Index) slot(ctx context.Context) (release func(), err error) {
	select {
	case ix.running <- struct{}{}:
		return func() { <-ix.running }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
