package answer_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/newsbot/newsbot/answer"
	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/sample"
)

var (
	update    = flag.Bool("update", false, "fit the answer model and write model.json")
	cvOnly    = flag.Bool("cv", false, "with -update: report the cross-validated figures, write nothing")
	boostFlag = flag.String("boost", "", "with -update: the trees' options instead of boostOptions, as rounds,depth,minleaf,rate,top")
	missFile  = flag.String("misses", "", "with -update: write the cross-validated misses (answerable questions not answered first) to this file")
	l2Flag    = flag.String("l2", "", "with -update: the ranker's and the answerable model's ridge penalties instead of rankL2 and answerableL2, as rank,answerable")
	repeats   = flag.Int("repeats", 1, "with -update -cv: also cross-validate over this many other splits into folds, and report the pooled figures (steadier to compare changes by)")
)

// trainingSets are the questions the model is fitted and cross-validated on.
var trainingSets = []string{"testdata/qa-dev.jsonl", "testdata/qa-extra.jsonl", "testdata/qa-new.jsonl", "testdata/qa-off.jsonl"}

// freshSets are questions the model is never fitted on: written after it, over
// the same articles, to see how it does on questions nobody tuned it for.
var freshSets = []string{"testdata/qa-more.jsonl"}

// rankL2 and answerableL2 are the ridge penalties on the standardised
// weights of the ranker and of the covered and answerable models, chosen by the cross-validated figures (ranker:
// 1, 10, 30, 100 gave answer@1 0.644, 0.659, 0.663, 0.651). Again with 2034
// questions (version 17, over 4 splits): ranker 15 and answerable 3 each gave
// the same figures within 0.003 as 30 and 1. With the covered and the
// answerable models (2376 questions, version 19, over 4 splits), 3 for both
// gave 0.316 of the unanswerable abstained at 0.026 of the answerable
// against 1's 0.314 at 0.025: the same trade, 1 is kept.
var (
	rankL2       = 30.0
	answerableL2 = 1.0
)

// minCoverage is the share of a question's weight an article must hold to
// answer from it (answer.Model.MinCoverage): a question about a story the
// index does not have is abstained on whatever the ranker thinks. Chosen by
// the cross-validated figures over 4 splits, with maxFalseAbstain: answer@1,
// unanswerable abstained, answerable wrongly abstained
//
//	0.45, 0.025   0.692  0.201  0.027
//	0.5,  0.025   0.692  0.226  0.031 (over the 0.03 allowed)
//	0.5,  0.02    0.692  0.223  0.030 (50 of 1652: over)
//	0.5,  0.015   the same: the answerable questions under 0.5 alone are
//	              over 1.5% of them, so the threshold is 0
//
// With the features before the question's head and counted noun (version
// 11), 0.4, 0.45, 0.5, 0.55 and 0.6 gave 0.668 / 0.180 / 0.027, 0.671 /
// 0.177 / 0.026, 0.673 / 0.201 / 0.028, 0.668 / 0.223 / 0.042 and 0.651 /
// 0.296 / 0.067.
//
// Again with 1521 questions, related words counting toward coverage and the
// trees (version 16): 0.45 gave 0.751 / 0.172 / 0.027 and 0.5 gave 0.747 /
// 0.156 / 0.025.
const minCoverage = 0.45

// maxFalseAbstain is the share of answerable training questions the
// threshold may abstain on, by the probabilities of answerable models fitted
// without them (see fit). Chosen on the model's own probabilities, the
// threshold abstained on about half a point more on held-out folds than on
// the training data, so 0.025 was kept under the 0.03 the issue allows (0.027
// over 4 splits, 1521 questions). Chosen out of fold, 0.025 gave 0.023 of the
// answerable abstained over 4 splits (1521 questions), and 0.03 gave 0.031
// (2034 questions, with 0.178 of the unanswerable abstained): 0.027 is kept.
const maxFalseAbstain = 0.027

type qaItem struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Answers  []string `json:"answers"`
	URL      string   `json:"url"`
	Title    string   `json:"title"`
}

// example is one question with its candidates and their labels.
type example struct {
	item  qaItem
	set   string // the file it comes from
	group string // the article, for folds
	cands []index.Candidate
	good  []bool
}

// TestTrain checks the committed model on its training data; with -update it
// cross-validates (5 folds by article), fits the final model on every
// question and writes model.json.
func TestTrain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of the sample")
	}
	exs, fresh := examples(t)
	if !*update {
		committed := evaluate(answer.Default, exs)
		t.Logf("committed model on its training data: %s", committed)
		t.Logf("committed model on the fresh questions (%s): %s", strings.Join(freshSets, ", "), evaluate(answer.Default, fresh))
		// Floors a little under the figures of the committed model (see
		// its Trained note): a change to features or retrieval that
		// loses answers fails here until the model is fitted again.
		// Most unanswerable training questions ask about a story the
		// article covers (qa-new's 513 all do), which the model seldom
		// abstains on: hence the low floor for abstaining.
		if committed.rate1() < 0.70 || committed.rate3() < 0.85 || committed.abstain() < 0.08 {
			t.Errorf("committed model: %s; below the floors (answer@1 0.70, @3 0.85, abstained 0.08)", committed)
		}
		return
	}
	if *boostFlag != "" {
		o := &boostOptions
		if _, err := fmt.Sscanf(*boostFlag, "%d,%d,%d,%g,%d", &o.Rounds, &o.Depth, &o.MinLeaf, &o.Rate, &o.Top); err != nil {
			t.Fatalf("-boost %q: %v", *boostFlag, err)
		}
	}
	if *l2Flag != "" {
		if _, err := fmt.Sscanf(*l2Flag, "%g,%g", &rankL2, &answerableL2); err != nil {
			t.Fatalf("-l2 %q: %v", *l2Flag, err)
		}
	}
	// Split 0 is the one the model's Trained note reports; -repeats adds
	// others (one split's figures move by a question or two with any
	// change).
	cv, cvSets, misses := crossValidate(exs, 0, *missFile != "")
	if *cvOnly && *repeats > 1 {
		all, sets := cv, maps.Clone(cvSets)
		for r := 1; r < *repeats; r++ {
			a, b, _ := crossValidate(exs, r, false)
			all.add(a)
			for set, s := range b {
				t := sets[set]
				t.add(s)
				sets[set] = t
			}
		}
		t.Logf("cross-validated over %d splits: all %s", *repeats, all)
		for _, set := range trainingSets {
			t.Logf("cross-validated over %d splits: %s %s", *repeats, set, sets[set])
		}
	}
	final := fit(exs)
	self := evaluate(final, exs)
	t.Logf("cross-validated (5 folds by article): %s", cv)
	t.Logf("final model on its training data:     %s", self)
	for _, set := range trainingSets {
		t.Logf("of them, the %d questions of %s: cross-validated %s; final model %s", len(inSet(exs, set)), set, cvSets[set], evaluate(final, inSet(exs, set)))
	}
	t.Logf("final model on the %d fresh questions (%s), never fitted on: %s", len(fresh), strings.Join(freshSets, ", "), evaluate(final, fresh))
	if *missFile != "" {
		if err := os.WriteFile(*missFile, []byte(strings.Join(misses, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if *cvOnly {
		return
	}
	bo := boostOptions
	final.Trained = fmt.Sprintf("go test ./answer -run TestTrain -update; data %s (%d questions); l2 %g (ranker), %g (answerable); "+
		"trees %d (depth %d, min leaf %d, rate %g, top %d); cross-validated %s; on training data %s",
		strings.Join(trainingSets, ", "), len(exs), rankL2, answerableL2, bo.Rounds, bo.Depth, bo.MinLeaf, bo.Rate, bo.Top, cv, self)
	b, err := json.MarshalIndent(final, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("model.json", append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// crossValidate fits and scores 5 folds by article of one split of the
// examples (split 0 folds the articles as they are, others salt them): the
// figures over all, over each training set alone (the development questions
// first among them), and with misses the cross-validated misses.
func crossValidate(exs []example, split int, withMisses bool) (all scores, bySet map[string]scores, misses []string) {
	const folds = 5
	bySet = map[string]scores{}
	for f := 0; f < folds; f++ {
		var train, test []example
		for _, e := range exs {
			key := e.group
			if split > 0 {
				key = fmt.Sprintf("%s#%d", e.group, split)
			}
			if fold(key, folds) != f {
				train = append(train, e)
				continue
			}
			test = append(test, e)
		}
		m := fit(train)
		all.add(evaluate(m, test))
		for _, set := range trainingSets {
			s := bySet[set]
			s.add(evaluate(m, inSet(test, set)))
			bySet[set] = s
		}
		if withMisses {
			misses = append(misses, missed(m, test)...)
		}
	}
	return all, bySet, misses
}

// inSet keeps the examples of one training set.
func inSet(exs []example, set string) []example {
	var out []example
	for _, e := range exs {
		if e.set == set {
			out = append(out, e)
		}
	}
	return out
}

// fit fits a model on examples: the ranker on all of them, the answerable
// model on confidence features that rankers fitted without each question's
// fold computed (what the model sees at run time is a ranker that did not
// train on the question), and the threshold on those.
func fit(exs []example) *answer.Model {
	m := &answer.Model{Version: answer.FeatureVersion, Features: answer.FeatureNames, Ranker: fitRank(exs), MinCoverage: minCoverage}
	m.Boost = fitBoost(exs, &m.Ranker)
	conf := make([][]float64, len(exs))
	inner := 5
	for f := 0; f < inner; f++ {
		var train []example
		for _, e := range exs {
			if fold(e.group+"/inner", inner) != f {
				train = append(train, e)
			}
		}
		sub := &answer.Model{Ranker: fitRank(train)}
		sub.Boost = fitBoost(train, &sub.Ranker)
		for i, e := range exs {
			if fold(e.group+"/inner", inner) == f && len(e.cands) > 0 {
				xs := features(e)
				conf[i] = answer.Confidence(xs, sub.Order(xs))
			}
		}
	}
	// Two models, each fitted on its own negatives: Covered tells the
	// questions about another story than the library's (offCorpus) from
	// the rest; Answerable tells, among the questions about a story the
	// library tells, those it answers.
	var xs [][]float64
	var ys, yc []float64
	var of []int // the example of each row
	for i, e := range exs {
		if conf[i] == nil {
			continue
		}
		xs = append(xs, conf[i])
		y, c := 0.0, 1.0
		if len(e.item.Answers) > 0 {
			y = 1
		}
		if offCorpus(e) {
			c = 0
		}
		ys = append(ys, y)
		yc = append(yc, c)
		of = append(of, i)
	}
	fitBoth := func(rows []int) (answerable, covered answer.Linear) {
		var ax, cx [][]float64
		var ay, cy []float64
		for _, r := range rows {
			cx = append(cx, xs[r])
			cy = append(cy, yc[r])
			if yc[r] == 1 {
				ax = append(ax, xs[r])
				ay = append(ay, ys[r])
			}
		}
		return answer.FitLogistic(ax, ay, answerableL2), answer.FitLogistic(cx, cy, answerableL2)
	}
	all := make([]int, len(xs))
	for r := range all {
		all[r] = r
	}
	m.Answerable, m.Covered = fitBoth(all)
	// The threshold: the highest that abstains on at most maxFalseAbstain
	// of the answerable questions, by the probabilities of models that did
	// not see the question: on the questions it was fitted on, a model is
	// surer than on new ones.
	prob := make([]float64, len(exs))
	for f := 0; f < inner; f++ {
		var rows []int
		for r, i := range of {
			if fold(exs[i].group+"/answerable", inner) != f {
				rows = append(rows, r)
			}
		}
		a, c := fitBoth(rows)
		for r, i := range of {
			if fold(exs[i].group+"/answerable", inner) == f {
				prob[i] = sigmoid(a.Score(xs[r])) * sigmoid(c.Score(xs[r]))
			}
		}
	}
	var tops []float64
	for i, e := range exs {
		if len(e.item.Answers) == 0 {
			continue
		}
		p := 0.0 // no candidate, or too little of the question in the article
		if conf[i] != nil && topCoverage(m, e) >= minCoverage {
			p = prob[i]
		}
		tops = append(tops, p)
	}
	sort.Float64s(tops)
	if k := int(maxFalseAbstain * float64(len(tops))); k < len(tops) {
		m.Threshold = tops[k]
	}
	return m
}

// offCorpus says whether a question asks about another story than any the
// library tells (qa-off.jsonl's): the Covered model's negatives.
func offCorpus(e example) bool { return strings.HasSuffix(e.set, "qa-off.jsonl") }

func topCoverage(m *answer.Model, e example) float64 {
	xs := features(e)
	return xs[m.Order(xs).Order[0]][answer.FCoverage]
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func fitRank(exs []example) answer.Linear {
	var groups []answer.Group
	for _, e := range exs {
		groups = append(groups, answer.Group{X: features(e), Good: e.good})
	}
	return answer.FitRank(groups, rankL2)
}

// boostOptions size the trees added to the linear ranker; Rounds 0 fits
// none. Trees were measured on these features and not kept: they fit the
// training questions better and the held-out folds no better (5-fold
// answer@1 / @3, against the linear ranker's 0.659 / 0.831, training
// 0.671):
//
//	rounds, depth, min leaf, rate, top   cross-validated   training
//	60, 3, 20, 0.1, 40                   0.649 / 0.838     0.717
//	120, 3, 20, 0.1, 40                  0.654 / 0.838     0.760
//	60, 2, 20, 0.1, 40                   0.663 / 0.835     0.702
//	40, 2, 80, 0.1, 40                   0.663 / 0.826     0.697
//	100, 1, 50, 0.1, 40                  0.651 / 0.826     0.683
//
// A difference of 0.01 is four questions of 413. -boost tries others. Tried
// again with the gap features (version 14), over 4 splits: 60, 2, 20, 0.1, 40
// gave 0.699 / 0.866 against the linear ranker's 0.695 / 0.861, but abstained
// on 0.186 of the unanswerable (0.192) and wrongly on 0.030 of the answerable
// (0.025), and qa-dev's share fell from 0.702 to 0.691.
//
// With twice the questions (qa-new, 1008 in all; version 16) the trees
// help, over 4 splits (answer@1 / @3 / unanswerable abstained / answerable
// wrongly abstained; linear alone 0.734 / 0.876 / 0.125 / 0.026):
//
//	60, 2, 20, 0.1, 40    0.740 / 0.875 / 0.153 / 0.025
//	120, 2, 20, 0.1, 40   0.746 / 0.875 / 0.162 / 0.025   (kept)
//	200, 2, 20, 0.1, 40   0.740 / 0.875 / 0.158 / 0.025
//	60, 3, 20, 0.1, 40    0.745 / 0.875 / 0.147 / 0.027
//	100, 2, 40, 0.1, 40   0.740 / 0.875 / 0.157 / 0.024
//
// With 1521 questions (qa-new's second round): 120, 2 gave 0.751 / 0.882 /
// 0.172 / 0.027 and 200, 2 gave 0.745 / 0.879 / 0.170 / 0.025; depth 3 was
// not tried again. With 2034 (the third round; version 17, the threshold out
// of fold at 0.03): 120, 2 gave 0.719 / 0.859 / 0.178 / 0.031 and 200, 2 gave
// 0.718 / 0.861 / 0.181 / 0.030. With 2376 (qa-off; version 19, two models
// for abstaining): 120, 2 gave 0.731 / 0.870 / 0.339 / 0.025, 240, 2 gave
// 0.730 / 0.871 / 0.341 / 0.025 and 300, 3 gave 0.724 / 0.862 / 0.333 /
// 0.026. Trees added to the answerable and covered models (100 of depth 2,
// min leaf 30, on the logistic loss; version 20) gave 0.734 / 0.872 / 0.337
// / 0.026 against their logistic regressions alone's 0.735 / 0.874 / 0.345
// / 0.024, and were left out as before.
var boostOptions = answer.BoostOptions{Rounds: 120, Depth: 2, MinLeaf: 20, Rate: 0.1, L2: 1, Top: 40}

func fitBoost(exs []example, base *answer.Linear) answer.Boost {
	if boostOptions.Rounds == 0 {
		return answer.Boost{}
	}
	var groups []answer.Group
	for _, e := range exs {
		groups = append(groups, answer.Group{X: features(e), Good: e.good})
	}
	return answer.FitBoost(groups, base, boostOptions)
}

func features(e example) [][]float64 {
	xs := make([][]float64, len(e.cands))
	for i, c := range e.cands {
		xs[i] = c.Features
	}
	return xs
}

// scores are the figures score.py gives, counted.
type scores struct {
	at1, at3, answerable, abstained, unanswerable, falseAbstain int
}

func (s *scores) add(o scores) {
	s.at1 += o.at1
	s.at3 += o.at3
	s.answerable += o.answerable
	s.abstained += o.abstained
	s.unanswerable += o.unanswerable
	s.falseAbstain += o.falseAbstain
}

func (s scores) rate1() float64   { return float64(s.at1) / float64(max(s.answerable, 1)) }
func (s scores) rate3() float64   { return float64(s.at3) / float64(max(s.answerable, 1)) }
func (s scores) abstain() float64 { return float64(s.abstained) / float64(max(s.unanswerable, 1)) }
func (s scores) String() string {
	return fmt.Sprintf("answer@1 %.3f answer@3 %.3f unanswerable abstained %d/%d (%.3f) answerable wrongly abstained %d/%d (%.3f)",
		s.rate1(), s.rate3(), s.abstained, s.unanswerable, s.abstain(), s.falseAbstain, s.answerable,
		float64(s.falseAbstain)/float64(max(s.answerable, 1)))
}

// evaluate ranks each question's candidates as Ask does and scores the result.
func evaluate(m *answer.Model, exs []example) scores {
	var s scores
	for _, e := range exs {
		var r answer.Ranked
		if len(e.cands) > 0 {
			r = m.Rank(features(e))
		}
		abstain := len(e.cands) == 0 || m.Abstains(r)
		if len(e.item.Answers) == 0 {
			s.unanswerable++
			if abstain {
				s.abstained++
			}
			continue
		}
		s.answerable++
		if abstain {
			s.falseAbstain++
			continue
		}
		texts := make([]string, len(e.cands))
		for i, c := range e.cands {
			texts[i] = c.Text
		}
		for n, i := range r.Answers(texts) {
			if e.good[i] {
				if n == 0 {
					s.at1++
				}
				s.at3++
				break
			}
		}
	}
	return s
}

// missed describes the answerable questions whose first answer is wrong (the
// question, what answers it, what the model put first, and where the first
// right candidate ranked) and the unanswerable ones answered.
func missed(m *answer.Model, exs []example) []string {
	var out []string
	for _, e := range exs {
		if len(e.cands) == 0 {
			continue
		}
		r := m.Rank(features(e))
		if len(e.item.Answers) == 0 {
			if !m.Abstains(r) {
				out = append(out, fmt.Sprintf("%s %q\n  unanswerable, answered (p %.2f, threshold %.2f)\n  got  %q", e.item.ID, e.item.Question, r.Prob, m.Threshold, e.cands[r.Order[0]].Text))
			}
			continue
		}
		if e.good[r.Order[0]] && !m.Abstains(r) {
			continue
		}
		rank := -1
		for n, i := range r.Order {
			if e.good[i] {
				rank = n + 1
				break
			}
		}
		where := "same article"
		if !sameArticle(e.cands[r.Order[0]], e.item) {
			where = "other article: " + e.cands[r.Order[0]].Article.Title
		}
		line := fmt.Sprintf("%s %q\n  want %q (rank %d, abstained %v)\n  got  %q (%s)", e.item.ID, e.item.Question, e.item.Answers, rank, m.Abstains(r), e.cands[r.Order[0]].Text, where)
		if rank > 1 {
			line += "\n  " + contributions(m, e, r)
		}
		out = append(out, line)
	}
	return out
}

// contributions names the features that most favour the model's first
// candidate over the first right one, with what each adds to the difference
// of their ranking scores, and the right one's text.
func contributions(m *answer.Model, e example, r answer.Ranked) string {
	top := r.Order[0]
	good := -1
	for _, i := range r.Order {
		if e.good[i] {
			good = i
			break
		}
	}
	type part struct {
		name string
		d    float64
	}
	var parts []part
	l := m.Ranker
	for k := range answer.NumFeatures {
		d := l.Weights[k] * (e.cands[top].Features[k] - e.cands[good].Features[k]) / l.Scales[k]
		if math.Abs(d) >= 0.1 {
			parts = append(parts, part{answer.FeatureNames[k], d})
		}
	}
	sort.Slice(parts, func(a, b int) bool { return parts[a].d > parts[b].d })
	var b strings.Builder
	fmt.Fprintf(&b, "score gap %.2f:", r.Score[top]-r.Score[good])
	for _, p := range parts {
		fmt.Fprintf(&b, " %s %+.2f", p.name, p.d)
	}
	fmt.Fprintf(&b, "\n  right %q", e.cands[good].Text)
	return b.String()
}

func fold(group string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(group))
	return int(h.Sum32() % uint32(n))
}

var (
	examplesOnce sync.Once
	examplesErr  error
	exampleSet   []example
	freshSet     []example
)

// examples ingests the sample into a temporary library and extracts the
// candidates of every training question and every fresh one, once per test
// binary.
func examples(t *testing.T) (training, fresh []example) {
	t.Helper()
	if raceEnabled {
		t.Skip("the training questions take minutes under the race detector; .ci/run runs them without it")
	}
	examplesOnce.Do(func() {
		all, err := loadExamples(append(append([]string(nil), trainingSets...), freshSets...))
		examplesErr = err
		for _, e := range all {
			if slices.Contains(freshSets, e.set) {
				freshSet = append(freshSet, e)
			} else {
				exampleSet = append(exampleSet, e)
			}
		}
	})
	if examplesErr != nil {
		t.Fatal(examplesErr)
	}
	return exampleSet, freshSet
}

// trainingLibrary is the sample without its 2020 articles: they are kept for
// held-out evaluation, so the model is fitted with them in no role, not even
// as other articles retrieval must pass over. The questions about other
// stories (qa-off.jsonl) were checked unanswerable against this library.
func trainingLibrary() []string {
	var out []string
	for _, name := range sample.Articles() {
		if !strings.Contains(name, "2020") {
			out = append(out, name)
		}
	}
	return out
}

func loadExamples(sets []string) ([]example, error) {
	dir, err := os.MkdirTemp("", "newsbot-answer-train")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	lib, err := ingest.Open(ctx, dir, nil)
	if err != nil {
		return nil, err
	}
	defer lib.Close()
	if _, err := lib.IngestFS(ctx, sample.FS(), trainingLibrary(), ingest.FileOptions{}); err != nil {
		return nil, err
	}
	var exs []example
	for _, path := range sets {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var q qaItem
			if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			cands, err := lib.Index.AskCandidates(ctx, q.Question, index.Scope{})
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: %w", q.ID, err)
			}
			e := example{item: q, set: path, group: q.URL + "|" + q.Title, cands: cands, good: make([]bool, len(cands))}
			if q.URL == "" && q.Title == "" {
				e.group = q.ID
			}
			for i, c := range cands {
				e.good[i] = len(q.Answers) > 0 && sameArticle(c, q) && holds(c.Text, q.Answers)
			}
			exs = append(exs, e)
		}
		f.Close()
	}
	return exs, nil
}

func sameArticle(c index.Candidate, q qaItem) bool {
	if q.URL != "" && urlKey(c.Article.URL) == urlKey(q.URL) {
		return true
	}
	return q.Title != "" && norm(c.Article.Title) == norm(q.Title)
}

func holds(text string, golds []string) bool {
	n := norm(text)
	for _, g := range golds {
		if strings.Contains(n, norm(g)) {
			return true
		}
	}
	return false
}

var (
	spaceRE  = regexp.MustCompile(`\s+`)
	slashRE  = regexp.MustCompile(`/+`)
	schemeRE = regexp.MustCompile(`^https?://`)
	normer   = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`, "\u2013", "-", "\u2014", "-", "\u00a0", " ")
)

// norm and urlKey compare as ../shared/eval/score.py does.
func norm(s string) string {
	return strings.ToLower(strings.TrimSpace(spaceRE.ReplaceAllString(normer.Replace(s), " ")))
}

func urlKey(u string) string {
	return strings.ToLower(strings.TrimRight(schemeRE.ReplaceAllString(slashRE.ReplaceAllString(strings.TrimSpace(u), "/"), ""), "/"))
}

// TestCandidateRecall reports how many answerable questions have a good
// sentence among the candidates at all: what no ranking can exceed.
func TestCandidateRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of the sample")
	}
	var has, answerable int
	training, fresh := examples(t)
	for _, e := range append(training, fresh...) {
		if len(e.item.Answers) == 0 {
			continue
		}
		answerable++
		found := false
		for _, g := range e.good {
			found = found || g
		}
		if found {
			has++
		} else if testing.Verbose() {
			t.Logf("no candidate: %s %q", e.item.ID, e.item.Question)
		}
	}
	t.Logf("answerable questions with a good candidate: %d/%d", has, answerable)
}
