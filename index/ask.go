package index

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

// MaxAnswerRunes bounds one answer's text.
const MaxAnswerRunes = 350

// Answer is a verbatim extract of one article that answers a question.
type Answer struct {
	Text string
	// Markdown is Text escaped for Discord with the question's words bold.
	Markdown string
	Article  *news.Article
	Score    float64
	// Speaker and SpeakerTitle are set when the answer is a quote.
	Speaker      string
	SpeakerTitle string
}

// AskResult is the answers to a question, best first, or an abstention.
type AskResult struct {
	Question  string
	Kind      AnswerKind
	Abstained bool
	Answers   []Answer
}

// Ask tuning. The weights were set on the development questions and checked
// against the kinds of question, not single strings.
const (
	askArticles      = 8    // articles whose sentences are ranked
	askMaxAnswers    = 3    //
	minCoverage      = 0.55 // share of the question's weight the best article must hold
	minSentenceScore = 0.40 // score below which a sentence is no answer
)

// Ask answers a question with up to three sentences from the articles in scope,
// or abstains when nothing in the index answers it.
func (ix *Index) Ask(ctx context.Context, text string, scope Scope) (*AskResult, error) {
	if err := CheckQuery(text); err != nil {
		return nil, err
	}
	q := ix.parseQuestion(text)
	res := &AskResult{Question: text, Kind: q.kind}
	if len(q.terms) == 0 {
		res.Abstained = true
		return res, nil
	}
	idf, err := ix.idf(ctx, q.terms)
	if err != nil {
		return nil, err
	}
	// Retrieval uses the question's rarer words: a word in one article of
	// twenty barely moves BM25, yet walking its postings is most of the
	// cost on a large index. Ranking sentences in Go uses every word of the
	// question and their related words.
	words := retrievalTerms(q.terms, idf)
	bq := bleve.NewBooleanQuery()
	bq.AddMust(termsQuery(words, 1.5))
	bq.AddFilter(allOf((SearchOptions{Scope: scope}).scopeFilters()...)) // title and body: articles only
	req := bleve.NewSearchRequestOptions(bq, askArticles, 0, false)
	sr, err := ix.b().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: ask: %w", err)
	}
	if len(sr.Hits) == 0 {
		res.Abstained = true
		return res, nil
	}
	ids := make([]string, len(sr.Hits))
	for i, h := range sr.Hits {
		ids[i] = h.ID
	}
	arts, err := ix.src.Articles(ids)
	if err != nil {
		return nil, err
	}
	m := ix.newMatcher(q, idf)
	var cands []candidate
	top := sr.Hits[0].Score
	for rank, h := range sr.Hits {
		a := arts[h.ID]
		if a == nil {
			continue
		}
		cands = append(cands, ix.rankSentences(q, m, a, h.Score/top, rank)...)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	if len(cands) == 0 || cands[0].score < minSentenceScore || cands[0].coverage < minCoverage {
		res.Abstained = true
		return res, nil
	}
	qterms := make(map[string]bool, len(q.terms))
	for _, t := range q.terms {
		for _, r := range ix.relatedTerms(t) {
			qterms[r] = true
		}
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if len(res.Answers) == askMaxAnswers || c.score < minSentenceScore || c.score < cands[0].score*0.5 {
			break
		}
		text := trimAnswer(c.text, c.firstMatch)
		if seen[text] {
			continue
		}
		seen[text] = true
		ans := Answer{Text: text, Markdown: ix.highlight(text, qterms, MaxAnswerRunes+2), Article: c.article, Score: round(c.score)}
		if qt := quoteIn(c.article, c.paragraph, c.text); qt != nil && qt.Credited().Speaker != "" {
			ans.Speaker, ans.SpeakerTitle = qt.Speaker, qt.Title
		}
		res.Answers = append(res.Answers, ans)
	}
	return res, nil
}

// tuning holds the weights of sentence ranking.
type tuning struct {
	title, prev, next, pronoun, lex, near, cov, art, typeAny, typeSpecific float64
}

// tw are the weights in use, set on the development questions.
var tw = tuning{title: 0.35, prev: 0.25, next: 0.15, pronoun: 0.6, lex: 0.7, near: 0.6, cov: 0.25, art: 0.1, typeAny: 0.3, typeSpecific: 0.55}

// retrievalTerms keeps the question's terms rarer than one article in twenty
// (an IDF over ln 20), and at least its three rarest.
func retrievalTerms(terms []string, idf map[string]float64) []string {
	sorted := slices.Clone(terms)
	sort.SliceStable(sorted, func(i, j int) bool { return idf[sorted[i]] > idf[sorted[j]] })
	keep := sorted[:0]
	for i, t := range sorted {
		if i < 3 || idf[t] >= math.Log(20) {
			keep = append(keep, t)
		}
	}
	return keep
}

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
// does: a name found in three articles says more than "said".
func (ix *Index) idf(ctx context.Context, terms []string) (map[string]float64, error) {
	adv, err := ix.b().Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: idf: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("index: idf: %w", err)
	}
	defer r.Close()
	n, err := ix.articleCount()
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(terms))
	for _, t := range terms {
		tfr, err := r.TermFieldReader(ctx, []byte(t), "body", false, false, false)
		if err != nil {
			return nil, fmt.Errorf("index: idf %q: %w", t, err)
		}
		df := float64(tfr.Count())
		tfr.Close()
		out[t] = math.Log(1 + (float64(n)-df+0.5)/(df+0.5))
	}
	return out, nil
}

// articleCount is the number of articles, for IDF: counting them is a search,
// so the count is kept for a few seconds.
func (ix *Index) articleCount() (int, error) {
	ix.countMu.Lock()
	defer ix.countMu.Unlock()
	if time.Since(ix.countAt) < 5*time.Second {
		return ix.count, nil
	}
	n, err := ix.DocCount()
	if err != nil {
		return 0, err
	}
	ix.count, ix.countAt = n, time.Now()
	return n, nil
}

// matcher maps an article's terms back to the question terms they stand for.
type matcher struct {
	q     question
	idf   map[string]float64
	to    map[string][]string // article stem -> question terms it matches
	total float64
	// maxIDF is the weight of the question's rarest word.
	maxIDF float64
	// probes are substrings one of which a matching text must hold.
	probes []string
}

func (ix *Index) newMatcher(q question, idf map[string]float64) *matcher {
	m := &matcher{q: q, idf: idf, to: map[string][]string{}}
	probes := map[string]bool{}
	for _, t := range q.terms {
		m.total += idf[t]
		m.maxIDF = max(m.maxIDF, idf[t])
		for _, r := range ix.relatedTerms(t) {
			m.to[r] = append(m.to[r], t)
			// A stem's first letters are in every word it stems from
			// ("happi" from "happy": "hap").
			probes[r[:min(len(r), 3)]] = true
		}
	}
	for form, lemma := range ix.lemma {
		if len(m.to[lemma]) > 0 {
			probes[form] = true
		}
	}
	for p := range probes {
		m.probes = append(m.probes, p)
	}
	return m
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

// candidate is one sentence considered as an answer.
type candidate struct {
	article    *news.Article
	paragraph  int
	text       string
	firstMatch int // byte offset of the first matched word in text
	score      float64
	coverage   float64 // share of the question's weight found in the article
}

type sentence struct {
	para       int
	text       string
	matched    map[string]bool // question terms found
	firstMatch int
	pronounLed bool
	toks       []token
	matchedAt  map[int]bool // byte offsets of matched tokens
}

var pronounLedRE = regexp.MustCompile(`^(?:He|She|It|They|His|Her|Its|Their|This|That|These|The (?:man|woman|company|group|team|planet|ship|plane|airline|suspect|victim|court|judge|district|town|city))\b`)

// rankSentences scores every sentence of an article against the question.
//
// Words of the question that the article's title holds are the topic: they
// choose the article, not the sentence. The sentence is chosen by the other
// ("focus") words it holds, by the words its neighbours hold (answers often
// follow the sentence that repeats the question, with a pronoun), and by whether
// it holds the kind of thing asked for (a name, a number, a date, a place).
func (ix *Index) rankSentences(q question, m *matcher, a *news.Article, artScore float64, rank int) []candidate {
	title := map[string]bool{}
	inArticle := map[string]bool{}
	for _, t := range ix.tokens(a.Title) {
		for _, qt := range m.match(t.term) {
			title[qt] = true
			inArticle[qt] = true
		}
	}
	var sents []sentence
	for pi, p := range a.Paragraphs {
		spans := news.Sentences(p)
		// Analysing text is the costliest step: a sentence is analysed
		// only when it or a neighbour may hold a word of the question.
		hit := make([]bool, len(spans))
		for j, sp := range spans {
			hit[j] = m.mayMatch(p[sp.Start:sp.End])
		}
		for j, sp := range spans {
			if !hit[j] && (j == 0 || !hit[j-1]) && (j+1 == len(spans) || !hit[j+1]) {
				continue
			}
			s := sentence{para: pi, text: p[sp.Start:sp.End], matched: map[string]bool{}, firstMatch: -1, matchedAt: map[int]bool{}}
			s.pronounLed = pronounLedRE.MatchString(s.text)
			s.toks = ix.tokens(s.text)
			for _, t := range s.toks {
				for _, qt := range m.match(t.term) {
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
			}
			sents = append(sents, s)
		}
	}
	// A title word weighs less in choosing the sentence: every sentence of
	// the article is about it.
	weight := func(t string) float64 {
		w := m.idf[t]
		if t == q.pred {
			w = max(w, m.maxIDF)
		}
		if title[t] {
			return tw.title * w
		}
		return w
	}
	var covered, wtotal float64
	for t := range inArticle {
		covered += m.idf[t]
	}
	for _, t := range q.terms {
		wtotal += weight(t)
	}
	coverage := covered / m.total
	missingNames := 0
	for t := range q.names {
		if !inArticle[t] {
			missingNames++
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
	out := make([]candidate, 0, len(sents))
	for i, s := range sents {
		var lex, near float64
		for t := range s.matched {
			lex += weight(t)
		}
		for _, nb := range []struct {
			j int
			w float64
		}{{i - 1, tw.prev}, {i + 1, tw.next}} {
			if nb.j < 0 || nb.j >= len(sents) {
				continue
			}
			w := nb.w
			if nb.j == i-1 && s.pronounLed {
				w = tw.pronoun
			}
			for t := range sents[nb.j].matched {
				if !s.matched[t] {
					near += w * weight(t)
				}
			}
		}
		lex /= wtotal
		near /= wtotal
		typeScore := answerTypeScore(q, s.text, s.toks, known)
		if q.kind == KindQuote {
			// "What did Stoltenberg say": a quote by the speaker asked
			// about is the answer; someone else's quote much less so.
			if qt := quoteIn(a, s.para, s.text); qt != nil {
				if qt.Speaker != "" && speakerAsked(q, qt.Speaker) {
					typeScore = 1.6
				} else {
					typeScore = 0.8
				}
			} else {
				typeScore *= 0.5
			}
		}

		if (q.kind == KindNumber || q.kind == KindDate) && typeScore > 0 && valueNearMatch(q.kind, s) {
			// "His time was 1 hour 59 minutes": the value sits right by
			// a word of the question.
			typeScore += 0.4
		}
		if (q.kind == KindPerson || q.kind == KindPlace) && typeScore > 0 && nameNearMatch(s, known) {
			// "made by Italian artist Maurizio Cattelan": a new name right
			// by a word of the question.
			typeScore += 0.3
		}
		if q.head != "" && typeScore > 0 && (q.kind == KindPerson || q.kind == KindPlace || q.kind == KindAny) {
			// "the Mexican company Cultura Colectiva": a new name right by
			// the noun the question asks about is very likely the answer;
			// by a word related to the noun ("firm"), less so.
			switch nameNearHead(s.text, s.toks, m.to, q.head, known) {
			case 2:
				typeScore += 0.5
			case 1:
				typeScore += 0.25
			}
		}
		score := tw.lex*lex + tw.near*near + typeWeight(q.kind)*typeScore + tw.cov*coverage + tw.art*artScore -
			0.01*float64(rank) - 0.08*float64(missingNames)
		fm := max(s.firstMatch, 0)
		out = append(out, candidate{
			article: a, paragraph: s.para, text: s.text, firstMatch: fm, score: score, coverage: coverage,
		})
	}
	return out
}

var (
	numberRE    = regexp.MustCompile(`\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozens?)\b`)
	unitRE      = regexp.MustCompile(`(?i)\b\d[\d,.]*\s*(?:-|\s)?(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|percent|%|people|persons|votes|counts|troops|personnel|km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|dollars|euros|pounds)\b|\b(?:aged|age)\s+\d+|\d+-year-old`)
	dateRE      = regexp.MustCompile(`\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|\b(?:1[5-9]|20)\d\d\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`)
	reasonRE    = regexp.MustCompile(`(?i)\b(?:because|due to|caused by|cause of|as a result|after|from|owing to|died of|killed by|blamed|poisoning|disease|cancer|complications)\b`)
	placePrepRE = regexp.MustCompile(`\b(?:in|at|from|near|on|to|into|outside|inside|(?:town|city|village|district|province|region|state|county|island|neighbou?rhood|area|capital|suburb) of)\s+(?:the\s+)?[A-Z][\p{L}'’-]+`)
	weekdayRE   = regexp.MustCompile(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$`)
	quoteMarkRE = regexp.MustCompile(`["“”]`)
)

// answerTypeScore is 0..1: how well the sentence holds the kind of thing the
// question asks for, beyond the words the question and the title already give.
func answerTypeScore(q question, s string, toks []token, known map[string]bool) float64 {
	switch q.kind {
	case KindNumber:
		score := 0.0
		for _, m := range numberRE.FindAllString(s, -1) {
			if !known[strings.ToLower(strings.Trim(m, ",."))] {
				score = 0.6
				break
			}
		}
		if score > 0 && unitRE.MatchString(s) {
			score = 1
		}
		return score
	case KindDate:
		// A weekday dates the news itself ("on Monday"); a month or a year
		// is what "when" questions mostly ask for.
		score := 0.0
		for _, m := range dateRE.FindAllString(s, -1) {
			if known[strings.ToLower(m)] {
				continue
			}
			if weekdayRE.MatchString(m) {
				score = max(score, 0.4)
			} else {
				return 1
			}
		}
		return score
	case KindPerson:
		return namesScore(s, toks, known, !q.wantsOrg)
	case KindPlace:
		for _, m := range placePrepRE.FindAllString(s, -1) {
			f := strings.Fields(m)
			w := f[len(f)-1]
			if !known[strings.ToLower(w)] && !dateRE.MatchString(w) {
				return 1
			}
		}
		return 0.5 * namesScore(s, toks, known, false)
	case KindQuote:
		if quoteMarkRE.MatchString(s) {
			return 1
		}
	case KindReason:
		if reasonRE.MatchString(s) {
			return 1
		}
	case KindAny:
		return 0.5 * namesScore(s, toks, known, false)
	}
	return 0
}

// valueNearMatch reports a number or date within a few words after or before a
// matched question word of the sentence.
func valueNearMatch(kind AnswerKind, s sentence) bool {
	re := numberRE
	if kind == KindDate {
		re = dateRE
	}
	var matchPos []int
	for _, t := range s.toks {
		if s.matchedAt[t.start] {
			matchPos = append(matchPos, t.start, t.end)
		}
	}
	for _, loc := range re.FindAllStringIndex(s.text, -1) {
		for i := 0; i+1 < len(matchPos); i += 2 {
			if (loc[0] >= matchPos[i+1] && loc[0]-matchPos[i+1] <= 25) || (matchPos[i] >= loc[1] && matchPos[i]-loc[1] <= 12) {
				return true
			}
		}
	}
	return false
}

// nameNearMatch reports a capitalised word the question and title do not know
// within a few words of a matched question word.
func nameNearMatch(s sentence, known map[string]bool) bool {
	for i, t := range s.toks {
		if !s.matchedAt[t.start] {
			continue
		}
		for j := max(0, i-2); j < min(len(s.toks), i+5); j++ {
			w := s.text[s.toks[j].start:s.toks[j].end]
			r, _ := utf8.DecodeRuneInString(w)
			if j != i && s.toks[j].start > 0 && unicode.IsUpper(r) && !known[s.toks[j].term] && !isCommonCapital(w) {
				return true
			}
		}
	}
	return false
}

// nameNearHead looks for a capitalised word the question does not know within
// three words of the question's head noun: 2 by the noun itself, 1 by a word
// related to it, 0 for none.
func nameNearHead(s string, toks []token, to map[string][]string, head string, known map[string]bool) int {
	best := 0
	for i, t := range toks {
		strength := 0
		if t.term == head {
			strength = 2
		} else {
			for _, qt := range to[t.term] {
				if qt == head {
					strength = 1
				}
			}
		}
		if strength <= best {
			continue
		}
		for j := max(0, i-3); j < min(len(toks), i+4); j++ {
			if j == i {
				continue
			}
			w := s[toks[j].start:toks[j].end]
			r, _ := utf8.DecodeRuneInString(w)
			if (unicode.IsUpper(r) || unicode.IsDigit(r)) && !known[toks[j].term] && !isCommonCapital(w) {
				best = strength
				break
			}
		}
	}
	return best
}

// typeWeight is how much holding the kind of answer asked for counts: much for
// questions that name a kind (who, when, where, how many), less otherwise.
func typeWeight(k AnswerKind) float64 {
	switch k {
	case KindAny, KindReason:
		return tw.typeAny
	}
	return tw.typeSpecific
}

// orgWords mark a capitalised run as an organisation or place, not a person.
var orgWords = map[string]bool{
	"Group": true, "Party": true, "Company": true, "Inc": true, "Corp": true, "Ltd": true, "Union": true,
	"Agency": true, "Ministry": true, "Police": true, "Army": true, "Command": true, "Council": true,
	"Court": true, "University": true, "Airlines": true, "Air": true, "Cathedral": true, "Church": true,
	"Palace": true, "Street": true, "Road": true, "Hospital": true, "Department": true, "Office": true,
	"Committee": true, "Commission": true, "Organization": true, "Organisation": true, "Association": true,
	"Institute": true, "Service": true, "Force": true, "Forces": true, "Guard": true, "News": true,
	"Times": true, "Post": true, "Press": true, "Network": true, "Bank": true, "Fund": true, "Summit": true,
	"Island": true, "Islands": true, "Republic": true, "Kingdom": true, "States": true, "City": true,
	"County": true, "Province": true, "Region": true, "Airport": true, "Station": true, "Bridge": true,
	"House": true, "Senate": true, "Parliament": true, "Congress": true, "Assembly": true, "Government": true,
	"Club": true, "Team": true, "Federation": true, "League": true, "Cup": true, "Championship": true,
}

// namesScore is 1 when the sentence holds a capitalised name the question and
// title do not: a run of two or more capitalised words (a person's name), or,
// when people is false, any capitalised word past the sentence's first.
func namesScore(s string, toks []token, known map[string]bool, people bool) float64 {
	best := 0.0
	runLen, novel, org := 0, false, false
	end := func() {
		if runLen > 0 && novel {
			switch {
			case !people:
				best = 1
			case runLen >= 2 && !org:
				best = 1
			case runLen >= 2 || !org:
				best = max(best, 0.4)
			}
		}
		runLen, novel, org = 0, false, false
	}
	prevEnd := -1
	for _, t := range toks {
		w := s[t.start:t.end]
		r, _ := utf8.DecodeRuneInString(w)
		capital := unicode.IsUpper(r) && !isCommonCapital(w)
		if !capital || (prevEnd >= 0 && strings.TrimSpace(s[prevEnd:t.start]) != "" && runLen > 0) {
			end()
		}
		prevEnd = t.end
		if !capital {
			continue
		}
		if t.start == 0 && runLen == 0 {
			// A sentence's first word is capitalised anyway: it starts a
			// run but is no name on its own, so it does not make the run
			// novel.
			runLen, org, novel = 1, orgWords[w], false
			continue
		}
		runLen++
		if !known[t.term] {
			novel = true
		}
		if orgWords[w] {
			org = true
		}
	}
	end()
	return best
}

var commonCapitals = map[string]bool{"The": true, "A": true, "An": true, "He": true, "She": true, "It": true, "They": true, "This": true, "In": true, "On": true, "At": true, "I": true, "We": true, "His": true, "Her": true, "Their": true, "According": true}

func isCommonCapital(w string) bool { return commonCapitals[strings.Trim(w, ".'’")] }

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
