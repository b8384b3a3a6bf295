// Package enfast is bleve's English analyzer ("en": unicode tokenizer,
// possessive_en, to_lower, stop_en, stemmer_porter) rewritten to give the very
// same tokens (term bytes, start, end, position, type) for a fraction of the
// CPU, so that ingest spends less time analysing text.
//
// Importing the package registers the analyzer with bleve's registry under
// [AnalyzerName]; a mapping uses it by name, for instance
//
//	import _ "github.com/newsbot/newsbot/internal/enfast"
//	field.Analyzer = enfast.AnalyzerName
//
// Terms are the same as "en" gives, so an index built with one analyzer is
// searched correctly with the other, at query time too;
// the mapping still records which one it names.
//
// Where the time goes and what this package changes:
//   - Tokenizing: runs of ASCII text between blanks are split by a hand-written
//     scanner that follows the word rules of blevesearch/segment for ASCII
//     (letters, digits, "_", and ". ' : , ;" between letters or digits);
//     a run holding any other byte goes to the real segmenter.
//   - Stop words and stemming: both are pure functions of the lowered word,
//     and words repeat (Zipf), so a bounded, lock-free memo of the two sits
//     in front of the stop map and the Porter stemmer: one per analyzer,
//     [MemoEntries] words and about 4.5 MB at most. Bleve builds one analyzer
//     per index mapping, shared by all the goroutines that analyse for it.
//   - Allocation: possessive, lower case, stop words and stem are done in one
//     pass per token, into pooled scratch space; each call then allocates
//     only its tokens, their pointer slice and one block of term bytes.
//
// Unlike "en", Analyze never writes into the bytes it is given (bleve's
// to_lower filter lowercases the input in place).
package enfast

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/registry"
)

// AnalyzerName is the name the analyzer is registered under in bleve's
// registry: use it wherever a mapping would say en.AnalyzerName.
const AnalyzerName = "en_fast"

func init() {
	if err := registry.RegisterAnalyzer(AnalyzerName, constructor); err != nil {
		panic(err)
	}
}

func constructor(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
	// The stop words are the ones "en" uses, from the same registry, so the
	// two cannot drift apart.
	stop, err := cache.TokenMapNamed(en.StopName)
	if err != nil {
		return nil, fmt.Errorf("enfast: stop words %q: %w", en.StopName, err)
	}
	return New(stop), nil
}

// Analyzer gives the token stream of bleve's "en" analyzer. It is safe for
// use by several goroutines at once.
type Analyzer struct {
	stop       analysis.TokenMap
	possessive *en.PossessiveFilter
	lower      *lowercase.LowerCaseFilter
	scratch    sync.Pool // of *scratch

	memo *memo

	// Off switches for BenchmarkAnalyze, to measure what each lever buys.
	noScanner, noMemo bool
}

// New returns an analyzer that drops the words of stop, as "en" drops those of
// its token map en.StopName.
func New(stop analysis.TokenMap) *Analyzer {
	a := &Analyzer{
		stop:       stop,
		possessive: en.NewPossessiveFilter(),
		lower:      lowercase.NewLowerCaseFilter(),
		memo:       new(memo),
	}
	a.scratch.New = func() any { return new(scratch) }
	return a
}

// scratch is one call's working space, kept between calls: tokens and their
// term bytes are built here and copied out, exactly sized, at the end.
type scratch struct {
	toks  []pending
	terms []byte // the terms of toks, one after another
	word  []byte // the word being lowered
	one   analysis.TokenStream
	tok   analysis.Token
}

// pending is a token whose term lives in scratch.terms[off:off+n].
type pending struct {
	off, n     int
	start, end int
	pos        int
	typ        analysis.TokenType
}

// Analyze returns the tokens of input, as bleve's "en" analyzer would.
func (a *Analyzer) Analyze(input []byte) analysis.TokenStream {
	s := a.scratch.Get().(*scratch)
	s.toks, s.terms = s.toks[:0], s.terms[:0]
	a.tokenize(s, input)
	out := s.result()
	if cap(s.terms) <= maxKeptTerms && cap(s.toks) <= maxKeptTokens {
		a.scratch.Put(s)
	}
	return out
}

// One huge document must not pin its scratch space.
const (
	maxKeptTerms  = 1 << 20
	maxKeptTokens = 1 << 16
)

func (s *scratch) result() analysis.TokenStream {
	n := len(s.toks)
	stream := make(analysis.TokenStream, n)
	if n == 0 {
		return stream
	}
	toks := make([]analysis.Token, n)
	terms := make([]byte, len(s.terms))
	copy(terms, s.terms)
	for i, p := range s.toks {
		t := &toks[i]
		// A full slice expression: a caller that appends to one term must
		// not overwrite the next.
		t.Term = terms[p.off : p.off+p.n : p.off+p.n]
		t.Start, t.End, t.Position, t.Type = p.start, p.end, p.pos, p.typ
		stream[i] = t
	}
	return stream
}

// emit finishes one word of the input at [start, end): term is the word after
// the possessive filter and lower case, h its fnv1a hash. Stop words take a
// position but give no token, as with bleve's stop filter.
func (a *Analyzer) emit(s *scratch, term []byte, h uint64, start, end, pos int, typ analysis.TokenType) {
	stem, stop := a.lookup(h, term)
	if stop {
		return
	}
	off := len(s.terms)
	s.terms = append(s.terms, stem...)
	s.toks = append(s.toks, pending{off: off, n: len(stem), start: start, end: end, pos: pos, typ: typ})
}

// emitASCII finishes a word made only of ASCII bytes: the possessive filter
// and lower case done here give what bleve's filters give on such a word.
func (a *Analyzer) emitASCII(s *scratch, word []byte, start, end, pos int, typ analysis.TokenType) {
	if n := len(word); n >= 2 && (word[n-1] == 's' || word[n-1] == 'S') && word[n-2] == '\'' {
		word = word[:n-2]
	}
	w := s.word[:0]
	h := uint64(fnvOffset)
	for _, c := range word {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		w = append(w, c)
		h = (h ^ uint64(c)) * fnvPrime
	}
	s.word = w
	a.emit(s, w, h, start, end, pos, typ)
}

// emitAny finishes a word that may hold any bytes, through bleve's own
// possessive and lower-case filters (on a copy: to_lower writes in place).
func (a *Analyzer) emitAny(s *scratch, word []byte, start, end, pos int, typ analysis.TokenType) {
	s.word = append(s.word[:0], word...)
	s.tok = analysis.Token{Term: s.word}
	s.one = append(s.one[:0], &s.tok)
	s.one = a.lower.Filter(a.possessive.Filter(s.one))
	term := s.tok.Term
	a.emit(s, term, fnv1a(term), start, end, pos, typ)
	s.tok = analysis.Token{}
}
