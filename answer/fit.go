package answer

import "math"

// Group is one question's candidates for fitting: their features, and which
// of them answer.
type Group struct {
	X    [][]float64
	Good []bool
}

// FitRank fits the ranking weights as a conditional logit: for every question
// with an answering candidate, the log of the probability mass the softmax of
// the scores puts on the answering candidates, plus an L2 penalty on the
// standardised weights. Newton steps with the softmax covariance as the
// curvature, halved while the loss does not fall: deterministic.
func FitRank(groups []Group, l2 float64) Linear {
	n := len(FeatureNames)
	for _, g := range groups {
		if len(g.X) > 0 {
			n = len(g.X[0]) // the width of the rows given
			break
		}
	}
	lin := standardiser(groups, n, func(g Group) [][]float64 { return g.X })
	// A shift common to every candidate of a question does not change its
	// softmax, so the features are scaled but not centred: a feature that
	// is zero for all of a question's candidates stays out of its sums.
	for j := range lin.Means {
		lin.Means[j] = 0
	}
	// Each group's scaled features, over the features not zero in it.
	type sparse struct {
		active []int       // feature indexes
		zs     [][]float64 // by candidate, over active
		good   []bool
	}
	gs := make([]sparse, 0, len(groups))
	for _, g := range groups {
		var sg sparse
		for j := 0; j < n; j++ {
			for _, x := range g.X {
				if x[j] != 0 {
					sg.active = append(sg.active, j)
					break
				}
			}
		}
		for _, x := range g.X {
			z := make([]float64, len(sg.active))
			for a, j := range sg.active {
				z[a] = x[j] / lin.Scales[j]
			}
			sg.zs = append(sg.zs, z)
		}
		sg.good = g.Good
		gs = append(gs, sg)
	}
	w := make([]float64, n)
	scores := func(g sparse, w []float64) []float64 {
		ss := make([]float64, len(g.zs))
		for i, z := range g.zs {
			for a, j := range g.active {
				ss[i] += w[j] * z[a]
			}
		}
		return ss
	}
	loss := func(w []float64) float64 {
		l := 0.0
		for _, g := range gs {
			ss := scores(g, w)
			mx := math.Inf(-1)
			for _, s := range ss {
				mx = max(mx, s)
			}
			var all, good float64
			for i, s := range ss {
				e := math.Exp(s - mx)
				all += e
				if g.good[i] {
					good += e
				}
			}
			if good > 0 {
				l -= math.Log(good / all)
			}
		}
		for _, v := range w {
			l += 0.5 * l2 * v * v
		}
		return l
	}
	cur := loss(w)
	for iter := 0; iter < 60; iter++ {
		grad := make([]float64, n)
		hess := make([][]float64, n)
		for j := range hess {
			hess[j] = make([]float64, n)
		}
		for _, g := range gs {
			ss := scores(g, w)
			mx := math.Inf(-1)
			for _, s := range ss {
				mx = max(mx, s)
			}
			var all, good float64
			p := make([]float64, len(ss))
			q := make([]float64, len(ss))
			for i, s := range ss {
				p[i] = math.Exp(s - mx)
				all += p[i]
				if g.good[i] {
					q[i] = p[i]
					good += p[i]
				}
			}
			if good == 0 {
				continue
			}
			k := len(g.active)
			mean := make([]float64, k)
			for i := range ss {
				p[i] /= all
				q[i] /= good
				for a, j := range g.active {
					grad[j] += (p[i] - q[i]) * g.zs[i][a]
					mean[a] += p[i] * g.zs[i][a]
				}
			}
			d := make([]float64, k)
			for i := range ss {
				for a := range d {
					d[a] = g.zs[i][a] - mean[a]
				}
				for a, j := range g.active {
					pd := p[i] * d[a]
					row := hess[j]
					for b := a; b < k; b++ {
						row[g.active[b]] += pd * d[b]
					}
				}
			}
		}
		for j := 0; j < n; j++ {
			for k := 0; k < j; k++ {
				hess[j][k] = hess[k][j]
			}
			grad[j] += l2 * w[j]
			hess[j][j] += l2
		}
		step := solve(hess, grad)
		next := make([]float64, n)
		t := 1.0
		for h := 0; h < 30; h++ {
			for j := range w {
				next[j] = w[j] - t*step[j]
			}
			if l := loss(next); l <= cur {
				break
			}
			t /= 2
		}
		nl := loss(next)
		if nl > cur {
			break
		}
		copy(w, next)
		done := cur-nl < 1e-7
		cur = nl
		if done {
			break
		}
	}
	lin.Weights = w
	return lin
}

// FitLogistic fits a logistic regression with an L2 penalty on standardised
// weights by Newton's method. xs are feature vectors, ys labels (0 or 1).
func FitLogistic(xs [][]float64, ys []float64, l2 float64) Linear {
	n := 0
	if len(xs) > 0 {
		n = len(xs[0])
	}
	lin := standardiser([]Group{{X: xs}}, n, func(g Group) [][]float64 { return g.X })
	d := n + 1
	zs := make([][]float64, len(xs))
	for i, x := range xs {
		zs[i] = make([]float64, d)
		for j := 0; j < n; j++ {
			zs[i][j] = (x[j] - lin.Means[j]) / lin.Scales[j]
		}
		zs[i][n] = 1
	}
	w := make([]float64, d)
	for iter := 0; iter < 50; iter++ {
		grad := make([]float64, d)
		hess := make([][]float64, d)
		for j := range hess {
			hess[j] = make([]float64, d)
		}
		for i, zi := range zs {
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
		size := 0.0
		for j := range w {
			w[j] -= step[j]
			size = max(size, math.Abs(step[j]))
		}
		if size < 1e-8 {
			break
		}
	}
	lin.Weights = w[:n]
	lin.Bias = w[n]
	return lin
}

// standardiser measures the mean and spread of every feature.
func standardiser(groups []Group, n int, rows func(Group) [][]float64) Linear {
	lin := Linear{Weights: make([]float64, n), Means: make([]float64, n), Scales: make([]float64, n)}
	count := 0
	for _, g := range groups {
		for _, x := range rows(g) {
			for j := 0; j < n; j++ {
				lin.Means[j] += x[j]
			}
			count++
		}
	}
	for j := range lin.Means {
		lin.Means[j] /= float64(max(count, 1))
	}
	for _, g := range groups {
		for _, x := range rows(g) {
			for j := 0; j < n; j++ {
				d := x[j] - lin.Means[j]
				lin.Scales[j] += d * d
			}
		}
	}
	for j := range lin.Scales {
		lin.Scales[j] = math.Sqrt(lin.Scales[j] / float64(max(count, 1)))
		if lin.Scales[j] < 1e-9 {
			lin.Scales[j] = 1
		}
	}
	return lin
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
