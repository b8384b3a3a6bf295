package index

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A search must rank every article that holds all its words and say how many
// there are. bleve scores each of them, at about 350 ns a match: on a million
// articles two common words match a third of the library, and a page of five
// took 100 ms. Yet the page nearly always comes from the articles that hold
// a query word in their title. The title weighs double and is short, while
// a word found only in the body adds little however often it occurs: BM25
// saturates, and bleve's BM25 takes a field's average length to be its
// distinct terms per document (about 1 for a body), so long bodies count
// for little.
//
// topPage gives bleve's page without scoring every match:
//   - it counts the matches from the posting bitmaps of the words (and of
//     the scope and source), with no scoring;
//   - it walks the title postings of the words over the matches with a
//     title word, and bounds each such article's score: from below by its
//     title part, from above by that plus the most each word's body
//     postings can add (idf x k1 x weight, BM25's limit);
//   - the k-th highest lower bound is a score the page's last hit reaches;
//     only the articles whose upper bound reaches it can make the page, and
//     those without a title word (bound restMax) only if restMax does;
//   - those candidates are scored exactly, with bleve's formula and figures
//     (idf, query norm, average lengths), in one forward pass over each
//     word's body postings per segment, and the best k kept.
//
// When it cannot tell (a date filter, too many candidates, a reader that is
// not scorch's), the caller runs bleve over every match. TestScoreBoundsHold
// checks the bounds against bleve's own scores, TestBoundedSearchIsExact the
// pages against bleve's.

// errNoBound says the page cannot be bounded; search every match instead.
var errNoBound = errors.New("index: no bound for this page")

// maxExactScores is the most articles worth scoring here: past it, bleve's
// walk of every match costs about as much.
const maxExactScores = 50000

// boundSlack widens the bounds against rounding: the scores are computed
// here in another order of the same operations as bleve's.
const boundSlack = 1e-9

// termFilter keeps the documents holding any of the terms in the field.
type termFilter struct {
	field string
	terms []string
}

// bm25Term is what scoring needs of one query word in one field: bleve's
// idf for it and its query weight.
type bm25Term struct {
	idf, weight float64
}

// pageHit is one hit of a bounded search.
type pageHit struct {
	id    string
	score float64
}

// topPage returns the first k hits of allTermsQuery(terms, titleBoost)
// under the filters, best first, with their scores, and how many articles
// match in all; errNoBound when it cannot bound the page.
func topPage(ctx context.Context, r bindex.IndexReader, terms []string, titleBoost float64, filters []termFilter, k int) ([]pageHit, uint64, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || k <= 0 || len(terms) == 0 || len(terms) > 64 {
		return nil, 0, errNoBound // the candidates keep a bit per word
	}
	sc, err := newScoring(ctx, snap, terms, titleBoost)
	if err != nil {
		return nil, 0, err
	}
	restMax := sc.restMax

	segs := snap.Segments()
	var total uint64
	var cands []pageCandidate
	// rests are, by segment, the matches with no query word in the title:
	// their bound is restMax, their lower bound 0.
	rests := make([]*roaring.Bitmap, len(segs))
	var restCount uint64
	// floor keeps the k highest lower bounds.
	floor := newTopK(k, func(a, b float64) bool { return a < b })
	bodies := make([][]segment.PostingsList, len(segs))
	for si, ss := range segs {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		s := newSegmentBounds(ss, terms)
		match, titled, err := s.matches(filters)
		if err != nil {
			return nil, 0, err
		}
		n := match.GetCardinality()
		total += n
		if n == 0 {
			continue
		}
		if rests[si] = roaring.AndNot(match, titled); !rests[si].IsEmpty() {
			restCount += rests[si].GetCardinality()
			floor.offer(0)
		}
		got, err := s.bound(titled, sc, floor)
		if err != nil {
			return nil, 0, err
		}
		for i := range got {
			got[i].seg = si
		}
		cands = append(cands, got...)
		// The lower bounds so far prune what the segments before kept.
		cands = keepReaching(cands, floorOf(floor))
		if len(cands) > 2*maxExactScores {
			return nil, 0, errNoBound
		}
		bodies[si] = make([]segment.PostingsList, len(terms))
		for i, t := range terms {
			if bodies[si][i], err = s.postings("body", t); err != nil {
				return nil, 0, err
			}
		}
	}
	if total == 0 {
		return nil, 0, nil
	}
	// Score the candidates exactly. zap's postings only go forward (a jump
	// walks the bitmap from where the iterator is), so each segment's
	// candidates are scored in order, one pass over each word's body
	// postings.
	cands = keepReaching(cands, floorOf(floor))
	if restCount > 0 && restMax*(1+boundSlack) >= floorOf(floor) {
		// The words are rare enough in the body for an article without
		// them in its title to rank: score those too.
		if uint64(len(cands))+restCount > maxExactScores {
			return nil, 0, errNoBound
		}
		all := uint64(1)<<len(terms) - 1
		for si, b := range rests {
			if b == nil {
				continue
			}
			for it := b.Iterator(); it.HasNext(); {
				cands = append(cands, pageCandidate{seg: si, doc: uint64(it.Next()), upper: restMax, body: all})
			}
		}
	}
	if len(cands) > maxExactScores {
		return nil, 0, errNoBound
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].seg != cands[j].seg {
			return cands[i].seg < cands[j].seg
		}
		return cands[i].doc < cands[j].doc
	})
	page := newTopK(k, func(a, b scoredDoc) bool { return b.before(a) })
	its := make([]segment.PostingsIterator, len(terms))
	cur := make([]segment.Posting, len(terms))
	for i, c := range cands {
		if i == 0 || c.seg != cands[i-1].seg {
			for t := range terms {
				its[t] = bodies[c.seg][t].Iterator(true, true, false, its[t])
				cur[t] = nil
			}
		}
		score := c.known
		for t := range terms {
			if c.body&(1<<t) == 0 {
				continue
			}
			if cur[t] == nil || cur[t].Number() < c.doc {
				var err error
				if cur[t], err = its[t].Advance(c.doc); err != nil {
					return nil, 0, fmt.Errorf("index: page bound: body postings: %w", err)
				}
			}
			p := cur[t]
			if p == nil || p.Number() != c.doc {
				return nil, 0, fmt.Errorf("index: page bound: doc %d missing from the body postings of %q", c.doc, terms[t])
			}
			b := bm25(sc.body[t], p.Frequency(), p.Norm(), sc.avgBody) * sc.body[t].weight
			if c.title&(1<<t) == 0 {
				b /= 2 // coord: the title half is missing
			}
			score += b
		}
		page.offer(scoredDoc{seg: c.seg, doc: c.doc, score: score})
	}
	if uint64(page.Len()) < min(uint64(k), total) {
		return nil, 0, fmt.Errorf("index: page bound: %d of %d hits scored", page.Len(), min(uint64(k), total))
	}
	best := page.sorted()
	hits := make([]pageHit, len(best))
	for i, b := range best {
		id, err := segs[b.seg].Segment().DocID(b.doc)
		if err != nil {
			return nil, 0, fmt.Errorf("index: page bound: id of %d: %w", b.doc, err)
		}
		hits[i] = pageHit{id: string(id), score: b.score}
	}
	return hits, total, nil
}

// scoring holds the query's BM25 figures.
type scoring struct {
	terms             []string
	title, body       []bm25Term
	avgTitle, avgBody float64
	// bodyMax is, by word, the most its body occurrences can score;
	// restMax the most an article with no query word in its title can.
	bodyMax []float64
	restMax float64
}

// newScoring reads the figures bleve's BM25 gives the query's words, with
// the query norm of allTermsQuery(terms, titleBoost).
func newScoring(ctx context.Context, snap *scorch.IndexSnapshot, terms []string, titleBoost float64) (*scoring, error) {
	docTotal, err := snap.DocCount()
	if err != nil {
		return nil, fmt.Errorf("index: page bound: %w", err)
	}
	sc := &scoring{terms: terms}
	if sc.avgTitle, err = avgFieldLength(snap, "title", docTotal); err != nil {
		return nil, err
	}
	if sc.avgBody, err = avgFieldLength(snap, "body", docTotal); err != nil {
		return nil, err
	}
	if sc.avgTitle == 0 || sc.avgBody == 0 {
		return nil, errNoBound // not BM25 (bleve falls back to tf-idf)
	}
	// bleve's query norm: one over the root of the summed squared weights
	// (boost x idf) of every term searcher of the query.
	sc.title = make([]bm25Term, len(terms))
	sc.body = make([]bm25Term, len(terms))
	var squares float64
	for i, t := range terms {
		for _, f := range []struct {
			field string
			boost float64
			out   *bm25Term
		}{{"title", titleBoost, &sc.title[i]}, {"body", 1, &sc.body[i]}} {
			n, err := termCount(ctx, snap, t, f.field)
			if err != nil {
				return nil, err
			}
			f.out.idf = bm25IDF(docTotal, n)
			f.out.weight = f.boost * f.out.idf
			squares += f.out.weight * f.out.weight
		}
	}
	norm := 1 / math.Sqrt(squares)
	// bodyMax is the most the body can add for a word: BM25's limit as the
	// frequency grows, idf x k1, times the word's query weight.
	sc.bodyMax = make([]float64, len(terms))
	for i := range terms {
		sc.title[i].weight *= norm
		sc.body[i].weight *= norm
		sc.bodyMax[i] = sc.body[i].idf * search.BM25_k1 * sc.body[i].weight
		sc.restMax += sc.bodyMax[i] / 2 // coord: the title half is missing
	}
	return sc, nil
}

// avgFieldLength is bleve's BM25 average field length, as bleve counts it:
// the field's distinct terms over the documents, rounded up.
func avgFieldLength(snap *scorch.IndexSnapshot, field string, docTotal uint64) (float64, error) {
	if docTotal == 0 {
		return 0, nil
	}
	c, err := snap.FieldCardinality(field)
	if err != nil {
		return 0, fmt.Errorf("index: page bound: %s length: %w", field, err)
	}
	return math.Ceil(float64(c) / float64(docTotal)), nil
}

// bm25IDF is bleve's BM25 idf of a term held by docTerm of docTotal
// documents (Ask weighs question words with it too).
func bm25IDF(docTotal, docTerm uint64) float64 {
	return math.Log(1 + (float64(docTotal)-float64(docTerm)+0.5)/(float64(docTerm)+0.5))
}

// bm25 is bleve's BM25 score of a term found freq times in a field of the
// given norm, before the query weight.
func bm25(t bm25Term, freq uint64, norm, avgLen float64) float64 {
	tf := math.Sqrt(float64(freq))
	fieldLength := 1 / (norm * norm)
	return t.idf * (tf * search.BM25_k1) /
		(tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*fieldLength/avgLen)))
}

// pageCandidate is an article that may rank: where it is, the most it can
// score, the part of its score the title gives, and which words its title
// and body hold (a bit per word).
type pageCandidate struct {
	seg         int
	doc         uint64
	upper       float64
	known       float64
	title, body uint64
}

// keepReaching drops the candidates whose upper bound is under need.
func keepReaching(cs []pageCandidate, need float64) []pageCandidate {
	if need <= 0 {
		return cs
	}
	out := cs[:0]
	for _, c := range cs {
		if c.upper*(1+boundSlack) >= need {
			out = append(out, c)
		}
	}
	return out
}

// segmentBounds reads one segment's postings of the query words.
type segmentBounds struct {
	seg     segment.Segment
	deleted *roaring.Bitmap
	terms   []string
	// lists are the postings looked up so far, by field and term: the
	// bitmaps, the title walk and the scoring all read them.
	lists map[[2]string]segment.PostingsList
}

func newSegmentBounds(ss *scorch.SegmentSnapshot, terms []string) *segmentBounds {
	return &segmentBounds{seg: ss.Segment(), deleted: ss.Deleted(), terms: terms, lists: map[[2]string]segment.PostingsList{}}
}

// bitmap is the live documents of the segment holding term in field. It may
// be the segment's own bitmap: never modify it.
func (s *segmentBounds) bitmap(field, term string) (*roaring.Bitmap, error) {
	pl, err := s.postings(field, term)
	if err != nil || pl == nil || pl.Count() == 0 {
		return roaring.New(), err
	}
	it, ok := pl.Iterator(false, false, false, nil).(segment.OptimizablePostingsIterator)
	if !ok {
		return nil, errNoBound
	}
	if n, one := it.DocNum1Hit(); one {
		return roaring.BitmapOf(uint32(n)), nil
	}
	if bm := it.ActualBitmap(); bm != nil {
		return bm, nil
	}
	return roaring.New(), nil
}

func (s *segmentBounds) postings(field, term string) (segment.PostingsList, error) {
	if pl, ok := s.lists[[2]string{field, term}]; ok {
		return pl, nil
	}
	d, err := s.seg.Dictionary(field)
	if err != nil {
		return nil, fmt.Errorf("index: page bound: %s dictionary: %w", field, err)
	}
	pl, err := d.PostingsList([]byte(term), s.deleted, nil)
	if err != nil {
		return nil, fmt.Errorf("index: page bound: %s:%q: %w", field, term, err)
	}
	s.lists[[2]string{field, term}] = pl
	return pl, nil
}

// matches is the segment's documents that hold every word (in the title or
// the body) and pass the filters, and those of them with a word in the
// title.
func (s *segmentBounds) matches(filters []termFilter) (match, titled *roaring.Bitmap, err error) {
	titled = roaring.New()
	for i, t := range s.terms {
		tb, err := s.bitmap("title", t)
		if err != nil {
			return nil, nil, err
		}
		bb, err := s.bitmap("body", t)
		if err != nil {
			return nil, nil, err
		}
		either := roaring.Or(tb, bb)
		if i == 0 {
			match = either
		} else {
			match.And(either)
		}
		titled.Or(tb)
	}
	for _, f := range filters {
		any := roaring.New()
		for _, t := range f.terms {
			b, err := s.bitmap(f.field, t)
			if err != nil {
				return nil, nil, err
			}
			any.Or(b)
		}
		match.And(any)
	}
	titled.And(match)
	return match, titled, nil
}

// bound returns the matches with a title word whose upper bound reaches the
// floor so far; each lower bound (the title part: the body only adds to it)
// is offered to the floor.
func (s *segmentBounds) bound(titled *roaring.Bitmap, sc *scoring, floor *topK[float64]) ([]pageCandidate, error) {
	var out []pageCandidate
	err := s.visit(titled, sc, func(c pageCandidate) {
		floor.offer(c.known)
		if c.upper*(1+boundSlack) >= floorOf(floor) {
			out = append(out, c)
		}
	})
	return out, err
}

// visit walks the matches with a title word, in order, beside the title
// postings of each word, and gives each with its bounds.
func (s *segmentBounds) visit(titled *roaring.Bitmap, sc *scoring, fn func(pageCandidate)) error {
	if titled.IsEmpty() {
		return nil
	}
	type cursor struct {
		it   segment.PostingsIterator
		cur  segment.Posting
		body *roaring.Bitmap
	}
	cs := make([]cursor, len(s.terms))
	for i, t := range s.terms {
		pl, err := s.postings("title", t)
		if err != nil {
			return err
		}
		if pl != nil && pl.Count() > 0 {
			cs[i].it = pl.Iterator(true, true, false, nil)
			if cs[i].cur, err = cs[i].it.Next(); err != nil {
				return fmt.Errorf("index: page bound: title postings: %w", err)
			}
		}
		if cs[i].body, err = s.bitmap("body", t); err != nil {
			return err
		}
	}
	it := titled.Iterator()
	for it.HasNext() {
		c := pageCandidate{doc: uint64(it.Next())}
		for i := range cs {
			cu := &cs[i]
			var err error
			for cu.cur != nil && cu.cur.Number() < c.doc {
				if cu.cur, err = cu.it.Next(); err != nil {
					return fmt.Errorf("index: page bound: title postings: %w", err)
				}
			}
			inTitle := cu.cur != nil && cu.cur.Number() == c.doc
			inBody := cu.body.Contains(uint32(c.doc))
			var t float64
			if inTitle {
				c.title |= 1 << i
				t = bm25(sc.title[i], cu.cur.Frequency(), cu.cur.Norm(), sc.avgTitle) * sc.title[i].weight
			}
			if inBody {
				c.body |= 1 << i
			}
			// A word's title and body form a disjunction: its score is
			// the sum of what matched, times the share that matched.
			switch {
			case inTitle && inBody:
				c.known += t
				c.upper += t + sc.bodyMax[i]
			case inTitle:
				c.known += t / 2
				c.upper += t / 2
			case inBody:
				c.upper += sc.bodyMax[i] / 2
			}
		}
		fn(c)
	}
	return nil
}

// scoredDoc is an article scored exactly.
type scoredDoc struct {
	seg   int
	doc   uint64
	score float64
}

// before orders hits: higher score first, then in index order.
func (a scoredDoc) before(b scoredDoc) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.seg != b.seg {
		return a.seg < b.seg
	}
	return a.doc < b.doc
}

// topK keeps the k greatest values offered, by less, the least of them on
// top of a heap.
type topK[T any] struct {
	k     int
	less  func(a, b T) bool
	items []T
}

func newTopK[T any](k int, less func(a, b T) bool) *topK[T] {
	return &topK[T]{k: k, less: less}
}

func (h *topK[T]) Len() int           { return len(h.items) }
func (h *topK[T]) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *topK[T]) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *topK[T]) Push(x any)         { h.items = append(h.items, x.(T)) }
func (h *topK[T]) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

func (h *topK[T]) offer(v T) {
	switch {
	case len(h.items) < h.k:
		heap.Push(h, v)
	case h.less(h.items[0], v):
		h.items[0] = v
		heap.Fix(h, 0)
	}
}

// sorted is the values kept, greatest first.
func (h *topK[T]) sorted() []T {
	out := append([]T(nil), h.items...)
	sort.Slice(out, func(i, j int) bool { return h.less(out[j], out[i]) })
	return out
}

// floorOf is the k-th highest lower bound offered to floor, a score the
// page's last hit reaches; 0 until k were offered.
func floorOf(floor *topK[float64]) float64 {
	if len(floor.items) < floor.k {
		return 0
	}
	return floor.items[0]
}

// sortedTerms lists a query's terms in a fixed order, so that a query's
// scores add up the same way every time.
func sortedTerms(terms map[string]bool) []string {
	out := make([]string, 0, len(terms))
	for t := range terms {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
