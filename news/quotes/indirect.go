package quotes

import (
	"slices"
	"strings"
)

// indirectFound is an indirect quote and who said it.
type indirectFound struct {
	found
	attr attribution
	ent  *entity
}

// longQuoteBytes: a quote longer than this is a sentence, not a fragment.
const longQuoteBytes = 40

// maxClause bounds the scan for the end of a reported clause, so that a
// sentence with many "said that" stays linear.
const maxClause = 400

// adverbialAfterVerb may stand between "said" and "that": "said yesterday
// night that", "said on Friday that", "said in a statement that".
var adverbialAfterVerb = wordSet(`on in at to during via through last yesterday today tonight earlier
later also further again repeatedly publicly previously recently then this monday tuesday
wednesday thursday friday saturday sunday`)

// indirect finds reported speech of the form "X said/added/told ... that
// CLAUSE" in sentence s, and "..., and that CLAUSE" after such a verb.
func (x *extractor) indirect(p *para, s sentence) []indirectFound {
	var out []indirectFound
	var used []int // verbs whose "that" clause was read
	toks := p.toks
	lastVerb := -1 // the last reporting verb seen, for ", and that"
	for i := s.a; i < s.b; i++ {
		x.steps++
		t := toks[i]
		if t.kind == tkWord && t.in(lxThat) && isThatVerbAt(toks, i) {
			lastVerb = i
		}
		if !t.is("that") || i+1 >= s.b {
			continue
		}
		v := verbBeforeThat(toks, s.a, i)
		if v < 0 && lastVerb >= 0 && i > s.a && toks[i-1].is("and") {
			v = lastVerb
		}
		if v < 0 {
			continue
		}
		f, ok := x.reportedClause(p, s, v, i)
		if ok {
			out = append(out, f)
			used = append(used, v)
		}
	}
	if hasQuote(toks, s) {
		return out
	}
	out = append(out, x.bareClauses(p, s, used)...)
	if len(out) == 0 {
		if f, ok := x.accordingTo(p, s); ok {
			out = append(out, f)
		}
	}
	return out
}

// bareClauses reads "X argued the system is rigged" and "X told reporters
// the wall would be built": a verb of bareClauseVerbs, perhaps a listener,
// and a clause with a subject and a finite verb, with no "that". Verbs in
// used had a "that" clause already.
func (x *extractor) bareClauses(p *para, s sentence, used []int) []indirectFound {
	var out []indirectFound
	toks := p.toks
	for v := s.a + 1; v < s.b && v-s.a < maxPhrase*2; v++ {
		x.steps++
		t := toks[v]
		if t.kind != tkWord || !t.in(lxBareClause) || !isThatVerbAt(toks, v) || slices.Contains(used, v) {
			continue
		}
		a := v + 1
		if t.in(lxTell) {
			// the listener: "reporters", "the Nevada Independent", "CNN"
			a = listenerEnd(toks, a, s.b)
			if a == v+1 {
				continue
			}
		}
		if !opensClause(toks, a, s.b) {
			continue
		}
		m := x.sentenceSubject(toks, s, v)
		if m.kind != entPerson && m.kind != entOrg && m.kind != entPronoun && m.kind != entTitle && m.kind != entDescriptor {
			continue
		}
		if f, ok := x.reportedClause(p, s, v, a-1); ok {
			out = append(out, f)
		}
	}
	return out
}

// listenerEnd is the end of the listener phrase after "told" at a.
func listenerEnd(toks []token, a, b int) int {
	i := a
	if i < b && toks[i].is("the") {
		i++
	}
	switch {
	case i < b && toks[i].is("reporters", "journalists", "lawmakers", "supporters", "voters", "police", "investigators", "him", "her", "them", "us", "me", "parliament", "congress"):
		return i + 1
	case i < b && isNameWord(toks[i]):
		return runEnd(toks, i, b)
	}
	return a
}

// opensClause: toks[a:] starts with a subject and reaches a finite verb
// within a few words ("the system is", "he would", "Mexico will").
func opensClause(toks []token, a, b int) bool {
	if a >= b || toks[a].kind != tkWord || !(toks[a].in(lxSubject) || isNameWord(toks[a])) {
		return false
	}
	for i := a + 1; i < b && i < a+6; i++ {
		t := toks[i]
		if t.kind != tkWord {
			return false
		}
		if t.in(lxFinite) || (i > a+1 && !t.cap && strings.HasSuffix(t.lower, "ed") && !toks[i-1].is("the", "a", "an")) {
			return true
		}
	}
	return false
}

// accordingTo reads "According to X, CLAUSE." and "CLAUSE, according to X."
// when X is a named person. After an agency, a newspaper or the police
// ("according to the BBC") the clause is the writer's report of facts, and
// the guidelines, like the dev sets (none of 17 such clauses annotated),
// leave it out.
func (x *extractor) accordingTo(p *para, s sentence) (indirectFound, bool) {
	toks := p.toks
	for v := s.a; v+2 < s.b && v-s.a < maxPhrase*2; v++ {
		x.steps++
		if !toks[v].is("according") || !toks[v+1].is("to") {
			continue
		}
		// Only a name that the phrase ends with is a source that speaks:
		// not "according to a 2019 NATO press release" nor "to reports".
		m := x.headOf(toks, v+2, min(s.b, v+2+maxPhrase))
		if m.kind != entPerson || (len(m.words) < 2 && m.title == "") || !x.speakerName(toks, m) || m.b >= s.b {
			return indirectFound{}, false
		}
		var a, b int
		switch {
		case v == s.a && toks[m.b].punct(","):
			// "According to Mayor Dee Margo, the police were investigating."
			a = m.b + 1
			b = clauseEnd(toks, a, s.b)
		case v > s.a+2 && toks[v-1].punct(",") && (m.b == s.b-1 && toks[m.b].punct(".")):
			// "The fire started in the kitchen, according to Mayor Dee Margo."
			a, b = s.a, v-1
		default:
			return indirectFound{}, false
		}
		if a >= b || b-a < 4 {
			return indirectFound{}, false
		}
		return x.clauseFound(p, s, clue{m: m, cue: "according to", verb: v}, a, b)
	}
	return indirectFound{}, false
}

// isThatVerbAt: a lower-case verb form, not a noun after a determiner.
func isThatVerbAt(toks []token, i int) bool {
	t := toks[i]
	if t.cap {
		return false
	}
	if i == 0 || toks[i-1].kind != tkWord {
		return true
	}
	// "amid reports that", "there were claims that": nouns.
	return !toks[i-1].in(lxNounDet | lxNounContext)
}

// nounContext before a verb-shaped word makes it a noun.
var nounContext = wordSet(`were are was is be been amid despite of about following after with
denied dismissed rejected no any`)

// verbBeforeThat finds the verb that "that" at i complements: right before
// it, or with a short adverbial between ("said on Friday that"), or a
// listener ("told reporters that").
//
// The words between are read as chunks: a listener after a verb of telling,
// then adverbials, each a preposition with its noun phrase ("told
// reporters at the White House that", "said in a filing to the U.S.
// Securities and Exchange Commission that") or a time word.
func verbBeforeThat(toks []token, lo, i int) int {
	for v := i - 1; v >= lo && i-v <= maxGap; v-- {
		t := toks[v]
		if t.punct(",") && v > lo {
			// "added, however, that", "said, in a statement, that"
			continue
		}
		if t.kind != tkWord {
			return -1
		}
		if t.in(lxThat) && isThatVerbAt(toks, v) {
			if v == i-1 || adjunctGap(toks, v, i) {
				return v
			}
			return -1
		}
		if t.in(lxSpeech) || t.in(lxFinite) || t.is("who", "which", "because", "if", "when") {
			return -1
		}
	}
	return -1
}

// toListenerVerbs take a listener after "to".
var toListenerVerbs = wordSet(`explained explains said says stated noted wrote announced confirmed
admitted acknowledged complained suggested declared insisted`)

// maxGap bounds the words between a reporting verb and its "that".
const maxGap = 14

// adjunctGap: toks[v+1:i] is a listener (after a verb of telling) and
// adverbial chunks, nothing that could be a clause of its own.
func adjunctGap(toks []token, v, i int) bool {
	j := v + 1
	switch {
	case toks[v].in(lxTell):
		j = chunkEnd(toks, j, i)
	case toks[v].in(lxToListener) && toks[j].is("to"):
		// "explained to Wikinews that"
		j = chunkEnd(toks, j+1, i)
	}
	for j < i {
		t := toks[j]
		switch {
		case t.punct(","):
			j++
		case t.in(lxPreposition) || t.is("of", "for", "to"):
			k := chunkEnd(toks, j+1, i)
			if k == j+1 {
				return false
			}
			j = k
		case t.in(lxAdverbialAfterVerb) || t.in(lxTime) || t.is("however", "though", "moreover", "nonetheless", "nevertheless") || strings.HasSuffix(t.lower, "ly") && !t.cap:
			j++
		default:
			return false
		}
	}
	return true
}

// chunkEnd is the end of the noun phrase at j, before i: a determiner or
// possessive, modifiers, nouns and names ("a financial filing", "the U.S.
// Securities and Exchange Commission", "Air Force One"). It stops at a
// preposition, so that each adverbial is its own chunk.
func chunkEnd(toks []token, j, i int) int {
	k := j
	for k < i && k-j < 8 {
		t := toks[k]
		switch {
		case t.kind != tkWord:
			return k
		case t.is("and") && k > j && isNameWord(toks[k-1]) && k+1 < i && isNameWord(toks[k+1]):
			// "Securities and Exchange Commission"
		case t.in(lxPreposition) || t.is("of", "for", "to", "that", "and", "or"):
			return k
		case t.in(lxSpeech) || t.in(lxFinite) || t.in(lxThat):
			return k
		}
		k++
	}
	return k
}

// reportedClause reads the clause after "that" at th, reported by the verb at
// v, and attributes it to the verb's subject.
func (x *extractor) reportedClause(p *para, s sentence, v, th int) (indirectFound, bool) {
	toks := p.toks
	a := th + 1
	if a < s.b && toks[a].punct(",") {
		a++
	}
	b := clauseEnd(toks, a, s.b)
	x.steps += b - a
	if b <= a {
		return indirectFound{}, false
	}
	m := x.sentenceSubject(toks, s, v)
	c := clue{m: m, cue: toks[v].text, verb: v}
	if toks[a].kind == tkQuote && (b == a+1 || (b == a+2 && toks[a+1].kind == tkPunct)) {
		// `told Wikinews that "..."`: the quote is the reported clause, and
		// a direct quote as well; the clause is its words.
		sp := p.spans[toks[a].q]
		return x.textFound(p, s, c, sp.start, sp.end)
	}
	return x.clauseFound(p, s, c, a, b)
}

// clauseFound is the indirect quote toks[a:b] said by the speaker of c.
func (x *extractor) clauseFound(p *para, s sentence, c clue, a, b int) (indirectFound, bool) {
	return x.textFound(p, s, c, p.toks[a].start, p.toks[b-1].end)
}

// textFound is the indirect quote p.text[start:end] said by the speaker of c.
func (x *extractor) textFound(p *para, s sentence, c clue, start, end int) (indirectFound, bool) {
	toks := p.toks
	text := strings.TrimRight(p.text[start:end], " .,;:")
	if !twoWords(text) {
		return indirectFound{}, false
	}
	attr := x.resolve(c, toks, s)
	return indirectFound{
		found: found{at: start, q: Quote{
			Text: clean(text), Speaker: clean(attr.speaker), Title: clean(attr.title),
			Kind: Indirect, Cue: clean(c.cue), Paragraph: p.index,
		}},
		attr: attr,
		ent:  attr.ent,
	}, true
}

// twoWords: text has two words or more, as strings.Fields splits them.
func twoWords(text string) bool {
	n := 0
	for range strings.FieldsSeq(text) {
		if n++; n == 2 {
			return true
		}
	}
	return false
}

// clauseEnd is where the reported clause from a stops: the end of the
// sentence, a semicolon, or a comma that hands back to the writer (", which",
// ", but", ", according to", ", and that", ", Cyprus Mail reported").
func clauseEnd(toks []token, a, b int) int {
	limit := min(b, a+maxClause)
	for i := a; i < limit; i++ {
		t := toks[i]
		if t.punct(";") {
			return i
		}
		if t.punct(".") && i == b-1 {
			return i
		}
		if t.is("but", "and") && i+1 < limit && secondSpeechAct(toks[i+1]) {
			// "said that he did ... but denied that ...": a second speech act.
			return i
		}
		if !t.punct(",") || i+1 >= limit {
			continue
		}
		n := toks[i+1]
		if n.kind == tkQuote && n.end-n.start > longQuoteBytes {
			// `... their packaging, "which was more plant-based plastic ..."`:
			// a sentence-long quote after a comma is a direct quote of its
			// own, not a fragment of the clause.
			return i
		}
		// ", as the Court noted": the writer's aside, unless "as well as".
		writersAs := n.is("as") && i+2 < limit && !toks[i+2].is("well", "long", "much", "soon", "far", "many")
		if n.in(lxClauseCut) || writersAs || (n.is("and") && i+2 < limit && toks[i+2].is("that")) || writerAside(toks, i+1, b) || newSpeaker(toks, i+1, limit) {
			return i
		}
	}
	return limit
}

// newSpeaker: ", and she warned", ", but Smith said", ", artist Leisha
// Riddell emphasized": after a comma, a subject (perhaps after a
// conjunction) and a reporting verb start a clause of their own.
func newSpeaker(toks []token, i, b int) bool {
	a := i
	if toks[i].is("and", "but") {
		a++
	}
	for j := a; j < b && j <= a+5; j++ {
		t := toks[j]
		switch {
		case secondSpeechAct(t):
			return j > a && (toks[j-1].kind == tkWord && (toks[j-1].in(lxPronoun) || isNameWord(toks[j-1]) || toks[j-1].in(lxAux)))
		case t.kind != tkWord || !(t.in(lxPronoun) || isNameWord(t) || t.in(lxAux) || (t.in(lxRole) && j < a+2)):
			return false
		}
	}
	return false
}

// secondSpeechAct: a reporting verb coordinated after a reported clause
// ("... but denied that", "... and added").
func secondSpeechAct(n token) bool {
	return n.kind == tkWord && !n.cap && (n.in(lxSpeech) || n.in(lxThat) || n.is("denied", "denies", "rejected", "dismissed"))
}

// writerAside: the rest of the sentence from i is a short "X reported".
func writerAside(toks []token, i, b int) bool {
	if b-i > 8 {
		return false
	}
	for j := i; j < b; j++ {
		if isVerbAt(toks, j) {
			return j > i
		}
	}
	return false
}
