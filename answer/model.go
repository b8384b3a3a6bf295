// Package answer decides which sentence answers a question: the features of a
// candidate sentence, the logistic model that weighs them into a probability,
// the threshold under which newsbot abstains, and the fitting of both by
// cross-validation (see train_test.go: go test ./answer -run TestTrain -update).
package answer

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// Model is a fitted logistic regression over Features.
type Model struct {
	// Version and Features name the feature extraction the weights were
	// fitted on; a model whose list differs from Features is stale.
	Version  int       `json:"version"`
	Features []string  `json:"features"`
	Weights  []float64 `json:"weights"`
	Bias     float64   `json:"bias"`
	// Threshold is the probability under which the best candidate is no
	// answer: chosen by cross-validation.
	Threshold float64 `json:"threshold"`
	// Means and Scales standardise each feature before weighing it.
	Means  []float64 `json:"means"`
	Scales []float64 `json:"scales"`
	// Trained says which data and which command made the model.
	Trained string `json:"trained"`
}

//go:embed model.json
var modelJSON []byte

// Default is the committed model. It panics at start-up when model.json does
// not fit this code: a test catches that before a release can.
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
	n := len(FeatureNames)
	if len(m.Weights) != n || len(m.Means) != n || len(m.Scales) != n {
		return nil, fmt.Errorf("answer: model has %d weights for %d features", len(m.Weights), n)
	}
	return &m, nil
}

// Prob is the probability that a candidate with features x answers.
func (m *Model) Prob(x []float64) float64 {
	z := m.Bias
	for i, v := range x {
		z += m.Weights[i] * (v - m.Means[i]) / m.Scales[i]
	}
	return sigmoid(z)
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Fit fits a logistic regression with an L2 penalty by Newton's method:
// deterministic, and exact enough in a few dozen steps for a few dozen
// features. xs are feature vectors, ys their labels (1 answers, 0 not).
func Fit(xs [][]float64, ys []float64, l2 float64) *Model {
	n := len(FeatureNames)
	m := &Model{Version: FeatureVersion, Features: slices.Clone(FeatureNames),
		Weights: make([]float64, n), Means: make([]float64, n), Scales: make([]float64, n)}
	for j := 0; j < n; j++ {
		var s, ss float64
		for _, x := range xs {
			s += x[j]
		}
		mean := s / float64(max(len(xs), 1))
		for _, x := range xs {
			ss += (x[j] - mean) * (x[j] - mean)
		}
		sd := math.Sqrt(ss / float64(max(len(xs), 1)))
		if sd < 1e-9 {
			sd = 1
		}
		m.Means[j], m.Scales[j] = mean, sd
	}
	// Standardised design with the bias as the last column.
	d := n + 1
	z := make([][]float64, len(xs))
	for i, x := range xs {
		z[i] = make([]float64, d)
		for j := 0; j < n; j++ {
			z[i][j] = (x[j] - m.Means[j]) / m.Scales[j]
		}
		z[i][n] = 1
	}
	w := make([]float64, d)
	for iter := 0; iter < 50; iter++ {
		grad := make([]float64, d)
		hess := make([][]float64, d)
		for j := range hess {
			hess[j] = make([]float64, d)
		}
		for i, zi := range z {
			var s float64
			for j, v := range zi {
				s += w[j] * v
			}
			p := sigmoid(s)
			r := p * (1 - p)
			for j, vj := range zi {
				grad[j] += (p - ys[i]) * vj
				for k := j; k < d; k++ {
					hess[j][k] += r * vj * zi[k]
				}
			}
		}
		for j := 0; j < d; j++ {
			for k := 0; k < j; k++ {
				hess[j][k] = hess[k][j]
			}
			if j < n { // the bias is not penalised
				grad[j] += l2 * w[j]
				hess[j][j] += l2
			}
			hess[j][j] += 1e-9
		}
		step := solve(hess, grad)
		var size float64
		for j := range w {
			w[j] -= step[j]
			size = max(size, math.Abs(step[j]))
		}
		if size < 1e-8 {
			break
		}
	}
	copy(m.Weights, w[:n])
	m.Bias = w[n]
	return m
}

// solve solves a x = b for a symmetric positive definite a (Gaussian
// elimination with partial pivoting; a and b are consumed).
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < n; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < n; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x
}
