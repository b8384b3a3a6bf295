package index

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"github.com/newsbot/newsbot/news"
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
	minCoverage      = 0.62 // share of the question's weight the best article must hold
	minSentenceScore = 0.45 // score below which a sentence is no answer
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
	bq := bleve.NewBooleanQuery()
	bq.AddMust(textQuery(strings.Join(q.terms, " "), 1.5))
	for _, f := range (SearchOptions{Scope: scope}).filters(docArticle) {
		bq.AddFilter(f)
	}
	req := bleve.NewSearchRequestOptions(bq, askArticles, 0, false)
	sr, err := ix.bleve.SearchInContext(ctx, req)
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
	var total float64
	for _, t := range q.terms {
		total += idf[t]
	}
	var cands []candidate
	top := sr.Hits[0].Score
	for rank, h := range sr.Hits {
		a := arts[h.ID]
		if a == nil {
			continue
		}
		cands = append(cands, ix.rankSentences(q, idf, total, a, h.Score/top, rank)...)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	if len(cands) == 0 || cands[0].score < minSentenceScore || cands[0].coverage < minCoverage {
		res.Abstained = true
		return res, nil
	}
	qterms := make(map[string]bool, len(q.terms))
	for _, t := range q.terms {
		qterms[t] = true
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if len(res.Answers) == askMaxAnswers || c.score < minSentenceScore {
			break
		}
		text := trimAnswer(c.text, c.firstMatch)
		if seen[text] {
			continue
		}
		seen[text] = true
		ans := Answer{Text: text, Markdown: ix.highlight(text, qterms, MaxAnswerRunes+2), Article: c.article, Score: round(c.score)}
		if qt := quoteIn(c.article, c.paragraph, c.text); qt != nil {
			ans.Speaker, ans.SpeakerTitle = qt.Speaker, qt.Title
		}
		res.Answers = append(res.Answers, ans)
	}
	return res, nil
}

func round(f float64) float64 { return math.Round(f*1000) / 1000 }

// idf weighs each question term by how rare it is among the articles, as BM25
// does: a name found in three articles says more than "said".
func (ix *Index) idf(ctx context.Context, terms []string) (map[string]float64, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: idf: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("index: idf: %w", err)
	}
	defer r.Close()
	n, err := ix.DocCount()
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

// candidate is one sentence considered as an answer.
type candidate struct {
	article    *news.Article
	paragraph  int
	text       string
	firstMatch int // byte offset of the first matched word in text
	score      float64
	coverage   float64 // share of the question's weight found in the article
}

// rankSentences scores every sentence of an article against the question.
func (ix *Index) rankSentences(q question, idf map[string]float64, total float64, a *news.Article, artScore float64, rank int) []candidate {
	qset := make(map[string]bool, len(q.terms))
	for _, t := range q.terms {
		qset[t] = true
	}
	type sent struct {
		para       int
		text       string
		matched    map[string]bool
		firstMatch int
	}
	var sents []sent
	inArticle := map[string]bool{}
	for _, t := range ix.tokens(a.Title) {
		if qset[t.term] {
			inArticle[t.term] = true
		}
	}
	titleTerms := map[string]bool{}
	for t := range inArticle {
		titleTerms[t] = true
	}
	for pi, p := range a.Paragraphs {
		for _, sp := range news.Sentences(p) {
			s := sent{para: pi, text: p[sp.Start:sp.End], matched: map[string]bool{}, firstMatch: -1}
			for _, t := range ix.tokens(s.text) {
				if qset[t.term] {
					s.matched[t.term] = true
					inArticle[t.term] = true
					if s.firstMatch < 0 {
						s.firstMatch = t.start
					}
				}
			}
			sents = append(sents, s)
		}
	}
	var covered float64
	for t := range inArticle {
		covered += idf[t]
	}
	coverage := covered / total
	// A name the question gives that the article never mentions is a strong
	// sign the article is about something else.
	missingNames := 0
	for t := range q.names {
		if !inArticle[t] {
			missingNames++
		}
	}
	out := make([]candidate, 0, len(sents))
	for i, s := range sents {
		var lex, near float64
		for t := range s.matched {
			lex += idf[t]
		}
		// Words of the question found in the sentences around it or in the
		// title count a little: answers often sit next to the sentence
		// that repeats the question's words.
		ctxTerms := map[string]bool{}
		for _, j := range []int{i - 1, i + 1} {
			if j >= 0 && j < len(sents) && sents[j].para == s.para {
				for t := range sents[j].matched {
					ctxTerms[t] = true
				}
			}
		}
		for t := range titleTerms {
			ctxTerms[t] = true
		}
		for t := range ctxTerms {
			if !s.matched[t] {
				near += idf[t]
			}
		}
		typeScore := answerTypeScore(q, s.text, qset, ix)
		score := lex/total + 0.3*near/total + 0.35*typeScore + 0.2*artScore - 0.02*float64(rank) - 0.1*float64(missingNames)
		if i == 0 {
			score += 0.03 // the lead sentence sums the story up
		}
		fm := s.firstMatch
		if fm < 0 {
			fm = 0
		}
		out = append(out, candidate{article: a, paragraph: s.para, text: s.text, firstMatch: fm, score: score, coverage: coverage})
	}
	return out
}

var (
	numberRE    = regexp.MustCompile(`\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozens?)\b`)
	unitRE      = regexp.MustCompile(`(?i)\b\d[\d,.]*\s*(?:-|\s)?(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|percent|%|people|persons|votes|counts|troops|personnel|km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|dollars|euros|pounds)\b|\b(?:aged|age)\s+\d+|\d+-year-old`)
	dateRE      = regexp.MustCompile(`\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|\b(?:1[5-9]|20)\d\d\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`)
	reasonRE    = regexp.MustCompile(`(?i)\b(?:because|due to|caused by|cause of|as a result|after|from|owing to|died of|killed by|blamed|poisoning|disease|cancer|complications)\b`)
	placePrepRE = regexp.MustCompile(`\b(?:in|at|from|near|on|to|into|outside|inside)\s+(?:the\s+)?[A-Z][\p{L}'’-]+`)
	quoteMarkRE = regexp.MustCompile(`["“”]`)
)

// answerTypeScore is 0..1: how well the sentence holds the kind of thing the
// question asks for, beyond the words the question already gives.
func answerTypeScore(q question, s string, qset map[string]bool, ix *Index) float64 {
	switch q.kind {
	case KindNumber:
		score := 0.0
		for _, m := range numberRE.FindAllString(s, -1) {
			if !qset[strings.ToLower(strings.Trim(m, ",."))] {
				score = 0.6
				break
			}
		}
		if score > 0 && unitRE.MatchString(s) {
			score = 1
		}
		return score
	case KindDate:
		if dateRE.MatchString(s) {
			return 1
		}
	case KindPerson:
		return namesScore(s, qset, ix)
	case KindPlace:
		score := 0.0
		for _, m := range placePrepRE.FindAllString(s, -1) {
			f := strings.Fields(m)
			w := strings.ToLower(f[len(f)-1])
			if !qset[w] && !dateRE.MatchString(f[len(f)-1]) {
				score = 1
				break
			}
		}
		if score == 0 && namesScore(s, qset, ix) > 0 {
			score = 0.5
		}
		return score
	case KindQuote:
		if quoteMarkRE.MatchString(s) {
			return 1
		}
	case KindReason:
		if reasonRE.MatchString(s) {
			return 1
		}
	}
	return 0
}

// namesScore is 1 when the sentence holds a capitalised name the question does
// not (two capitalised words in a row, or one not at the sentence start).
func namesScore(s string, qset map[string]bool, ix *Index) float64 {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == ':' || r == '(' || r == ')' || r == '"' || r == '“' || r == '”'
	})
	run := 0
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		stem := ""
		if toks := ix.tokens(w); len(toks) > 0 {
			stem = toks[0].term
		}
		if unicode.IsUpper(r) && !qset[stem] && !isCommonCapital(w) {
			if i > 0 {
				run++
			}
			if run >= 1 {
				return 1
			}
			continue
		}
		run = 0
	}
	return 0
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

// quoteIn finds the extracted quote a sentence carries, so the answer can name
// its speaker.
func quoteIn(a *news.Article, para int, sentence string) *quoteRef {
	for i := range a.Quotes {
		q := &a.Quotes[i]
		if q.Paragraph == para && q.Speaker != "" && strings.Contains(sentence, firstWordsOf(q.Text, 6)) {
			return &quoteRef{Speaker: q.Speaker, Title: q.Title}
		}
	}
	return nil
}

type quoteRef struct{ Speaker, Title string }

func firstWordsOf(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}
