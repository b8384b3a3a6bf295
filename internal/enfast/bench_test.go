package enfast

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// BenchmarkAnalyze analyses every title and body of the bundled sample (real
// Wikinews text, 1.35 MB) per op: with bleve's "en", with ours, and with ours
// less one lever or both. The memo is warm after the first op, as it is
// during a long ingest. "en" writes into its input, so every analyzer gets fresh
// copies (made outside the timer for all of them alike).
func BenchmarkAnalyze(b *testing.B) {
	texts := sampleTexts(b)
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	want, got := analyzers(b)
	fast := got.(*Analyzer)
	noScanner, noMemo, onePass := New(fast.stop), New(fast.stop), New(fast.stop)
	noScanner.noScanner, noMemo.noMemo = true, true
	onePass.noScanner, onePass.noMemo = true, true
	for _, c := range []struct {
		name string
		an   analysis.Analyzer
	}{
		{"en", want},
		{AnalyzerName, fast},
		{AnalyzerName + "-no-scanner", noScanner},
		{AnalyzerName + "-no-memo", noMemo},
		// Neither lever: what the one pass and its few allocations buy.
		{AnalyzerName + "-no-scanner-no-memo", onePass},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			copies := make([][]byte, len(texts))
			for b.Loop() {
				b.StopTimer()
				for i, t := range texts {
					copies[i] = append(copies[i][:0], t...)
				}
				b.StartTimer()
				for _, t := range copies {
					c.an.Analyze(t)
				}
			}
		})
	}
}
