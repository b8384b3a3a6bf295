package quotes

import "strings"

// clue is what one stretch of the writer's text says about a speaker.
type clue struct {
	m     mention
	cue   string
	verb  int  // index of the reporting verb, -1 if none
	intro bool // prefix: the verb or a colon leads straight into the quote
	tight bool // suffix: the attribution starts right after the quote
}

func noClue() clue { return clue{verb: -1} }

// cueText is the reporting verb as written; "according" is "according to".
func cueText(toks []token, v int) string {
	if toks[v].lower == "according" {
		return "according to"
	}
	return toks[v].text
}

// parsePrefix reads the words before the quote at q, from lo: the last
// reporting verb and its subject ("Stoltenberg noted,", "Mike Ryan ... told
// the press the new drugs were only part of the solution:").
func (x *extractor) parsePrefix(toks []token, sa, lo, q int) clue {
	c := noClue()
	from := max(lo, q-maxPhrase*3)
	relative := -1
	for i := q - 1; i >= from; i-- {
		x.steps++
		// "as reported by Hurriyet Daily News" names a source, not the speaker.
		if !isVerbAt(toks, i) || (i > from && toks[i-1].is("as")) {
			continue
		}
		// "Bercow commented — which the BBC noted as unusual — "..."": the
		// verb of a relative clause closed before the quote is an aside; one
		// that leads into the quote speaks it ("the novel, which the New
		// York Times called "..."").
		if inRelativeClause(toks, from, i) && hasPunct(toks, i+1, q, "—–),") {
			if relative < 0 {
				relative = i
			}
			continue
		}
		c.verb = i
		break
	}
	if c.verb < 0 {
		c.verb = relative
	}
	if c.verb < 0 {
		return c
	}
	c.cue = cueText(toks, c.verb)
	c.intro = q-c.verb <= 6 || toks[q-1].punct(":,")
	if toks[c.verb].lower == "according" {
		c.m = x.sourceOf(toks, c.verb+2, q)
		return c
	}
	// "described by Marine Bulletin as": the agent of a passive verb.
	if c.verb+2 < q && toks[c.verb+1].is("by") {
		if m := x.headOf(toks, c.verb+2, q); m.kind == entPerson || m.kind == entOrg {
			c.m = m
			return c
		}
	}
	c.m = x.subjectBefore(toks, sa, lo, c.verb)
	return c
}

// inRelativeClause: the verb at v has its own subject right after a relative
// pronoun ("which the BBC noted", "that Reuters reported"), so it belongs to
// a clause inside the sentence, not to the sentence's speaker.
func inRelativeClause(toks []token, lo, v int) bool {
	j := v - 1
	for j >= lo && v-j <= maxAux && toks[j].kind == tkWord && toks[j].in(lxAux) {
		j--
	}
	for k := j; k >= lo && j-k < 6; k-- {
		t := toks[k]
		switch {
		case t.is("which", "whom"):
			return k < j
		case t.kind != tkWord || !(isNameWord(t) || t.is("the", "a", "an") || (t.cap && k > lo)):
			return false
		}
	}
	return false
}

// sourceOf reads the source after "according to" at a: a name or phrase, or
// an object pronoun ("according to him").
func (x *extractor) sourceOf(toks []token, a, b int) mention {
	if a < b && toks[a].kind == tkWord {
		if p, ok := objectPronouns[toks[a].lower]; ok {
			return mention{kind: entPronoun, name: toks[a].text, head: p, a: a, b: a + 1}
		}
	}
	return x.headOf(toks, a, b)
}

// objectPronouns are the subject pronouns of "him", "her" and "them".
var objectPronouns = map[string]string{"him": "he", "her": "she", "them": "they"}

// parseSuffix reads the words after the quote at q, up to hi: `," he said`,
// `," said UCL astronomer Angelos Tsiaras`, `", Pompeo told the press`.
func (x *extractor) parseSuffix(toks []token, sa, q, hi int) clue {
	c := noClue()
	i := q + 1
	for i < hi && toks[i].punct(",;:—–-") {
		i++
	}
	for i < hi && toks[i].is("also", "then", "further") {
		i++
	}
	if i >= hi {
		return c
	}
	if isVerbAt(toks, i) {
		c.verb, c.cue, c.tight = i, cueText(toks, i), true
		from := i + 1
		if toks[i].lower == "according" {
			from = i + 2
		}
		if from == i+2 {
			c.m = x.sourceOf(toks, from, min(hi, from+maxPhrase))
		} else {
			c.m = x.headOf(toks, from, min(hi, from+maxPhrase))
		}
		return c
	}
	limit := min(hi, i+12)
	for v := i + 1; v < limit; v++ {
		if toks[v].punct(".;:!?") || toks[v].kind == tkQuote {
			break
		}
		if isVerbAt(toks, v) {
			c.verb, c.cue = v, cueText(toks, v)
			c.m = x.subjectBefore(toks, sa, i, v)
			c.tight = c.m.ok()
			return c
		}
	}
	return c
}

// attributeQuote decides who said the k-th quote of sentence si. In order: an
// attribution that leads into the quote, one that follows it, one before it
// in the sentence, the neighbouring quote of a split quote, and the
// fallbacks for quotes that stand alone.
func (x *extractor) attributeQuote(p *para, si int, qpos []int, k int) attribution {
	toks, s := p.toks, p.sents[si]
	q := qpos[k]
	lo, hi := s.a, s.b
	if k > 0 {
		lo = qpos[k-1] + 1
	}
	if k+1 < len(qpos) {
		hi = qpos[k+1]
	}
	pre := x.parsePrefix(toks, s.a, lo, q)
	suf := x.parseSuffix(toks, s.a, q, hi)
	st := &p.quotes[toks[q].q]
	if k > 0 {
		prev := &p.quotes[toks[qpos[k-1]].q]
		// A short attribution between two quotes of one speaker splits one
		// quote in two: `"A," he said, "B."`.
		// `she said, asking her to be "patient"`: words of the writer's right
		// before the second quote make it a fragment of their own.
		short := q-lo <= 8 && !hasPunct(toks, lo, q, ";") && opensAttribution(toks[lo]) && toks[q-1].kind == tkPunct
		switch {
		case pre.m.ok():
			a := x.resolve(pre, toks, s)
			if short && (!prev.attr.known || prev.attr.speaker == a.speaker) {
				prev.split, st.split = true, true
			}
			return a
		case suf.m.ok() && suf.tight:
			return x.resolve(suf, toks, s)
		case prev.attr.known:
			a := prev.attr
			if pre.verb >= 0 {
				a.cue = pre.cue
				prev.split, st.split = short, short
			}
			return a
		}
	}
	switch {
	case pre.m.ok() && pre.intro:
		return x.resolve(pre, toks, s)
	case suf.m.ok():
		return x.resolve(suf, toks, s)
	case pre.m.ok():
		return x.resolve(pre, toks, s)
	}
	return x.fallback(p, si, qpos, k, pre)
}

// fallback attributes a quote with no reporting verb next to it.
func (x *extractor) fallback(p *para, si int, qpos []int, k int, pre clue) attribution {
	toks, s := p.toks, p.sents[si]
	q := qpos[k]
	st := &p.quotes[toks[q].q]
	// "Jo Anne Val Tilburg ... disagreed with these findings: "..."": the
	// subject of a sentence that leads into the quote with a colon.
	if q > s.a && toks[q-1].punct(":,") && k == 0 {
		// "The palace issued the following statement from the king:"
		if m := x.statementIssuer(toks, s.a, q); m.ok() {
			return x.resolve(clue{m: m, verb: -1}, toks, s)
		}
		m := x.headOf(toks, s.a, q)
		if m.kind == entPerson || m.kind == entOrg || m.kind == entPronoun {
			c := clue{m: m, verb: -1, cue: verbAfter(toks, m.b, q)}
			return x.resolve(c, toks, s)
		}
	}
	if k > 0 {
		return attribution{}
	}
	if q > s.a {
		// No reporting verb at all: a quote inside a sentence about someone
		// is most often that someone's words ("Mancini's "passion" for the
		// hobby "stemmed through my love for Halloween."").
		m := x.headOf(toks, s.a, q)
		if m.kind == entPerson || m.kind == entOrg || m.kind == entPronoun || (m.kind == entDescriptor && m.definite && orgNouns[m.head]) {
			return x.resolve(clue{m: m, verb: -1, cue: verbAfter(toks, m.b, q)}, toks, s)
		}
		if !adverbialOnly(toks, s.a, q) {
			return attribution{}
		}
		// `During the premiere, "I felt like Cinderella."`: only a time or a
		// place before the quote, so it stands alone like a quote sentence.
	}
	// A sentence that is only a quote: the quote before it in the paragraph
	// continues ("A," X said. "B.") ...
	for j := si - 1; j >= 0; j-- {
		if a, found := lastQuoteIn(p, p.sents[j]); found {
			if a.known {
				st.split = true
				return a
			}
			break
		}
	}
	// ... or the next sentence says who spoke ("...!" Macron told the world.)
	if si+1 < len(p.sents) {
		n := p.sents[si+1]
		if !hasQuote(toks, n) {
			if c := x.parseSuffix(toks, n.a, n.a-1, n.b); c.m.ok() && c.tight {
				return x.resolve(c, toks, n)
			}
		}
	}
	// ... or a later quote of the paragraph, after more quote sentences,
	// says who spoke (`"A." "B." "C," she said.`).
	if a, ok := x.laterAttribution(p, si); ok {
		st.split = true
		return a
	}
	// ... or the sentence before it introduced the speaker.
	if si > 0 && x.prevSpeech.known {
		return x.prevSpeech
	}
	// A paragraph that opens with a quote continues the previous paragraph's
	// speaker.
	if si == 0 && x.lastQuotePara == p.index-1 && x.lastQuote.known {
		st.split = true
		return x.lastQuote
	}
	if si == 0 && x.prevColon && x.prevSpeech.known {
		return x.prevSpeech
	}
	// `The home side ..., leaving Ingram unimpressed. "One of them was
	// questionable."`: the person the paragraph is about.
	if e := x.reg.lastPerson; e != nil && si > 0 {
		return x.named(attribution{known: true, ent: e}, "")
	}
	return attribution{}
}

// adverbialOnly: toks[a:q] is one introductory phrase and a comma ("During
// the premiere,", "On Monday,"), with no verb and no name of its own.
func adverbialOnly(toks []token, a, q int) bool {
	if q-a < 2 || q-a > 8 || !toks[q-1].punct(",") || !toks[a].in(lxAdverbialStart) {
		return false
	}
	for i := a; i < q-1; i++ {
		if toks[i].kind != tkWord || (isNameWord(toks[i]) && i > a) || toks[i].in(lxSpeech) {
			return false
		}
	}
	return true
}

// laterAttribution looks past the quote-only sentences after sentence si for
// the first quote with an attribution right after it, a few sentences on.
func (x *extractor) laterAttribution(p *para, si int) (attribution, bool) {
	toks := p.toks
	for j := si + 1; j < len(p.sents) && j <= si+maxLaterSentences; j++ {
		n := p.sents[j]
		x.steps++
		if toks[n.a].kind != tkQuote {
			return attribution{}, false
		}
		if n.b-n.a > 2 {
			if c := x.parseSuffix(toks, n.a, n.a, n.b); c.m.ok() && c.tight {
				return x.resolve(c, toks, n), true
			}
			return attribution{}, false
		}
	}
	return attribution{}, false
}

// maxLaterSentences bounds the look ahead for a later attribution.
const maxLaterSentences = 4

// opensAttribution: the words between the parts of a split quote start with
// punctuation, the verb or the speaker, not with "and" as in `"A" and "B"`.
func opensAttribution(t token) bool {
	return t.kind == tkPunct || t.in(lxSpeech) || t.in(lxPronoun) || isNameWord(t) || t.in(lxDeterminer)
}

func hasPunct(toks []token, a, b int, marks string) bool {
	for i := a; i < b; i++ {
		if toks[i].punct(marks) {
			return true
		}
	}
	return false
}

// statementIssuer finds "statement from X" or "statement by X" in toks[a:q].
func (x *extractor) statementIssuer(toks []token, a, q int) mention {
	for i := a; i < q; i++ {
		if toks[i].kind == tkWord && toks[i].in(lxStatementSing) {
			if m := x.issuer(toks, i+1, q); m.ok() {
				return m
			}
		}
	}
	return mention{}
}

func hasQuote(toks []token, s sentence) bool {
	for i := s.a; i < s.b; i++ {
		if toks[i].kind == tkQuote {
			return true
		}
	}
	return false
}

// lastQuoteIn is the attribution of the last quote of s, and whether s has
// a quote at all.
func lastQuoteIn(p *para, s sentence) (attribution, bool) {
	for i := s.b - 1; i >= s.a; i-- {
		if p.toks[i].kind == tkQuote {
			return p.quotes[p.toks[i].q].attr, true
		}
	}
	return attribution{}, false
}

// verbAfter is the word after a subject when it looks like a past-tense verb
// ("disagreed", "opposed"): the cue of a colon-introduced quote.
func verbAfter(toks []token, i, q int) string {
	for ; i < q && i >= 0; i++ {
		t := toks[i]
		if t.kind != tkWord {
			continue
		}
		if !t.cap && len(t.lower) > 3 && t.lower[len(t.lower)-2:] == "ed" {
			return t.text
		}
		if !t.cap && !t.in(lxAux) {
			return ""
		}
	}
	return ""
}

// resolve turns a speaker phrase into a name, using what the article said
// before: surnames, pronouns, titles, descriptors.
func (x *extractor) resolve(c clue, toks []token, s sentence) attribution {
	a := attribution{cue: c.cue, known: true}
	m := c.m
	switch m.kind {
	case entPerson, entOrg:
		if !x.speakerName(toks, m) {
			// A place or a common word is no speaker: say nothing rather
			// than something wrong.
			return a
		}
		a.ent = x.reg.entityOf(m)
		a.named = true
	case entTitle:
		a.ent = x.reg.personWithTitle(m.title)
		if a.ent == nil {
			a.title = m.title
		}
	case entPronoun:
		a.ent = x.sameSentence(m, toks, s)
		if a.ent == nil {
			a.ent = x.pronoun(m.head)
		}
	case entDescriptor:
		return x.descriptor(a, m, toks, s)
	default:
		return attribution{}
	}
	return x.named(a, m.title)
}

// named fills speaker and title from the resolved entity.
func (x *extractor) named(a attribution, title string) attribution {
	if a.ent == nil {
		return a
	}
	if !a.named && !x.speakable(a.ent) {
		// A place or a common word is no speaker: say nothing rather than
		// something wrong.
		a.ent = nil
		return a
	}
	a.speaker = a.ent.name
	a.ent.learnTitle(title)
	a.title = a.ent.title
	if a.title == "" {
		a.title = title
	}
	return a
}

// sameSentence resolves "he" in "John Rhys-Davies broke news when he
// revealed ..." to the subject of its own sentence.
func (x *extractor) sameSentence(m mention, toks []token, s sentence) *entity {
	if m.a <= s.a || (m.head != "he" && m.head != "she") {
		return nil
	}
	subj := x.headOf(toks, s.a, m.a)
	if subj.kind != entPerson {
		return nil
	}
	e := x.lookup(subj)
	want := male
	if m.head == "she" {
		want = female
	}
	if e == nil || (e.gender != unknownGender && e.gender != want) {
		return nil
	}
	return e
}

func (x *extractor) pronoun(p string) *entity {
	switch p {
	case "he":
		return x.reg.gendered(male, x.speakable)
	case "she":
		return x.reg.gendered(female, x.speakable)
	case "it":
		if x.reg.lastOrg != nil {
			return x.reg.lastOrg
		}
	}
	return x.reg.lastSubject
}

// descriptor resolves "the statement", "a spokesperson", "the ministry", "the
// judge"; an unnamed individual keeps the descriptor as title only.
func (x *extractor) descriptor(a attribution, m mention, toks []token, s sentence) attribution {
	r := x.reg
	switch {
	case statementNouns[m.head]:
		// "a statement which read": whoever issued it, the sentence's subject
		// or else the last organisation.
		subj := x.headOf(toks, s.a, m.a)
		if subj.kind == entPerson || subj.kind == entOrg {
			a.ent = r.entityOf(subj)
		} else if r.lastOrg != nil {
			a.ent = r.lastOrg
		} else {
			a.ent = r.lastSubject
		}
		return x.named(a, "")
	case spokesNouns[m.head] || (m.head == "official" && m.forOrg != nil):
		if m.forOrg != nil {
			if m.forOrg.kind == entDescriptor {
				a.ent = r.orgWithWord(m.forOrg.head)
			} else {
				a.ent = r.entityOf(*m.forOrg)
			}
		}
		if a.ent == nil {
			a.ent = r.lastOrg
		}
		if a.ent == nil {
			a.title = m.head
			return a
		}
		a.speaker, a.title = a.ent.name, m.head
		return a
	case orgNouns[m.head] && !m.plural:
		a.ent = r.orgWithWord(m.head)
		if a.ent == nil && m.definite {
			// "The army said": an organisation the article does not name.
			a.speaker = m.name
			return a
		}
	case (m.det == "this" || m.det == "that") && roleNouns[m.head]:
		// "this person also said": the one just mentioned.
		a.ent = r.lastPerson
	case m.definite && (isTitleWord(m.head) || roleNouns[m.head]) && !introducesSomeone(m.title):
		// "the judge" after "Judge Bernard Schwartz"; "the former secretary
		// of state" after "Secretary of State Hillary Clinton"; "The Wooster
		// professor added" right after Karen Alley spoke is Karen Alley.
		a.ent = r.personWithTitle(m.head)
		if a.ent == nil && m.title != "" {
			a.ent = r.personWithTitle(m.title)
		}
		if prev := x.prevSpeech.ent; a.ent == nil && prev != nil && prev.kind == entPerson && prev.name != "" && !familyWords[m.head] {
			a.ent = prev
		}
		if a.ent == nil && !familyWords[m.head] {
			// A definite description refers back: to the last person in the
			// story it can describe ("the former secretary of state said").
			a.ent = r.describable(m, x.speakable)
		}
		if a.ent == nil {
			a.ent = anonymous(m)
		}
	case roleNouns[m.head] && !m.plural:
		a.ent = anonymous(m)
	}
	if a.ent == nil {
		a.title = titleOf(m)
		return a
	}
	if a.ent.gender == unknownGender {
		// "the congresswoman", "the businessman": the description says it.
		a.ent.gender = genderOf(m.name)
	}
	return x.named(a, "")
}

// introducesSomeone: a role with an "of" phrase that has its own determiner
// ("the head of the police's investigators", "the mother of one victim")
// brings in a new person; one without ("the former secretary of state") is
// a title, and refers back.
func introducesSomeone(title string) bool {
	_, rest, ok := strings.Cut(strings.ToLower(title), " of ")
	if !ok {
		return false
	}
	first, _, _ := strings.Cut(rest, " ")
	return determiners[first] || first == "his" || first == "her" || first == "their" || strings.HasSuffix(first, "'s")
}

// familyWords describe someone by kinship, which never refers back to the
// last speaker ("The father said" after the judge spoke).
var familyWords = wordSet(`father mother son daughter wife husband brother sister child parent
grandmother grandfather aunt uncle cousin niece nephew widow widower fiancée fiancé partner`)

// anonymous is an individual the article describes but does not name: "a
// protester", "one of the children". A short definite description ("the
// father") refers to one known person, so it stands as the name.
func anonymous(m mention) *entity {
	e := &entity{kind: entPerson, title: titleOf(m)}
	if m.definite && m.title == "" && len(strings.Fields(m.name)) <= 3 {
		e.name = m.name
	}
	e.gender = genderOf(m.name)
	return e
}
