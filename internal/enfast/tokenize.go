package enfast

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/segment"
)

// Byte classes for the ASCII scanner: the Unicode 8.0 word-break property of
// each ASCII character as blevesearch/segment's tables give it, plus "blank"
// for the characters the text is cut at and "high" for bytes >= 0x80.
const (
	clOther      = iota // no word-break property (punctuation, symbols, NUL...)
	clBlank             // tab, LF, VT, FF, CR, space
	clLetter            // ALetter: A-Z a-z
	clDigit             // Numeric: 0-9
	clUnderscore        // ExtendNumLet: _
	clMidLetter         // MidLetter: ':'
	clMidNum            // MidNum: ',' ';'
	clMidNumLet         // MidNumLet ('.') and Single_Quote (')
	clHigh              // not ASCII
)

var class = func() (t [256]uint8) {
	for c := 0x80; c < 0x100; c++ {
		t[c] = clHigh
	}
	for _, c := range "\t\n\v\f\r " {
		t[c] = clBlank
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c], t[c+'a'-'A'] = clLetter, clLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clDigit
	}
	t['_'] = clUnderscore
	t[':'] = clMidLetter
	t[','], t[';'] = clMidNum, clMidNum
	t['.'], t['\''] = clMidNumLet, clMidNumLet
	return t
}()

// tokenize emits the words of input as bleve's unicode tokenizer finds them.
//
// The input is cut into fields at blanks. A blank can only begin a segment:
// the segmenter's patterns hold these characters nowhere but first, save the
// LF of a CR LF, and a run of blanks is cut at its start. So where the bytes
// before a cut are ASCII or valid UTF-8, the segmenter, started afresh at the
// cut, finds what it finds in the whole text. An ASCII field goes to the
// scanner below; a field with other bytes goes, with the blanks before it, to
// the real segmenter; and from a field that is not valid UTF-8 on, where the
// segmenter's tables hold byte sequences that reach across blanks, the real
// segmenter takes the whole rest of the text. TestIdentity and
// FuzzAnalyzerIdentity check the result against bleve's analyzer.
func (a *Analyzer) tokenize(s *scratch, input []byte) {
	pos := 1
	for i := 0; i < len(input); {
		blanks := i
		for i < len(input) && class[input[i]] == clBlank {
			i++
		}
		field, ascii := i, true
		for i < len(input) && class[input[i]] != clBlank {
			if input[i] >= utf8.RuneSelf {
				ascii = false
			}
			i++
		}
		switch {
		case ascii && !a.noScanner:
			pos = a.scanASCII(s, input, field, i, pos)
		case utf8.Valid(input[blanks:i]):
			var done bool
			if pos, done = a.segment(s, input, blanks, i, pos); !done {
				return
			}
		default:
			a.segment(s, input, blanks, len(input), pos)
			return
		}
	}
}

// scanASCII emits the words of input[from:to], which is ASCII without blanks.
// For such text the segmenter's word is a run of letters, digits and "_" in
// which a MidLetter, MidNumLet or "'" may stand between two letters, and a
// MidNum, MidNumLet or "'" between two digits; it is a number (type Numeric)
// when it holds a digit and no letter. Every other byte is a segment of its
// own that gives no token.
func (a *Analyzer) scanASCII(s *scratch, input []byte, from, to, pos int) int {
	for i := from; i < to; {
		if c := class[input[i]]; c != clLetter && c != clDigit && c != clUnderscore {
			i++
			continue
		}
		start := i
		letters, digits := false, false
	word:
		for ; i < to; i++ {
			switch class[input[i]] {
			case clLetter:
				letters = true
			case clDigit:
				digits = true
			case clUnderscore:
			case clMidLetter, clMidNum, clMidNumLet:
				if !midJoins(input, i, to) {
					break word
				}
			default:
				break word
			}
		}
		typ := analysis.AlphaNumeric
		if digits && !letters {
			typ = analysis.Numeric
		}
		a.emitASCII(s, input[start:i], start, i, pos, typ)
		pos++
	}
	return pos
}

// midJoins reports whether the middle character at input[i] joins the letters
// or digits either side of it (UAX #29 rules WB6, WB7, WB11, WB12).
func midJoins(input []byte, i, to int) bool {
	if i+1 >= to {
		return false
	}
	before, after := class[input[i-1]], class[input[i+1]]
	if before != after {
		return false
	}
	switch c := class[input[i]]; before {
	case clLetter:
		return c == clMidLetter || c == clMidNumLet
	case clDigit:
		return c == clMidNum || c == clMidNumLet
	}
	return false
}

// segment emits the words blevesearch/segment finds in input[from:to], as
// bleve's unicode tokenizer does, and reports whether the segmenter got to
// the end: where it stops, bleve's tokenizer stops too.
func (a *Analyzer) segment(s *scratch, input []byte, from, to, pos int) (int, bool) {
	seg := segment.NewWordSegmenterDirect(input[from:to])
	at := from
	for seg.Segment() {
		word := seg.Bytes()
		end := at + len(word)
		if typ := seg.Type(); typ != segment.None {
			a.emitAny(s, word, at, end, pos, tokenType(typ))
			pos++
		}
		at = end
	}
	return pos, at == to
}

// tokenType is the token type bleve's unicode tokenizer gives a segment type.
func tokenType(t int) analysis.TokenType {
	switch t {
	case segment.Ideo, segment.Kana:
		return analysis.Ideographic
	case segment.Number:
		return analysis.Numeric
	}
	return analysis.AlphaNumeric
}
