package quotes

import (
	"strings"

	ent "github.com/newsbot/newsbot/internal/entity"
	"github.com/newsbot/newsbot/internal/lexicon"
)

// This file finds the phrase that names a speaker in a stretch of the
// writer's text: the subject of a reporting verb ("NATO Secretary General Jens
// Stoltenberg stated"), the phrase after an inverted verb ("said study
// co-author Professor Carl Lipo"), an appositive ("The Vice President, Mike
// Pence, said"), a pronoun or a descriptor ("the ministry"). Every scan is
// bounded, so the cost per quote does not grow with the paragraph.

const (
	maxPhrase = 24 // tokens looked at for one speaker phrase
	maxAux    = 6  // auxiliaries and adverbs skipped before a verb
)

// isVerbAt reports whether toks[i] is a reporting verb, not a noun of the same
// form ("his comments") nor a capitalised word.
func isVerbAt(toks []token, i int) bool {
	t := toks[i]
	if t.lower == "according" {
		return i+1 < len(toks) && toks[i+1].is("to")
	}
	if t.kind != tkWord || t.cap || !t.in(lxSpeech) {
		return false
	}
	return i == 0 || !toks[i-1].in(lxNounDet) || toks[i-1].kind != tkWord
}

// auxWords sit between a subject and its verb ("has also", "went on to").
var auxWords = wordSet(`also further then later has had have was is would will could did does do
been again already first publicly previously repeatedly reportedly even just still only once
initially subsequently went goes go going on to as far began begins even not never however`)

// segment is a comma-delimited part of a phrase.
type segment struct{ a, b int }

// commaSegments splits toks[a:b] at commas outside brackets, into buf[:0].
func commaSegments(toks []token, a, b int, buf []segment) []segment {
	out := buf[:0]
	start, depth := a, 0
	for i := a; i < b; i++ {
		if toks[i].kind != tkPunct {
			continue
		}
		switch toks[i].text {
		case "(":
			depth++
		case ")":
			if depth > 0 {
				depth--
			}
		case ",":
			if depth == 0 {
				out = append(out, segment{start, i})
				start = i + 1
			}
		}
	}
	return append(out, segment{start, b})
}

// isAdverbial: a sentence-initial phrase that is not the subject ("On Friday",
// "In a statement", "Commenting on the radio communications").
func isAdverbial(toks []token, s segment) bool {
	if s.a >= s.b {
		return true
	}
	t := toks[s.a]
	if t.kind != tkWord {
		return true
	}
	return t.in(lxAdverbialStart) || isAdverbOrParticiple(t)
}

// isAdverbOrParticiple: a word in -ly or -ing that is one ("Reportedly",
// "Speaking"), and not a name that only ends like one ("Emily", "Kelly",
// "Browning", "Fielding"). A capitalised word must be a common word, through
// WordNet, and not a name there.
func isAdverbOrParticiple(t token) bool {
	l := t.lower
	if !strings.HasSuffix(l, "ly") && !strings.HasSuffix(l, "ing") && !strings.HasSuffix(l, "ed") {
		return false
	}
	if !t.cap {
		return true
	}
	return lexicon.POS(l)&(lexicon.Adv|lexicon.Verb|lexicon.Adj) != 0 && lexicon.NameClass(l) == lexicon.None
}

// headOf finds the speaker phrase of toks[a:b], the words before a reporting
// verb or after an inverted one.
func (x *extractor) headOf(toks []token, a, b int) mention {
	b = min(b, a+maxPhrase*2)
	var buf [8]segment // room for most phrases without an allocation
	segs := commaSegments(toks, a, b, buf[:0])
	for len(segs) > 1 && isAdverbial(toks, segs[0]) {
		segs = segs[1:]
	}
	m := x.segHead(toks, segs[0].a, segs[0].b)
	next := nextSegment(segs[1:])
	if next == nil {
		return m
	}
	if n, ok := x.afterPlace(toks, m, segs); ok {
		return n
	}
	if m.kind == entOrg {
		// "University of California, San Diego's chancellor, Pradeep Khosla"
		if n, ok := x.roleAppositive(toks, segs[1:]); ok {
			return n
		}
	}
	switch m.kind {
	case entNone, entTitle, entDescriptor:
		if m.kind == entDescriptor && statementNouns[m.head] {
			return m
		}
		n := x.segHead(toks, next.a, next.b)
		if n.kind == entPerson || n.kind == entOrg {
			if n.title == "" {
				n.title = titleOf(m)
			}
			return n
		}
	case entPerson, entOrg:
		if m.title == "" || honorifics[strings.ToLower(m.title)] {
			if t := appositiveTitle(toks, *next); t != "" {
				m.title = t
			}
		}
	}
	return m
}

// afterPlace reads "Washington, D.C. Mayor Muriel Bowser" and "Portland,
// Ore., Mayor Ted Wheeler": a city, then segments that open with its state,
// the last one holding the speaker. m is the first segment's head.
func (x *extractor) afterPlace(toks []token, m mention, segs []segment) (mention, bool) {
	if (m.kind != entPerson && m.kind != entOrg) || len(m.words) > 3 || len(segs) < 2 {
		return mention{}, false
	}
	for _, s := range segs[1:min(len(segs), 4)] {
		if s.b <= s.a || !isNameWord(toks[s.a]) {
			return mention{}, false
		}
		if x.mem.Classify(toks[s.a].text, ent.Context{}) != ent.Place {
			return mention{}, false
		}
		if n := x.segHead(toks, s.a, s.b); n.kind == entPerson || n.kind == entOrg {
			return n, true
		}
	}
	return mention{}, false
}

// roleAppositive reads a role segment followed by a name segment, after an
// organisation: the person is the speaker, the role their title.
func (x *extractor) roleAppositive(toks []token, segs []segment) (mention, bool) {
	if len(segs) < 2 || segs[0].b <= segs[0].a {
		return mention{}, false
	}
	d := x.segHead(toks, segs[0].a, segs[0].b)
	if d.kind != entDescriptor || !(roleNouns[d.head] || isTitleWord(d.head)) {
		return mention{}, false
	}
	n := x.segHead(toks, segs[1].a, segs[1].b)
	if n.kind != entPerson || len(n.words) < 2 {
		return mention{}, false
	}
	if n.title == "" {
		n.title = titleOf(d)
	}
	return n, true
}

func nextSegment(segs []segment) *segment {
	for i := range segs {
		if segs[i].b > segs[i].a {
			return &segs[i]
		}
	}
	return nil
}

func titleOf(m mention) string {
	switch {
	case m.kind == entTitle || (m.kind == entDescriptor && m.title != ""):
		return m.title
	case m.kind == entDescriptor:
		return m.head
	}
	return ""
}

// appositiveTitle reads "the chief executive of Hong Kong" or "Director General
// of ... that monitored the trial" as a title, up to a relative pronoun.
func appositiveTitle(toks []token, s segment) string {
	a := s.a
	if a < s.b && toks[a].is("the", "a", "an") {
		a++
	}
	if a >= s.b {
		return ""
	}
	if !startsTitle(toks, a, s.b) {
		return ""
	}
	b := a
	for b < s.b && b-a < maxPhrase && !endsTitle(toks, a, b) {
		b++
	}
	return joinText(toks, a, b)
}

// startsTitle: a role or title word within the first few words ("the
// city's home minister", "Director General of ...").
func startsTitle(toks []token, a, b int) bool {
	for i := a; i < b && i < a+4; i++ {
		t := toks[i]
		if t.kind != tkWord || t.is("who", "that", "which", "and") || t.in(lxSpeech) || t.in(lxAux) {
			return false
		}
		if t.in(lxRole) || t.in(lxTitle) {
			return true
		}
	}
	return false
}

// endsTitle: a relative clause, "with", a participle ("published in"),
// punctuation or a quote ends an appositive title.
func endsTitle(toks []token, a, b int) bool {
	t := toks[b]
	switch {
	case t.kind == tkQuote || t.punct(";:—–()"):
		return true
	case t.is("who", "that", "which", "whose", "with"):
		return true
	}
	return b > a && t.kind == tkWord && !t.cap && strings.HasSuffix(t.lower, "ed")
}

// timeWords name a time, not a speaker ("This Wednesday", "last week").
var timeWords = wordSet(`monday tuesday wednesday thursday friday saturday sunday january february
march april may june july august september october november december yesterday today tonight
tomorrow week month year morning afternoon evening night weekend`)

// skipLead returns where the speaker phrase may start when toks[i:] opens
// with a time ("This Wednesday"), a partitive ("Part of"), or, at the start
// of the segment, a prepositional phrase ("In the filing itself Ford ..."),
// or i when it does not.
func skipLead(toks []token, i, a, b int) int {
	t := toks[i]
	if t.kind != tkWord {
		return i
	}
	if t.in(lxTime) {
		return i + 1
	}
	if i+1 < b && (t.in(lxDeterminer) || t.is("last", "next", "early", "late", "on")) && toks[i+1].in(lxTime) {
		return i + 2
	}
	if i+1 < b && t.is("part", "much", "half", "parts", "most", "all") && toks[i+1].is("of") {
		return i + 2
	}
	if i != a || !t.in(lxPreposition) || t.is("as") {
		return i
	}
	// A leading prepositional phrase without a comma: skip it when a name or
	// a pronoun follows.
	j := i + 1
	if j < b && toks[j].in(lxDeterminer) {
		j++
	}
	for j < b && j < i+7 && toks[j].kind == tkWord && !toks[j].cap && !toks[j].in(lxPronoun) && !toks[j].in(lxDeterminer) {
		j++
	}
	if j < b && isNameWord(toks[j]) {
		if e := runEnd(toks, j, b); hasNameWord(toks, e, b) {
			j = e
		}
	}
	for k := j; k < b && k < j+3; k++ {
		if isNameWord(toks[k]) || (toks[k].kind == tkWord && toks[k].in(lxPronoun)) {
			return j
		}
	}
	return i
}

// segHead reads one comma segment from the left and returns the first thing
// that can be a speaker: a name (with the title words before it), a pronoun,
// a descriptor. Title and role words before a name become its title
// ("Birmingham City University criminology professor David Wilson").
func (x *extractor) segHead(toks []token, a, b int) mention {
	r := headReader{x: x, toks: toks, a: a, b: min(b, a+maxPhrase)}
	for i := r.a; i < r.b; {
		x.steps++
		next, m, done := r.step(i)
		if done {
			return m
		}
		i = next
	}
	return r.result()
}

// headReader is the state of segHead's read: the title words met so far and
// a bare title or descriptor that stands for the speaker until a name comes.
type headReader struct {
	x       *extractor
	toks    []token
	a, b    int
	title   []string
	pending mention
}

// fresh: nothing read yet that belongs to the phrase.
func (r *headReader) fresh() bool { return r.pending.kind == entNone && len(r.title) == 0 }

func (r *headReader) result() mention { return withTitle(r.pending, r.title) }

// step reads the token at i. It returns where to read on, or the head and
// true when the phrase is read.
func (r *headReader) step(i int) (int, mention, bool) {
	toks, t := r.toks, r.toks[i]
	switch {
	case t.kind == tkQuote || t.punct(";:—–"):
		return i, r.result(), true
	case t.punct("("):
		return skipBrackets(toks, i, r.b), mention{}, false
	case t.kind == tkPunct:
		return i + 1, mention{}, false
	case t.in(lxDeterminer) && i+1 < r.b && isNameWord(toks[i+1]):
		// "the Emergency Situations Ministry": the run sees the article.
		return i + 1, mention{}, false
	case t.is("and", "but", "or", "so", "then", "as") && r.fresh():
		return i + 1, mention{}, false
	case r.fresh() && skipLead(toks, i, r.a, r.b) > i:
		return skipLead(toks, i, r.a, r.b), mention{}, false
	case isNameWord(t):
		return r.name(i)
	case isDigitStart(t.text) && r.fresh():
		// "1st Fleet Command's ...": an ordinal before a name.
		return i + 1, mention{}, false
	case t.in(lxPronoun) && r.fresh():
		return i, mention{kind: entPronoun, name: t.text, head: t.lower, a: i, b: i + 1}, true
	case t.in(lxDeterminer) || (t.in(lxRoleSing) || t.in(lxOrgNounSing)) && !leadsToName(toks, i, r.b):
		return r.descriptor(i)
	case t.in(lxRole) || leadsToName(toks, i+1, r.b) ||
		(isModifier(t) && nameFollows(toks, i+1, r.b) && !isDigitStart(t.text)):
		// A role or a modifier before a name: part of its title.
		r.title = append(r.title, t.text)
		return i + 1, mention{}, false
	case t.is("of", "the", "and") && len(r.title) > 0:
		r.title = append(r.title, t.text)
		return i + 1, mention{}, false
	}
	return i, r.result(), true
}

// name reads the name run at i: the speaker, or a title or modifier of a
// name further on.
func (r *headReader) name(i int) (int, mention, bool) {
	toks, b := r.toks, r.b
	j := runEnd(toks, i, b)
	m := classifyRun(toks, i, j, i > 0 && toks[i-1].is("the"))
	if n, k := mergeTitleOf(toks, m, j, b); n.ok() {
		n.title = joinTitle(r.title, n.title)
		return k, n, true
	} else if k > j {
		// "Mayor of London": a title with its "of" phrase, the name to come.
		r.title = append(r.title, joinText(toks, i, k))
		if r.pending.kind == entNone {
			r.pending = mention{kind: entTitle, title: joinText(toks, i, k), head: m.head, a: i, b: k}
		}
		return k, mention{}, false
	}
	if d, ok := pluralRoleRun(toks, m, i, j, r.a); ok {
		return j, d, true
	}
	if m.kind == entTitle || leadsToName(toks, j, b) || (m.kind == entOrg && roleThenName(toks, j, b)) {
		r.title = append(r.title, joinRaw(toks, i, j))
		if m.kind == entTitle && r.pending.kind == entNone {
			r.pending = m
		}
		return j, mention{}, false
	}
	if !m.ok() || r.x.isCommonWordRun(toks, m, i, j, b) {
		return j, mention{}, false
	}
	for _, read := range []func([]token, mention, int, int, int) (mention, bool){
		attributiveRun,      // "an official government Twitter account"
		adjectiveDescriptor, // "the Italian foreign ministry", "Republican lawmaker"
	} {
		if d, ok := read(toks, m, i, j, b); ok {
			return j, d, true
		}
	}
	if m.kind == entPerson || m.kind == entOrg {
		switch r.x.nameClass(toks, m, i, j) {
		case ent.Other:
			if j == i+1 {
				// "a Republican, Mark Amodei, said", "a Muslim": a common noun
				// for a person, capitalised; a name may follow.
				return j, commonNoun(toks, i), true
			}
		case ent.Place:
			if !toks[j-1].poss && !placeSpeaks(toks, i, j) {
				// "In Washington, D.C., the senator said": where, not who;
				// but "Iran's foreign ministry spokesman" is read below,
				// and "Russia said" speaks for its government.
				return j, mention{}, false
			}
		}
	}
	if d, ok := possessorRole(toks, m, j, b); ok && !leadsToName(toks, j, b) {
		// "Angela Merkel's spokesperson, Steffen Seibert," or "Daily Xtra's
		// editorial director": the role is the head.
		return j, d, true
	}
	if r.pending.kind == entDescriptor && spokesNouns[r.pending.head] {
		org := m // a copy, so that m stays on the stack on the common path
		r.pending.forOrg = &org
		return j, r.pending, true
	}
	m.title = joinTitle(r.title, m.title)
	return j, m, true
}

// commonNoun is the descriptor for a capitalised common noun at i.
func commonNoun(toks []token, i int) mention {
	d := mention{kind: entDescriptor, name: toks[i].text, a: i, b: i + 1}
	d.head = singular(toks[i].lower)
	d.plural = d.head != toks[i].lower
	if i > 0 && toks[i-1].in(lxDeterminer) {
		d.det = toks[i-1].lower
		d.definite = d.det == "the" && !d.plural
		d.a = i - 1
		d.name = joinText(toks, i-1, i+1)
	}
	return d
}

// descriptor reads a common-noun phrase at i ("the father", "a spokesperson
// for Facebook", "a protester using the pseudonym Katya").
func (r *headReader) descriptor(i int) (int, mention, bool) {
	toks, b, t := r.toks, r.b, r.toks[i]
	if r.pending.kind != entNone {
		return i, r.result(), true
	}
	d, k := readDescriptor(toks, i, b)
	if !d.ok() {
		return i, r.result(), true
	}
	if e := d.b; t.is("the", "a", "an") && d.title == "" && e < b && isNameWord(toks[e]) && !toks[e-1].poss && !statementNouns[d.head] {
		// "the topmost senior Polish archbishop Wojciech Polak": the words
		// before the name are part of its title.
		r.title = append(r.title, joinText(toks, i+1, e))
		return e, mention{}, false
	}
	if n, ok := namedAfter(toks, d, k, b); ok {
		return k, n, true
	}
	if statementNouns[d.head] {
		// "according to a tweet on Monday by US Secretary of State Mike
		// Pompeo": whoever issued it.
		if n := r.x.issuer(toks, k, b); n.ok() {
			return k, n, true
		}
	}
	if (spokesNouns[d.head] || d.head == "official") && k+1 < b && toks[k].is("for", "of", "at", "from") {
		if org := r.x.segHead(toks, k+1, b); org.ok() {
			d.forOrg = &org
		}
	}
	return k, d, true
}

// possessorRole reads a possessive name and a role after it ("Merkel's
// spokesperson") as a descriptor of someone else.
func possessorRole(toks []token, m mention, j, b int) (mention, bool) {
	if j >= b || !toks[j-1].poss || (m.kind != entPerson && m.kind != entOrg) {
		return mention{}, false
	}
	k := j
	for k < b && k < j+3 && toks[k].kind == tkWord && !toks[k].cap && !toks[k].in(lxRole) && isModifier(toks[k]) {
		k++
	}
	if k >= b || toks[k].cap || !toks[k].in(lxRole) {
		return mention{}, false
	}
	owner := m
	for o := k - 1; o >= j; o-- {
		if toks[o].in(lxOrgNoun) && toks[k].in(lxSpokes) {
			// "Iran's foreign ministry spokesman" speaks for the ministry.
			owner = mention{kind: entOrg, name: joinText(toks, m.a, o+1), words: lowerWords(toks, m.a, o+1), a: m.a, b: o + 1}
			owner.name = joinRaw(toks, m.a, j) + " " + joinText(toks, j, o+1)
			break
		}
	}
	d := mention{kind: entDescriptor, head: toks[k].lower, forOrg: &owner, a: m.a, b: k + 1}
	d.name = joinText(toks, m.a, k+1)
	d.title = d.name
	return d, true
}

// nameFollows: a name comes at i, perhaps after a bracketed aside
// ("Member of parliament (MP) Kevin Conolly").
func nameFollows(toks []token, i, b int) bool {
	if i < b && toks[i].punct("(") {
		i = skipBrackets(toks, i, b)
	}
	return i < b && isNameWord(toks[i])
}

// attributiveRun reads a name that only qualifies the common noun after it
// ("Twitter account", "Trump campaign") as a descriptor headed by that noun.
// A verb after the name makes it a subject instead, so verb-like words
// (-ed, -s, common irregular past forms) do not count.
func attributiveRun(toks []token, m mention, i, j, b int) (mention, bool) {
	if j >= b || (m.kind != entPerson && m.kind != entOrg) || toks[j-1].poss {
		return mention{}, false
	}
	n := toks[j]
	if n.kind != tkWord || n.cap || !isModifier(n) || n.in(lxIrregularPast) || n.in(lxSpeech) ||
		strings.HasSuffix(n.lower, "s") || n.in(lxRole) || n.in(lxOrgNoun) || n.in(lxSpokes) || nameFollows(toks, j+1, b) || isDigitStart(n.text) {
		return mention{}, false
	}
	if j+1 < b && toks[j+1].kind == tkWord && !toks[j+1].cap && !toks[j+1].in(lxPreposition) && !toks[j+1].in(lxAux) && !toks[j+1].is("of", "and", "that", "which", "who") {
		// Two lower-case words: more likely a verb and its object.
		return mention{}, false
	}
	a := i
	if a > 0 && toks[a-1].in(lxDeterminer) {
		a--
	}
	d := mention{kind: entDescriptor, head: n.lower, a: a, b: j + 1}
	if a < i {
		d.det = toks[a].lower
	}
	d.name = joinText(toks, a, j+1)
	d.title = joinText(toks, i, j+1)
	return d, true
}

// adjectiveDescriptor reads a lone capitalised word that only qualifies a
// role or an organisation noun after it ("Italian foreign ministry",
// "Republican lawmaker") as part of a descriptor, not as a name.
func adjectiveDescriptor(toks []token, m mention, i, j, b int) (mention, bool) {
	if j != i+1 || (m.kind != entPerson && m.kind != entOrg) || toks[i].poss {
		return mention{}, false
	}
	k := j
	for k < b && k < j+3 && isModifier(toks[k]) && !toks[k].in(lxRoleSing) && !toks[k].in(lxOrgNounSing) {
		k++
	}
	if k >= b || toks[k].kind != tkWord || toks[k].cap {
		return mention{}, false
	}
	if !toks[k].in(lxRoleSing | lxOrgNounSing | lxRole) {
		return mention{}, false
	}
	if leadsToName(toks, j, b) || roleThenName(toks, j, b) {
		return mention{}, false
	}
	a := i
	if a > 0 && toks[a-1].in(lxDeterminer) {
		a--
	}
	if toks[k].in(lxOrgNounSing) && k+1 < b && toks[k+1].kind == tkWord && toks[k+1].in(lxSpokes) {
		// "a Clinton campaign spokesman" speaks for the Clinton campaign.
		org := mention{kind: entOrg, name: joinText(toks, i, k+1), words: lowerWords(toks, i, k+1), a: i, b: k + 1}
		d := mention{kind: entDescriptor, head: toks[k+1].lower, title: toks[k+1].lower, forOrg: &org, a: a, b: k + 2}
		d.name = joinText(toks, a, k+2)
		if a < i {
			d.det = toks[a].lower
		}
		return d, true
	}
	d, _ := readDescriptor(toks, k, k+1)
	d.a, d.b = a, k+1
	d.det = ""
	if a < i {
		d.det = toks[a].lower
	}
	d.definite = d.det == "the" && !d.plural
	d.name = joinText(toks, a, k+1)
	d.title = joinText(toks, i, k+1)
	if spokesNouns[d.head] {
		// "an Interpol spokesperson" speaks for Interpol.
		org := m
		org.kind = entOrg
		d.forOrg = &org
		d.title = d.head
	}
	return d, true
}

// issuer is the name after "by" or "from" that follows a statement noun.
func (x *extractor) issuer(toks []token, k, b int) mention {
	for j := k; j < b && j < k+5; j++ {
		if toks[j].is("by", "from") {
			m := x.headOf(toks, j+1, b)
			if m.kind == entPerson || m.kind == entOrg || m.kind == entTitle || (m.kind == entDescriptor && m.definite && isTitleWord(m.head)) {
				return m
			}
			return mention{}
		}
		if toks[j].kind != tkWord {
			return mention{}
		}
	}
	return mention{}
}

func withTitle(m mention, title []string) mention {
	if m.kind == entTitle && len(title) > 0 {
		m.title = strings.Join(title, " ")
	}
	return m
}

func joinTitle(parts []string, extra string) string {
	if extra != "" {
		parts = append(parts, extra)
	}
	return strings.Join(parts, " ")
}

func skipBrackets(toks []token, i, b int) int {
	for j := i + 1; j < b; j++ {
		if toks[j].punct(")") {
			return j + 1
		}
	}
	return b
}

// leadsToName: the words from i are role nouns, perhaps after one modifier,
// and then a name ("astronomer Angelos Tsiaras", "criminology professor David
// Wilson", "director of Amnesty International Man-kei Tam").
func leadsToName(toks []token, i, b int) bool {
	sawRole := false
	for j := i; j < b && j < i+4; j++ {
		t := toks[j]
		switch {
		case isNameWord(t):
			return sawRole
		case t.kind != tkWord || t.cap:
			return false
		case t.in(lxRole):
			sawRole = true
		case t.is("of") && sawRole:
		case j > i || t.is("of") || t.in(lxDeterminer) || t.in(lxPronoun) || t.in(lxSpeech) || t.in(lxPreposition) || t.in(lxAux):
			return false
		}
	}
	return false
}

// roleThenName: after an organisation, "of X", modifiers, a role and a name
// follow ("Florida Department of Transportation official Troy Roberts"), so
// the organisation is part of the title.
func roleThenName(toks []token, j, b int) bool {
	for k := j; k < b && k < j+8; k++ {
		t := toks[k]
		switch {
		case t.kind != tkWord:
			return false
		case isNameWord(t) || t.is("of", "the"):
		case t.in(lxRole) && !t.cap:
			return k+1 < b && isNameWord(toks[k+1])
		case isModifier(t) && k+1 < b && isNameWord(toks[k+1]) && !strings.HasSuffix(t.lower, "ed"):
			// "Company meteorologist Evan Duffey": an unlisted role.
			return true
		case t.cap || t.in(lxDeterminer) || t.in(lxAux) || t.in(lxSpeech) || t.in(lxPreposition):
			return false
		}
	}
	return false
}

// isCommonWordRun: a lone capitalised word opening a phrase and followed by
// "and" or a preposition ("Search and rescue was suspended") is a common word
// at the start of a sentence, unless the article named it before.
func (x *extractor) isCommonWordRun(toks []token, m mention, i, j, b int) bool {
	if j != i+1 || m.kind != entPerson || j >= b || (i > 0 && toks[i-1].kind == tkWord) {
		return false
	}
	if x.reg.bySurname[toks[i].lower] != nil || x.reg.orgByName[toks[i].lower] != nil {
		return false
	}
	if toks[j].is("and", "or", "of", "in", "for", "to", "with", "at", "on") || (strings.HasSuffix(toks[i].lower, "ly") && isAdverbOrParticiple(toks[i])) {
		return true
	}
	if (strings.HasSuffix(toks[i].lower, "ing") || strings.HasSuffix(toks[i].lower, "ed")) && isAdverbOrParticiple(toks[i]) && toks[j].kind == tkWord && !toks[j].cap && !toks[j].in(lxSpeech) && !toks[j].in(lxAux) {
		// "Asked about sustainability, ...", "Speaking to reporters"
		return true
	}
	// "Comic artist Jenn St-Onge": a name follows, and the word after the
	// capital is not a verb ("Warren commended Biden").
	n := toks[j]
	if n.kind != tkWord || n.cap || n.in(lxAux) || n.in(lxSpeech) ||
		strings.HasSuffix(n.lower, "ed") || (strings.HasSuffix(n.lower, "s") && !n.in(lxRoleSing)) {
		return false
	}
	return hasNameWord(toks, j, b)
}

// mergeTitleOf reads "Mayor of London Sadiq Khan" and "Secretary of State Mike
// Pompeo": a bare title, "of", and a run whose last words are the name. It
// returns the person, or else the end of the title phrase (beyond end when
// the title went on with "of ...").
func mergeTitleOf(toks []token, m mention, end, b int) (mention, int) {
	if m.kind != entTitle || end+1 >= b || !toks[end].is("of", "for", "to") {
		return mention{}, end
	}
	a := end + 1
	if toks[a].is("the") && !toks[a].cap && a+1 < b {
		a++ // "Ambassador to the United Nations Nikki Haley"
	}
	if !isNameWord(toks[a]) {
		return mention{}, end
	}
	k := runEnd(toks, a, b)
	n := k - a
	if n < 3 {
		return mention{}, k
	}
	nameLen := 2
	if n >= 4 && isInitial(toks[k-2].text) {
		nameLen = 3
	}
	// "Secretary of Justice Wanda Vázquez Garced": the name starts after the
	// last title or organisation word, when there is one.
	for i := k - 2; i >= a; i-- {
		if toks[i].in(lxTitle | lxOrgWord) {
			nameLen = k - i - 1
			break
		}
	}
	p := mention{kind: entPerson, a: k - nameLen, b: k}
	p.name, p.words = joinText(toks, k-nameLen, k), lowerWords(toks, k-nameLen, k)
	p.title = joinText(toks, m.a, k-nameLen)
	return p, k
}

func isInitial(w string) bool {
	return len(w) == 2 && w[1] == '.'
}

// pluralRoleRun reads a capitalised role word at the start of a sentence
// ("Officials said", "Experts say") as a descriptor, not a name.
func pluralRoleRun(toks []token, m mention, i, j, a int) (mention, bool) {
	if j != i+1 || i != a || m.kind != entPerson {
		return mention{}, false
	}
	if !toks[i].in(lxRoleSing | lxOrgNounSing) {
		return mention{}, false
	}
	l := toks[i].lower
	s := singular(l)
	if s == l && j < len(toks) && (toks[j].cap || toks[j].is("of") || toks[j].punct("(")) {
		// "Member of Parliament (MP) Yvette Cooper": a title, not a descriptor.
		return mention{}, false
	}
	if leadsToName(toks, j, len(toks)) || roleThenName(toks, j, len(toks)) {
		// "Republican committee member Doug Collins"
		return mention{}, false
	}
	return mention{kind: entDescriptor, name: toks[i].text, head: s, plural: s != l, a: i, b: j}, true
}

func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3:
		return w[:len(w)-1]
	}
	return w
}

// readDescriptor reads "the father", "a spokesperson", "one of the children",
// "the head of the police's internal investigators" from i. It returns the
// phrase and the index after it.
func readDescriptor(toks []token, i, b int) (mention, int) {
	d := mention{kind: entDescriptor, a: i}
	j := i
	if toks[j].in(lxDeterminer) {
		d.det = toks[j].lower
		j++
	}
	if partitives[d.det] && j+1 < b && toks[j].is("of") {
		j++
		if toks[j].is("the", "them", "those", "us", "these", "his", "her", "their") {
			j++
		}
	} else if partitives[d.det] && d.det != "one" {
		d.det = "some"
	}
	words, headAt := 0, -1
	for j < b && words < 5 {
		t := toks[j]
		if t.kind != tkWord || t.cap || t.in(lxPreposition) || t.is("of", "who", "that", "which", "and", "or") || (t.in(lxSpeech) && words > 0) || t.in(lxAux) {
			break
		}
		if words > 0 && strings.HasSuffix(t.lower, "ed") {
			break // "The decree signed by the Pope"
		}
		if t.in(lxRoleSing | lxOrgNounSing | lxStatementSing | lxSpokesSing | lxRole) {
			headAt = j
		}
		words++
		j++
		if t.poss {
			break
		}
	}
	if words == 0 && !(partitives[d.det] && i+1 < b && toks[i+1].is("of") && j > i+2) {
		return mention{}, i
	}
	if headAt < 0 {
		headAt = j - 1
	}
	h := toks[headAt].lower
	d.head = singular(h)
	if toks[headAt].in(lxRole|lxOrgNoun) || h == "police" || h == "people" {
		d.head = h
	}
	d.plural = d.head != h || h == "police" || h == "people"
	d.definite = d.det == "the" && !d.plural
	d.b = headAt + 1
	d.name = joinText(toks, i, d.b)
	switch {
	case partitives[d.det] && toks[i+1].is("of"):
		// "one of the children", "some of the protesters"
		d.plural = d.det != "one"
		d.b = j
		d.name = joinText(toks, i, j)
		d.title = strings.ToLower(d.name)
	case j < b && j == d.b && toks[j].is("of"):
		// A role with its complement is a title, not a name.
		e := complementEnd(toks, j, b)
		start := i
		if d.det != "" {
			start++
		}
		d.title = joinRaw(toks, start, e)
		d.b = e
	}
	return d, d.b
}

// partitives open "one of the ..." descriptors.
var partitives = wordSet(`one some many most several two three four five all both each few none`)

// complementEnd is the end of an "of" phrase at j: words, up to a verb,
// another preposition or punctuation.
func complementEnd(toks []token, j, b int) int {
	k := j + 1
	for k < b && k < j+8 {
		t := toks[k]
		if t.kind != tkWord || (t.in(lxPreposition) && !t.is("of")) || t.in(lxSpeech) || t.in(lxAux) || t.is("who", "that", "which", "and") {
			break
		}
		k++
	}
	return k
}

// namedAfter reads the name given after a descriptor: "a protester using the
// pseudonym Katya", "a Polish chef named Łukasz".
func namedAfter(toks []token, d mention, k, b int) (mention, bool) {
	sawNaming := false
	for j := k; j < b && j < k+5; j++ {
		t := toks[j]
		switch {
		case t.is("named", "called", "pseudonym", "identified", "known", "nicknamed"):
			sawNaming = true
		case sawNaming && isNameWord(t):
			e := runEnd(toks, j, b)
			m := classifyRun(toks, j, e, false)
			if m.kind == entPerson {
				m.title = d.head
				return m, true
			}
			return mention{}, false
		case t.kind != tkWord:
			return mention{}, false
		}
	}
	return mention{}, false
}

// subjectBefore finds the subject of the verb at v, looking no further left
// than lo; sa is the start of the sentence. It skips auxiliaries, takes a
// pronoun right before the verb, follows a relative pronoun to its
// antecedent, gives a coordinated verb ("... and wrote") or a participle
// after a comma (", telling Wikinews") the sentence's subject, and otherwise
// reads the verb's clause from its start.
func (x *extractor) subjectBefore(toks []token, sa, lo, v int) mention {
	x.steps++
	j := v
	for j > lo && v-j < maxAux && toks[j-1].kind == tkWord && toks[j-1].in(lxAux) {
		j--
	}
	participle := strings.HasSuffix(toks[v].lower, "ing")
	if j > lo {
		prev := toks[j-1]
		switch {
		case prev.kind == tkWord && prev.in(lxPronoun):
			return mention{kind: entPronoun, name: prev.text, head: prev.lower, a: j - 1, b: j}
		case prev.is("who", "which", "that"):
			return x.antecedent(toks, lo, j-1)
		case prev.is("and") || (participle && prev.punct(",")):
			if m := x.headOf(toks, sa, j-1); m.ok() {
				return m
			}
		case participle:
			// "with Zinichev describing the ..."
			if m := x.runBefore(toks, lo, j); m.ok() {
				return m
			}
		default:
			// "which the BBC describes as": the name right after a relative
			// pronoun or a conjunction is the subject.
			if m := x.runBefore(toks, lo, j); m.ok() && m.a > lo {
				k := m.a - 1
				if toks[k].is("the") && k > lo {
					k--
				}
				if toks[k].is("which", "that", "whom", "as", "while", "when", "because", "where", "whereas") {
					return m
				}
				// "Jones said Smith told her": the subject of a clause
				// reported without "that".
				if k > lo && toks[k].in(lxThat) && !toks[k].cap && m.kind == entPerson {
					return m
				}
			}
			// "Strong winds ... presented difficulty, Zapata said": a name
			// set off by a comma right before the verb (but not the place in
			// "the University of California, Los Angeles disagreed").
			if m := x.runBefore(toks, lo, j); m.ok() && m.a > lo+1 && toks[m.a-1].punct(",") && !isNameWord(toks[m.a-2]) {
				if m.title == "" {
					// "A member of the Tunisian Parliament, Samir Dilou said"
					start := clauseStart(toks, lo, m.a-1)
					m.title = appositiveTitle(toks, segment{start, m.a - 1})
				}
				return m
			}
		}
	}
	m := x.headOf(toks, clauseStart(toks, lo, j), j)
	if !m.ok() {
		m = x.runBefore(toks, lo, j)
	}
	return m
}

// runBefore is the name that ends right before j ("... head Arba Agung told").
func (x *extractor) runBefore(toks []token, lo, j int) mention {
	if j <= lo || !isNameWord(toks[j-1]) {
		return mention{}
	}
	a := j - 1
	for a > lo && j-a < 8 && (isNameWord(toks[a-1]) || toks[a-1].in(lxParticle)) && !toks[a-1].poss {
		a--
	}
	m := classifyRun(toks, a, j, a > 0 && toks[a-1].is("the"))
	if m.kind == entPerson || m.kind == entOrg {
		return m
	}
	return mention{}
}

// clauseStart is the first token of the clause that ends at j: after a
// semicolon, colon, dash, quote, or ", and"-style conjunction.
func clauseStart(toks []token, lo, j int) int {
	for i := j - 1; i >= lo && j-i <= maxPhrase*2; i-- {
		t := toks[i]
		if t.kind == tkQuote || t.punct(";:—–") {
			return i + 1
		}
		if t.is("and", "but", "while", "so", "whereas") && i > lo && toks[i-1].punct(",") {
			return i + 1
		}
	}
	return max(lo, j-maxPhrase*2)
}

// antecedent is what a relative pronoun at w stands for: the name before it
// ("Thomas Gray, 24, who cited"), or for "a statement which read", the
// subject of the sentence.
func (x *extractor) antecedent(toks []token, lo, w int) mention {
	k := w - 1
	if k >= lo && toks[k].punct(",") {
		// Skip an aside: an age ("Thomas Gray, 24, who") or an appositive
		// ("Mark Hay, a marine ecologist and Regents Professor at GT, who").
		for j := k - 1; j >= lo && j >= k-12; j-- {
			if toks[j].punct(",") {
				if first := toks[j+1]; !hasNameWord(toks, j+1, k) || first.is("a", "an", "the") || first.in(lxRole) {
					k = j
				}
				break
			}
		}
		k--
	}
	if k < lo {
		return mention{}
	}
	if isNameWord(toks[k]) || toks[k].cap {
		a := k
		for a > lo && (isNameWord(toks[a-1]) || toks[a-1].in(lxParticle)) && !toks[a-1].poss {
			a--
		}
		m := classifyRun(toks, a, k+1, a > 0 && toks[a-1].is("the"))
		if m.kind == entPerson && m.title == "" {
			m.title = leftTitle(toks, lo, a)
		}
		return m
	}
	if toks[k].in(lxStatementSing) {
		return x.headOf(toks, lo, k)
	}
	a := k
	for a > lo && a > k-4 && toks[a-1].kind == tkWord && !toks[a-1].cap && !toks[a].in(lxDeterminer) {
		a--
	}
	d, _ := readDescriptor(toks, a, k+1)
	return d
}

func hasNameWord(toks []token, a, b int) bool {
	for i := a; i < b; i++ {
		if isNameWord(toks[i]) {
			return true
		}
	}
	return false
}

// leftTitle collects the role words just before a name: "tour manager",
// "national security advisor". The word next to the name must be a role.
func leftTitle(toks []token, lo, a int) string {
	if a <= lo || !isModifier(toks[a-1]) || !toks[a-1].in(lxRole) {
		return ""
	}
	i := a - 1
	for i > lo && a-i < 5 && isModifier(toks[i-1]) {
		i--
	}
	return joinText(toks, i, a)
}

// isModifier: a lower-case word that can be part of a role ("criminology").
func isModifier(t token) bool {
	return t.kind == tkWord && !t.cap && !t.in(lxDeterminer) && !t.in(lxAux) &&
		!strings.HasSuffix(t.lower, "ed") && !strings.HasSuffix(t.lower, "ly") && !t.is("including", "such", "like", "except", "than") &&
		!t.in(lxSpeech) && !t.in(lxPreposition) && !t.in(lxPronoun) &&
		!t.is("of", "and", "or", "is", "was", "are", "were", "who", "that", "which", "for") && !t.poss
}
