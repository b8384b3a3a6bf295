package news

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a sentence of a paragraph as byte offsets, so the text it covers is
// always verbatim.
type Span struct{ Start, End int }

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sen": true, "rep": true, "gov": true,
	"gen": true, "col": true, "lt": true, "capt": true, "sgt": true, "st": true, "jr": true, "sr": true,
	"rev": true, "hon": true, "pres": true, "supt": true, "insp": true, "cmdr": true, "adm": true, "maj": true,
	"inc": true, "ltd": true, "co": true, "corp": true, "bros": true, "vs": true, "etc": true, "no": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "approx": true, "est": true, "fig": true, "vol": true,
	"mt": true, "ft": true, "ave": true, "blvd": true, "u.s": true, "u.k": true, "u.n": true, "e.g": true,
	"i.e": true, "a.m": true, "p.m": true, "d.c": true, "u.s.a": true,
}

// Sentences splits a paragraph into sentences. A sentence ends at . ! or ?
// (with any closing quotes or brackets) followed by a space and a capital, a
// digit or an opening quote, unless the period closes an abbreviation or an
// initial.
func Sentences(p string) []Span {
	var out []Span
	start := 0
	for start < len(p) && p[start] == ' ' {
		start++
	}
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		i += size
		if r != '.' && r != '!' && r != '?' && r != '…' {
			continue
		}
		end := i
		// Take further terminal punctuation and closing quotes or brackets.
		for end < len(p) {
			r2, s2 := utf8.DecodeRuneInString(p[end:])
			if r2 == '.' || r2 == '!' || r2 == '?' || r2 == '"' || r2 == '\'' || r2 == '”' || r2 == '’' || r2 == ')' || r2 == ']' {
				end += s2
				continue
			}
			break
		}
		if end >= len(p) {
			break
		}
		if p[end] != ' ' {
			i = end
			continue
		}
		next := end
		for next < len(p) && p[next] == ' ' {
			next++
		}
		if next >= len(p) {
			break
		}
		nr, _ := utf8.DecodeRuneInString(p[next:])
		if !(unicode.IsUpper(nr) || unicode.IsDigit(nr) || nr == '"' || nr == '“' || nr == '\'' || nr == '‘' || nr == '(' || nr == '[') {
			i = end
			continue
		}
		if r == '.' && isAbbreviation(p[start:i-1]) {
			i = end
			continue
		}
		out = append(out, Span{start, end})
		start = next
		i = next
	}
	if tail := strings.TrimRight(p[start:], " "); tail != "" {
		out = append(out, Span{start, start + len(tail)})
	}
	return out
}

// isAbbreviation looks at the word before a period.
func isAbbreviation(before string) bool {
	w := before
	if i := strings.LastIndexAny(w, " (\"“'‘"); i >= 0 {
		w = w[i+1:]
	}
	if w == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	// A single capital letter is an initial ("Stefan W. Smith", "John F. Kennedy").
	if utf8.RuneCountInString(w) == 1 && unicode.IsUpper(r) {
		return true
	}
	return abbreviations[strings.ToLower(w)]
}

// SentenceTexts returns the sentences of a paragraph as strings.
func SentenceTexts(p string) []string {
	spans := Sentences(p)
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = p[s.Start:s.End]
	}
	return out
}
