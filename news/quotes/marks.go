package quotes

import (
	"unicode"
	"unicode/utf8"
)

// span is one double-quoted stretch of a paragraph, in byte offsets.
type span struct {
	open   int  // the opening mark
	start  int  // first byte of the quoted text
	end    int  // byte after the quoted text
	close  int  // byte after the closing mark (== end when unclosed)
	closed bool // false when the paragraph ended before a closing mark
}

type markKind uint8

const (
	notMark markKind = iota
	openMark
	closeMark
	eitherMark // a straight quote: its direction comes from context
)

func markOf(r rune) markKind {
	switch r {
	case '“', '«', '„':
		return openMark
	case '”', '»':
		return closeMark
	case '"', '＂':
		return eitherMark
	}
	return notMark
}

// findSpans pairs the double quote marks of a paragraph in one pass. Curly
// marks carry their direction; a straight mark is read from its neighbours. A
// mark that cannot open or close where it stands is skipped, and a new opening
// mark inside an open quote abandons the old one, so one stray mark spoils at
// most one quote instead of inverting every pair after it.
// The spans go into buf[:0].
func findSpans(p string, buf []span) []span {
	out := buf[:0]
	inside := false
	var cur span
	for i := 0; i < len(p); {
		r, w := utf8.DecodeRuneInString(p[i:])
		k := markOf(r)
		if k == notMark {
			i += w
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(p[:i])
		if i == 0 {
			prev = ' '
		}
		next, _ := utf8.DecodeRuneInString(p[i+w:])
		if i+w >= len(p) {
			next = ' '
		}
		switch {
		case !inside && (k == openMark || (k == eitherMark && !closesHere(next))):
			cur = span{open: i, start: i + w}
			inside = true
		case inside && k == closeMark,
			inside && k == eitherMark && !reopensHere(prev, next),
			inside && k == openMark && closesHere(next):
			cur.end, cur.close, cur.closed = i, i+w, true
			out = append(out, cur)
			inside = false
		case inside:
			// An opening mark while a quote is open: the old one lost its
			// closing mark; start again here.
			cur = span{open: i, start: i + w}
		}
		i += w
	}
	if inside {
		cur.end, cur.close = len(p), len(p)
		out = append(out, cur)
	}
	return trimSpans(p, out)
}

// closesHere: a mark followed by a space or punctuation ends a quote.
func closesHere(next rune) bool {
	return unicode.IsSpace(next) || (unicode.IsPunct(next) && next != '[' && next != '(' && next != '\'' && next != '‘') || next == utf8.RuneError
}

// reopensHere: a straight mark after a space and before a word starts a quote.
func reopensHere(prev, next rune) bool {
	return unicode.IsSpace(prev) && (unicode.IsLetter(next) || unicode.IsDigit(next))
}

// trimSpans drops the outer whitespace of each quoted text and the empty ones.
func trimSpans(p string, spans []span) []span {
	out := spans[:0]
	for _, s := range spans {
		for s.start < s.end {
			r, w := utf8.DecodeRuneInString(p[s.start:s.end])
			if !unicode.IsSpace(r) {
				break
			}
			s.start += w
		}
		for s.end > s.start {
			r, w := utf8.DecodeLastRuneInString(p[s.start:s.end])
			if !unicode.IsSpace(r) {
				break
			}
			s.end -= w
		}
		if s.end > s.start {
			out = append(out, s)
		}
	}
	return out
}
