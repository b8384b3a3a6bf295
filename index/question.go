package index

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/newsbot/newsbot/answer"
)

// question is a question understood: what kind of answer it wants (from
// package answer), its content words as index terms, and the names it
// mentions.
type question struct {
	answer.Question
	text  string
	terms []string          // distinct stems, in order
	words map[string]string // stem -> the question's word, lower-case
	// termOf maps the question's words, lower-case and without a
	// possessive, to their terms.
	termOf map[string]string
	names  map[string]bool // stems of capitalised words after the first word
	// proper are the names spelled out: one capital, first, and not a
	// month's or a day's. A member shortens freely ("HK", "PM", "GOP")
	// but spells a name as the story does, so an article that holds none
	// of a proper name's forms is about another story.
	proper map[string]bool
	// lowerWords are the question's words, lower-cased, unstemmed.
	lowerWords map[string]bool
	// pred, head and verb are the stems of Question.Pred, Question.Head
	// and Question.Verb.
	pred, head, verb string
	// years are the years the question names ("1999", "2020").
	years []string
}

// yearRE finds a year written out: 1800 to 2099.
var yearRE = regexp.MustCompile(`\b(?:18|19|20)\d\d\b`)

// questionNoise are stems that say how a question is asked, not what about.
var questionNoise = map[string]bool{
	"name": true, "guy": true, "exact": true, "exactli": true, "roughli": true, "approxim": true,
	"happen": true, "know": true, "thing": true, "kind": true, "type": true, "get": true,
	"realli": true, "actual": true, "s": true, "d": true, "accord": true, "mani": true, "much": true, "long": true, "old": true,
	"will": true, "would": true, "could": true, "might": true, "shall": true, "must": true,
}

func (ix *Index) parseQuestion(text string) question {
	q := question{Question: answer.Analyse(text), text: text, names: map[string]bool{}, proper: map[string]bool{}, words: map[string]string{}, termOf: map[string]string{}}
	lower := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(text)), "’", "'")
	q.years = slices.Compact(slices.Sorted(slices.Values(yearRE.FindAllString(text, -1))))
	if q.Pred != "" {
		q.pred = ix.stemWord(q.Pred)
	}
	if q.Head != "" {
		q.head = ix.stemWord(q.Head)
	}
	if q.Verb != "" {
		q.verb = ix.stemWord(q.Verb)
	}
	q.lowerWords = map[string]bool{}
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return r == ' ' || r == ',' || r == '?' || r == '\'' || r == '"' }) {
		q.lowerWords[w] = true
	}
	seen := map[string]bool{}
	for _, t := range ix.tokens(text) {
		if seen[t.term] || questionNoise[t.term] {
			continue
		}
		seen[t.term] = true
		q.terms = append(q.terms, t.term)
		word := text[t.start:t.end]
		q.words[t.term] = strings.ToLower(word)
		q.termOf[answer.Fold(strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(word), "'s"), "’s"))] = t.term
		if t.start > 0 && word != "" && word[0] >= 'A' && word[0] <= 'Z' {
			q.names[t.term] = true
			if spelledOut(word) && !answer.CalendarName(word) {
				q.proper[t.term] = true
			}
		}
	}
	return q
}

// spelledOut says whether a capitalised word is written out rather than
// shortened: its only capital is its first letter, and it has three
// letters or more.
func spelledOut(word string) bool {
	n := 0
	for i, r := range word {
		if unicode.IsUpper(r) && i > 0 {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 3
}
