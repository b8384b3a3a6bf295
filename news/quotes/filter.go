package quotes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// emitDirect adds the paragraph's direct quotes that are speech, not scare
// quotes, titles or names.
func (x *extractor) emitDirect(p *para) {
	for i, s := range p.spans {
		st := p.quotes[i]
		text := p.text[s.start:s.end]
		x.words = x.words[:0]
		for w := range strings.FieldsSeq(text) {
			x.words = append(x.words, w)
		}
		if !isSpeech(x.words, st) {
			continue
		}
		p.found = append(p.found, found{at: s.open, q: Quote{
			Text:      clean(text),
			Speaker:   clean(st.attr.speaker),
			Title:     clean(st.attr.title),
			Kind:      Direct,
			Cue:       clean(st.attr.cue),
			Paragraph: p.index,
		}})
	}
}

// isSpeech keeps a quoted span that reads as someone's words: four or more
// words, or part of a split quote, or a short clause with a speaker ("We
// couldn't win"). It drops one to three verbless words ("a non-starter"),
// spans after a naming word ("dubbed"), and title-cased names of works or
// events.
// The words are the span's, as strings.Fields splits them.
func isSpeech(words []string, st quoteState) bool {
	switch {
	case len(words) == 0 || isTitleCased(words) || st.naming || (st.afterOf && len(words) <= 3):
		return false
	case st.split && st.attr.known:
		return true
	case len(words) >= 4:
		return true
	}
	return st.attr.known && (hasClause(words) || looksLikeSentence(words))
}

// looksLikeSentence: a short attributed quote that starts with a capital and
// has a verb-like word after its first ("The vaccine works,"), unlike
// lower-case fragments ("a non-starter") quoted inside a sentence.
func looksLikeSentence(words []string) bool {
	r, _ := utf8.DecodeRuneInString(words[0])
	if len(words) < 2 || !unicode.IsUpper(r) || !sentenceStarts[strings.ToLower(words[0])] {
		return false
	}
	for _, w := range words[1:] {
		w = strings.ToLower(strings.TrimRight(w, ".,;:!?\"'’”"))
		if strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ed") {
			return true
		}
	}
	return false
}

// isTitleCased: every word that has letters starts with a capital, except
// short joining words, and the span does not end like a sentence: "Eva
// Glawischnig-Piesczek vs. Facebook Ireland Limited", "Learning Together".
func isTitleCased(words []string) bool {
	last := words[len(words)-1]
	if strings.ContainsAny(last[len(last)-1:], ".!?,;") && !strings.HasSuffix(last, "vs.") {
		return false
	}
	caps := 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r):
			caps++
		case !unicode.IsLetter(r) || len(w) <= 3:
		default:
			return false
		}
	}
	return caps >= 2
}

// hasClause: a subject pronoun, a finite auxiliary or a negated verb.
func hasClause(words []string) bool {
	for _, w := range words {
		l := strings.ToLower(strings.Trim(w, ".,;:!?\"'’‘[]()"))
		l = strings.ReplaceAll(l, "’", "'")
		if clauseWords[l] || strings.HasSuffix(l, "n't") {
			return true
		}
	}
	return false
}

// sentenceStarts open a short quoted sentence ("The vaccine works").
var sentenceStarts = wordSet(`the this that these those my our your his her their its everyone nobody
nothing everything all no`)

// clean makes a string safe to hand on: valid UTF-8 and no outer spaces.
func clean(s string) string {
	return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
}
