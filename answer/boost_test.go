package answer

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// The right candidate is the one whose two features agree in sign: no
// linear score can tell, trees can. Fitted on one half, the trees must rank
// the right candidate first far more often on the other half than the
// linear ranker does.
func TestBoostLearnsAnInteraction(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// A fixed width, so the draw does not change with the feature list
	// (at 45 noise-filled features one draw defeats the trees: 53/300).
	n := 16
	draw := func() []Group {
		var gs []Group
		for range 300 {
			g := Group{}
			right := rng.IntN(6)
			for c := range 6 {
				x := make([]float64, n)
				for j := range x {
					x[j] = rng.NormFloat64()
				}
				a, b := rng.Float64()+0.1, rng.Float64()+0.1
				if rng.IntN(2) == 0 {
					a = -a
				}
				if c == right {
					x[FLex], x[FType] = a, a // same sign
				} else {
					x[FLex], x[FType] = a, -b*a/abs(a) // opposite signs
				}
				g.X = append(g.X, x)
				g.Good = append(g.Good, c == right)
			}
			gs = append(gs, g)
		}
		return gs
	}
	train, test := draw(), draw()
	lin := FitRank(train, 1)
	linear := &Model{Ranker: lin}
	boosted := &Model{Ranker: lin, Boost: FitBoost(train, &lin, BoostOptions{Rounds: 40, Depth: 2, MinLeaf: 10, Rate: 0.3, L2: 1, Top: 6})}
	at1 := func(m *Model) int {
		hit := 0
		for _, g := range test {
			if g.Good[m.Order(g.X).Order[0]] {
				hit++
			}
		}
		return hit
	}
	l, b := at1(linear), at1(boosted)
	t.Logf("right candidate first: linear %d/300, with trees %d/300", l, b)
	if b < 200 || b < l+100 {
		t.Errorf("with trees %d/300 right, linear %d/300: the trees did not learn the interaction", b, l)
	}
	if !boosted.Boost.fits(n) {
		t.Error("the fitted trees do not fit the features")
	}
	// The trees survive model.json.
	data, err := json.Marshal(boosted.Boost)
	if err != nil {
		t.Fatal(err)
	}
	var back Boost
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	for _, g := range test[:20] {
		for _, x := range g.X {
			if back.Score(x) != boosted.Boost.Score(x) {
				t.Fatalf("score %v after a round trip, %v before", back.Score(x), boosted.Boost.Score(x))
			}
		}
	}
}

func TestQuantileCuts(t *testing.T) {
	for _, c := range []struct {
		vals []float64
		n    int
		want int // cuts
	}{
		{[]float64{1, 1, 1}, 32, 0},
		{[]float64{0, 1}, 32, 1},
		{[]float64{3, 1, 2, 2}, 32, 2},
	} {
		got := quantileCuts(c.vals, c.n)
		if len(got) != c.want {
			t.Errorf("quantileCuts(%v) = %v, want %d cuts", c.vals, got, c.want)
		}
		for i := 1; i < len(got); i++ {
			if got[i] <= got[i-1] {
				t.Errorf("quantileCuts(%v) = %v: not increasing", c.vals, got)
			}
		}
	}
	many := make([]float64, 1000)
	for i := range many {
		many[i] = float64(i % 500)
	}
	if got := quantileCuts(many, 32); len(got) > 31 || len(got) < 20 {
		t.Errorf("quantileCuts of 500 values in 32 bins: %d cuts", len(got))
	}
}
