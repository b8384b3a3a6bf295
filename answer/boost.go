package answer

import (
	"math"
	"sort"
)

// Boost is a sum of small regression trees added to the linear ranker's
// score. The linear weights give each feature one slope everywhere; a tree
// can say what a feature is worth given another (a number in a sentence
// matters for a "how many" question only), which is where the linear
// ranker's errors on its own training data come from.
type Boost struct {
	Rate  float64 `json:"rate"`
	Trees []Tree  `json:"trees"`
}

// Tree is a regression tree, its root first. An inner node sends x left when
// x[Feature] <= Threshold; its children are at Left and Left+1.
type Tree []Node

// Node is an inner node (Feature >= 0) or a leaf with its Value.
type Node struct {
	Feature   int     `json:"f"`
	Threshold float64 `json:"t,omitempty"`
	Left      int     `json:"l,omitempty"`
	Value     float64 `json:"v,omitempty"`
}

// Score is what the trees add to a candidate's score.
func (b *Boost) Score(x []float64) float64 {
	var s float64
	for _, t := range b.Trees {
		s += t.eval(x)
	}
	return b.Rate * s
}

func (t Tree) eval(x []float64) float64 {
	i := 0
	for t[i].Feature >= 0 {
		if x[t[i].Feature] <= t[i].Threshold {
			i = t[i].Left
		} else {
			i = t[i].Left + 1
		}
	}
	return t[i].Value
}

// fits says whether every node reads a feature of n.
func (b *Boost) fits(n int) bool {
	for _, t := range b.Trees {
		for _, nd := range t {
			if nd.Feature >= n || (nd.Feature >= 0 && (nd.Left <= 0 || nd.Left+1 >= len(t))) {
				return false
			}
		}
	}
	return true
}

// BoostOptions are the trees' size and learning rate.
type BoostOptions struct {
	Rounds  int     // trees
	Depth   int     // splits from root to leaf
	MinLeaf int     // fewest candidates in a leaf
	Rate    float64 // shrinkage of each tree
	L2      float64 // penalty on leaf values
	// Top is how many of a question's candidates, by the linear score,
	// the trees are fitted on (with every answering one): the others
	// carry next to no probability and only slow the fit.
	Top int
}

// FitBoost fits trees that lower the same loss as FitRank (the conditional
// logit of the answering candidates), starting from the linear scores:
// each tree fits the loss's gradient with Newton leaf values, on features
// cut at their quantiles. Deterministic.
func FitBoost(groups []Group, base *Linear, o BoostOptions) Boost {
	type row struct {
		x    []float64
		good bool
		f    float64 // the score so far
	}
	var qs [][]row
	for _, g := range groups {
		hasGood := false
		for _, ok := range g.Good {
			hasGood = hasGood || ok
		}
		if !hasGood {
			continue
		}
		idx := make([]int, len(g.X))
		sc := make([]float64, len(g.X))
		for i, x := range g.X {
			idx[i] = i
			sc[i] = base.Score(x)
		}
		sort.SliceStable(idx, func(a, b int) bool { return sc[idx[a]] > sc[idx[b]] })
		var rs []row
		for n, i := range idx {
			if n < o.Top || g.Good[i] {
				rs = append(rs, row{x: g.X[i], good: g.Good[i], f: sc[i]})
			}
		}
		qs = append(qs, rs)
	}
	var rows []*row
	for q := range qs {
		for i := range qs[q] {
			rows = append(rows, &qs[q][i])
		}
	}
	b := Boost{Rate: o.Rate}
	if len(rows) == 0 {
		return b
	}
	nf := len(rows[0].x)
	cuts := make([][]float64, nf)
	for f := range cuts {
		vals := make([]float64, len(rows))
		for i, r := range rows {
			vals[i] = r.x[f]
		}
		cuts[f] = quantileCuts(vals, 32)
	}
	bins := make([][]uint8, len(rows))
	for i, r := range rows {
		bins[i] = make([]uint8, nf)
		for f := range cuts {
			bins[i][f] = uint8(sort.SearchFloat64s(cuts[f], r.x[f]))
		}
	}
	grad := make([]float64, len(rows))
	hess := make([]float64, len(rows))
	for round := 0; round < o.Rounds; round++ {
		// The softmax of each question's scores against the share of
		// the answering candidates.
		k := 0
		for q := range qs {
			mx := math.Inf(-1)
			for _, r := range qs[q] {
				mx = max(mx, r.f)
			}
			var all, good float64
			ps := make([]float64, len(qs[q]))
			for i, r := range qs[q] {
				ps[i] = math.Exp(r.f - mx)
				all += ps[i]
				if r.good {
					good += ps[i]
				}
			}
			for i, r := range qs[q] {
				p := ps[i] / all
				t := 0.0
				if r.good {
					t = ps[i] / good
				}
				grad[k] = p - t
				hess[k] = max(p*(1-p), 1e-6)
				k++
			}
		}
		all := make([]int, len(rows))
		for i := range all {
			all[i] = i
		}
		t := Tree{{}}
		growTree(&t, 0, all, bins, cuts, grad, hess, o, 0)
		b.Trees = append(b.Trees, t)
		for _, r := range rows {
			r.f += o.Rate * t.eval(r.x)
		}
	}
	return b
}

// growTree fills node at of t, already in place, from rows: a leaf, or a
// split whose two children it appends side by side and fills in turn.
func growTree(t *Tree, at int, rows []int, bins [][]uint8, cuts [][]float64, grad, hess []float64, o BoostOptions, depth int) {
	var G, H float64
	for _, i := range rows {
		G += grad[i]
		H += hess[i]
	}
	leaf := Node{Feature: -1, Value: -G / (H + o.L2)}
	if depth == o.Depth || len(rows) < 2*o.MinLeaf {
		(*t)[at] = leaf
		return
	}
	parent := G * G / (H + o.L2)
	bestGain, bestF, bestBin := 1e-9, -1, 0
	var gh [33][2]float64
	var cnt [33]int
	for f := range cuts {
		if len(cuts[f]) == 0 {
			continue
		}
		gh = [33][2]float64{}
		cnt = [33]int{}
		for _, i := range rows {
			bn := bins[i][f]
			gh[bn][0] += grad[i]
			gh[bn][1] += hess[i]
			cnt[bn]++
		}
		var gl, hl float64
		nl := 0
		for bn := 0; bn < len(cuts[f]); bn++ {
			gl += gh[bn][0]
			hl += gh[bn][1]
			nl += cnt[bn]
			if nl < o.MinLeaf || len(rows)-nl < o.MinLeaf {
				continue
			}
			gr, hr := G-gl, H-hl
			gain := gl*gl/(hl+o.L2) + gr*gr/(hr+o.L2) - parent
			if gain > bestGain {
				bestGain, bestF, bestBin = gain, f, bn
			}
		}
	}
	if bestF < 0 {
		(*t)[at] = leaf
		return
	}
	var left, right []int
	for _, i := range rows {
		if int(bins[i][bestF]) <= bestBin {
			left = append(left, i)
		} else {
			right = append(right, i)
		}
	}
	l := len(*t)
	*t = append(*t, Node{}, Node{})
	(*t)[at] = Node{Feature: bestF, Threshold: cuts[bestF][bestBin], Left: l}
	growTree(t, l, left, bins, cuts, grad, hess, o, depth+1)
	growTree(t, l+1, right, bins, cuts, grad, hess, o, depth+1)
}

// quantileCuts returns at most n-1 increasing cut points of vals: a value v
// falls in bin SearchFloat64s(cuts, v), values up to cuts[b] in bin b.
func quantileCuts(vals []float64, n int) []float64 {
	s := append([]float64(nil), vals...)
	sort.Float64s(s)
	var uniq []float64
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			uniq = append(uniq, v)
		}
	}
	if len(uniq) <= 1 {
		return nil
	}
	if len(uniq) <= n {
		return uniq[:len(uniq)-1]
	}
	var cuts []float64
	for b := 1; b < n; b++ {
		v := s[b*len(s)/n]
		if v == s[len(s)-1] {
			break
		}
		if len(cuts) == 0 || v > cuts[len(cuts)-1] {
			cuts = append(cuts, v)
		}
	}
	return cuts
}
