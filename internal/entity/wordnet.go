package entity

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/newsbot/newsbot/internal/lexicon"
)

// facts is what the tagger asks WordNet about a word or a name.
type facts struct {
	names      lexicon.Class
	pos        lexicon.POSSet
	personNoun bool
}

// The same names come back in article after article; WordNet's answers are
// kept, up to maxCached words, so that tagging stays a small part of ingest.
var (
	cache     sync.Map // lower-case string -> facts
	cached    atomic.Int64
	maxCached = int64(200_000)
)

// wordnet returns the facts for s, from the cache when it can.
func wordnet(s string) facts {
	key := strings.ToLower(s)
	if f, ok := cache.Load(key); ok {
		return f.(facts)
	}
	f := facts{names: lexicon.NameClass(key)}
	if !strings.Contains(key, " ") {
		f.pos = lexicon.POS(key)
		if f.pos&lexicon.Noun != 0 {
			f.personNoun = lexicon.IsPersonNoun(key)
		}
	}
	if len(key) <= 64 && cached.Load() < maxCached {
		if _, loaded := cache.LoadOrStore(key, f); !loaded {
			cached.Add(1)
		}
	}
	return f
}
