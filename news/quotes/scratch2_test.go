package quotes

import (
	"fmt"
	"testing"
)

func TestScratch2(t *testing.T) {
	x := &extractor{reg: newRegistry(), lastQuotePara: -2}
	p := `Emily Spanton, 39, who has waived her right to anonymity, met officers Antoine Quirin and Nicolas Redouane at a pub.`
	spans := findSpans(p)
	toks := tokenize(p, spans)
	fmt.Printf("%+v\n", x.segHead(toks, 0, 2))
	r := headReader{x: x, toks: toks, a: 0, b: 2}
	n, m, d := r.step(0)
	fmt.Println(n, m, d, isNameWord(toks[0]), x.isCommonWordRun(toks, m, 0, 2, 2))
}
