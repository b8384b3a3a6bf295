// Package boilerplate learns, for each source, the lines and sentences that
// recur across many of its articles (bylines, newsletter pitches, review
// notices, "Read more") and strips them from the copies of articles that
// readers see. The stored article keeps every word, so a decision can be
// revisited as the counts change.
package boilerplate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

// Thresholds. A unit (a paragraph, or a sentence of one) becomes boilerplate
// once it is in at least Share of a source's articles and in MinCount of
// them; it stops being boilerplate below Share/2 (the gap keeps a unit near
// the threshold from flipping at every batch).
const (
	Share    = 0.2
	MinCount = 5
	// MinWords: shorter units ("He said.") recur by chance, not as furniture.
	MinWords = 3
	// Counts are kept by lossy counting (Manku and Motwani): every
	// bucketWidth articles, units too rare to ever reach Share are dropped,
	// so memory stays bounded for a source of any size while a count is
	// never short by more than epsilon of the source's articles.
	epsilon     = 0.01
	bucketWidth = int(1 / epsilon)
	// An article counts its first and last edgeUnits units only: furniture
	// stands at the edges, and a huge article must not flood the counts.
	edgeUnits = 100
)

// Store keeps the learned state: one JSON record per source.
type Store interface {
	GetJSON(bucket, key string, v any) error
	PutJSON(bucket, key string, v any) error
	ListJSON(bucket, prefix string, fn func(key string, raw []byte) error) error
}

// Bucket is where the state lives in the store.
const Bucket = "boilerplate"

// entry is a unit's count and the most it may have been undercounted by
// (lossy counting's delta).
type entry struct {
	Count int `json:"c"`
	Delta int `json:"d,omitempty"`
}

// sourceState is what is known of one source.
type sourceState struct {
	Articles int               `json:"articles"`
	Units    map[uint64]*entry `json:"units"`
	Flagged  map[uint64]bool   `json:"flagged,omitempty"`
}

// Model is the learned boilerplate of every source. It is safe for
// concurrent use.
type Model struct {
	mu      sync.RWMutex
	saveMu  sync.Mutex // orders the writes of the state
	st      Store
	sources map[string]*sourceState
	// learning is set once the model has counted articles: a store filled
	// before (an upgrade) is learned from whole, once.
	learning bool
}

// markerKey says the model has learned; source keys hold a NUL, it does not.
const markerKey = "!learning"

// Load reads the learned state from the store; an empty store gives an empty
// model.
func Load(st Store) (*Model, error) {
	m := &Model{st: st, sources: map[string]*sourceState{}}
	err := st.ListJSON(Bucket, "", func(key string, raw []byte) error {
		if key == markerKey {
			m.learning = true
			return nil
		}
		var s sourceState
		if err := json.Unmarshal(raw, &s); err != nil {
			return fmt.Errorf("boilerplate: reading %q: %w", key, err)
		}
		if s.Units == nil {
			s.Units = map[uint64]*entry{}
		}
		m.sources[key] = &s
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Empty reports whether nothing was ever learned.
func (m *Model) Empty() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return !m.learning
}

// key is whose furniture it is: a source within a guild's own articles (one
// server's articles never change what another sees).
func key(a *news.Article) string {
	s := strings.ToLower(strings.TrimSpace(a.Source))
	if s == "" {
		return ""
	}
	return a.Guild + "\x00" + s
}

// Changes are the units that became boilerplate or stopped being it, by
// source: the stored articles that hold one read differently now.
type Changes map[string]map[uint64]bool

// Learn counts the units of newly stored articles and saves the sources that
// changed. It returns what changed.
func (m *Model) Learn(arts []*news.Article) (Changes, error) {
	// Sentences are split before the lock: readers wait only for the counts.
	keys := make([]string, len(arts))
	us := make([][]uint64, len(arts))
	for i, a := range arts {
		if keys[i] = key(a); keys[i] != "" {
			us[i] = units(a, true)
		}
	}
	m.mu.Lock()
	touched := map[string]bool{}
	flips := Changes{}
	for i, k := range keys {
		if k == "" {
			continue
		}
		s := m.sources[k]
		if s == nil {
			s = &sourceState{Units: map[uint64]*entry{}}
			m.sources[k] = s
		}
		s.add(us[i])
		touched[k] = true
	}
	records := map[string][]byte{}
	var errs []error
	for k := range touched {
		if f := m.sources[k].reflag(); len(f) > 0 {
			flips[k] = f
		}
		raw, err := json.Marshal(m.sources[k])
		if err != nil {
			errs = append(errs, fmt.Errorf("boilerplate: encoding %q: %w", k, err))
			continue
		}
		records[k] = raw
	}
	first := !m.learning
	m.learning = true
	// Written outside the read lock, but in the order learned: a later
	// Learn's state is never overwritten by an earlier one's.
	m.saveMu.Lock()
	m.mu.Unlock()
	defer m.saveMu.Unlock()
	if first {
		if err := m.st.PutJSON(Bucket, markerKey, true); err != nil {
			errs = append(errs, fmt.Errorf("boilerplate: saving: %w", err))
		}
	}
	for k, raw := range records {
		if err := m.st.PutJSON(Bucket, k, json.RawMessage(raw)); err != nil {
			errs = append(errs, fmt.Errorf("boilerplate: saving %q: %w", k, err))
		}
	}
	return flips, errors.Join(errs...)
}

// add counts one article's distinct units.
func (s *sourceState) add(us []uint64) {
	s.Articles++
	bucket := (s.Articles + bucketWidth - 1) / bucketWidth
	for _, u := range us {
		if e := s.Units[u]; e != nil {
			e.Count++
		} else {
			s.Units[u] = &entry{Count: 1, Delta: bucket - 1}
		}
	}
	if s.Articles%bucketWidth == 0 {
		for u, e := range s.Units {
			if e.Count+e.Delta <= bucket && !s.Flagged[u] {
				delete(s.Units, u)
			}
		}
	}
}

// reflag updates which units are boilerplate; it returns those that changed.
func (s *sourceState) reflag() map[uint64]bool {
	changed := map[uint64]bool{}
	for u, e := range s.Units {
		share := float64(e.Count) / float64(s.Articles)
		switch {
		case !s.Flagged[u] && e.Count >= MinCount && share >= Share:
			if s.Flagged == nil {
				s.Flagged = map[uint64]bool{}
			}
			s.Flagged[u] = true
			changed[u] = true
		case s.Flagged[u] && share+epsilon < Share/2:
			delete(s.Flagged, u)
			changed[u] = true
		}
	}
	return changed
}

// Affected reports whether an article holds a unit whose status changed, so
// that it reads differently now.
func (c Changes) Affected(a *news.Article) bool {
	f := c[key(a)]
	if len(f) == 0 {
		return false
	}
	for _, u := range units(a, false) {
		if f[u] {
			return true
		}
	}
	return false
}

// hash is a unit's identity: the FNV-1a hash of its normal form (lower
// case, digits as 0 so that a dated byline is the same byline, words joined
// by single spaces, no trailing ".!?:;,…"), and whether it has MinWords
// words. The form is hashed as it is made, byte by byte, without building it:
// every paragraph and sentence of every article ingested comes through here.
// The trailing punctuation is dropped by keeping the hash from before the
// run of it that the form ends with. The hashes are stored, so the form must
// never change (TestHashMatchesReference holds it to its first definition).
func hash(s string) (uint64, bool) {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	// cut is the hash before the run of trailing punctuation the form
	// ends with so far, if it ends with one (inCut).
	var cut uint64
	inCut := false
	words, inWord := 0, false
	for _, r := range s {
		if r < utf8.RuneSelf {
			if asciiSpace[r] {
				inWord = false
				continue
			}
		} else if unicode.IsSpace(r) {
			inWord = false
			continue
		}
		if !inWord {
			if words > 0 {
				h = (h ^ ' ') * prime64
				inCut = false
			}
			words++
			inWord = true
		}
		switch {
		case r >= 'A' && r <= 'Z':
			h = (h ^ uint64(r+'a'-'A')) * prime64
			inCut = false
		case r >= '0' && r <= '9':
			h = (h ^ '0') * prime64
			inCut = false
		case r < utf8.RuneSelf:
			if trailingASCII[r] {
				if !inCut {
					cut, inCut = h, true
				}
			} else {
				inCut = false
			}
			h = (h ^ uint64(r)) * prime64
		case unicode.IsDigit(r):
			h = (h ^ '0') * prime64
			inCut = false
		default:
			lr := unicode.ToLower(r)
			if lr == '…' {
				if !inCut {
					cut, inCut = h, true
				}
			} else {
				inCut = false
			}
			var enc [utf8.UTFMax]byte
			for _, c := range enc[:utf8.EncodeRune(enc[:], lr)] {
				h = (h ^ uint64(c)) * prime64
			}
		}
	}
	if words < MinWords {
		return 0, false
	}
	if inCut {
		h = cut
	}
	return h, true
}

// asciiSpace is unicode.IsSpace for ASCII.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// trailingASCII is the punctuation a unit's normal form drops at its end,
// but for "…".
var trailingASCII = [utf8.RuneSelf]bool{'.': true, '!': true, '?': true, ':': true, ';': true, ',': true}

// units are the distinct hashes of an article's paragraphs and of their
// sentences; edges keeps only those at the start and the end.
func units(a *news.Article, edges bool) []uint64 {
	var all []uint64
	seen := map[uint64]bool{}
	addUnit := func(s string) {
		if h, ok := hash(s); ok && !seen[h] {
			seen[h] = true
			all = append(all, h)
		}
	}
	for _, p := range a.Paragraphs {
		addUnit(p)
		spans := news.Sentences(p)
		if len(spans) > 1 {
			for _, sp := range spans {
				addUnit(p[sp.Start:sp.End])
			}
		}
	}
	if edges && len(all) > 2*edgeUnits {
		all = append(all[:edgeUnits], all[len(all)-edgeUnits:]...)
	}
	return all
}

// Strip returns the article as readers see it: without the paragraphs and
// sentences that are its source's boilerplate, and without the quotes that
// stood in them (the others keep their paragraph, renumbered). The article
// given is not changed; one with nothing to strip is returned as it is.
func (m *Model) Strip(a *news.Article) *news.Article {
	if a == nil {
		return nil
	}
	m.mu.RLock()
	var flagged map[uint64]bool
	if s := m.sources[key(a)]; s != nil && len(s.Flagged) > 0 {
		flagged = s.Flagged
	}
	if flagged == nil {
		m.mu.RUnlock()
		return a
	}
	defer m.mu.RUnlock()
	var paras []string
	newIndex := make([]int, len(a.Paragraphs))
	var dropped []string // sentences cut from paragraphs that stay
	cut := false
	for i, p := range a.Paragraphs {
		newIndex[i] = -1
		if h, ok := hash(p); ok && flagged[h] {
			cut = true
			continue
		}
		spans := news.Sentences(p)
		if len(spans) > 1 {
			var kept []string
			for _, sp := range spans {
				sent := p[sp.Start:sp.End]
				if h, ok := hash(sent); ok && flagged[h] {
					dropped = append(dropped, sent)
					continue
				}
				kept = append(kept, sent)
			}
			if len(kept) < len(spans) {
				cut = true
				if len(kept) == 0 {
					continue
				}
				p = strings.Join(kept, " ")
			}
		}
		newIndex[i] = len(paras)
		paras = append(paras, p)
	}
	if !cut {
		return a
	}
	c := *a
	c.Paragraphs = paras
	c.Quotes = nil
	if a.Quotes != nil {
		c.Quotes = []quotes.Quote{}
	}
	for _, q := range a.Quotes {
		if q.Paragraph < 0 || q.Paragraph >= len(newIndex) || newIndex[q.Paragraph] < 0 || inAny(q.Text, dropped) {
			continue
		}
		q.Paragraph = newIndex[q.Paragraph]
		c.Quotes = append(c.Quotes, q)
	}
	return &c
}

func inAny(text string, sentences []string) bool {
	text = strings.TrimSpace(text)
	if text == "" {
		return false
	}
	for _, s := range sentences {
		if strings.Contains(s, text) {
			return true
		}
	}
	return false
}

// IsBoilerplate reports whether a piece of text (a paragraph or a sentence)
// is boilerplate of the article's source.
func (m *Model) IsBoilerplate(a *news.Article, text string) bool {
	h, ok := hash(text)
	if !ok {
		return false
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := m.sources[key(a)]
	return s != nil && s.Flagged[h]
}
