package quotes

import (
	"strings"
	"unicode"
	"unicode/utf8"

	ent "github.com/newsbot/newsbot/internal/entity"
)

// entKind is what a mention of a speaker refers to.
type entKind uint8

const (
	entNone       entKind = iota
	entPerson             // a personal name, full or partial
	entOrg                // an organisation or place
	entTitle              // a title with no name ("The Vice President")
	entDescriptor         // a common-noun phrase ("the ministry", "a protester")
	entPronoun
)

// mention is a phrase that may name a speaker.
type mention struct {
	kind     entKind
	name     string   // as written, titles removed
	words    []string // name words in lower case
	title    string   // role given with the mention
	head     string   // descriptor or title head noun, lower case
	det      string   // a descriptor's determiner
	definite bool     // descriptor with the/this/that
	plural   bool
	forOrg   *mention // "a spokesperson for Facebook"
	a, b     int      // token range
}

func (m mention) ok() bool { return m.kind != entNone }

// isNameWord: a capitalised word that can be part of a name. Computed once
// per token by tokenize (see nameWordText).
func isNameWord(t token) bool {
	return t.kind == tkWord && t.name
}

// nameWordText decides isNameWord for a word and its lower-case form.
func nameWordText(text, lower string, cap bool, lex lexClass) bool {
	if !cap {
		return isParticleName(text)
	}
	if lex&lxStopCap != 0 {
		return false
	}
	k := -1 // the first apostrophe
	for i := 0; i < len(lower); i++ {
		switch c := lower[i]; {
		case '0' <= c && c <= '9':
			return false
		case k < 0 && (c == '\'' || c == 0xE2 && strings.HasPrefix(lower[i:], "’")):
			k = i
		}
	}
	// "They're", "It's", "Don't": a contraction of a function word.
	if k > 0 && (stopCaps[lower[:k]] || strings.HasSuffix(lower, "n't") || strings.HasSuffix(lower, "n’t")) {
		return false
	}
	return true
}

// runEnd returns the end of the name run starting at i: capitalised words,
// initials and name particles between capitalised words. A possessive ends
// the run.
func runEnd(toks []token, i, limit int) int {
	j := i
	for j < limit {
		t := toks[j]
		switch {
		case isNameWord(t) || (j > i && t.cap && t.lower == "the"):
		case j > i && t.in(lxParticle) && !t.cap && j+1 < limit && isNameWord(toks[j+1]):
		default:
			return j
		}
		j++
		// A possessive ends the run, unless an organisation's name goes on
		// ("the Alachua Sheriff's Office").
		if t.poss && !(j < limit && isNameWord(toks[j]) && toks[j].in(lxOrgWord)) {
			return j
		}
		// "Ministry of Health", "Catholic Bishops' Conference of the
		// Philippines": an organisation word takes an "of" phrase.
		if k := ofContinuation(toks, j, limit); k > j && t.in(lxOrgWord) && !t.in(lxTitle) {
			j = k
		}
	}
	return j
}

// ofContinuation returns the index of the name after "of" or "of the" at j,
// or j.
func ofContinuation(toks []token, j, limit int) int {
	if j+1 >= limit || !toks[j].is("of", "on", "for") {
		return j
	}
	k := j + 1
	if toks[k].is("the") && !toks[k].cap {
		k++
	}
	if k < limit && isNameWord(toks[k]) {
		return k
	}
	return j
}

// nameParticles open a surname joined by a hyphen ("el-Sisi", "al-Assad").
var nameParticles = wordSet(`al el ad ar as at ash bin ibn abu ben de di du da van von le la`)

// isParticleName: a lower-case particle, a hyphen and a capitalised name.
func isParticleName(w string) bool {
	k := strings.IndexByte(w, '-')
	if k <= 0 || k+1 >= len(w) || !nameParticles[w[:k]] {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w[k+1:])
	return unicode.IsUpper(r)
}

func isTitleWord(w string) bool { return ent.IsTitle(w) }

func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 2
}

// classifyRun tells a person from an organisation or a bare title, and splits
// the title from the name: "NATO Secretary General Jens Stoltenberg" is the
// person "Jens Stoltenberg" with title "NATO Secretary General". det says the
// run follows "the", which people's names do not.
func classifyRun(toks []token, a, b int, det bool) mention {
	m := mention{a: a, b: b}
	last := b - 1
	if toks[a].lower == "the" {
		det = true
		a++
		if a > last {
			return mention{}
		}
	}
	for last > a && toks[last].in(lxPostnominal) {
		// "Judge Durham Hall QC": letters after a name are not the name.
		last--
		b--
	}
	m.b = b
	titled := false // a title word came first: "Judge Durham Hall"
	k := -1         // last title, organisation or acronym word
	if last-a >= 2 && toks[a].in(lxRole) {
		// "Co-author Jing-Shan Zhao", "Driver John Smith": a role opening a
		// name of two more words (not "Adam Driver").
		k = a
	}
	for i := a; i <= last; i++ {
		switch {
		case toks[i].in(lxTitle) && !toks[i].poss:
			k, titled = i, true
		case toks[i].in(lxSurnameLike) && titled:
			// "Hall", "Park" after a title are surnames, not places.
		case toks[i].in(lxOrgWord) || isAcronym(toks[i].text):
			k = i
		}
	}
	for i := a; i <= last; i++ {
		if toks[i].is("of", "on", "for") {
			// Only organisation names run across "of" (see runEnd).
			k = last
		}
	}
	lastWord, lastTitle := toks[last].lower, toks[last].in(lxTitle)
	if k == last && last > a && toks[last].in(lxSurnameTitle) {
		// "John Major", "Stephen King": a title word that is also a surname,
		// after a word that is neither a title nor an organisation.
		if p := toks[last-1]; !p.in(lxTitle|lxOrgWord) && !isAcronym(p.text) {
			k = -1
			for i := a; i < last; i++ {
				if toks[i].in(lxTitle|lxOrgWord) || isAcronym(toks[i].text) {
					k = i
				}
			}
			lastWord, lastTitle = "", false
		}
	}
	// One word after an organisation word is more likely the rest of its name
	// ("Daily Xtra") than a person; after a title it is a surname
	// ("Captain Rochester").
	if k >= a && k == last-1 && !toks[k].in(lxTitle) {
		k = last
	}
	switch {
	case det && lastTitle:
		m.kind, m.title, m.head = entTitle, joinText(toks, a, b), lastWord
	case det || k == last && !lastTitle:
		m.kind = entOrg
		m.name, m.words = joinText(toks, a, b), lowerWords(toks, a, b)
	case k == last:
		m.kind, m.title, m.head = entTitle, joinText(toks, a, b), lastWord
	default:
		m.kind = entPerson
		if k >= a {
			m.title = joinText(toks, a, k+1)
			if toks[k].in(lxRegnal) && k == a {
				// "Pope Francis", "King Maha Vajiralongkorn": the title is part
				// of how the person is named.
				k--
			}
			a = k + 1
		}
		m.name, m.words = joinText(toks, a, b), lowerWords(toks, a, b)
	}
	return m
}

// regnal titles stay in the name they precede.
var regnal = wordSet(`pope king queen prince princess emperor empress sultan emir sheikh saint st. lord lady dame sir`)

// surnameTitles are title words that are also common surnames.
var surnameTitles = wordSet(`major king bishop marshal dean judge chancellor constable cardinal prince
pope chief speaker sheriff`)

// surnameLike are place words that are also common surnames.
var surnameLike = wordSet(`hall park church bridge lake river street road hill ford field wood`)

// postnominals follow a name ("QC", "Jr.").
var postnominals = wordSet(`qc kc mp mep msp mla jr jr. sr sr. obe mbe cbe kbe phd md ii iii iv esq esq.`)

// joinText joins the words of toks[a:b] with single spaces, as written
// except for a possessive at the end ("the DRC's Institut", "John Bolton").
func joinText(toks []token, a, b int) string {
	if b == a+1 {
		return toks[a].text // most names are one word: no copy
	}
	n := 0
	for i := a; i < b; i++ {
		n += len(joinPart(toks, i, b)) + 1
	}
	var sb strings.Builder
	sb.Grow(n)
	for i := a; i < b; i++ {
		if i > a && toks[i].kind == tkWord && toks[i-1].text != "(" {
			sb.WriteByte(' ')
		}
		sb.WriteString(joinPart(toks, i, b))
	}
	return sb.String()
}

// joinPart is what joinText writes of toks[i]: the word as written, but
// without a possessive at the end.
func joinPart(toks []token, i, b int) string {
	if i == b-1 || toks[i].raw == "" {
		return toks[i].text
	}
	return toks[i].raw
}

// joinRaw is joinText keeping a final possessive ("Mendez's" in a title).
func joinRaw(toks []token, a, b int) string {
	s := joinText(toks, a, b)
	if b > a && toks[b-1].poss {
		s += toks[b-1].raw[len(toks[b-1].text):]
	}
	return s
}

func lowerWords(toks []token, a, b int) []string {
	out := make([]string, 0, b-a)
	for i := a; i < b; i++ {
		out = append(out, toks[i].lower)
	}
	return out
}

// entity is a person or organisation known from earlier in the article.
type entity struct {
	name   string // empty for an individual the article does not name
	title  string
	kind   entKind
	words  []string
	gender gender
	actor  bool      // was a subject or a speaker, not only mentioned
	class  ent.Class // what the tagger says the name is, once asked
	// mentions counts an organisation's names, for "the court" when the
	// article names two.
	mentions int
}

type gender uint8

const (
	unknownGender gender = iota
	male
	female
)

var (
	femaleWords = wordSet(`woman women wife mother daughter sister girl grandmother aunt niece queen
princess duchess mrs. mrs ms. ms miss madam spokeswoman chairwoman congresswoman assemblywoman
councilwoman businesswoman actress widow lady dame nun mum mom`)
	maleWords = wordSet(`man men husband father son brother boy grandfather uncle nephew king prince
duke mr. mr sir lord spokesman chairman congressman assemblyman councilman businessman
widower monk dad`)
)

// genderOf reads a gender from words of a title or descriptor, if any.
func genderOf(s string) gender {
	for w := range strings.FieldsSeq(strings.ToLower(s)) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		switch {
		case femaleWords[w]:
			return female
		case maleWords[w]:
			return male
		}
	}
	return unknownGender
}

// honorifics are titles that say little of a person's role; a fuller title
// found later replaces them.
var honorifics = wordSet(`professor prof. dr. dr doctor mr. mrs. ms. mr mrs ms miss sir dame`)

// learnTitle keeps the fullest title the article gives: a later title that
// extends the known one ("study co-author Professor" after "Professor"), or
// any title after a bare honorific.
func (e *entity) learnTitle(t string) {
	if e.gender == unknownGender {
		e.gender = genderOf(t)
	}
	switch {
	case t == "" || e.kind != entPerson:
	case e.title == "" || honorifics[strings.ToLower(e.title)]:
		e.title = t
	case len(t) > len(e.title) && strings.Contains(strings.ToLower(t), strings.ToLower(e.title)):
		e.title = t
	}
}

// registry remembers who was named so far, for surnames, pronouns and
// descriptors met later in the article.
type registry struct {
	persons     []*entity
	bySurname   map[string]*entity
	byFirstLast map[string]*entity // "john|bolton"
	orgs        []*entity
	orgByName   map[string]*entity

	lastPerson  *entity // the person most recently named as speaker or subject
	lastOrg     *entity
	lastSubject *entity
	recent      []*entity // people, most recently noticed first

	// key is where lookups build their map keys: a map indexed by
	// string(bytes) does not copy them, so only a new entry allocates.
	key []byte
}

// maxRecent people are kept for "he" and "she".
const maxRecent = 8

// maxLookBack bounds the searches by title or by word to the most recent
// entities, so that a text naming thousands stays linear.
const maxLookBack = 64

func newRegistry() *registry {
	return &registry{bySurname: map[string]*entity{}, byFirstLast: map[string]*entity{}, orgByName: map[string]*entity{}}
}

// person returns the entity for a full personal name, creating it if new. Two
// names with the same first and last word ("John R. Bolton", "John Bolton")
// are one person, named as first given.
func (r *registry) person(m mention) *entity {
	last := m.words[len(m.words)-1]
	if e := r.bySurname[last]; e != nil && len(e.words) > 0 && e.words[0] == m.words[0] {
		e.learnTitle(m.title)
		return e
	}
	r.key = append(append(append(r.key[:0], m.words[0]...), '|'), last...)
	if e := r.byFirstLast[string(r.key)]; e != nil {
		e.learnTitle(m.title)
		return e
	}
	e := &entity{name: m.name, title: m.title, kind: entPerson, words: m.words, gender: genderOf(m.title)}
	r.persons = append(r.persons, e)
	r.byFirstLast[string(r.key)] = e
	r.bySurname[last] = e
	if n := len(m.words); n >= 3 && !isInitial(m.words[n-2]) && r.bySurname[m.words[n-2]] == nil {
		// "Governor Vázquez" after "Wanda Vázquez Garced"
		r.bySurname[m.words[n-2]] = e
	}
	return e
}

// single resolves a one-word name: a surname given in full earlier, an
// organisation, or else a new one-word name.
func (r *registry) single(m mention) *entity {
	w := m.words[0]
	if e := r.bySurname[w]; e != nil {
		e.learnTitle(m.title)
		return e
	}
	if e := r.orgByName[w]; e != nil {
		return e
	}
	if m.title != "" {
		// "Princess Ubolratana" after "Princess Ubolratana Mahidol"
		for i := len(r.persons) - 1; i >= 0 && i >= len(r.persons)-maxLookBack; i-- {
			if e := r.persons[i]; e.words[0] == w && len(e.words) > 1 {
				return e
			}
		}
	}
	kind := entPerson
	if isAcronym(m.name) {
		kind = entOrg
	}
	e := &entity{name: m.name, title: m.title, kind: kind, words: m.words}
	if kind == entOrg {
		r.addOrg(e)
	} else {
		r.bySurname[w] = e
		r.persons = append(r.persons, e)
	}
	return e
}

func (r *registry) org(m mention) *entity {
	r.key = r.key[:0]
	for i, w := range m.words {
		if i > 0 {
			r.key = append(r.key, ' ')
		}
		r.key = append(r.key, w...)
	}
	if e := r.orgByName[string(r.key)]; e != nil {
		e.mentions++
		return e
	}
	e := &entity{name: m.name, kind: entOrg, words: m.words}
	r.addOrg(e)
	return e
}

func (r *registry) addOrg(e *entity) {
	r.orgs = append(r.orgs, e)
	r.orgByName[strings.Join(e.words, " ")] = e
}

// alias records an acronym given in brackets after an organisation.
func (r *registry) alias(e *entity, acronym string) {
	if r.orgByName[strings.ToLower(acronym)] == nil {
		r.orgByName[strings.ToLower(acronym)] = e
	}
}

// entityOf turns a name mention into a known entity.
func (r *registry) entityOf(m mention) *entity {
	switch {
	case m.kind == entPerson && len(m.words) >= 2:
		return r.person(m)
	case m.kind == entPerson && len(m.words) == 1:
		return r.single(m)
	case m.kind == entOrg && len(m.words) > 0:
		return r.org(m)
	}
	return nil
}

// orgWithWord is the organisation whose name has the word, for "the
// ministry" after "the Emergency Situations Ministry": of several, the one
// the article names most (the court it is about, not a court it mentions),
// then the most recent.
func (r *registry) orgWithWord(w string) *entity {
	var best *entity
	for i := len(r.orgs) - 1; i >= 0 && i >= len(r.orgs)-maxLookBack; i-- {
		for _, x := range r.orgs[i].words {
			if x == w && (best == nil || r.orgs[i].mentions > best.mentions) {
				best = r.orgs[i]
				break
			}
		}
	}
	return best
}

// personWithTitle is the most recent person whose title has every word of t,
// for "the President" after "United States President Donald Trump".
func (r *registry) personWithTitle(t string) *entity {
	want := strings.Fields(strings.ToLower(t))
	for i := len(r.persons) - 1; i >= 0 && i >= len(r.persons)-maxLookBack; i-- {
		have := strings.Fields(strings.ToLower(r.persons[i].title))
		if len(have) > 0 && containsAll(have, want) {
			return r.persons[i]
		}
	}
	return nil
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if descriptionFillers[w] {
			continue
		}
		w = fullTitle(w)
		found := false
		for _, h := range have {
			h = fullTitle(strings.TrimSuffix(h, "'s"))
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// describable is the most recent person who acted in the story (a subject or
// a speaker) and whom the description m can describe: no other role in
// their title, no other gender.
func (r *registry) describable(m mention, speakable func(*entity) bool) *entity {
	g := genderOf(m.name)
	for i, e := range r.recent {
		if i >= describeWindow {
			break
		}
		if !e.actor || e.name == "" || !speakable(e) || (g != unknownGender && e.gender != unknownGender && e.gender != g) {
			continue
		}
		if t := strings.ToLower(e.title); t != "" && !honorifics[t] && !containsAll(strings.Fields(t), []string{m.head}) {
			continue
		}
		return e
	}
	return nil
}

// describeWindow is how far back a description looks for its person.
const describeWindow = 3

// descriptionFillers in a description need not be in the title it refers to:
// "the former secretary of state" is "Secretary of State Hillary Clinton".
var descriptionFillers = wordSet(`the a former then ex- of for`)

// titleAbbrevs spell out abbreviated titles, so that "the senator" finds "Sen.
// Ted Cruz".
var titleAbbrevs = map[string]string{
	"sen.": "senator", "rep.": "representative", "gov.": "governor", "pres.": "president",
	"gen.": "general", "lt.": "lieutenant", "col.": "colonel", "capt.": "captain",
	"sgt.": "sergeant", "dr.": "doctor", "dr": "doctor", "prof.": "professor", "prof": "professor",
	"adm.": "admiral", "cmdr.": "commander", "maj.": "major", "supt.": "superintendent",
	"insp.": "inspector", "det.": "detective", "rev.": "reverend", "atty.": "attorney",
	"congressman": "representative", "congresswoman": "representative",
}

func fullTitle(w string) string {
	if f, ok := titleAbbrevs[w]; ok {
		return f
	}
	return w
}

// notice makes e the most salient entity of its kind.
func (r *registry) notice(e *entity) {
	if e == nil {
		return
	}
	if e.kind == entPerson {
		r.lastPerson = e
		r.pushRecent(e)
	} else {
		r.lastOrg = e
	}
	r.lastSubject = e
}

func (r *registry) pushRecent(e *entity) {
	for i, x := range r.recent {
		if x == e {
			copy(r.recent[1:i+1], r.recent[:i])
			r.recent[0] = e
			return
		}
	}
	if len(r.recent) < maxRecent {
		r.recent = append(r.recent, nil)
	}
	copy(r.recent[1:], r.recent)
	r.recent[0] = e
}

// gendered is the most recent person who can be "he" (male) or "she"
// (female); a person whose gender was unknown takes it from the pronoun.
//
// Someone only ever mentioned as an object, whose gender is not known, is
// passed over for an earlier person of the right gender: in "Emily Spanton
// met officers Quirin and Redouane. ... She told a guard", she is Spanton.
func (r *registry) gendered(g gender, speakable func(*entity) bool) *entity {
	var passive *entity
	for _, e := range r.recent {
		switch {
		case !speakable(e):
			// "Ohio", "Muslim": no one a pronoun stands for.
		case e.gender == g:
			return e
		case e.gender != unknownGender:
		case e.actor:
			e.gender = g
			return e
		case passive == nil:
			passive = e
		}
	}
	if passive != nil {
		passive.gender = g
		return passive
	}
	// Everyone recent is known to be of the other gender: nobody, rather
	// than the wrong one.
	return nil
}

// noticeActor notices someone who was a subject or spoke.
func (r *registry) noticeActor(e *entity) {
	if e != nil {
		e.actor = true
	}
	r.notice(e)
}
