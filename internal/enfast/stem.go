package enfast

import (
	"bytes"
	"hash/maphash"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// The stem memo's bounds. A shard that reaches its share of CacheEntries is
// emptied and fills again: the frequent words of the text at hand come back
// at once, and the memo never holds more than CacheEntries words. Measured
// full (TestStemCacheMemory), an entry costs about 60 bytes: a few MB in all.
const (
	// CacheEntries is the most words the stem memo holds at once.
	CacheEntries = cacheShards * shardEntries
	// MaxCachedWord is the longest word (in bytes) that is memoised; longer
	// ones are rare and are stemmed every time.
	MaxCachedWord = 24

	cacheShards  = 64
	shardEntries = 1024
)

// stems memoises stemmer_porter's stem of a word. The stem is a pure function
// of the word's bytes, so the memo is shared by every analyzer of the process.
var stems = newStemCache()

type stemCache struct {
	seed   maphash.Seed
	shards [cacheShards]stemShard
}

type stemShard struct {
	mu sync.RWMutex
	m  map[string]string
	_  [32]byte // keep shards on separate cache lines
}

func newStemCache() *stemCache {
	c := &stemCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = make(map[string]string)
	}
	return c
}

func (c *stemCache) shard(word []byte) *stemShard {
	return &c.shards[maphash.Bytes(c.seed, word)%cacheShards]
}

func (c *stemCache) get(sh *stemShard, word []byte) (string, bool) {
	sh.mu.RLock()
	stem, ok := sh.m[string(word)]
	sh.mu.RUnlock()
	return stem, ok
}

func (c *stemCache) put(sh *stemShard, word []byte, stem []byte) {
	key := string(word)
	val := key[:0]
	// Most stems are a prefix of their word: share its bytes.
	if bytes.HasPrefix(word, stem) {
		val = key[:len(stem)]
	} else {
		val = string(stem)
	}
	sh.mu.Lock()
	if len(sh.m) >= shardEntries {
		clear(sh.m)
	}
	sh.m[key] = val
	sh.mu.Unlock()
}

// appendStem appends to dst the term bleve's stemmer_porter filter makes of
// word.
func appendStem(dst, word []byte) []byte {
	if len(word) <= 2 && isASCII(word) {
		// Porter leaves words of one or two letters alone, and ASCII comes
		// back from the rune round trip as it went in.
		return append(dst, word...)
	}
	if len(word) > MaxCachedWord {
		return append(dst, stem(word)...)
	}
	sh := stems.shard(word)
	if s, ok := stems.get(sh, word); ok {
		return append(dst, s...)
	}
	s := stem(word)
	stems.put(sh, word, s)
	return append(dst, s...)
}

// stem is what bleve's stemmer_porter filter does to a term.
func stem(word []byte) []byte {
	return analysis.BuildTermFromRunes(porterstemmer.StemWithoutLowerCasing(bytes.Runes(word)))
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
