package quotes

import (
	"strings"
	"testing"
)

// FuzzExtract feeds arbitrary text, split into paragraphs at blank lines,
// and checks that Extract returns and that its output is well formed. Seeds
// are in testdata/fuzz/FuzzExtract.
func FuzzExtract(f *testing.F) {
	f.Add(`NATO Secretary General Jens Stoltenberg stated, “This will allow NATO leaders to launch this effort.”`)
	f.Add("\"A,\" he said, \"B.\"\n\n\"C\" and \"D\" told reporters: \"E\"")
	f.Fuzz(func(t *testing.T, text string) {
		paras := strings.Split(text, "\n\n")
		checkInvariants(t, paras, Extract(paras))
	})
}
