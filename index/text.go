package index

import (
	"strings"
	"unicode/utf8"

	"github.com/newsbot/newsbot/internal/markdown"
	"github.com/newsbot/newsbot/news"
)

// token is one analysed word of a text: its byte range and its stem.
type token struct {
	start, end int
	term       string
}

// tokens analyses text with the index's English analyzer, so the words of a
// sentence compare with the words of a query exactly as bleve compares them.
// Stop words are dropped by the analyzer.
func (ix *Index) tokens(text string) []token {
	stream := ix.analyzer.Analyze([]byte(text))
	out := make([]token, 0, len(stream))
	for _, t := range stream {
		term := string(t.Term)
		if ix.lemma != nil {
			if l, ok := ix.lemma[strings.ToLower(text[t.Start:t.End])]; ok {
				term = l
			}
		}
		out = append(out, token{start: t.Start, end: t.End, term: term})
	}
	return out
}

// buildLexicon stems the irregular forms and related-word groups once.
func (ix *Index) buildLexicon() {
	stem := func(w string) string {
		if ts := ix.analyzer.Analyze([]byte(w)); len(ts) > 0 {
			return string(ts[0].Term)
		}
		return ""
	}
	ix.lemma = make(map[string]string, len(irregular))
	for form, base := range irregular {
		if s := stem(base); s != "" {
			ix.lemma[form] = s
		}
	}
	ix.groups = map[string][]int{}
	for gi, g := range related {
		for _, w := range g {
			if s := ix.stemWord(w); s != "" {
				ix.groups[s] = append(ix.groups[s], gi)
			}
		}
	}
}

// stemWord is the index term of one word, irregular forms included.
func (ix *Index) stemWord(w string) string {
	if toks := ix.tokens(w); len(toks) > 0 {
		return toks[0].term
	}
	return ""
}

// relatedTerms are the stems that match a question term: itself and the
// members of its related-word groups.
func (ix *Index) relatedTerms(term string) []string {
	out := []string{term}
	for _, gi := range ix.groups[term] {
		for _, w := range related[gi] {
			if s := ix.stemWord(w); s != "" && s != term {
				out = append(out, s)
			}
		}
	}
	return out
}

// queryTerms is the set of stems of a query.
func (ix *Index) queryTerms(q string) map[string]bool {
	terms := map[string]bool{}
	for _, t := range ix.tokens(q) {
		terms[t.term] = true
	}
	return terms
}

// SnippetRunes is the length a search snippet aims at.
const SnippetRunes = 280

// Snippet picks the sentence of the article that holds the most query terms
// (and the one after it while it fits), bolds the matched words and escapes
// everything else for Discord. An article without a match gives its lead.
func (ix *Index) Snippet(a *news.Article, terms map[string]bool, maxRunes int) string {
	type cand struct {
		para  string
		start int
		end   int
		score int
	}
	best := cand{score: -1}
	for _, p := range a.Paragraphs {
		spans := news.Sentences(p)
		for i, s := range spans {
			seen := map[string]bool{}
			for _, t := range ix.tokens(p[s.Start:s.End]) {
				if terms[t.term] {
					seen[t.term] = true
				}
			}
			if len(seen) > best.score {
				end := s.End
				if i+1 < len(spans) && utf8.RuneCountInString(p[s.Start:spans[i+1].End]) <= maxRunes {
					end = spans[i+1].End
				}
				best = cand{para: p, start: s.Start, end: end, score: len(seen)}
			}
		}
		if best.score == len(terms) {
			break
		}
	}
	if best.score < 0 {
		return ""
	}
	return ix.highlight(best.para[best.start:best.end], terms, maxRunes)
}

// highlight escapes text for Discord and bolds the words whose stem is in terms,
// cutting it to about maxRunes around the first match, on word boundaries, with
// "…" where text was left out.
func (ix *Index) highlight(text string, terms map[string]bool, maxRunes int) string {
	toks := ix.tokens(text)
	lo, hi := window(text, toks, terms, maxRunes)
	var spans [][2]int
	for _, t := range toks {
		if t.start >= lo && t.end <= hi && terms[t.term] {
			spans = append(spans, [2]int{t.start - lo, t.end - lo})
		}
	}
	out := markdown.BoldSpans(text[lo:hi], spans)
	if lo > 0 {
		out = "…" + out
	}
	if hi < len(text) {
		out += "…"
	}
	return out
}

// window chooses the byte range [lo, hi) of text to show: all of it when it
// fits, else maxRunes starting a little before the first matched word, with
// both ends on spaces.
func window(text string, toks []token, terms map[string]bool, maxRunes int) (int, int) {
	if utf8.RuneCountInString(text) <= maxRunes {
		return 0, len(text)
	}
	first := 0
	for _, t := range toks {
		if terms[t.term] {
			first = t.start
			break
		}
	}
	lo := backRunes(text, first, maxRunes/4)
	if lo > 0 {
		if i := strings.IndexByte(text[lo:], ' '); i >= 0 && lo+i < first {
			lo += i + 1
		}
	}
	hi := forwardRunes(text, lo, maxRunes-2)
	if hi < len(text) {
		if i := strings.LastIndexByte(text[lo:hi], ' '); i > 0 {
			hi = lo + i
		}
	}
	return lo, hi
}

// backRunes moves n runes back from byte offset i.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forwardRunes moves n runes forward from byte offset i.
func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// Lead is the first sentence of an article, escaped for Discord and cut to a
// snippet's length.
func (ix *Index) Lead(a *news.Article) string {
	if len(a.Paragraphs) == 0 {
		return ""
	}
	p := a.Paragraphs[0]
	if spans := news.Sentences(p); len(spans) > 0 {
		p = p[spans[0].Start:spans[0].End]
	}
	return ix.highlight(p, nil, SnippetRunes)
}
