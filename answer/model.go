// Package answer decides which sentence answers a question: the features of a
// candidate sentence, the model that ranks candidates, the model that decides
// whether the best of them answers at all, and the fitting of both with
// cross-validation (train_test.go: go test ./answer -run TestTrain -update).
package answer

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Model ranks the candidate sentences of a question and decides whether the
// best answers.
type Model struct {
	// Version and Features name the feature extraction the weights were
	// fitted on; a model whose list differs from FeatureNames is stale.
	Version  int      `json:"version"`
	Features []string `json:"features"`
	// Ranker scores a candidate: fitted to make the right sentence the most
	// likely of its question's (a conditional logit).
	Ranker Linear `json:"rank"`
	// Boost adds small trees to the ranker's score (none: linear alone).
	Boost Boost `json:"boost,omitzero"`
	// Answerable is the probability that the best candidate answers, from
	// ConfidenceNames, given that the library tells the story asked about:
	// a logistic regression.
	Answerable Linear `json:"answerable"`
	// Covered is the probability that the library tells the story asked
	// about at all, from the same features: a logistic regression fitted
	// with the questions about other stories as its negatives. The
	// probability that the best candidate answers is the product.
	Covered Linear `json:"covered"`
	// Threshold is the probability under which Ask abstains, chosen so that
	// few answerable questions are abstained on.
	Threshold float64 `json:"threshold"`
	// MinCoverage is the share of the question's weight the best
	// candidate's article must hold: under it the index does not know the
	// story at all, however the sentences rank.
	MinCoverage float64 `json:"min_coverage"`
	// Trained says which data and which command made the model.
	Trained string `json:"trained"`
}

// Linear is a weighted sum of standardised features.
type Linear struct {
	Weights []float64 `json:"weights"`
	Bias    float64   `json:"bias"`
	Means   []float64 `json:"means"`
	Scales  []float64 `json:"scales"`
}

// Score is the weighted sum for x.
func (l *Linear) Score(x []float64) float64 {
	z := l.Bias
	for i, v := range x {
		z += l.Weights[i] * (v - l.Means[i]) / l.Scales[i]
	}
	return z
}

// ConfidenceNames are the features of a question's ranked candidates that
// say whether the best one answers.
var ConfidenceNames = []string{"top_score", "margin", "top_share", "log_candidates", "top_lex", "top_coverage", "top_missing_names", "top_type", "top_type_near", "top_unit", "top_near", "top_entity_context", "slot_empty", "unit_missing", "head_missing", "top_focus_coverage", "top_focus_window", "top_missing_proper", "top_missing_rare", "top_gap", "top_type_head", "top_missing_year"}

//go:embed model.json
var modelJSON []byte

// Default is the committed model. It panics at start-up when model.json does
// not fit this code; TestCommittedModel catches that first.
var Default = mustLoad(modelJSON)

func mustLoad(b []byte) *Model {
	m, err := Load(b)
	if err != nil {
		panic(err)
	}
	return m
}

// Load reads a model and checks that it was fitted on this code's features.
func Load(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("answer: model: %w", err)
	}
	if m.Version != FeatureVersion || !slices.Equal(m.Features, FeatureNames) {
		return nil, fmt.Errorf("answer: model fitted on features v%d %v, code has v%d %v: run go test ./answer -run TestTrain -update",
			m.Version, m.Features, FeatureVersion, FeatureNames)
	}
	if !m.Ranker.fits(len(FeatureNames)) || !m.Answerable.fits(len(ConfidenceNames)) || !m.Covered.fits(len(ConfidenceNames)) || !m.Boost.fits(len(FeatureNames)) {
		return nil, fmt.Errorf("answer: model weights do not fit %d features and %d confidence features", len(FeatureNames), len(ConfidenceNames))
	}
	return &m, nil
}

func (l *Linear) fits(n int) bool {
	return len(l.Weights) == n && len(l.Means) == n && len(l.Scales) == n
}

// Abstains reports whether the best candidate is too unlikely to answer:
// under the threshold, or ruled out (Prob 0: its article holds too little of
// the question).
func (m *Model) Abstains(r Ranked) bool { return r.Prob == 0 || r.Prob < m.Threshold }

// Ranked is a question's candidates in order, best first, with the
// probability that the best one answers.
type Ranked struct {
	Order []int     // candidate indexes, best first
	Score []float64 // each candidate's ranking score, by candidate index
	// Prob is the probability that the best candidate answers.
	Prob float64
}

// Rank orders the candidates (their feature vectors) of one question.
func (m *Model) Rank(xs [][]float64) Ranked {
	r := m.Order(xs)
	if len(xs) > 0 && xs[r.Order[0]][FCoverage] >= m.MinCoverage {
		c := Confidence(xs, r)
		r.Prob = sigmoid(m.Covered.Score(c)) * sigmoid(m.Answerable.Score(c))
	}
	return r
}

// Confidence computes ConfidenceNames for ranked candidates.
func Confidence(xs [][]float64, r Ranked) []float64 {
	top := r.Order[0]
	s1 := r.Score[top]
	margin := 4.0 // a lone candidate: as clear as a wide margin
	if len(r.Order) > 1 {
		margin = min(s1-r.Score[r.Order[1]], 4)
	}
	var sum float64
	for _, s := range r.Score {
		sum += math.Exp(s - s1)
	}
	x := xs[top]
	return []float64{s1, margin, 1 / sum, math.Log(float64(len(xs))), x[FLex], x[FCoverage], x[FMissingNames], x[FType] + x[FTypeGeneral], x[FTypeNear], x[FTypeUnit], x[FNear], x[FEntityContext],
		// The question asks for a thing of a kind, and none stands by its
		// words; a unit, and the best sentence gives none; a noun, and no
		// thing of the kind stands by it.
		x[FAskSlot] * (1 - x[FTypeNear]), x[FAskUnit] * (1 - x[FTypeUnit]), x[FAskHead] * (1 - min(x[FTypeHead], 1)),
		x[FFocusCoverage], x[FFocusWindow], x[FMissingProper], x[FMissingRare], x[FGap], min(x[FTypeHead], 1), x[FMissingYear]}
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Order ranks candidates by the ranking score alone: the linear ranker's,
// plus the trees'.
func (m *Model) Order(xs [][]float64) Ranked {
	r := Ranked{Order: make([]int, len(xs)), Score: make([]float64, len(xs))}
	for i, x := range xs {
		r.Order[i] = i
		r.Score[i] = m.Ranker.Score(x) + m.Boost.Score(x)
	}
	sort.SliceStable(r.Order, func(a, b int) bool { return r.Score[r.Order[a]] > r.Score[r.Order[b]] })
	return r
}

// MaxAnswers is how many answers Ask gives at most.
const MaxAnswers = 3

// altMargin is how far below the best score another sentence may rank and
// still be offered: e^-3, a twentieth of the best's odds.
const altMargin = 3.0

// Answers picks the candidates to offer, best first: up to MaxAnswers with
// distinct texts, each close enough to the best.
func (r Ranked) Answers(texts []string) []int {
	var out []int
	seen := map[string]bool{}
	for _, i := range r.Order {
		if len(out) == MaxAnswers || r.Score[i] < r.Score[r.Order[0]]-altMargin {
			break
		}
		if seen[texts[i]] {
			continue
		}
		seen[texts[i]] = true
		out = append(out, i)
	}
	return out
}
