package enfast

import (
	"bytes"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// The memo's bounds. Words follow Zipf's law: a table of the most recent
// words answers most tokens, and what it holds is a fixed number of entries.
const (
	// MemoEntries is the most words the memo of one analyzer holds.
	// A full memo holds 4.5 MB: 8 bytes a slot and 64 an entry.
	MemoEntries = 1 << memoBits
	// MaxMemoWord is the longest word (in bytes) that is memoised; longer
	// ones are rare and are looked up and stemmed every time.
	MaxMemoWord = 24

	memoBits = 16
)

// memo maps a lowered word to what the rest of the pipeline makes of it:
// whether stop_en drops it and, if not, stemmer_porter's term. Both are pure
// functions of the word, so any entry found is right; a lost or overwritten
// entry only costs a recomputation.
//
// It is a two-way set-associative table of atomic pointers to immutable
// entries, so reads take no lock and analyses on several goroutines share
// it. A new word replaces the older entry of its set.
type memo struct {
	slots [MemoEntries]atomic.Pointer[memoEntry]
}

// memoEntry holds its word and stem in place, so that a look-up reads one
// cache line after the slot: 64 bytes in all.
type memoEntry struct {
	hash             uint64
	word, stem       [MaxMemoWord]byte
	wordLen, stemLen uint8
	stop             bool // stem is empty
}

func (m *memo) set(h uint64) int {
	return int((h*0x9e3779b97f4a7c15)>>(64-memoBits)) &^ 1
}

func (m *memo) get(h uint64, word []byte) *memoEntry {
	i := m.set(h)
	for _, e := range [2]*memoEntry{m.slots[i].Load(), m.slots[i+1].Load()} {
		if e != nil && e.hash == h && string(e.word[:e.wordLen]) == string(word) {
			return e
		}
	}
	return nil
}

func (m *memo) put(e *memoEntry) {
	i := m.set(e.hash)
	m.slots[i+1].Store(m.slots[i].Load())
	m.slots[i].Store(e)
}

// fnv1a hashes a word for the memo (FNV-1a, 64 bits); emitASCII computes the
// same while it lowers a word.
func fnv1a(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// lookup returns what the pipeline makes of word: from the memo, or worked
// out (and memoised when word and stem are short enough). The stem may be a
// memo entry's own bytes: copy it, never write to it.
func (a *Analyzer) lookup(h uint64, word []byte) (stem []byte, stop bool) {
	memoise := len(word) <= MaxMemoWord && !a.noMemo
	if memoise {
		if e := a.memo.get(h, word); e != nil {
			return e.stem[:e.stemLen], e.stop
		}
	}
	if _, stop = a.stop[string(word)]; !stop {
		stem = porter(word)
	}
	if memoise && len(stem) <= MaxMemoWord {
		e := &memoEntry{hash: h, wordLen: uint8(len(word)), stemLen: uint8(len(stem)), stop: stop}
		copy(e.word[:], word)
		copy(e.stem[:], stem)
		a.memo.put(e)
	}
	return stem, stop
}

// porter is what bleve's stemmer_porter filter makes of a term.
func porter(word []byte) []byte {
	return analysis.BuildTermFromRunes(porterstemmer.StemWithoutLowerCasing(bytes.Runes(word)))
}
