package index

import (
	"context"
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// ForceMerge merges the index into one segment, as bleve's background
// merger eventually does, for tests of what a merge keeps.
func (ix *Index) ForceMerge(ctx context.Context) error {
	adv, err := ix.b().Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return fmt.Errorf("index: %T is not scorch", adv)
	}
	return s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions)
}

// SetExhaustive makes Search score every match, as bleve alone would.
func (ix *Index) SetExhaustive(on bool) { ix.exhaustive = on }

// BoundedSearches is how many searches ranked only the page's candidates.
func (ix *Index) BoundedSearches() int64 { return ix.bounded.Load() }

// scoreBounds gives the lower and upper bound topPage puts on the score of
// every article matching allTermsQuery(terms, titleBoost) under the
// filters, by id.
func (ix *Index) scoreBounds(ctx context.Context, terms []string, titleBoost float64, filters []termFilter) (map[string][2]float64, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	snap := r.(*scorch.IndexSnapshot)
	sc, err := newScoring(ctx, snap, terms, titleBoost)
	if err != nil {
		return nil, err
	}
	out := map[string][2]float64{}
	for _, ss := range snap.Segments() {
		s := newSegmentBounds(ss, terms)
		match, titled, err := s.matches(filters)
		if err != nil {
			return nil, err
		}
		id := func(doc uint64) string {
			b, err := ss.Segment().DocID(doc)
			if err != nil {
				panic(err)
			}
			return string(b)
		}
		if err := s.visit(titled, sc, func(c pageCandidate) { out[id(c.doc)] = [2]float64{c.known, c.upper} }); err != nil {
			return nil, err
		}
		for it := roaring.AndNot(match, titled).Iterator(); it.HasNext(); {
			out[id(uint64(it.Next()))] = [2]float64{0, sc.restMax}
		}
	}
	return out, nil
}
