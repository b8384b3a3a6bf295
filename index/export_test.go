package index

import (
	"context"
	"fmt"

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
