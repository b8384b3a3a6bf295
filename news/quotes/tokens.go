package quotes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tkWord tokKind = iota
	tkPunct
	tkQuote // a whole quoted span; its words are not the writer's
)

// token is a word, a punctuation mark or a quoted span of a paragraph.
type token struct {
	text  string // a word without its possessive 's, or the punctuation mark
	raw   string // as written, with any possessive
	lower string
	start int // byte offsets in the paragraph
	end   int
	kind  tokKind
	cap   bool // starts with an upper-case letter
	name  bool // can be part of a name (see isNameWord)
	poss  bool // was followed by 's
	q     int  // index of the span, for tkQuote
	lex   lexClass
}

func (t token) is(words ...string) bool {
	if t.kind != tkWord {
		return false
	}
	for _, w := range words {
		if t.lower == w {
			return true
		}
	}
	return false
}

func (t token) punct(marks string) bool {
	return t.kind == tkPunct && strings.Contains(marks, t.text)
}

// tokenize splits a paragraph into tokens; each quoted span becomes one token.
// The tokens go into buf[:0] when it has room, so that the extractor reuses
// one slice for all its paragraphs.
func tokenize(p string, spans []span, buf []token) []token {
	toks := buf[:0]
	if need := len(p)/5 + len(spans); cap(toks) < need {
		toks = make([]token, 0, need)
	}
	low := paraLower{p: p}
	si := 0
	for i := 0; i < len(p); {
		if si < len(spans) && i >= spans[si].open {
			s := spans[si]
			toks = append(toks, token{kind: tkQuote, start: s.open, end: s.close, q: si})
			i = max(s.close, i+1)
			si++
			continue
		}
		r, w := rune(p[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(p[i:])
		}
		switch {
		case r == ' ' || isSpaceOrFormat(r):
			i += w
		case isWordRune(r):
			var t token
			t, i = readWord(p, i, &low)
			toks = append(toks, t)
		default:
			// No word list holds a mark (see TestWordListsHoldWords): its
			// lex is empty.
			toks = append(toks, token{kind: tkPunct, text: p[i : i+w], raw: p[i : i+w], lower: p[i : i+w], start: i, end: i + w})
			i += w
		}
	}
	return toks
}

// isSpaceOrFormat: white space or an invisible format character. No ASCII
// character is of category Cf, so ASCII needs no table.
func isSpaceOrFormat(r rune) bool {
	if r < utf8.RuneSelf {
		return '\t' <= r && r <= '\r' || r == ' '
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// joiner runes may sit inside a word ("U.S", "Man-kei", "don't").
func isJoiner(r rune) bool {
	switch r {
	case '.', '\'', '’', '-', '‐', '‑', '&', '_':
		return true
	}
	return false
}

// readWord reads the word at i and returns it and the offset after it. An
// abbreviation keeps its final period so that it does not end a sentence.
func readWord(p string, i int, low *paraLower) (token, int) {
	start := i
	for i < len(p) {
		r, w := rune(p[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(p[i:])
		}
		if isWordRune(r) || (r >= utf8.RuneSelf && unicode.Is(unicode.Cf, r) && i > start) {
			i += w
			continue
		}
		if isJoiner(r) && i+w < len(p) {
			if n, _ := utf8.DecodeRuneInString(p[i+w:]); isWordRune(n) {
				i += w
				continue
			}
		}
		break
	}
	text := p[start:i]
	if !isASCII(text) && hasFormatRune(text) {
		// Zero-width joiners and the like are invisible: "Xtra\u200d's".
		text = strings.Map(dropFormat, text)
	}
	t := token{kind: tkWord, start: start}
	if stem, ok := cutPossessive(text); ok {
		text, t.poss = stem, true
	}
	if i < len(p) && p[i] == '.' && isAbbreviation(text, low.of(text)) {
		i++
		text += "."
	}
	if n := pluralPossessive(p, i, text); n > 0 {
		// "the Catholic Bishops' Conference"
		i += n
		t.poss = true
	}
	t.text, t.end = text, i
	t.raw = p[start:i]
	if !isASCII(t.raw) && hasFormatRune(t.raw) {
		t.raw = strings.Map(dropFormat, t.raw)
	}
	t.lower = low.of(text)
	first, _ := utf8.DecodeRuneInString(text)
	t.cap = unicode.IsUpper(first) || unicode.IsTitle(first)
	t.lex = classOf(t.lower)
	t.name = nameWordText(text, t.lower, t.cap, t.lex)
	return t, i
}

// paraLower lowers the words of one paragraph. strings.ToLower makes a new
// string for every capitalised word; an ASCII word is lowered instead into
// one buffer per paragraph. A strings.Builder never changes bytes it has
// written, so each word's slice of it stays as it was.
type paraLower struct {
	p string
	b strings.Builder
}

// of is strings.ToLower(text) for the word text of the paragraph.
func (l *paraLower) of(text string) string {
	if !isASCII(text) {
		return strings.ToLower(text)
	}
	if !hasUpperASCII(text) {
		return text
	}
	if l.b.Cap() == 0 {
		l.b.Grow(len(l.p)) // the paragraph's words fit, but for a few abbreviations
	}
	n := l.b.Len()
	for i := 0; i < len(text); i++ {
		c := text[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		l.b.WriteByte(c)
	}
	return l.b.String()[n:]
}

func hasUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// pluralPossessive returns the width of the apostrophe after a plural ending
// in s ("Bishops'"), or 0. A capital must come next, so that a closing single
// quote after a word is left alone in other cases.
func pluralPossessive(p string, i int, word string) int {
	if !strings.HasSuffix(word, "s") || i >= len(p) {
		return 0
	}
	r, w := utf8.DecodeRuneInString(p[i:])
	if r != '\'' && r != '’' {
		return 0
	}
	rest := strings.TrimLeft(p[i+w:], " ")
	if rest == "" || len(rest) == len(p[i+w:]) {
		return 0
	}
	n, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsUpper(n) {
		return 0
	}
	return w
}

func hasFormatRune(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

func dropFormat(r rune) rune {
	if unicode.Is(unicode.Cf, r) {
		return -1
	}
	return r
}

func cutPossessive(w string) (string, bool) {
	if len(w) > 2 && strings.HasSuffix(w, "'s") {
		return w[:len(w)-2], true
	}
	if len(w) > len("’s") && strings.HasSuffix(w, "’s") {
		return w[:len(w)-len("’s")], true
	}
	return w, false
}

// isAbbreviation: titles and the like, single initials ("R."), and dotted forms
// ("U.S", "p.m").
func isAbbreviation(w, lower string) bool {
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r)
	}
	return abbreviations[lower] || (strings.Contains(w, ".") && !strings.ContainsAny(w, "0123456789"))
}

// sentence is a half-open range of token indexes.
type sentence struct{ a, b int }

// splitSentences ends a sentence after . ! ? when a capital, a digit or a quote
// follows, and after a quote whose own text ends a sentence when a capital
// follows ("...prayers." President Duda remarked).
// The sentences go into buf[:0].
func splitSentences(p string, toks []token, spans []span, buf []sentence) []sentence {
	out := buf[:0]
	a := 0
	for i := range toks {
		if i+1 < len(toks) && endsSentence(p, toks, spans, i) {
			out = append(out, sentence{a, i + 1})
			a = i + 1
		}
	}
	if a < len(toks) {
		out = append(out, sentence{a, len(toks)})
	}
	return out
}

func endsSentence(p string, toks []token, spans []span, i int) bool {
	t, n := toks[i], toks[i+1]
	startsNew := (n.kind == tkWord && (n.cap || isDigitStart(n.text))) || n.kind == tkQuote
	switch t.kind {
	case tkPunct:
		return t.punct(".!?…") && startsNew && !n.punct(".")
	case tkQuote:
		return quoteEndsSentence(p, spans[t.q]) && startsNew
	}
	return false
}

func isDigitStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}

// quoteEndsSentence: the quoted text ends with . ! ? (allowing a closing
// bracket or a single quote after it, as in "[.]" or "tomorrow.'").
func quoteEndsSentence(p string, s span) bool {
	text := strings.TrimRight(p[s.start:s.end], "]’' ")
	r, _ := utf8.DecodeLastRuneInString(text)
	return r == '.' || r == '!' || r == '?' || r == '…'
}
