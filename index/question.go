package index

import (
	"strings"

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
	// lowerWords are the question's words, lower-cased, unstemmed.
	lowerWords map[string]bool
	// pred, head and verb are the stems of Question.Pred, Question.Head
	// and Question.Verb.
	pred, head, verb string
}

// questionNoise are stems that say how a question is asked, not what about.
var questionNoise = map[string]bool{
	"name": true, "guy": true, "exact": true, "exactli": true, "roughli": true, "approxim": true,
	"happen": true, "know": true, "thing": true, "kind": true, "type": true, "get": true,
	"realli": true, "actual": true, "s": true, "d": true, "accord": true, "mani": true, "much": true, "long": true, "old": true,
	"will": true, "would": true, "could": true, "might": true, "shall": true, "must": true,
}

func (ix *Index) parseQuestion(text string) question {
	q := question{Question: answer.Analyse(text), text: text, names: map[string]bool{}, words: map[string]string{}, termOf: map[string]string{}}
	lower := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(text)), "’", "'")
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
		}
	}
	return q
}
