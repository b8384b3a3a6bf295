package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold strips a word's accents, as people type names without them:
// "Erdoğan" is "Erdogan", "Kīlauea" "Kilauea", "Gdańsk" "Gdansk". A word
// in ASCII is returned as it is, without allocating.
func Fold(s string) string {
	if utf8.RuneCountInString(s) == len(s) { // ASCII
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // the accent, apart from its letter
		}
		if f, ok := unaccented[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unaccented are the letters that carry their mark inside, so that
// decomposing them leaves them whole.
var unaccented = map[rune]string{
	'ł': "l", 'Ł': "L", 'ı': "i", 'ø': "o", 'Ø': "O", 'đ': "d", 'Đ': "D", 'ß': "ss", 'æ': "ae", 'Æ': "AE",
	'œ': "oe", 'Œ': "OE", 'þ': "th", 'ð': "d", 'ʻ': "", 'ʼ': "",
}
