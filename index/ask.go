package index

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/newsbot/newsbot/answer"
	"github.com/newsbot/newsbot/internal/lexicon"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

// MaxAnswerRunes bounds one answer's text.
const MaxAnswerRunes = 350

// Answer is a verbatim extract of one article that answers a question.
type Answer struct {
	Text string
	// Bold are the byte ranges of Text that hold the question's words, in
	// order and apart: what a reply shows bold. Ask renders nothing; the
	// reply escapes Text for its medium.
	Bold    []news.Span
	Article *news.Article
	// Score is the model's probability that the sentence answers.
	Score float64
	// Speaker and SpeakerTitle are set when the answer is a quote.
	Speaker      string
	SpeakerTitle string
}

// AskResult is the answers to a question, best first, or an abstention with
// the articles that may help.
type AskResult struct {
	Question  string
	Kind      answer.Kind
	Abstained bool
	Answers   []Answer
	// Related are up to three articles on the question's topic, given when
	// Ask abstains.
	Related []*news.Article
}

// Candidate is a sentence considered as an answer, with its features: what
// the answer model weighs, and what its training reads.
type Candidate struct {
	Text     string
	Article  *news.Article
	Features []float64
	// para and firstMatch place the sentence for rendering.
	para       int
	firstMatch int
}

const (
	askArticles = 8 // articles whose sentences are ranked
	askRelated  = 3 // articles offered when Ask abstains
)

// Ask answers a question with up to three sentences from the articles in scope,
// or abstains, with related articles, when the answer model finds no sentence
// likely enough to answer.
func (ix *Index) Ask(ctx context.Context, text string, scope Scope) (*AskResult, error) {
	release, err := ix.slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := CheckQuery(text); err != nil {
		return nil, err
	}
	q := ix.parseQuestion(text)
	res := &AskResult{Question: text, Kind: q.Kind}
	cands, arts, err := ix.candidates(ctx, q, scope)
	if err != nil {
		return nil, err
	}
	if len(cands) == 0 {
		res.Abstained = true
		res.Related = arts[:min(len(arts), askRelated)]
		return res, nil
	}
	xs := make([][]float64, len(cands))
	texts := make([]string, len(cands))
	for i, c := range cands {
		xs[i], texts[i] = c.Features, c.Text
	}
	model := answer.Default
	ranked := model.Rank(xs)
	if model.Abstains(ranked) {
		res.Abstained = true
		res.Related = arts[:min(len(arts), askRelated)]
		return res, nil
	}
	qterms := make(map[string]bool, len(q.terms))
	for _, t := range q.terms {
		for _, r := range ix.relatedTerms(t) {
			qterms[r] = true
		}
	}
	for n, i := range ranked.Answers(texts) {
		c := cands[i]
		text := trimAnswer(c.Text, c.firstMatch)
		// The first answer carries the model's confidence that it
		// answers; the others, their share of it.
		p := ranked.Prob * math.Exp(ranked.Score[i]-ranked.Score[ranked.Order[0]])
		if n == 0 {
			p = ranked.Prob
		}
		ans := Answer{Text: text, Bold: ix.matchedSpans(text, qterms), Article: c.Article, Score: round(p)}
		if qt := quoteIn(c.Article, c.para, c.Text); qt != nil && qt.Credited().Speaker != "" {
			ans.Speaker, ans.SpeakerTitle = qt.Speaker, qt.Title
		}
		res.Answers = append(res.Answers, ans)
	}
	return res, nil
}

// matchedSpans are the byte ranges of the words of text whose stem is in
// terms.
func (ix *Index) matchedSpans(text string, terms map[string]bool) []news.Span {
	var out []news.Span
	for _, t := range ix.tokens(text) {
		if terms[t.term] {
			out = append(out, news.Span{Start: t.start, End: t.end})
		}
	}
	return out
}

// AskCandidates returns every candidate sentence of a question with its
// features, unranked: what the answer model's training reads.
func (ix *Index) AskCandidates(ctx context.Context, text string, scope Scope) ([]Candidate, error) {
	if err := CheckQuery(text); err != nil {
		return nil, err
	}
	cands, _, err := ix.candidates(ctx, ix.parseQuestion(text), scope)
	return cands, err
}

// candidates retrieves the articles that best match the question and returns
// their candidate sentences with features, and the articles in retrieval
// order.
func (ix *Index) candidates(ctx context.Context, q question, scope Scope) ([]Candidate, []*news.Article, error) {
	if len(q.terms) == 0 {
		return nil, nil, nil
	}
	idf, df, accented, err := ix.idf(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	// Retrieval uses the question's rarer words: a word in one article of
	// twenty barely moves BM25, yet walking its postings is most of the
	// cost on a large index. Ranking sentences uses every word of the
	// question and their related words.
	words := retrievalTerms(q.terms, idf, df)
	for _, v := range slices.Sorted(maps.Keys(accented)) { // in one order: the scores sum alike
		words = append(words, v)
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(termsQuery(words, 1.5))
	filterBy(bq, (SearchOptions{Scope: ix.scoped(scope)}).scopeFilters()...) // title and body: articles only
	// A few more than kept, so that articles tied at the cut are kept by
	// id rather than by the order bleve's segments happen to be in.
	req := bleve.NewSearchRequestOptions(bq, askArticles+4, 0, false)
	sr, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, nil, fmt.Errorf("index: ask: %w", err)
	}
	if len(sr.Hits) == 0 {
		return nil, nil, nil
	}
	// Ties in one order, whatever the segments' order: by id.
	slices.SortStableFunc(sr.Hits, func(a, b *search.DocumentMatch) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.ID, b.ID))
	})
	sr.Hits = sr.Hits[:min(len(sr.Hits), askArticles)]
	ids := make([]string, len(sr.Hits))
	for i, h := range sr.Hits {
		ids[i] = h.ID
	}
	byID, err := ix.src.Articles(ids)
	if err != nil {
		return nil, nil, err
	}
	m := ix.newMatcher(q, idf)
	for v, t := range accented {
		m.to[v] = append(m.to[v], t)
	}
	var cands []Candidate
	var arts []*news.Article
	top := sr.Hits[0].Score
	for _, h := range sr.Hits {
		a := byID[h.ID]
		if a == nil {
			continue
		}
		arts = append(arts, a)
		cands = append(cands, ix.rankSentences(q, m, a, h.Score/top, len(arts)-1)...)
	}
	return cands, arts, nil
}

// articleHolds says whether an article gives a year: in its title, its text
// or as the year it was published in.
func articleHolds(a *news.Article, year string) bool {
	if !a.Published.IsZero() && strconv.Itoa(a.Published.Year()) == year || strings.Contains(a.Title, year) {
		return true
	}
	for _, p := range a.Paragraphs {
		if strings.Contains(p, year) {
			return true
		}
	}
	return false
}

// retrievalTerms keeps the question's terms rarer than one article in twenty
// (an IDF over ln 20), and at least its three rarest, while the articles that
// hold them add up to at most askPostings; the rarest term is always kept.
// Walking and scoring the articles of every term is most of Ask's cost: on a
// million articles a question of common words would walk hundreds of
// thousands, while its rarer words already find the articles that answer. On
// a library of up to askPostings articles the bound never applies.
func retrievalTerms(terms []string, idf map[string]float64, df map[string]uint64) []string {
	sorted := slices.Clone(terms)
	sort.SliceStable(sorted, func(i, j int) bool { return idf[sorted[i]] > idf[sorted[j]] })
	keep := sorted[:0]
	var walked uint64
	for i, t := range sorted {
		if i > 0 && walked+df[t] > askPostings {
			break
		}
		if i < 3 || idf[t] >= math.Log(20) {
			keep = append(keep, t)
			walked += df[t]
		}
	}
	return keep
}

// askPostings bounds the articles Ask's retrieval walks (see retrievalTerms).
var askPostings uint64 = 50000

// termsQuery matches analysed terms (never user syntax) in the title and the
// body, the title weighing more.
func termsQuery(words []string, titleBoost float64) query.Query {
	var qs []query.Query
	for _, w := range words {
		tt := bleve.NewTermQuery(w)
		tt.SetField("title")
		tt.SetBoost(titleBoost)
		tb := bleve.NewTermQuery(w)
		tb.SetField("body")
		qs = append(qs, tt, tb)
	}
	return bleve.NewDisjunctionQuery(qs...)
}

func round(f float64) float64 { return math.Round(f*1000) / 1000 }

// idf weighs each question term by how rare it is among the articles, as BM25
// does: a name found in three articles says more than "said". A word of the
// question that no article holds may be a name typed without its accents
// ("Erdogan"): accented maps the indexed terms that are the same word with
// them ("erdoğan") to the question's term.
// df holds how many articles have each term in their body.
func (ix *Index) idf(ctx context.Context, q question) (idf map[string]float64, df map[string]uint64, accented map[string]string, err error) {
	r, err := ix.reader()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("index: idf: %w", err)
	}
	defer r.Close()
	n, err := termCount(ctx, r, docArticle, "type") // DocCount, on this reader
	if err != nil {
		return nil, nil, nil, err
	}
	idf = make(map[string]float64, len(q.terms))
	df = make(map[string]uint64, len(q.terms))
	for _, t := range q.terms {
		d, err := termCount(ctx, r, t, "body")
		if err != nil {
			return nil, nil, nil, err
		}
		if d == 0 {
			if d, err = accentedForms(r, t, &accented); err != nil {
				return nil, nil, nil, err
			}
		}
		df[t] = d
		idf[t] = bm25IDF(n, d)
	}
	return idf, df, accented, nil
}

// accentedForms finds the indexed terms that fold to t ("erdoğan" for
// "erdogan"), adds them to *into and returns how many articles hold them.
// Such a term shares t's letters up to its first accented one, so one small
// range of the dictionary per position is read: the terms that go on from
// t's first k letters with a letter outside ASCII.
func accentedForms(r bleveindex.IndexReader, t string, into *map[string]string) (uint64, error) {
	if len(t) < 4 || utf8.RuneCountInString(t) != len(t) { // not ASCII: typed with its accents
		return 0, nil
	}
	var df uint64
	for k := 1; k < len(t); k++ {
		d, err := r.FieldDictRange("body", []byte(t[:k]+"\xc0"), []byte(t[:k]+"\xff"))
		if err != nil {
			return 0, fmt.Errorf("index: accented forms of %q: %w", t, err)
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return 0, fmt.Errorf("index: accented forms of %q: %w", t, err)
			}
			if e == nil {
				break
			}
			if answer.Fold(e.Term) == t {
				if *into == nil {
					*into = map[string]string{}
				}
				(*into)[e.Term] = t
				df += e.Count
			}
		}
		d.Close()
	}
	return df, nil
}

// matcher maps an article's terms back to the question terms they stand for.
type matcher struct {
	q   question
	idf map[string]float64
	to  map[string][]string // article stem -> question terms it matches
	// wn maps the stems of the words WordNet relates to a question word
	// (synonyms, derivations: "wrecked" for "destroyed", "death" for
	// "died") to that word, when they are not already in to.
	wn    map[string][]string
	total float64
	// maxIDF is the weight of the question's rarest word.
	maxIDF float64
	// probes are substrings one of which a matching text must hold.
	probes []string
	// pairs are the question's adjacent terms, for phrase overlap.
	pairs [][2]string
}

func (ix *Index) newMatcher(q question, idf map[string]float64) *matcher {
	m := &matcher{q: q, idf: idf, to: map[string][]string{}, wn: map[string][]string{}}
	probes := map[string]bool{}
	probe := func(stem string) {
		// A stem's first letters are in every word it stems from
		// ("happi" from "happy": "hap").
		probes[stem[:min(len(stem), 3)]] = true
	}
	for _, t := range q.terms {
		m.total += idf[t]
		m.maxIDF = max(m.maxIDF, idf[t])
		for _, r := range ix.relatedTerms(t) {
			m.to[r] = append(m.to[r], t)
			probe(r)
			if f := answer.Fold(r); f != r {
				// "Gdańsk" in the question, "Gdansk" in the article.
				m.to[f] = append(m.to[f], t)
				probe(f)
			}
		}
	}
	// relate makes the words WordNet relates to the question's term t
	// match it, unless they already match a term outright.
	relate := func(t string, ws []string) {
		for _, w := range ws {
			s := ix.stemWord(w)
			if s == "" || len(m.to[s]) > 0 || slices.Contains(m.wn[s], t) {
				continue
			}
			m.wn[s] = append(m.wn[s], t)
			probe(s)
		}
	}
	for _, t := range q.terms {
		relate(t, wordnetRelated(q.words[t]))
	}
	// A verb and its particle ("step down", "move into") relate to the
	// article's one-word verb ("resign", "enter") through the verb's term.
	words := strings.Fields(strings.ToLower(q.text))
	for i := 0; i+1 < len(words); i++ {
		verb, particle := strings.Trim(words[i], wordPunct), strings.Trim(words[i+1], wordPunct)
		if t, ok := q.termOf[answer.Fold(verb)]; ok {
			relate(t, phrasalRelated(verb, particle))
		}
	}
	for form, lemma := range ix.lemma {
		if len(m.to[lemma]) > 0 || len(m.wn[lemma]) > 0 {
			probes[form] = true
		}
	}
	for p := range probes {
		m.probes = append(m.probes, p)
	}
	for i := 1; i < len(q.terms); i++ {
		m.pairs = append(m.pairs, [2]string{q.terms[i-1], q.terms[i]})
	}
	return m
}

// wordnetRelated are the words WordNet relates to a word through its base
// forms: synonyms of its most frequent senses and derivations.
func wordnetRelated(word string) []string {
	var out []string
	for _, l := range lexicon.Lemmas(word) {
		e, _ := lexicon.Lookup(l)
		out = append(out, l)
		out = append(out, e.Synonyms...)
		out = append(out, e.Derived...)
	}
	return out
}

// wordPunct is the punctuation trimmed from a word of a question split on
// spaces.
const wordPunct = "?.,!'\"’"

// phrasalRelated are the words WordNet relates to a verb (any of its base
// forms) with its particle: the synonyms and derivations of "step down".
func phrasalRelated(verb, particle string) []string {
	var out []string
	for _, l := range lexicon.Lemmas(verb) {
		if e, ok := lexicon.Lookup(l + " " + particle); ok && e.POS&lexicon.Verb != 0 {
			out = append(out, e.Synonyms...)
			out = append(out, e.Derived...)
		}
	}
	return out
}

// mayMatch is a cheap test, before analysis, that a text may hold a word
// matching the question: it holds the start of a stem or an irregular form.
func (m *matcher) mayMatch(text string) bool {
	lower := strings.ToLower(text)
	for _, p := range m.probes {
		if strings.Contains(lower, p) {
			return true
		}
	}
	if f := answer.Fold(lower); f != lower {
		return m.mayMatch(f) // "Kīlauea" holds "kil" once its accents go
	}
	return false
}

// match returns the question terms an article term stands for. Besides exact
// and related stems, a name matches its demonym and back ("Namibia",
// "Namibian"; "Iran", "Iranian"): one is a prefix of the other, at most three
// letters apart.
func (m *matcher) match(term string) []string {
	if qs := m.to[term]; len(qs) > 0 {
		return qs
	}
	// "Erdoğan" in the article, "Erdogan" in the question.
	if f := answer.Fold(term); f != term {
		if qs := m.to[f]; len(qs) > 0 {
			return qs
		}
	}
	var out []string
	for name := range m.q.names {
		short, long := name, term
		if len(short) > len(long) {
			short, long = long, short
		}
		if len(short) >= 4 && len(long)-len(short) <= 3 && long != short && strings.HasPrefix(long, short) {
			out = append(out, name)
		}
	}
	return out
}

type sentence struct {
	para       int
	index      int // in the article, from 0
	text       string
	matched    map[string]bool // question terms found
	related    map[string]bool // question terms found only through WordNet
	firstMatch int
	pronounLed bool
	toks       []token
	matchedAt  map[int]bool // byte offsets of matched tokens
	// hits are the question terms each token matches, by token start;
	// relHits those it matches only through WordNet.
	hits, relHits map[int][]string
	pairs         int // adjacent question term pairs found adjacent
}

// relatedWeight is what a word WordNet relates to a question word counts for
// beside the word itself, in placing an answer among the question's words.
const relatedWeight = 0.7

var pronounLedRE = regexp.MustCompile(`^(?:He|She|It|They|His|Her|Its|Their|This|That|These|The (?:man|woman|company|group|team|planet|ship|plane|airline|suspect|victim|court|judge|district|town|city))\b`)

// rankSentences computes the features of every sentence of an article that
// may answer the question (see package answer for their meaning).
//
// Words of the question that the article's title holds are the topic: they
// choose the article, not the sentence. The sentence is chosen by the other
// ("focus") words it holds, by the words its neighbours hold (answers often
// follow the sentence that repeats the question, with a pronoun), and by whether
// it holds the kind of thing asked for (a name, a number, a date, a place).
func (ix *Index) rankSentences(q question, m *matcher, a *news.Article, artScore float64, rank int) []Candidate {
	title := map[string]bool{}
	inArticle := map[string]bool{}
	relatedInArticle := map[string]bool{} // question terms the article holds only a related word of
	for _, t := range ix.tokens(a.Title) {
		for _, qt := range m.match(t.term) {
			title[qt] = true
			inArticle[qt] = true
		}
	}
	var sents []sentence
	index := 0
	// Every sentence, in order, for the names the article gives and the
	// pronouns that stand for them.
	var all []string
	paraSpans := make([][]news.Span, len(a.Paragraphs))
	for pi, p := range a.Paragraphs {
		paraSpans[pi] = news.Sentences(p)
		for _, sp := range paraSpans[pi] {
			all = append(all, p[sp.Start:sp.End])
		}
	}
	refs := answer.Refer(q.text, all)
	for w := range refs.Article {
		if t, ok := q.termOf[w]; ok {
			inArticle[t] = true
		}
	}
	for pi, p := range a.Paragraphs {
		spans := paraSpans[pi]
		// Analysing text is the costliest step: a sentence is analysed
		// only when it or a neighbour may hold a word of the question.
		hit := make([]bool, len(spans))
		for j, sp := range spans {
			hit[j] = m.mayMatch(p[sp.Start:sp.End])
		}
		for j, sp := range spans {
			index++
			if !hit[j] && (j == 0 || !hit[j-1]) && (j+1 == len(spans) || !hit[j+1]) {
				continue
			}
			s := sentence{para: pi, index: index - 1, text: p[sp.Start:sp.End], matched: map[string]bool{},
				related: map[string]bool{}, firstMatch: -1, matchedAt: map[int]bool{},
				hits: map[int][]string{}, relHits: map[int][]string{}}
			s.pronounLed = pronounLedRE.MatchString(s.text)
			s.toks = ix.tokens(s.text)
			var prev []string
			for _, t := range s.toks {
				qts := m.match(t.term)
				if len(qts) > 0 {
					s.hits[t.start] = qts
				}
				for _, qt := range qts {
					if !title[qt] {
						// Only the words that are not the article's
						// topic place an answer near them.
						s.matchedAt[t.start] = true
					}
					s.matched[qt] = true
					inArticle[qt] = true
					if s.firstMatch < 0 {
						s.firstMatch = t.start
					}
				}
				if len(qts) == 0 {
					if len(m.wn[t.term]) > 0 {
						s.relHits[t.start] = m.wn[t.term]
					}
					for _, qt := range m.wn[t.term] {
						s.related[qt] = true
						relatedInArticle[qt] = true
						if !title[qt] {
							s.matchedAt[t.start] = true
						}
					}
				}
				for _, p := range m.pairs {
					if slices.Contains(qts, p[1]) && slices.Contains(prev, p[0]) {
						s.pairs++
					}
				}
				prev = qts
			}
			sents = append(sents, s)
		}
	}
	// A title word weighs less in choosing the sentence: every sentence of
	// the article is about it. Its share was chosen by the answer model's
	// cross-validated answer@1 over 4 splits (go test ./answer -run
	// TestTrain -update -cv -repeats 4): 0.1, 0.2, 0.35, 0.5 gave 0.696,
	// 0.699, 0.695, 0.685.
	weight := func(t string) float64 {
		w := m.idf[t]
		if t == q.pred {
			w = max(w, m.maxIDF)
		}
		if title[t] {
			return titleShare * w
		}
		return w
	}
	var covered, wtotal float64
	for t := range inArticle {
		covered += m.idf[t]
	}
	// A word the article holds only in a related form ("death" for
	// "died") counts as held: a question in a member's words is still
	// about the story. Counting it at 0 and at 1 of its weight gave, over
	// 4 splits of the answer model's cross-validation (1008 questions),
	// answerable wrongly abstained 0.029 and 0.026 with about the same
	// share of the unanswerable abstained (0.114, 0.117); half its weight
	// was between them.
	for t := range relatedInArticle {
		if !inArticle[t] {
			covered += m.idf[t]
		}
	}
	for _, t := range q.terms {
		wtotal += weight(t)
	}
	coverage := covered / m.total
	// The question's focus: its words beyond the story's topic (the
	// title's words and names), what it asks about the story.
	focusWeight := func(t string) float64 {
		if title[t] || q.names[t] {
			return 0
		}
		return m.idf[t]
	}
	var focusTotal, focusCovered float64
	for _, t := range q.terms {
		focusTotal += focusWeight(t)
		if inArticle[t] || relatedInArticle[t] {
			focusCovered += focusWeight(t)
		}
	}
	focusCoverage := 1.0
	if focusTotal > 0 {
		focusCoverage = focusCovered / focusTotal
	}
	// How many sentences hold each question word: a word the whole article
	// repeats says little about which sentence answers; one that only a
	// sentence or two hold says much.
	sentsWith := map[string]int{}
	for _, s := range sents {
		for t := range s.matched {
			sentsWith[t]++
		}
	}
	localOf := func(t string) float64 {
		return m.idf[t] * math.Log(1+float64(index)/float64(max(sentsWith[t], 1)))
	}
	var localTotal float64
	for _, t := range q.terms {
		localTotal += m.idf[t] * math.Log(1+float64(index))
	}
	localTotal = max(localTotal, 1e-9)
	missingNames, missingProper := 0, 0
	for t := range q.names {
		if !inArticle[t] {
			missingNames++
			if q.proper[t] && !relatedInArticle[t] {
				missingProper++
			}
		}
	}
	// The rarest word the article lacks in every form, against the
	// question's rarest: 1 when the word that most singles out the story
	// asked about ("Booker" in "who won the Booker prize?") is not in it.
	var missingRare float64
	for _, t := range q.terms {
		if !inArticle[t] && !relatedInArticle[t] {
			missingRare = max(missingRare, m.idf[t])
		}
	}
	if m.maxIDF > 0 {
		missingRare /= m.maxIDF
	}
	// A year the question names that the article gives nowhere, nor as
	// the year it was published in: "the 1999 Moscow bombings" asked of an
	// article on a 2019 explosion. Of 67 training questions that name a
	// year, the article that answers gives it in 66.
	missingYear := 0.0
	for _, y := range q.years {
		if !articleHolds(a, y) {
			missingYear = 1
			break
		}
	}
	// known are the words an answer must bring something beyond: the
	// question's and the title's.
	known := map[string]bool{}
	for _, t := range q.terms {
		known[t] = true
	}
	for _, t := range ix.tokens(a.Title) {
		known[t.term] = true
	}
	for _, s := range sents {
		for _, t := range s.toks {
			if len(m.match(t.term)) > 0 {
				known[t.term] = true
			}
		}
	}
	var acronyms []string
	for _, w := range strings.Fields(q.text) {
		if w = strings.Trim(w, wordPunct); len(w) >= 2 && strings.ToUpper(w) == w && strings.ToLower(w) != w {
			acronyms = append(acronyms, w)
		}
	}
	out := make([]Candidate, 0, len(sents))
	for i, s := range sents {
		x := make([]float64, answer.NumFeatures)
		var lex, rel, near float64
		for t := range s.matched {
			lex += weight(t)
		}
		for t := range s.related {
			if !s.matched[t] {
				rel += weight(t)
			}
		}
		for _, nb := range []struct {
			j int
			w float64
		}{{i - 1, 1}, {i + 1, 0.6}} {
			if nb.j < 0 || nb.j >= len(sents) || sents[nb.j].para != s.para && nb.j > i {
				continue
			}
			w := nb.w
			if nb.j == i-1 && s.pronounLed {
				w = 2
			}
			for t := range sents[nb.j].matched {
				if !s.matched[t] {
					near += w * weight(t)
				}
			}
		}
		// held sums the weight w gives the question words that the
		// sentences near i kept by keep hold (with related: also in a
		// related form), each word once.
		held := func(keep func(j int) bool, w func(t string) float64, related bool) float64 {
			seen := map[string]bool{}
			sum := 0.0
			add := func(terms map[string]bool) {
				for t := range terms {
					if !seen[t] {
						seen[t] = true
						sum += w(t)
					}
				}
			}
			for j := max(0, i-8); j < min(len(sents), i+9); j++ {
				if keep(j) {
					add(sents[j].matched)
					if related {
						add(sents[j].related)
					}
				}
			}
			return sum
		}
		union := func(keep func(j int) bool) float64 { return held(keep, weight, false) / wtotal }
		window := func(j int) bool { return j >= i-1 && j <= i+1 && sents[j].para == s.para }
		x[answer.FWindow] = union(window)
		x[answer.FFocusCoverage] = focusCoverage
		x[answer.FFocusWindow] = 1
		if focusTotal > 0 {
			x[answer.FFocusWindow] = held(window, focusWeight, true) / focusTotal
		}
		x[answer.FParagraph] = union(func(j int) bool { return sents[j].para == s.para })
		x[answer.FLex] = lex / wtotal
		var local, unique float64
		for t := range s.matched {
			local += localOf(t)
			if sentsWith[t] == 1 {
				unique += weight(t)
			}
		}
		x[answer.FLocal] = local / localTotal
		x[answer.FUnique] = unique / wtotal
		x[answer.FRelated] = rel / wtotal
		if len(m.pairs) > 0 {
			x[answer.FBigram] = float64(s.pairs) / float64(len(m.pairs))
		}
		x[answer.FNear] = near / wtotal
		x[answer.FAlias] = refWeight(q, refs.Alias[s.index], s.matched, weight) / wtotal
		x[answer.FCoref] = refWeight(q, refs.Coref[s.index], s.matched, weight) / wtotal
		x[answer.FCoverage] = coverage
		x[answer.FArticle] = artScore
		x[answer.FRank] = float64(rank)
		x[answer.FMissingNames] = float64(missingNames)
		x[answer.FMissingProper] = float64(missingProper)
		x[answer.FMissingRare] = missingRare
		x[answer.FMissingYear] = missingYear
		as := answer.Sentence{Text: s.text, Tokens: make([]answer.Token, len(s.toks)), MatchedAt: s.matchedAt,
			Weights: make(map[int]float64, len(s.hits)+len(s.relHits))}
		for at, qts := range s.hits {
			for _, qt := range qts {
				as.Weights[at] = max(as.Weights[at], weight(qt)/wtotal)
			}
		}
		for at, qts := range s.relHits {
			for _, qt := range qts {
				as.Weights[at] = max(as.Weights[at], relatedWeight*weight(qt)/wtotal)
			}
		}
		for k, t := range s.toks {
			as.Tokens[k] = answer.Token{Start: t.start, End: t.end, Term: t.term}
		}
		answer.Evidence(q.Question, as, known, m.to, m.wn, q.head, q.verb, acronyms, x)
		if qt := quoteIn(a, s.para, s.text); qt != nil {
			x[answer.FQuote] = 1
			if qt.Speaker != "" && speakerAsked(q, qt.Speaker) {
				x[answer.FQuoteAsked] = 1
			}
		}
		if s.index == 0 {
			x[answer.FLead] = 1
		}
		x[answer.FPosition] = 1 / (1 + float64(s.index)/4)
		if q.head != "" && (s.matched[q.head] || s.related[q.head]) {
			x[answer.FHead] = 1
		}
		if s.pronounLed {
			x[answer.FPronounLed] = 1
		}
		if len(s.toks) < 8 {
			x[answer.FShort] = 1
		}
		answer.Interactions(x)
		// Sums over maps add in a different order each run: rounded,
		// the features (and the model fitted on them) are the same
		// every run.
		for i, v := range x {
			x[i] = math.Round(v*1e9) / 1e9
		}
		out = append(out, Candidate{Text: s.text, Article: a, Features: x, para: s.para, firstMatch: max(s.firstMatch, 0)})
	}
	return out
}

// titleShare is the weight of a question word in the article's title, as a
// share of its IDF, in choosing the sentence.
const titleShare = 0.2

// refWeight is the weight of the question's words that a sentence names in
// another form (words: lower-case question words), beyond those it holds.
func refWeight(q question, words map[string]bool, matched map[string]bool, weight func(string) float64) float64 {
	w := 0.0
	for word := range words {
		if t, ok := q.termOf[word]; ok && !matched[t] {
			w += weight(t)
		}
	}
	return w
}

// trimAnswer cuts a sentence over MaxAnswerRunes to a window around its first
// matched word, marking the cuts with "…".
func trimAnswer(s string, firstMatch int) string {
	if utf8.RuneCountInString(s) <= MaxAnswerRunes {
		return s
	}
	lo := backRunes(s, firstMatch, MaxAnswerRunes/3)
	if lo > 0 {
		if i := strings.IndexByte(s[lo:], ' '); i >= 0 {
			lo += i + 1
		}
	}
	hi := forwardRunes(s, lo, MaxAnswerRunes-2)
	if hi < len(s) {
		if i := strings.LastIndexByte(s[lo:hi], ' '); i > 0 {
			hi = lo + i
		}
	}
	out := s[lo:hi]
	if lo > 0 {
		out = "…" + out
	}
	if hi < len(s) {
		out += "…"
	}
	return out
}

// quoteIn finds the extracted quote a sentence carries (the sentence holds the
// quote's start, or is part of a longer quote), so the answer can name its
// speaker.
func quoteIn(a *news.Article, para int, sentence string) *quotes.Quote {
	for i := range a.Quotes {
		q := &a.Quotes[i]
		if q.Paragraph != para && q.Paragraph != para-1 {
			continue
		}
		if strings.Contains(sentence, firstWordsOf(q.Text, 6)) || strings.Contains(q.Text, firstWordsOf(sentence, 6)) {
			return q
		}
	}
	return nil
}

// speakerAsked reports whether the question names the quote's speaker (any word
// of the name, as "Stoltenberg" names "Jens Stoltenberg").
func speakerAsked(q question, speaker string) bool {
	for _, w := range strings.Fields(strings.ToLower(speaker)) {
		if len(w) > 2 && q.lowerWords[strings.Trim(w, ".,")] {
			return true
		}
	}
	return false
}

func firstWordsOf(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}
