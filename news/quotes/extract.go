package quotes

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	ent "github.com/newsbot/newsbot/internal/entity"
)

// Extract finds the direct and indirect quotes of an article body, given as
// paragraphs without title or dateline, and attributes each to its speaker.
// Quotes come out in document order. It never fails: text it cannot read
// yields fewer quotes, and its cost is linear in the length of the text.
func Extract(paragraphs []string) []Quote {
	return extract(paragraphs).out
}

func extract(paragraphs []string) *extractor {
	x := &extractor{reg: newRegistry(), lastQuotePara: -2, scratch: scratchPool.Get().(*scratch)}
	for i, p := range paragraphs {
		x.paragraph(i, p)
	}
	x.scratch.release()
	x.scratch = nil
	return x
}

// scratch is the storage an extractor reuses for every paragraph and
// sentence. A pool hands it on from article to article: ingest extracts
// many articles on a few goroutines, and each would otherwise make its
// slices anew.
type scratch struct {
	para para // the paragraph being read

	// Of one sentence.
	qpos  []int
	names []nameRun
	spoke []*entity

	words []string // of one quote, for emitDirect
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooledTokens bounds the token slice kept for the next article, so that
// one huge paragraph does not stay in memory.
const maxPooledTokens = 1 << 12

// release hands s back to the pool, without the strings and entities of
// the article, which would otherwise stay in memory.
func (s *scratch) release() {
	p := &s.para
	if cap(p.toks) > maxPooledTokens || cap(s.words) > maxPooledTokens {
		return
	}
	clear(p.toks[:cap(p.toks)])
	clear(p.quotes[:cap(p.quotes)])
	clear(p.found[:cap(p.found)])
	clear(s.names[:cap(s.names)])
	clear(s.spoke[:cap(s.spoke)])
	clear(s.words[:cap(s.words)])
	*p = para{toks: p.toks[:0], spans: p.spans[:0], sents: p.sents[:0], quotes: p.quotes[:0], found: p.found[:0]}
	scratchPool.Put(s)
}

// extractor holds what one article has told so far: who was named, who spoke
// last. Everything is reset per article.
type extractor struct {
	reg *registry
	mem ent.Memory // what each name was found to be, for the tagger
	out []Quote
	// steps counts the bounded scans, so a test can check that the work
	// grows linearly with the text without timing it.
	steps int

	lastQuote     attribution // the last direct quote's attribution
	lastQuotePara int
	prevSpeech    attribution // the last sentence's reporting verb and speaker, if any
	prevColon     bool        // the previous paragraph ended with a colon

	subjSent sentence        // the sentence subjects holds verbs' subjects for
	subjects map[int]mention // by verb index; a map, so that a sentence of thousands of verbs stays linear

	*scratch

	// pending are the output indices of the unattributed quotes of the last
	// paragraph when it was one quote left open: in the multi-paragraph
	// style the speaker may be named in the next paragraph.
	pending []int
}

// attribution is who said a quote, resolved against the article so far.
type attribution struct {
	speaker string
	title   string
	cue     string
	ent     *entity
	known   bool // a speaker phrase was found, even if it names nobody
	// named: the speaker phrase was the entity's own name, checked by the
	// tagger in its sentence, so a place that "said" keeps its words.
	named bool
}

// para is one paragraph being read.
type para struct {
	index  int
	text   string
	toks   []token
	spans  []span
	sents  []sentence
	quotes []quoteState
	found  []found
}

// quoteState is what was decided about one quoted span.
type quoteState struct {
	attr    attribution
	split   bool // part of a split or continued quote
	naming  bool // a naming word came just before ("dubbed")
	afterOf bool // "of" came just before: `Anna Franowska of "Have no fear"`
}

// found is an output quote with its byte offset, for document order.
type found struct {
	at int
	q  Quote
}

func (x *extractor) paragraph(pi int, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	// The slices of the paragraph before are reused: nothing refers to them
	// once it is read.
	p := &x.para
	*p = para{index: pi, text: text, toks: p.toks, spans: p.spans, sents: p.sents, quotes: p.quotes[:0], found: p.found[:0]}
	x.subjSent = sentence{-1, -1}
	clear(x.subjects)
	p.spans = findSpans(text, p.spans)
	p.toks = tokenize(text, p.spans, p.toks)
	p.sents = splitSentences(text, p.toks, p.spans, p.sents)
	x.steps += len(p.toks)
	p.quotes = append(p.quotes, make([]quoteState, len(p.spans))...)
	for si := range p.sents {
		x.sentence(p, si)
	}
	x.emitDirect(p)
	slices.SortStableFunc(p.found, func(a, b found) int { return cmp.Compare(a.at, b.at) })
	x.resolvePending(p)
	for _, f := range p.found {
		x.out = append(x.out, f.q)
	}
	x.notePending(p, len(x.out)-len(p.found))
	if n := len(p.toks); n > 0 {
		x.prevColon = p.toks[n-1].punct(":")
	}
}

// sentence reads the names of one sentence, attributes its quotes, finds its
// indirect quotes, and then updates who is salient for pronouns.
func (x *extractor) sentence(p *para, si int) {
	s := p.sents[si]
	names := sentenceNames(p.toks, s.a, s.b, x.names)
	x.names = names
	x.register(p.toks, s.a, s.b, names)
	qpos := x.qpos[:0]
	for i := s.a; i < s.b; i++ {
		if p.toks[i].kind == tkQuote {
			qpos = append(qpos, i)
		}
	}
	x.qpos = qpos
	spoke := x.spoke[:0]
	var speech attribution
	for k, q := range qpos {
		a := x.attributeQuote(p, si, qpos, k)
		st := &p.quotes[p.toks[q].q]
		st.attr = a
		if q > s.a && p.toks[q-1].kind == tkWord {
			st.naming = p.toks[q-1].in(lxNaming) || modifiesNoun(p, q) ||
				// "nicknamed the "Kim Kardashian of Pakistan""
				(q-1 > s.a && p.toks[q-1].is("the", "a", "an") && p.toks[q-2].in(lxNaming))
			st.afterOf = p.toks[q-1].is("of")
		}
		if a.known {
			x.lastQuote, x.lastQuotePara = a, p.index
			spoke = append(spoke, a.ent)
			speech = a
			// `"A," said X; he added "B"`: X is "he" from here on.
			x.reg.noticeActor(a.ent)
		}
	}
	shareAttribution(p, qpos)
	for _, f := range x.indirect(p, s) {
		p.found = append(p.found, f.found)
		spoke = append(spoke, f.ent)
		speech = f.attr
	}
	if !speech.known && len(qpos) == 0 {
		speech = x.reportingSubject(p.toks, s)
	}
	x.updateSalience(p.toks, s, qpos, spoke, names)
	x.spoke = spoke
	x.prevSpeech = speech
}

// resolvePending credits the open quote of the paragraph before to the
// speaker of this paragraph's opening quote:
//
//	"That is not a plan. That is a slogan.
//	"We need real answers," she said.
func (x *extractor) resolvePending(p *para) {
	pending := x.pending
	x.pending = nil
	if len(pending) == 0 || len(p.spans) == 0 || len(p.toks) == 0 || p.toks[0].kind != tkQuote {
		return
	}
	a := p.quotes[0].attr
	if !a.known || a.speaker == "" {
		return
	}
	for _, i := range pending {
		if i < len(x.out) && x.out[i].Speaker == "" && x.out[i].Kind == Direct {
			x.out[i].Speaker, x.out[i].Title, x.out[i].Cue = clean(a.speaker), clean(a.title), clean(a.cue)
		}
	}
}

// notePending remembers the quotes of a paragraph that is one quote, left
// open and unattributed; first is the output index of its first quote.
func (x *extractor) notePending(p *para, first int) {
	if len(p.spans) != 1 || p.spans[0].closed || len(p.toks) == 0 || p.toks[0].kind != tkQuote || p.quotes[0].attr.known {
		return
	}
	for i := first; i < len(x.out); i++ {
		if x.out[i].Kind == Direct && x.out[i].Speaker == "" {
			x.pending = append(x.pending, i)
		}
	}
}

// modifiesNoun: the quote at q stands between an article and a noun, as a
// name or a label does ("the "one country, two systems" model").
func modifiesNoun(p *para, q int) bool {
	toks := p.toks
	if q == 0 || q+1 >= len(toks) || !toks[q-1].is("the", "a", "an") {
		return false
	}
	// `as a "chance to face my demons," having ...`: punctuation inside the
	// marks ends a phrase; a label runs on into its noun.
	sp := p.spans[toks[q].q]
	if text := strings.TrimSpace(p.text[sp.start:sp.end]); text == "" || strings.ContainsAny(text[len(text)-1:], ",.;:!?") {
		return false
	}
	n := toks[q+1]
	return n.kind == tkWord && !n.cap && !n.in(lxSpeech) && !n.in(lxAux) && !n.in(lxPreposition) &&
		!n.is("and", "or", "but", "that", "which", "who", "of")
}

// reportingSubject is who speaks in a sentence without quotes ("A spokesperson
// told the Military Times the attack took place at 7:45 p.m."), for a quote
// that follows with no attribution of its own.
func (x *extractor) reportingSubject(toks []token, s sentence) attribution {
	for i := s.a; i < s.b && i-s.a < maxPhrase*2; i++ {
		if isVerbAt(toks, i) {
			m := x.reporterOf(toks, s, i)
			if !m.ok() {
				return attribution{}
			}
			return x.resolve(clue{m: m, cue: cueText(toks, i), verb: i}, toks, s)
		}
	}
	return attribution{}
}

// shareAttribution gives an unattributed quote the attribution of a later
// quote of the same sentence: in `"A" and "B," she said` both are hers.
func shareAttribution(p *para, qpos []int) {
	for k := len(qpos) - 2; k >= 0; k-- {
		cur := &p.quotes[p.toks[qpos[k]].q]
		next := p.quotes[p.toks[qpos[k+1]].q]
		if !cur.attr.known && next.attr.known {
			cur.attr, cur.split = next.attr, true
		}
	}
}

// nameRun is a name of the writer's text in a sentence.
type nameRun struct {
	m         mention
	at, end   int
	modifier  bool // qualifies a noun after it ("Hong Kong police")
	afterPrep bool // object of a preposition ("the character of Anya Jenkins")
}

// sentenceNames reads the names of toks[a:b] once, for registration and for
// salience. Names in brackets are works, aliases and asides ("Jenn St-Onge
// (Nancy Drew, Jem and the Misfits)") and are left out; names inside quotes
// are the speaker's words, not the writer's, and are single quote tokens.
// The names go into buf[:0].
func sentenceNames(toks []token, a, b int, buf []nameRun) []nameRun {
	out := buf[:0]
	depth := 0
	for i := a; i < b; {
		depth = bracketDepth(&toks[i], depth)
		if !isNameWord(toks[i]) || depth > 0 {
			i++
			continue
		}
		m, end := nameAt(toks, i, b)
		r := nameRun{m: m, at: i, end: end}
		r.modifier = end < b && toks[end].kind == tkWord && !toks[end].cap &&
			(toks[end].in(lxRoleSing) || toks[end].in(lxOrgNounSing)) && !nameFollows(toks, end+1, b)
		r.afterPrep = afterPreposition(toks, a, i)
		out = append(out, r)
		i = end
	}
	return out
}

// pronounGender is the gender of a pronoun after a subject that ends at i
// which can only be the subject's: "his" or a reflexive before any other name
// and before a reported clause ("Amodei voiced his support", "Spanton
// described herself"). "he", "she" and "her" may well be someone else's
// ("Trump responded that she ...", "Trump attacked her"), so they say
// nothing here. Words in quotes are not the writer's.
//
// In a relative clause on the subject, every personal pronoun is the
// subject's: "Emily Spanton, 39, who has waived her right to anonymity".
func pronounGender(toks []token, i, b int) gender {
	relative := false
	for j := i; j < b && j-i < maxPhrase*2; j++ {
		t := toks[j]
		switch {
		case t.is("who") && j-i <= 4 && !relative:
			relative = true
		case relative && t.punct(",;:—–"):
			return unknownGender
		case t.kind == tkQuote || isNameWord(t) || t.is("that", "who", "whom", "whose"):
			return unknownGender
		case t.is("his", "himself") || (relative && t.is("he", "him")):
			return male
		case t.is("herself") || (relative && t.is("she", "her")):
			return female
		}
	}
	return unknownGender
}

// afterPreposition: the name at i is the object of a preposition, perhaps
// after its role words ("the murder of journalist Jamal Khashoggi").
func afterPreposition(toks []token, a, i int) bool {
	for j := i - 1; j >= a && i-j <= 4; j-- {
		t := toks[j]
		switch {
		case t.kind != tkWord:
			return false
		case t.in(lxPreposition) || t.is("of", "the"):
			return true
		case t.cap || !(t.in(lxRole) || isModifier(t)):
			return false
		}
	}
	return false
}

// register records the people and organisations of a sentence's names.
func (x *extractor) register(toks []token, a, b int, names []nameRun) {
	for _, r := range names {
		m, i, end := r.m, r.at, r.end
		if r.modifier {
			// "Polish Roman Catholic priests", "Hong Kong police"
			continue
		}
		switch {
		case m.kind == entPerson && len(m.words) >= 2:
			if m.title == "" {
				m.title = leftTitle(toks, a, i)
			}
			x.reg.person(m)
		case m.kind == entPerson && len(m.words) == 1 && m.title != "":
			// "Pope Francis", "President Erdogan": known by title from here on.
			x.reg.single(m)
		case m.kind == entOrg && len(m.words) > 0:
			e := x.reg.org(m)
			if end+2 < b && toks[end].punct("(") && toks[end+2].punct(")") && isAcronym(toks[end+1].text) {
				x.reg.alias(e, toks[end+1].text)
			}
		}
	}
}

// bracketDepth tracks round brackets while scanning.
func bracketDepth(t *token, depth int) int {
	if t.kind != tkPunct {
		return depth
	}
	switch t.text {
	case "(", "[":
		return depth + 1
	case ")", "]":
		if depth > 0 {
			return depth - 1
		}
	}
	return depth
}

// nameAt reads the name run at i, joining "Mayor of London Sadiq Khan".
func nameAt(toks []token, i, b int) (mention, int) {
	j := runEnd(toks, i, b)
	// "the Funimation", "distribution company Funimation Entertainment"
	det := i > 0 && (toks[i-1].is("the") || (toks[i-1].kind == tkWord && !toks[i-1].cap && toks[i-1].in(lxOrgNoun)))
	m := classifyRun(toks, i, j, det)
	if n, k := mergeTitleOf(toks, m, j, b); n.ok() {
		return n, k
	}
	return m, j
}

// updateSalience makes the sentence's people known for later pronouns: every
// full name in order, then the subject, then whoever spoke, so that "he"
// means the last speaker or subject.
func (x *extractor) updateSalience(toks []token, s sentence, qpos []int, spoke []*entity, names []nameRun) {
	end := s.b
	if len(qpos) > 0 {
		end = qpos[0]
	}
	// Subjects are resolved first, so that "she" in "she was attacked by Quirin
	// and Redouane" still means whom it meant before the sentence named others.
	var subject *entity
	if end > s.a {
		m := x.headOf(toks, s.a, end)
		subject = x.salient(m)
		if subject == nil && m.kind == entPerson && len(m.words) == 1 && x.nameClass(toks, m, m.a, m.b) == ent.Person && !toks[m.b-1].poss {
			// "Clinton, campaigning in Florida, had a different view": a
			// surname alone as subject, that the tagger takes for a person,
			// is someone "she" can mean later.
			subject = x.reg.single(m)
		}
		if subject != nil && subject.kind == entPerson && subject.gender == unknownGender && m.kind == entPerson {
			subject.gender = pronounGender(toks, m.b, s.b)
		}
	}
	var reporters []*entity
	for i := s.a; i < s.b; i++ {
		if !isVerbAt(toks, i) {
			continue
		}
		if e := x.salient(x.reporterOf(toks, s, i)); e != nil {
			reporters = append(reporters, e)
		}
	}
	for _, r := range names {
		// A name after a preposition ("the character of Anya Jenkins") is not
		// who the next "she" is about.
		if !toks[r.end-1].poss && !r.afterPrep {
			x.reg.notice(x.lookup(r.m))
		}
	}
	x.reg.noticeActor(subject)
	for _, e := range spoke {
		x.reg.noticeActor(e)
	}
	// The subject of the last reporting verb: in "Duda said ... while
	// Brudziński wrote ...", a following "He" is Brudziński.
	for _, e := range reporters {
		x.reg.noticeActor(e)
	}
}

// reporterOf is who the reporting verb at i has speak: its subject, or for
// "according to Muyembe", the name after it.
func (x *extractor) reporterOf(toks []token, s sentence, i int) mention {
	if toks[i].lower == "according" {
		return x.sourceOf(toks, i+2, min(s.b, i+2+maxPhrase))
	}
	return x.sentenceSubject(toks, s, i)
}

// sentenceSubject is subjectBefore over the whole sentence, remembered per
// verb: salience, indirect quotes and quote-less sentences ask for the same
// verbs' subjects.
func (x *extractor) sentenceSubject(toks []token, s sentence, v int) mention {
	x.steps++
	if x.subjects == nil {
		x.subjects = map[int]mention{}
	}
	if x.subjSent != s {
		x.subjSent = s
		clear(x.subjects)
	}
	if m, ok := x.subjects[v]; ok {
		return m
	}
	m := x.subjectBefore(toks, s.a, s.a, v)
	x.subjects[v] = m
	return m
}

// salient is the entity a subject phrase stands for, pronouns included.
func (x *extractor) salient(m mention) *entity {
	if m.kind == entPronoun {
		return x.pronoun(m.head)
	}
	return x.lookup(m)
}

// lookup finds a mention's entity without creating one for a lone word, so a
// place at the start of a sentence does not become "he".
func (x *extractor) lookup(m mention) *entity {
	switch {
	case m.kind == entPerson && len(m.words) >= 2:
		return x.reg.person(m)
	case m.kind == entPerson && len(m.words) == 1:
		if e := x.reg.bySurname[m.words[0]]; e != nil {
			return e
		}
		return x.reg.orgByName[m.words[0]]
	case m.kind == entOrg && len(m.words) > 0:
		return x.reg.org(m)
	case m.kind == entTitle:
		return x.reg.personWithTitle(m.title)
	}
	return nil
}
