package quotes

import (
	"testing"
	"unicode/utf8"
)

// TestLexClasses: every token of the evaluation articles has exactly the
// classes of the lists its word is in, so that a bit test says what the
// list lookup said.
func TestLexClasses(t *testing.T) {
	n := 0
	for _, a := range loadDevArticles(t) {
		for _, p := range a.paras {
			for _, tok := range tokenize(p, findSpans(p, nil), nil) {
				n++
				for _, l := range lexLists {
					want := l.set[tok.lower]
					if l.c == lxTitle {
						want = isTitleWord(tok.lower)
					}
					if tok.in(l.c) != want {
						t.Fatalf("%q: class %b is %v, its list says %v", tok.lower, l.c, tok.in(l.c), want)
					}
				}
				s := singular(tok.lower)
				for _, l := range []struct {
					set map[string]bool
					c   lexClass
				}{{roleNouns, lxRoleSing}, {orgNouns, lxOrgNounSing}, {statementNouns, lxStatementSing}, {spokesNouns, lxSpokesSing}} {
					if tok.in(l.c) != l.set[s] {
						t.Fatalf("%q: singular class %b is %v, its list says %v", tok.lower, l.c, tok.in(l.c), l.set[s])
					}
				}
			}
		}
	}
	if n < 10000 {
		t.Fatalf("only %d tokens", n)
	}
}

// TestWordListsHoldWords: tokenize gives marks and quotes no classes
// without looking them up, which is right only while every listed word
// starts as a word does and no mark is a title.
func TestWordListsHoldWords(t *testing.T) {
	for w := range wordClasses {
		if r, _ := utf8.DecodeRuneInString(w); !isWordRune(r) {
			t.Errorf("listed word %q does not start with a letter or digit", w)
		}
	}
	for _, mark := range []string{"", "-", ".", ",", "(", "—", "’", "&", "\xff"} {
		if c := classOf(mark); c != 0 {
			t.Errorf("classOf(%q) = %b, want none", mark, c)
		}
	}
}
