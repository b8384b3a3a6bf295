package answer

import (
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/lexicon"
)

func TestCommittedModelFitsFeatures(t *testing.T) {
	b, err := os.ReadFile("model.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(b); err != nil {
		t.Fatal(err)
	}
}

// TestFitRecoversWeights fits both models on data drawn from known weights:
// the fitted weights must point the same way.
func TestFitRecoversWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := len(FeatureNames)
	truth := make([]float64, n)
	truth[FLex], truth[FType] = 3, -2
	var groups []Group
	var xs [][]float64
	var ys []float64
	for g := 0; g < 300; g++ {
		grp := Group{}
		best, bi := -1e9, 0
		for c := 0; c < 8; c++ {
			x := make([]float64, n)
			for j := range x {
				x[j] = rng.NormFloat64()
			}
			s := truth[FLex]*x[FLex] + truth[FType]*x[FType] + rng.NormFloat64()*0.3
			if s > best {
				best, bi = s, c
			}
			grp.X = append(grp.X, x)
			xs = append(xs, x)
			y := 0.0
			if s > 0 {
				y = 1
			}
			ys = append(ys, y)
		}
		grp.Good = make([]bool, len(grp.X))
		grp.Good[bi] = true
		groups = append(groups, grp)
	}
	rank := FitRank(groups, 1)
	if rank.Weights[FLex] <= 0 || rank.Weights[FType] >= 0 || rank.Weights[FLex] < 3*abs(rank.Weights[FNear]) {
		t.Errorf("ranker weights lex %.2f type %.2f near %.2f, want lex > 0 > type and near small",
			rank.Weights[FLex], rank.Weights[FType], rank.Weights[FNear])
	}
	logit := FitLogistic(xs, ys, 1)
	if logit.Weights[FLex] <= 0 || logit.Weights[FType] >= 0 {
		t.Errorf("logistic weights lex %.2f type %.2f", logit.Weights[FLex], logit.Weights[FType])
	}
}

func abs(f float64) float64 { return max(f, -f) }

func TestAnalyse(t *testing.T) {
	for _, tc := range []struct {
		q    string
		kind Kind
		unit Unit
	}{
		{"Which municipality had the fire?", KindPlace, UnitAny},
		{"What firm built the bridge?", KindPerson, UnitAny},
		{"How much did the painting sell for in dollars?", KindNumber, UnitMoney},
		{"How old was Walter Munk when he died?", KindNumber, UnitAge},
		{"What percentage of voters backed the plan?", KindNumber, UnitPercent},
		{"When was Mahan Air set up?", KindDate, UnitAny},
		{"Who leads the coordination?", KindPerson, UnitAny},
	} {
		q := Analyse(tc.q)
		if q.Kind != tc.kind || q.Unit != tc.unit {
			t.Errorf("Analyse(%q) = kind %s unit %d, want %s %d", tc.q, q.Kind, q.Unit, tc.kind, tc.unit)
		}
	}
}

func TestNameClasses(t *testing.T) {
	for _, tc := range []struct {
		sentence, name string
		want           lexicon.Class
	}{
		{"The plane crashed in Karaj on Monday.", "Karaj", lexicon.Place},
		{"Sultan Qaboos bin Said died on Friday.", "Qaboos", lexicon.Person},
		{"The Abu Sayyaf Group claimed the attack.", "Abu", lexicon.Organization},
		{"Bernie Sanders said he would run.", "Bernie", lexicon.Person},
		{"Talks were held in Oman.", "Oman", lexicon.Place},
		// WordNet's most frequent sense: the country, not Anatole France.
		{"Talks between France and Oman ended.", "France", lexicon.Place},
		// A day before a verb of saying is no one.
		{"Indonesia on Monday announced the find.", "Monday", lexicon.None},
		// A name ending in a noun for a building or a body names that.
		{"Shoppers fled the Cielo Vista Mall on Saturday.", "Cielo", lexicon.Organization},
		{"It was Theresa May who said so.", "Theresa", lexicon.Person},
	} {
		var toks []Token
		start := 0
		for i := 0; i <= len(tc.sentence); i++ {
			if i == len(tc.sentence) || tc.sentence[i] == ' ' || tc.sentence[i] == '.' {
				if i > start {
					toks = append(toks, Token{Start: start, End: i, Term: tc.sentence[start:i]})
				}
				start = i + 1
			}
		}
		got := lexicon.Class(255)
		for _, r := range nameRuns(tc.sentence, toks, nil) {
			if r.words[0] == tc.name {
				got = r.class
			}
		}
		if got != tc.want {
			t.Errorf("%q: %s is class %d, want %d", tc.sentence, tc.name, got, tc.want)
		}
	}
}

// TestFindNumbers checks the numbers of a sentence, and those of them that
// can be the quantity a number question asks for.
func TestFindNumbers(t *testing.T) {
	for _, tc := range []struct {
		s                   string
		numbers, quantities []string
	}{
		{"A total of 39 are confirmed dead, up from 1,000.5 on day two.", []string{"39", "1,000.5", "two"}, []string{"39", "1,000.5", "two"}},
		{"Van Biljon was seventy years old; seventy-two came.", []string{"seventy", "seventy-two"}, []string{"seventy", "seventy-two"}},
		{"The F-35s and COVID19 and Boeing 707s flew first.", []string{"first"}, nil},
		{"Ends with 2019.", []string{"2019"}, nil},
		{"Someone had none.", nil, nil},
		{"The 2020 census counted 2000 people in 2019.", []string{"2020", "2000", "2019"}, []string{"2000"}},
		{"On June 3 at 3:30am, 12 fire engines came; by 3 July, 10 pm, forty more.", []string{"3", "3", "12", "3", "10", "forty"}, []string{"12", "forty"}},
		{"The fire broke out at 1800 UTC; 1,500 homes burnt.", []string{"1800", "1,500"}, []string{"1,500"}},
		{"It passed 230-to-198 on May 16, 2019.", []string{"230", "198", "16", "2019"}, []string{"230", "198"}},
		{"The first of three votes came second.", []string{"first", "three", "second"}, []string{"three"}},
	} {
		nums := findNumbers(tc.s)
		for _, c := range []struct {
			name string
			locs [][]int
			want []string
		}{{"findNumbers", nums, tc.numbers}, {"quantities", quantities(tc.s, nums), tc.quantities}} {
			var got []string
			for _, loc := range c.locs {
				got = append(got, tc.s[loc[0]:loc[1]])
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("%s(%q) = %q, want %q", c.name, tc.s, got, c.want)
			}
		}
	}
}

func TestCommonPlaces(t *testing.T) {
	for _, tc := range []struct {
		s     string
		known string // a word of the question
		want  []string
	}{
		{"Sirhan Sirhan was stabbed in the neck while in prison.", "", []string{"neck", "prison"}},
		{"Sirhan Sirhan was stabbed in the neck while in prison.", "prison", []string{"neck"}},
		{"The woman was killed in a stairwell.", "", []string{"stairwell"}},
		{"He hid the remains in large crates at a house.", "", []string{"crates", "house"}},
		{"It said so in a statement at the time.", "", nil},
	} {
		var got []string
		for _, sp := range commonPlaces(Sentence{Text: tc.s, Tokens: tokens(tc.s)}, map[string]bool{tc.known: true}) {
			got = append(got, tc.s[sp[0]:sp[1]])
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("commonPlaces(%q) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestReasonEvidence(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want float64
	}{
		{"PG&E cut power to reduce the risk of wildfires.", 1},
		{"The search was stopped on the basis of piracy.", 1},
		{"He resigned because of poor health.", 1},
		{"He resigned after the vote.", 0.5},
		{"He resigned on Monday.", 0},
	} {
		if got := reasonEvidence(tc.s); got != tc.want {
			t.Errorf("reasonEvidence(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestDateEvidence(t *testing.T) {
	for _, c := range []struct {
		q    string
		s    string
		want float64
	}{
		{"what year was the B-17 built?", "It was built in 1944 by Boeing.", 1},
		{"what year was the B-17 built?", "The airport reopened at 2 p.m. ET (1800 UTC).", 0},
		{"what year was the B-17 built?", "It flew again in March.", 0.5},
		{"what date did the shutdown start?", "It started on December 22.", 1},
		{"what date did the shutdown start?", "It started in 2018.", 0.5},
		{"what date did the shutdown start?", "It lasted through December and January.", 0.7},
		{"when did the protests begin?", "They began in June.", 1},
		{"when did the protests begin?", "They began on Monday.", 0.4},
		{"what time did the fire break out?", "The fire broke out at around 3:30am.", 1},
		{"what time of day was sirhan attacked?", "He was attacked at 2:21 p.m. local time.", 1},
		{"roughly what time did the spire collapse?", "It fell at 1900 UTC.", 1},
		{"what time did Warholm run to win the 400m hurdles?", "He won in 47.42 seconds.", 1},
		{"what time did the fire break out?", "The fire broke out on Monday.", 0.3},
		{"what time did the fire break out?", "The fire broke out in 2019.", 0.3},
		{"what time did the fire break out?", "Three people died.", 0},
		{"what time did the fire break out?", "It cost $1.25 million.", 0},
	} {
		q := Analyse(c.q)
		if q.Kind != KindDate {
			t.Fatalf("%q: kind %v, want date", c.q, q.Kind)
		}
		if got := dateEvidence(q.DatePart, c.s, map[string]bool{}); got != c.want {
			t.Errorf("%q / %q: %v, want %v", c.q, c.s, got, c.want)
		}
	}
}

func TestFindHead(t *testing.T) {
	for _, tc := range []struct{ q, head string }{
		{"which philippine defense secretary called the bombing an act?", "secretary"},
		{"which city's court sentenced him?", "city"},
		{"what was the name of the hotel that burned down?", "hotel"},
		{"what's the name of the pilot's mom?", "mom"},
		{"what was kipchoge's exact time for the marathon?", "time"},
		{"what did the minister say?", ""},
		{"what would the storm have been called?", ""},
		{"which journal published the study?", "journal"},
		{"what kind of flies were watched?", "flies"},
		{"which house republican teamed up with cruz?", "republican"},
		{"what was the vote count when the bill passed?", "count"},
		{"which towns did the army move into?", "towns"},
		{"who is the captain of the ship?", "captain"},
		{"who's the new orleans mayor that told people to shelter?", "mayor"},
		{"who's the hk chief exec the protesters had wanted to resign?", "exec"},
		{"Which company makes the surgical skin glue Dermabond?", "company"},
		{"who signed the ban?", ""},
		{"Which Toronto lawyer spoke to the BBC?", "lawyer"},
		{"which team won Super Bowl LIV?", "team"},
		{"what was the name of the racing yacht Greta Thunberg sailed on?", "yacht"},
		{"which Kim's Convenience actor is to play Shang-Chi?", "actor"},
		{"which House Republican teamed up with Cruz?", "republican"},
		{"what were the protesters throwing?", ""},
		{"which of her own movies did she like best?", "movies"},
		{"Which Mexican media company left a database exposed?", "company"},
		{"which journal put out the model?", "journal"},
	} {
		if got, _ := findHead(splitQuestion(tc.q)); got != tc.head {
			t.Errorf("findHead(%q) = %q, want %q", tc.q, got, tc.head)
		}
	}
}

func TestCountedNoun(t *testing.T) {
	for q, want := range map[string]string{
		"how many irish counties got an orange warning?": "counties",
		"how many people died in the end?":               "people",
		"how many were killed?":                          "",
		"how much did it cost?":                          "",
	} {
		if got := countedNoun(splitQuestion(q)); got != want {
			t.Errorf("countedNoun(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestQuestionVerb(t *testing.T) {
	for _, tc := range []struct {
		q       string
		verb    string
		subject bool
	}{
		{"who signed the ban?", "signed", true},
		{"who did Trump pick to replace Bolton?", "pick", false},
		{"which judge ruled the draft unconstitutional?", "ruled", true},
		{"where did Franky Zapata take off from on his flyboard Channel crossing?", "take", false},
		{"when did the government shutdown over the border wall money start?", "start", false},
		{"what did Erdogan call Trump when he blasted the move?", "call", false},
		{"how old is Princess Ubolratana?", "", false},
		{"how many people died in the end?", "died", true},
		{"how many people were killed in the blast?", "killed", true},
		{"how many moai did the study look at?", "look", false},
		{"where was the Paris police HQ attacker born?", "born", false},
		{"where is james peebles a professor?", "", false},
		// Typed in lower case: the verb after the subject, in its base
		// form, not the clause's last noun that WordNet also knows as a
		// verb.
		{"what weapon did he use on the three officers?", "use", false},
		{"what did lucky make out of the sylvester plush she got at six flags?", "make", false},
		{"how many days did the supreme court spend hearing arguments on the prorogation case?", "spend", false},
		{"when does the new nsw abortion law actually come into force?", "come", false},
		{"when did the US last actually draft anyone?", "draft", false},
		// A verb of saying: the gap is in the clause it reports.
		{"when does boris say the uk will leave the EU after winning?", "leave", false},
		{"what did the official say about the typhoon?", "say", false},
		{"what company owns the namse bangdzod?", "owns", true},
	} {
		q := Analyse(tc.q)
		if q.Verb != tc.verb || q.Subject != tc.subject {
			t.Errorf("Analyse(%q): verb %q subject %v, want %q %v", tc.q, q.Verb, q.Subject, tc.verb, tc.subject)
		}
	}
}

// tokens splits s into words whose terms are their lower-case forms.
func tokens(s string) []Token {
	var out []Token
	start := -1
	for i := 0; i <= len(s); i++ {
		word := i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z')
		if word && start < 0 {
			start = i
		}
		if !word && start >= 0 {
			out = append(out, Token{Start: start, End: i, Term: strings.ToLower(s[start:i])})
			start = -1
		}
	}
	return out
}

func TestGapFilled(t *testing.T) {
	span := func(s, name string) [][2]int {
		i := strings.Index(s, name)
		return [][2]int{{i, i + len(name)}}
	}
	for _, tc := range []struct {
		text, name, verb string
		subject          bool
		want             bool
	}{
		{"The flight took off from Sangatte at dawn.", "Sangatte", "took", false, true},
		{"Sangatte is where the flight took off.", "Sangatte", "took", false, false},
		{"The flight took off at dawn, watched by crowds in a field far away near Sangatte.", "Sangatte", "took", false, false},
		{"Prime Minister Youssef Chahed signed the decree.", "Youssef Chahed", "signed", true, true},
		{"The decree was signed by Youssef Chahed.", "Youssef Chahed", "signed", true, true},
		{"The decree was signed yesterday; Youssef Chahed spoke.", "Youssef Chahed", "signed", true, false},
	} {
		s := Sentence{Text: tc.text, Tokens: tokens(tc.text)}
		if got := gapFilled(s, tokenSpans(s, span(tc.text, tc.name)), nil, nil, tc.verb, tc.subject); got != tc.want {
			t.Errorf("gapFilled(%q, %q, %q) = %v, want %v", tc.text, tc.name, tc.verb, got, tc.want)
		}
	}
}

func TestSpanNearHead(t *testing.T) {
	tokens := func(s string) []Token {
		var out []Token
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '.' }) {
			i := strings.Index(s, f)
			out = append(out, Token{Start: i, End: i + len(f), Term: strings.ToLower(f)})
		}
		return out
	}
	for _, tc := range []struct {
		text, span, head string
		want             int
	}{
		{"Greek Foreign Minister George Katrougalos spoke.", "George Katrougalos", "minister", 2},
		{"The minister spoke, and then at length, George Katrougalos.", "George Katrougalos", "minister", 0},
		{"Greek Foreign Minister George Katrougalos spoke.", "George Katrougalos", "senator", 0},
	} {
		s := Sentence{Text: tc.text, Tokens: tokens(tc.text)}
		i := strings.Index(tc.text, tc.span)
		if got := spanNearHead(s, tokenSpans(s, [][2]int{{i, i + len(tc.span)}}), nil, tc.head); got != tc.want {
			t.Errorf("spanNearHead(%q, %q) = %d, want %d", tc.text, tc.head, got, tc.want)
		}
	}
}

func TestNaming(t *testing.T) {
	for q, want := range map[string]bool{
		"what was the test dummy on the first Crew Dragon trip called?": true,
		"what's the name of the suspect?":                               true,
		"what nickname did Don Imus go by with his fans?":               true,
		"who called the plan a non-starter?":                            false,
	} {
		if got := Analyse(q).Naming; got != want {
			t.Errorf("Analyse(%q).Naming = %v, want %v", q, got, want)
		}
	}
	for s, want := range map[string]bool{
		`It carried a mannequin, nicknamed "Ripley" for the film's heroine.`: true,
		"The ship was renamed Alan Kurdi.":                                   true,
		"The plan was called unworkable.":                                    false,
	} {
		if got := namingRE.MatchString(s); got != want {
			t.Errorf("namingRE on %q = %v, want %v", s, got, want)
		}
	}
}

// TestAnalyseOddQuestions checks that questions of one word, of punctuation,
// cut short or in another language are read without a panic.
func TestAnalyseOddQuestions(t *testing.T) {
	for _, q := range []string{"", "?", "???", "what", "which", "what's", "who is", "who's", "how many", "how many?",
		"when did", "where was", "which of", "what kind of", "the name of", strings.Repeat("what was the ", 30),
		"¿Quién ganó las elecciones?", "誰が勝った？", "which, what, who?", "what's the name of"} {
		Analyse(q)
	}
}

// TestSlotEmpty checks the confidence features that say the best sentence
// leaves the question's slot empty: a unit asked for and none given, a kind
// asked for and none by the question's words.
func TestSlotEmpty(t *testing.T) {
	sentence := func(text string) Sentence {
		s := Sentence{Text: text, MatchedAt: map[int]bool{}, Weights: map[int]float64{}}
		for _, m := range regexp.MustCompile(`[\p{L}\p{N}]+`).FindAllStringIndex(text, -1) {
			s.Tokens = append(s.Tokens, Token{Start: m[0], End: m[1], Term: strings.ToLower(text[m[0]:m[1]])})
		}
		return s
	}
	conf := func(question, text, matched string) map[string]float64 {
		q := Analyse(question)
		s := sentence(text)
		at := strings.Index(text, matched)
		s.MatchedAt[at], s.Weights[at] = true, 1
		x := make([]float64, NumFeatures)
		Evidence(q, s, map[string]bool{strings.ToLower(matched): true}, map[string][]string{}, map[string][]string{}, "", "", nil, x)
		c := Confidence([][]float64{x}, Ranked{Order: []int{0}, Score: []float64{0}})
		out := map[string]float64{}
		for i, n := range ConfidenceNames {
			out[n] = c[i]
		}
		return out
	}
	tests := []struct {
		question, text, matched string
		slotEmpty, unitMissing  float64
	}{
		{"how old is Paul Manafort?", "Manafort was sentenced to 73 months in prison.", "Manafort", 0, 1},
		{"how old is Paul Manafort?", "Manafort, aged 70, was sentenced on Thursday.", "Manafort", 0, 0},
		{"who owns the Hotel Arpit Palace?", "The hotel caught fire yesterday morning.", "hotel", 1, 0},
		{"who owns the Hotel Arpit Palace?", "The hotel belongs to Rakesh Goyal, police said.", "hotel", 0, 0},
		{"why did the hotel burn?", "The hotel caught fire yesterday morning.", "hotel", 0, 0},
	}
	for _, tc := range tests {
		c := conf(tc.question, tc.text, tc.matched)
		if c["slot_empty"] != tc.slotEmpty || c["unit_missing"] != tc.unitMissing {
			t.Errorf("%q over %q: slot_empty %v, unit_missing %v; want %v, %v", tc.question, tc.text, c["slot_empty"], c["unit_missing"], tc.slotEmpty, tc.unitMissing)
		}
	}
}

// TestProbabilityIsCoveredTimesAnswerable checks that the probability the
// best sentence answers is the product of the two models': a question about
// another story is abstained on however well its best sentence matches.
func TestProbabilityIsCoveredTimesAnswerable(t *testing.T) {
	n := len(ConfidenceNames)
	linear := func(bias float64, n int) Linear {
		return Linear{Bias: bias, Weights: make([]float64, n), Means: make([]float64, n), Scales: slices.Repeat([]float64{1}, n)}
	}
	x := make([]float64, NumFeatures)
	x[FCoverage] = 1
	tests := []struct {
		name              string
		covered, answered float64 // the models' biases: their log-odds
		want              float64
		abstains          bool
	}{
		{"both sure", 10, 10, sigmoid(10) * sigmoid(10), false},
		{"another story", -3, 10, sigmoid(-3) * sigmoid(10), true},
		{"the story, not the fact", 10, -3, sigmoid(10) * sigmoid(-3), true},
		{"even odds each", 0, 0, 0.25, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Model{Ranker: linear(0, NumFeatures), Covered: linear(tt.covered, n), Answerable: linear(tt.answered, n), Threshold: 0.2, MinCoverage: 0.45}
			r := m.Rank([][]float64{x})
			if math.Abs(r.Prob-tt.want) > 1e-12 {
				t.Errorf("Prob = %v, want %v", r.Prob, tt.want)
			}
			if m.Abstains(r) != tt.abstains {
				t.Errorf("Abstains = %v, want %v (p %v, threshold 0.2)", m.Abstains(r), tt.abstains, r.Prob)
			}
		})
	}
}
