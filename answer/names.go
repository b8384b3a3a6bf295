package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/internal/entity"
	"github.com/newsbot/newsbot/internal/lexicon"
)

// References are the question's names that an article's sentences speak of
// without spelling them as the question does: a member types "BU", "Boris"
// or "Sanders" where the article writes "Boston University", "Johnson" or
// "he". The table of names is read from the article itself (its capitalised
// runs, their initials, the short forms it defines in brackets), never from
// a list of known names.
type References struct {
	// Alias holds, per sentence, the question's words (lower-case) that
	// the sentence names in another form: "bu" for a sentence holding
	// "Boston University", "boris" for one holding "Johnson" after the
	// article gave "Boris Johnson".
	Alias []map[string]bool
	// Coref holds, per sentence, the question's words that the sentence's
	// pronouns and descriptions ("he", "the company") stand for, when the
	// sentence does not name them.
	Coref []map[string]bool
	// Article holds the question's words that some sentence names in
	// another form: the article knows them, though it never spells them.
	Article map[string]bool
}

// person kinds of a name, as far as the article tells.
type nameKind uint8

const (
	kindOther nameKind = iota // a place, an event, a work
	kindPerson
	kindOrg
)

type gender uint8

const (
	genderUnknown gender = iota
	genderMale
	genderFemale
)

// articleName is one name the article spells out in full.
type articleName struct {
	lower    []string // its capitalised words, lower-case, connectors left out
	acronyms []string // its initials and the short forms the article defines
	// written and title make its kind, worked out when first asked
	// (kind): most names of an article are never asked about.
	written []string
	title   string
	kindSet bool
	kindOf  nameKind
	gender  gender
	// asked are the question's words that stand for this name.
	asked []string
	seen  int // the sentence that last named it
}

// kind is whether n is a person, an organisation or another thing.
func (n *articleName) kind() nameKind {
	if !n.kindSet {
		n.kindOf, n.kindSet = kindOf(n.written, n.title), true
	}
	return n.kindOf
}

// refWord is a word of a text with its byte range.
type refWord struct {
	text       string
	start, end int
}

// Refer reads the names of an article's sentences (in article order) and
// finds, per sentence, the question's names it speaks of in another form.
func Refer(question string, sents []string) References {
	refs := References{Alias: make([]map[string]bool, len(sents)), Coref: make([]map[string]bool, len(sents)), Article: map[string]bool{}}
	qwords := questionNameWords(question)
	if len(qwords) == 0 {
		return refs
	}
	var names []*articleName
	byKey := map[string]*articleName{}
	personNouns := map[string]bool{}
	personNoun := func(w string) bool {
		p, ok := personNouns[w]
		if !ok {
			p = lexicon.IsPersonNoun(w)
			personNouns[w] = p
		}
		return p
	}
	for i, s := range sents {
		words := splitWords(s)
		var present map[string]bool // the sentence's words, lower-case, made when needed
		holds := func(asked []string) bool {
			if len(asked) == 0 {
				return true // nothing to credit
			}
			if present == nil {
				present = make(map[string]bool, len(words))
				for _, w := range words {
					present[Fold(strings.ToLower(trimPossessive(w.text)))] = true
				}
			}
			return holdsAny(present, asked)
		}
		named := map[*articleName]bool{}
		var named1 []*articleName // in order of mention
		mention := func(n *articleName) {
			if !named[n] {
				named[n] = true
				named1 = append(named1, n)
			}
			n.seen = i
		}
		for _, r := range capitalRuns(s, words) {
			n := resolveRun(r, names, byKey)
			if n == nil && r.common && isCommonWord(r.words[0].text) {
				if r.words = r.words[1:]; len(r.words) == 0 {
					continue
				}
				n = resolveRun(r, names, byKey)
			}
			if n == nil {
				n = newName(r, qwords)
				if n == nil {
					continue
				}
				names = append(names, n)
				byKey[strings.Join(n.lower, " ")] = n
			}
			if r.defines != "" && !contains(n.acronyms, r.defines) {
				n.acronyms = append(n.acronyms, r.defines)
				n.asked = appendAsked(n.asked, qwords, n)
			}
			if n.gender == genderUnknown {
				n.gender = genderOfTitle(r.title)
			}
			mention(n)
		}
		// The sentence's pronouns and descriptions: "he" is the person
		// last named, "the company" the organisation.
		// Only a name the question asks about is worth resolving
		// pronouns for: reading them is most of the cost.
		var he, she, org bool
		if askedSince(names, i-3) {
			he, she, org = pronouns(words, personNoun)
		}
		if len(named1) == 1 && named1[0].kind() == kindPerson && named1[0].gender == genderUnknown && he != she {
			// "Jane Doe said she ...": the article gives her gender.
			if he {
				named1[0].gender = genderMale
			} else {
				named1[0].gender = genderFemale
			}
		}
		for _, n := range named1 {
			// "McArthur" after "Bruce McArthur" adds nothing to a
			// question that says "McArthur": the sentence already
			// holds a word of the name.
			if holds(n.asked) {
				continue
			}
			for _, w := range n.asked {
				setWord(&refs.Alias[i], w)
				refs.Article[w] = true
			}
		}
		var corefs []*articleName
		if he || she {
			corefs = append(corefs, recent(names, i, kindPerson, he, she))
		}
		if org {
			corefs = append(corefs, recent(names, i, kindOrg, false, false))
		}
		for _, n := range corefs {
			if n == nil || named[n] || holds(n.asked) {
				continue
			}
			for _, w := range n.asked {
				setWord(&refs.Coref[i], w)
			}
		}
	}
	return refs
}

// askedSince reports whether a name the question asks about was named in
// sentence from or later.
func askedSince(names []*articleName, from int) bool {
	for _, n := range names {
		if len(n.asked) > 0 && n.seen >= from {
			return true
		}
	}
	return false
}

func holdsAny(present map[string]bool, words []string) bool {
	for _, w := range words {
		if present[w] {
			return true
		}
	}
	return false
}

func setWord(m *map[string]bool, w string) {
	if *m == nil {
		*m = map[string]bool{}
	}
	(*m)[w] = true
}

// recent is the name a pronoun or description of sentence i stands for: the
// latest of its kind named within the last three sentences, and for "he" or
// "she" of no other gender.
func recent(names []*articleName, i int, kind nameKind, he, she bool) *articleName {
	var best *articleName
	for _, n := range names {
		if i-n.seen > 3 || n.kind() != kind {
			continue
		}
		if he && n.gender == genderFemale || she && !he && n.gender == genderMale {
			continue
		}
		if best == nil || n.seen > best.seen {
			best = n
		}
	}
	return best
}

// questionWord is a word of the question that may be a name or part of one.
type questionWord struct {
	lower   string
	acronym bool // typed in capitals ("BU")
	// run are the words of the name it is typed in ("Paul Manafort"):
	// all of them must be words of a name it stands for.
	run []string
}

func questionNameWords(q string) []questionWord {
	var out []questionWord
	words := splitWords(q)
	for i := 0; i < len(words); i++ {
		// A run of capitalised words is one name; a word typed in
		// lower case ("boris") is a name of its own.
		j := i + 1
		if entity.IsCapitalised(words[i].text) {
			for j < len(words) && entity.IsCapitalised(words[j].text) && !strings.ContainsAny(q[words[j-1].end:words[j].start], ",;:?!()") && trimPossessive(words[j-1].text) == words[j-1].text {
				j++
			}
		}
		var run []string
		for _, w := range words[i:j] {
			lw := Fold(strings.ToLower(trimPossessive(w.text)))
			if !connectors[lw] && !questionStop[lw] {
				run = append(run, lw)
			}
		}
		for _, w := range words[i:j] {
			t := trimPossessive(w.text)
			lw := Fold(strings.ToLower(t))
			if len([]rune(t)) < 2 || connectors[lw] || questionStop[lw] {
				continue
			}
			out = append(out, questionWord{lower: lw, acronym: allUpper(t), run: run})
		}
		i = j - 1
	}
	return out
}

// questionStop are words of questions that are never part of a name.
var questionStop = entity.WordSet(`what which who whom whose when where why how the and for did does was were is are has have had this that with from into about after before`)

// appendAsked adds the question's words that stand for n.
func appendAsked(asked []string, qwords []questionWord, n *articleName) []string {
	for _, q := range qwords {
		if contains(asked, q.lower) || !standsFor(q, n) {
			continue
		}
		asked = append(asked, q.lower)
	}
	return asked
}

// standsFor reports whether a question word names n: its initials or a short
// form the article defines ("BU", "NHS"), or, for a person, a first name or
// a surname ("Boris", "Sanders") typed alone or with other words of the same
// name ("Paul Manafort" is not John Paul Stevens).
func standsFor(q questionWord, n *articleName) bool {
	for _, a := range n.acronyms {
		if strings.EqualFold(a, q.lower) && (q.acronym || len(a) >= 3) {
			return true
		}
	}
	if len(q.lower) < 3 {
		return false
	}
	for _, w := range q.run {
		if !contains(n.lower, w) {
			return false
		}
	}
	return n.kind() == kindPerson
}

// nameRunAt is a capitalised run of a sentence.
type nameRunAt struct {
	words   []refWord // the name's words, connectors included
	title   string    // a title right before ("Mr", "President"), lower-case
	defines string    // the short form in brackets right after: "(NHS)"
	// common is set when the run's first word starts the sentence: if it
	// is a common word too ("Kino", "Will"), it is a name only if the
	// article named it so before.
	common bool
}

// capitalRuns finds the names of a sentence: runs of capitalised words,
// joined by "of", "and", "for", "de" and the like, without a sentence's
// capitalised first word when it is a common word, and without titles.
func capitalRuns(s string, words []refWord) []nameRunAt {
	var out []nameRunAt
	for i := 0; i < len(words); {
		if !entity.IsCapitalised(words[i].text) {
			i++
			continue
		}
		j := i
		var run []refWord
		for j < len(words) {
			w := words[j]
			if j > i {
				if gap := strings.TrimSpace(s[words[j-1].end:w.start]); gap != "" && gap != "&" {
					break // punctuation between: another name
				}
			}
			if entity.IsCapitalised(w.text) {
				run = append(run, w)
				j++
				if trimPossessive(w.text) != w.text {
					break // "Tonga's Prime Minister": the possessor is a name of its own
				}
				continue
			}
			if joins(w.text, run) && j+1 < len(words) && entity.IsCapitalised(words[j+1].text) {
				run = append(run, w)
				j++
				continue
			}
			break
		}
		r := nameRunAt{}
		// Titles say who a person is, not their name: "Interior Minister
		// Joachim Brudziński" is Joachim Brudziński.
		for k := len(run) - 2; k >= 0; k-- {
			if lw := strings.ToLower(strings.TrimSuffix(run[k].text, ".")); entity.IsTitle(lw) || honorific[lw] {
				r.title = lw
				run = run[k+1:]
				break
			}
		}
		// A sentence's first word is capitalised anyway.
		for len(run) > 0 {
			lw := strings.ToLower(strings.TrimSuffix(run[0].text, "."))
			first := run[0].start == words[0].start
			if entity.IsTitle(lw) || honorific[lw] {
				r.title = lw
				run = run[1:]
				continue
			}
			if first && commonCapitals[run[0].text] {
				run = run[1:]
				continue
			}
			r.common = first // whether it is a common word is asked only if need be
			break
		}
		for len(run) > 0 && connectors[run[len(run)-1].text] {
			run = run[:len(run)-1]
		}
		if len(run) > 0 {
			r.words = run
			rest := s[run[len(run)-1].end:]
			if strings.HasPrefix(rest, " (") {
				if k := strings.IndexByte(rest, ')'); k > 2 && allUpper(rest[2:k]) && !strings.ContainsAny(rest[2:k], " ,") {
					r.defines = rest[2:k]
				}
			}
			out = append(out, r)
		}
		i = max(j, i+1)
	}
	return out
}

// joins reports whether a lower-case word continues the name before it:
// a particle ("de", "van", "bin") always, "of", "for" and "and" only after
// the word of an institution ("University of Hawaii", not "Michael Siegel of
// Boston University").
func joins(w string, run []refWord) bool {
	switch {
	case len(run) == 0 || !connectors[w]:
		return false
	case w == "of" || w == "for" || w == "and" || w == "on" || w == "the":
		for _, r := range run {
			if orgWords[r.text] {
				return true
			}
		}
		return false
	}
	return true
}

// resolveRun finds the name a run speaks of: the name itself, or the latest
// name one of whose words or short forms it is ("Johnson", "BU").
func resolveRun(r nameRunAt, names []*articleName, byKey map[string]*articleName) *articleName {
	lower := runLower(r)
	if len(lower) == 0 {
		return nil
	}
	if n := byKey[strings.Join(lower, " ")]; n != nil {
		return n
	}
	if len(r.words) != 1 {
		return nil
	}
	w := trimPossessive(r.words[0].text)
	var best *articleName
	for _, n := range names {
		if len(n.lower) < 2 && !contains(n.acronyms, w) {
			continue
		}
		if contains(n.acronyms, w) || contains(n.lower, lower[0]) {
			if best == nil || n.seen >= best.seen {
				best = n
			}
		}
	}
	return best
}

func runLower(r nameRunAt) []string {
	var out []string
	for _, w := range r.words {
		lw := Fold(strings.ToLower(trimPossessive(w.text)))
		if !connectors[lw] {
			out = append(out, lw)
		}
	}
	return out
}

// newName makes a name of a run not met before: its initials ("Boston
// University": BU; "University of Hawaii": UH) are a short form of it, and a
// run in capitals is its own short form.
func newName(r nameRunAt, qwords []questionWord) *articleName {
	n := &articleName{lower: runLower(r), gender: genderOfTitle(r.title)}
	if len(n.lower) == 0 {
		return nil
	}
	var initials strings.Builder
	var written []string
	for _, w := range r.words {
		t := trimPossessive(w.text)
		if connectors[strings.ToLower(t)] {
			continue
		}
		written = append(written, t)
		rr, _ := utf8.DecodeRuneInString(Fold(t))
		initials.WriteRune(rr)
	}
	if len(written) >= 2 {
		n.acronyms = append(n.acronyms, initials.String())
		// "Boston University School of Public Health" is BU too.
		for k := 2; k < len(written); k++ {
			if orgWords[written[k-1]] {
				n.acronyms = append(n.acronyms, string([]rune(initials.String())[:k]))
			}
		}
	} else if allUpper(written[0]) {
		n.acronyms = append(n.acronyms, written[0])
	}
	n.written, n.title = written, r.title
	n.asked = appendAsked(nil, qwords, n)
	return n
}

func isCommonWord(w string) bool {
	return lexicon.IsWord(strings.ToLower(w)) && lexicon.NameClass(w) == lexicon.None
}

// kindOf tells a person from an organisation by the name's words alone (the
// sentence's context, as classify reads it, costs regular expressions on
// every name of every article ranked): a title makes a person, an
// institution's word or capitals an organisation, WordNet knows famous
// names, and a run of two or more other capitalised words is most often a
// person.
func kindOf(words []string, title string) nameKind {
	last := words[len(words)-1]
	if title != "" && !orgWords[last] {
		return kindPerson
	}
	for _, w := range words {
		if orgWords[w] {
			return kindOrg
		}
	}
	if len(words) == 1 {
		// "Texas", "Paris": one word names a person at first mention
		// seldom enough not to ask WordNet for every one.
		if allUpper(last) {
			return kindOrg
		}
		return kindOther
	}
	switch lexicon.UsualClass(strings.Join(words, " ")) {
	case lexicon.Person:
		return kindPerson
	case lexicon.Organization:
		return kindOrg
	case lexicon.Place:
		return kindOther
	}
	if len(words) >= 2 && lexicon.NameClass(last)&lexicon.Place == 0 {
		return kindPerson
	}
	return kindOther
}

// pronouns reports whether a sentence speaks of a man, a woman or an
// organisation without naming them.
func pronouns(words []refWord, personNoun func(string) bool) (he, she, org bool) {
	for i, w := range words {
		lw := strings.ToLower(w.text)
		switch lw {
		case "he", "him", "his", "himself":
			he = true
		case "she", "her", "hers", "herself":
			she = true
		case "its":
			org = true
		case "the":
			if i+1 < len(words) {
				next := strings.ToLower(words[i+1].text)
				switch {
				case orgNouns[next]:
					org = true
				case maleNouns[next]:
					he = true
				case femaleNouns[next]:
					she = true
				case !strings.HasSuffix(next, "s") && personNoun(next):
					he, she = true, true
				}
			}
		}
	}
	return he, she, org
}

var (
	orgNouns    = entity.WordSet(`company firm university group organisation organization agency party club team airline court ministry department government council committee union bank network newspaper channel band corporation institute school college hospital charity`)
	maleNouns   = entity.WordSet(`man boy father husband son brother king prince actor`)
	femaleNouns = entity.WordSet(`woman girl mother wife daughter sister queen princess actress`)
	honorific   = entity.WordSet(`mr mrs ms miss dr sir dame lady lord`)
	femaleTitle = entity.WordSet(`mrs ms miss dame lady queen princess actress duchess congresswoman spokeswoman chairwoman businesswoman`)
	maleTitle   = entity.WordSet(`mr sir lord king prince duke congressman spokesman chairman businessman actor`)
	// connectors join the words of one name: "University of Hawaii".
	connectors = entity.WordSet(`of for and the de del della da di van von der al bin el la le du on`)
)

func genderOfTitle(t string) gender {
	switch {
	case femaleTitle[t]:
		return genderFemale
	case maleTitle[t]:
		return genderMale
	}
	return genderUnknown
}

// splitWords splits a text into words: letters, digits and the marks inside
// a name ("O'Brien", "Rhys-Davies", "PG&E").
func splitWords(s string) []refWord {
	var out []refWord
	start := -1
	for i, r := range s {
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || start >= 0 && (r == '\'' || r == '’' || r == '-' || r == '&' || r == '.' && i+1 < len(s) && s[i+1] != ' ')
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, newRefWord(s[start:i], start))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, newRefWord(s[start:], start))
	}
	return out
}

func newRefWord(w string, start int) refWord {
	w = strings.TrimRight(w, "'’-&.")
	return refWord{text: w, start: start, end: start + len(w)}
}

func trimPossessive(w string) string {
	for _, suf := range []string{"'s", "’s", "'", "’"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+1 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}
