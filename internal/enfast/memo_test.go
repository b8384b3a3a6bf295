package enfast

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

// TestMemoBounded fills one analyzer's memo with four times as many distinct
// words as it may hold: its memory must stay within a few MB, and every word
// must still come back with the stem and stop flag bleve's filters give it,
// whether it was evicted, overwritten or found.
func TestMemoBounded(t *testing.T) {
	stop, err := registry.NewCache().TokenMapNamed(en.StopName)
	if err != nil {
		t.Fatal(err)
	}
	words := make([][]byte, 4*MemoEntries)
	for i := range words {
		// Word-like keys of memoisable length, a share of which Porter changes.
		words[i] = fmt.Appendf(nil, "w%dnational%s", i, []string{"", "s", "ing", "izer", "ly"}[i%5])
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	a := New(stop)
	for _, w := range words {
		a.lookup(fnv1a(w), w)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("memo full of %d words: heap %.1f MB (%d B a word)", MemoEntries, float64(grown)/1e6, grown/MemoEntries)
	if limit := int64(12 << 20); grown > limit {
		t.Errorf("memo holds %d bytes, more than %d", grown, limit)
	}
	held := 0
	for i := range a.memo.slots {
		if a.memo.slots[i].Load() != nil {
			held++
		}
	}
	if held == 0 || held > MemoEntries {
		t.Errorf("memo holds %d entries, want 1 to %d", held, MemoEntries)
	}
	for _, w := range append(words[:1000:1000], []byte("the"), []byte("running"), []byte("generalizations")) {
		stem, isStop := a.lookup(fnv1a(w), w)
		_, wantStop := stop[string(w)]
		if isStop != wantStop || (!isStop && !bytes.Equal(stem, porter(w))) {
			t.Fatalf("lookup(%q) = %q, %v; want %q, %v", w, stem, isStop, porter(w), wantStop)
		}
	}
	runtime.KeepAlive(a)
}
