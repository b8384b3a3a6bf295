package boilerplate

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

// referenceHash is the normal form as first defined, spelled out with the
// standard library: the learned counts stored by earlier versions are keyed
// by it, so hash must agree with it on every input.
func referenceHash(s string) (uint64, bool) {
	f := strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '0'
		}
		return unicode.ToLower(r)
	}, s))
	if len(f) < MinWords {
		return 0, false
	}
	h := fnv.New64a()
	h.Write([]byte(strings.TrimRight(strings.Join(f, " "), ".!?:;,…")))
	return h.Sum64(), true
}

func TestHashMatchesReference(t *testing.T) {
	cases := []string{
		"", "one two", "one two three", "  Read   more\tat  our site. ",
		"Updated 12 March 2024, 10:45 GMT", "Sign up for our newsletter!!!",
		"ends with a spaced dot .", "…and then… what …", "ÉCOLE Ünïcode ΣΊΣΥΦΟΣ words here",
		"invalid \xff\xfe bytes in \xc3 here", "nbsp\u00a0separated\u00a0words\u00a0too",
		"Arabic-Indic digits ٣٤ and ۵ count", "a b c d e f g " + strings.Repeat("long ", 200),
		"tab\tnewline\nvertical\vfeed\fcr\r", "trailing punctuation only , ; : ? ! .",
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aZ09 .,;:!?…\t\nÉßΣ٣\u00a0\u0085\u2028-'\"")
	for range 2000 {
		n := r.IntN(40)
		var b strings.Builder
		for range n {
			b.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		if r.IntN(10) == 0 {
			b.WriteByte(0xff)
		}
		cases = append(cases, b.String())
	}
	for _, c := range cases {
		gh, gok := hash(c)
		wh, wok := referenceHash(c)
		if gh != wh || gok != wok {
			t.Fatalf("hash(%q) = %x, %v; the reference gives %x, %v", c, gh, gok, wh, wok)
		}
	}
}

func BenchmarkHash(b *testing.B) {
	s := "The minister said on Tuesday, 12 March, that the plan would go ahead as agreed."
	for b.Loop() {
		hash(s)
	}
}

func BenchmarkReferenceHash(b *testing.B) {
	s := "The minister said on Tuesday, 12 March, that the plan would go ahead as agreed."
	for b.Loop() {
		referenceHash(s)
	}
}
