package answer

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/internal/lexicon"
)

// Kind is the kind of answer a question wants.
type Kind string

const (
	KindAny    Kind = "any"
	KindPerson Kind = "person"
	KindNumber Kind = "number"
	KindPlace  Kind = "place"
	KindDate   Kind = "date"
	KindQuote  Kind = "quote"
	KindReason Kind = "reason"
)

var (
	placeNouns    = `(?:town|city|cities|country|countries|state|province|region|street|road|part|district|village|island|area|county|neighbou?rhood|venue|building|hospital|airport|port|prison|capital|location|site|place|suburb|municipality|river|sea|ocean|mountain|continent|nation)`
	personNouns   = `(?:judge|president|astronauts?|person|people|man|men|woman|women|guy|player|minister|leader|actor|actress|artist|author|writer|officials?|officer|candidate|politician|athlete|runner|driver|pilot|singer|company|companies|group|team|party|organi[sz]ation|agency|airline|club|band|lawyer|prosecutor|doctor|scientist|researcher|victims?|suspects?|senator|governor|mayor|king|queen|prince|princess|pope|chancellor|premier|ceo|founder|director|coach|journalist|reporter|spokes(?:man|woman|person)|activist|star|comedian|musician|rapper|economist|head|chief)`
	questionRules = []struct {
		re   *regexp.Regexp
		kind Kind
	}{
		{regexp.MustCompile(`^(?:so |and |but )?what (?:did|does|do|has|have|had) .{2,80}? (?:say|said|tweet|tweeted|write|wrote|tell|told|state|stated|claim|claimed|post|posted|announce|announced|add|added|warn|warned|call|called|describe|described)\b`), KindQuote},
		{regexp.MustCompile(`\bhow (?:many|much|old|long|far|big|large|tall|high|fast|heavy|deep|wide|often)\b|\bwhat (?:percentage|percent|proportion|share|fraction)\b|\bwhat %|\b(?:vote count|death toll|how many|what (?:was|is) the (?:score|toll|count|number|total|margin|tally|age|size|cost|price|amount|value|sum|speed|distance|height|time))\b|\bexact time\b|\bwhat age\b`), KindNumber},
		{regexp.MustCompile(`^(?:so |and |but )?when\b|\b(?:what|which|in what|in which) (?:year|years|date|day|month|decade|century|time of year)\b|\bduring which years\b|\bsince when\b|\bfrom what date\b|\bhow long ago\b`), KindDate},
		{regexp.MustCompile(`^(?:so |and |but )?where\b`), KindPlace},
		{regexp.MustCompile(`^(?:so |and |but )?(?:who|whom|whose|who's)\b`), KindPerson},
		{regexp.MustCompile(`^(?:so |and |but )?why\b|\bwhat (?:caused|causes|led to)\b|\bfor what reason\b|\bwhat (?:illness|disease|condition)\b|\bwhat did .{2,80} die (?:of|from)\b|\bcause of (?:death|the)\b`), KindReason},
	}
)

var (
	placeNounRE  = regexp.MustCompile(`^` + placeNouns + `$`)
	personNounRE = regexp.MustCompile(`^` + personNouns + `$`)
	// quantityNounRE are nouns whose answer is a number ("what was the
	// turnout").
	quantityNounRE = regexp.MustCompile(`^(?:turnout|attendance|population|tally|count|toll|estimate|budget|temperature|pressure|rate|score|total|margin|number|amount|cost|price|salary|fine|speed|distance|height|depth|weight|magnitude|capacity|majority)$`)
	orgNounRE      = regexp.MustCompile(`^(?:group|company|companies|party|parties|organi[sz]ations?|agency|agencies|airlines?|club|band|team|firm|network|newspaper|channel|militia)$`)
)

// headNoise are nouns that say nothing of the kind of answer ("which one").
var headNoise = map[string]bool{"name": true, "names": true, "one": true, "kind": true, "type": true, "thing": true, "sort": true}

var whoPredRE = regexp.MustCompile(`^(?:so |and |but )?who (?:first |actually |really |then )?([a-z]+(?:ed|d|t|n|s)|won|made|began|led|ran|shot|struck|wrote|stole|built|broke|found|took|gave|sold|beat|hit|set)\b`)

// Question is what the words of a question say about the answer it wants.
type Question struct {
	Kind Kind
	// WantsOrg is set when a "which/who" question asks for a group,
	// company or team rather than a person.
	WantsOrg bool
	// Head is the noun a which/what question asks about ("which part",
	// "what company"), lower-case, if any.
	Head string
	// Pred is the verb right after "who" ("who made"): the relation the
	// answer stands in.
	Pred string
	// Verb is the question's main verb, next to the gap the answer fills:
	// Pred for "who signed", the verb after the subject for "where did
	// Zapata take off from" (take).
	Verb string
	// Subject is set when the answer is the verb's subject ("who signed"),
	// so it comes before the verb in a sentence.
	Subject bool
	// Naming is set when the question asks what something is called
	// ("what was the test dummy called", "the name of the ship").
	Naming bool
	// Unit is the kind of quantity a number question wants.
	Unit Unit
	// DatePart is the part of a date a "when" question wants.
	DatePart DatePart
}

// DatePart is what a date question asks for: a year, a day of a month, or
// any date.
type DatePart int

const (
	DateAny DatePart = iota
	DateYear
	DateDay
	DateClock // a time of day ("what time did the fire start")
)

var (
	yearAskedRE = regexp.MustCompile(`\b(?:what|which|in what|in which) years?\b|\bwhat decade\b|\bwhat century\b`)
	// clockAskedRE asks for a time of day, or a race's time; not "what
	// was Kipchoge's time", a number.
	clockAskedRE = regexp.MustCompile(`^(?:so |and |but )?(?:(?:by|around|at|roughly|about|approximately) )?what time\b|\bwhat hour\b|\bat what time\b`)
	dayAskedRE   = regexp.MustCompile(`\b(?:what|which|from what|on what) (?:exact )?(?:date|day)\b|\bwhat day of the month\b`)
)

// Analyse reads the kind of answer a question wants from its words and, where
// the rules find no kind, from WordNet's field of the noun it asks about
// ("which municipality": a place; "what firm": an organisation).
func Analyse(text string) Question {
	lower := strings.ToLower(strings.TrimSpace(text))
	lower = strings.ReplaceAll(lower, "’", "'")
	q := Question{Kind: KindAny}
	for _, r := range questionRules {
		if r.re.MatchString(lower) {
			q.Kind = r.kind
			break
		}
	}
	q.Naming = namingQuestionRE.MatchString(lower)
	w := splitQuestion(text)
	var subjectVerb string
	q.Head, subjectVerb = findHead(w)
	if q.Head == "" {
		q.Head = countedNoun(w) // "how many people": people
	}
	if m := whoPredRE.FindStringSubmatch(lower); m != nil && !auxiliaries[m[1]] {
		q.Pred = m[1] // not "did" of "who did X pick"
		q.Verb, q.Subject = m[1], true
	} else if subjectVerb != "" {
		q.Verb, q.Subject = subjectVerb, true // "which judge ruled"
	} else if v := auxVerb(w); v != "" {
		q.Verb = v
	} else if v := howManyVerb(w); v != "" {
		q.Verb, q.Subject = v, true // "how many people died": "39 people died"
	}
	if q.Kind == KindAny && q.Head != "" {
		switch {
		case quantityNounRE.MatchString(q.Head):
			q.Kind = KindNumber
		case placeNounRE.MatchString(q.Head):
			q.Kind = KindPlace
		case orgNounRE.MatchString(q.Head):
			q.Kind = KindPerson // an organisation: WantsOrg below
		case personNounRE.MatchString(q.Head):
			q.Kind = KindPerson
		}
	}
	if q.Kind == KindPerson && q.Head != "" && orgNounRE.MatchString(q.Head) {
		q.WantsOrg = true
	}
	if q.Kind == KindAny && q.Head != "" {
		switch lexicon.Field(q.Head) {
		case "person":
			q.Kind = KindPerson
		case "group":
			q.Kind, q.WantsOrg = KindPerson, true
		case "location":
			q.Kind = KindPlace
		case "time":
			q.Kind = KindDate
		case "quantity":
			q.Kind = KindNumber
		}
	}
	if q.Kind == KindNumber {
		q.Unit = unitAsked(lower)
	}
	if clockAskedRE.MatchString(lower) && (q.Kind == KindAny || q.Kind == KindDate || q.Kind == KindNumber) {
		q.Kind, q.Unit, q.DatePart = KindDate, UnitAny, DateClock
	} else if q.Kind == KindDate {
		switch {
		case yearAskedRE.MatchString(lower):
			q.DatePart = DateYear
		case dayAskedRE.MatchString(lower):
			q.DatePart = DateDay
		}
	}
	return q
}

// auxiliaries end the noun phrase of "which NOUN did ...", and right after
// "what" they make the question ask for the object ("what did X cut").
var auxiliaries = wordSet(`is was are were be been 's did does do has have had will would can could should may might got gets get`)

// headStops end a noun phrase: prepositions, relatives and conjunctions.
var headStops = wordSet(`of in on at for to from by with about into over under after before during when where that who whom whose which what as than and or but if while since because so like near off between among against through`)

// headSkips are words of a noun phrase that are not its noun.
var headSkips = wordSet(`the a an this that these those its their his her our your my exact same new old other last first next whole entire main actual real full top closest nearest biggest largest highest lowest best worst final`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// findHead returns the noun a which/what question asks about, lower-case:
// the last noun of the phrase after "which" or "what" ("which Philippine
// defense secretary called": secretary), the possessor of a possessive
// ("which city's court": city), the noun after "what was the" ("what was the
// last hurricane to hit": hurricane) and after "the name of" ("what is the name
// of the hotel": hotel). "what did X do" asks for an object and has none.
func findHead(q questionWords) (head, verb string) {
	words, capital := q.words, q.capital
	at := slices.IndexFunc(words, func(w string) bool { return w == "which" || w == "what" || w == "what's" || w == "whats" })
	contracted := at >= 0 && words[at] != "which" && words[at] != "what" // "what's the X": as "what is the X"
	if at < 0 {
		// "who was the X", "who's the X": the X is who is asked for.
		at = slices.IndexFunc(words, func(w string) bool { return w == "who" || w == "who's" })
		if at < 0 || words[at] == "who" && (at+1 == len(words) || !copulas[words[at+1]]) {
			return "", ""
		}
		contracted = words[at] == "who's"
	}
	i := at + 1
	direct := true // the phrase follows "which" or "what" right away
	switch {
	case contracted:
		direct = false
	case i < len(words) && copulas[words[i]]:
		i++ // "what was the X": the phrase after the verb
		direct = false
	case i < len(words) && auxiliaries[words[i]]:
		return "", "" // "what did X cut": the object is asked for
	case i+1 < len(words) && words[i] == "of":
		i++ // "which of her movies"
	}
	first := i
	named := false
	for n := 0; i < len(words) && n < 6; i, n = i+1, n+1 {
		w := words[i]
		if (w == "kind" || w == "type" || w == "sort" || w == "name" || w == "names") && i+1 < len(words) && words[i+1] == "of" {
			// "what kind of X", "the name of the X": the X is asked for.
			i++
			head = ""
			named = true
			continue
		}
		if auxiliaries[w] || headStops[w] || w == "," {
			break
		}
		if head != "" && (w == "the" || w == "a" || w == "an") && !verbForm(head) {
			break // a relative clause without "that": "who's the chief exec the protesters wanted"
		}
		if headSkips[w] || isDigits(w) || numberWords[w] || w == "%" {
			continue
		}
		if head != "" {
			pos := lexicon.POS(w)
			// An inflected verb: a regular past, an irregular form, or a
			// past that looks like its base.
			verb := strings.HasSuffix(w, "ed") && pos&lexicon.Verb != 0 || irregularVerb(w) || samePast[w] ||
				strings.HasSuffix(w, "ing") && pos&lexicon.Verb != 0
			next := ""
			if i+1 < len(words) {
				next = words[i+1]
			}
			switch {
			case verb && strings.HasSuffix(w, "ing") && (next == "" || headStops[next]):
				if !direct && !named {
					return "", "" // "what were the protesters throwing": the object is asked for
				}
				return head, ""
			case verb && strings.HasSuffix(w, "ing") && (headSkips[next] || i+1 < len(words) && capital(i+1)):
				return head, "" // "the pilot flying the plane"
			case pos&lexicon.Verb != 0 && pos&lexicon.Noun == 0 && pos&lexicon.Adj == 0, // "which judge ruled"
				irregularVerb(w) && !ownNoun(w),    // "which city went dark", "which minister said"
				verb && strings.HasSuffix(w, "ed"), // "which journal published"
				verb && !strings.HasSuffix(w, "ing") && (next == "" || headStops[next] || headSkips[next] || particles[next] || i+1 < len(words) && capital(i+1)): // "which lawyer spoke to", "which team won Super Bowl"
				if direct && !named {
					return head, w // the phrase is the verb's subject
				}
				return head, ""
			case presentVerb(w) && (determiners[next] || headSkips[next]): // "which company makes the glue"
				if direct && !named {
					return head, w
				}
				return head, ""
			case capital(i) && !capital(i-1): // "the yacht Greta Thunberg sailed"
				return head, ""
			}
			if pos&lexicon.Noun == 0 && pos != 0 {
				continue // an adjective: "which Greek foreign minister"
			}
		}
		base, possessive := strings.CutSuffix(w, "'s")
		if !possessive {
			base, possessive = strings.CutSuffix(w, "'")
		}
		if possessive {
			if i == first && direct && !capital(i) {
				return base, "" // "which city's court": the city is asked for
			}
			head = "" // "what was Kipchoge's time", "which Kim's Convenience actor": the noun after
			continue
		}
		head = base
	}
	if headNoise[head] {
		return "", ""
	}
	return head, ""
}

// clauseEnds end the clause of a question's main verb.
var clauseEnds = wordSet(`when after before because while if since as that who whom which where , so`)

// determiners come before a noun, not a verb.
var determiners = wordSet(`the a an his her its their this that these those our your my some any no every each`)

// auxVerb returns the main verb of a question asked with an auxiliary ("when
// did the shutdown start": start; "what did Erdogan call Trump when ...":
// call): the first word WordNet knows as a verb right after a name (its
// subject), else the last word of the auxiliary's clause, written in lower
// case, that WordNet knows as a verb and that no determiner comes right
// before.
func auxVerb(q questionWords) string {
	words := q.words
	at := -1
	passive := false // "when was the building built": the verb must be a participle
	for i, w := range words {
		if i > 0 && copulas[w] && (words[i-1] == "when" || words[i-1] == "where" || words[i-1] == "why" || words[i-1] == "how") {
			at, passive = i, true
			break
		}
		if i == 0 || !(w == "did" || w == "does" || w == "do" || w == "will" || w == "would" || w == "can" || w == "could") {
			continue
		}
		switch words[i-1] {
		case "what", "when", "where", "why", "how", "who", "whom":
			at = i
		}
		if i > 1 && (words[i-2] == "which" || words[i-2] == "what" || words[i-2] == "many" || words[i-2] == "much") {
			at = i
		}
		if at >= 0 {
			break
		}
	}
	if at < 0 {
		return ""
	}
	if !passive {
		if v := bareVerb(q, at); v != "" {
			return v
		}
	}
	verb := ""
	for i := at + 2; i < len(words); i++ {
		w := words[i]
		if clauseEnds[w] {
			break
		}
		if q.capital(i) || determiners[words[i-1]] || auxiliaries[w] || headStops[w] {
			continue
		}
		if lexicon.POS(w)&lexicon.Verb != 0 {
			if passive && !(strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "en") || irregularVerb(w) || samePast[w]) {
				continue
			}
			if q.capital(i-1) && i-1 > at {
				return w // right after a name, its subject: "did Zapata take off"
			}
			verb = w
		}
	}
	return verb
}

// bareVerb returns the main verb after an auxiliary that takes a bare
// infinitive (did, does, will, can: words[at]), if any: the first word after
// the subject that WordNet knows as a verb in its base form, not after a
// determiner or a possessive (a noun's place), not an adverb ("last"), not an
// inflected form ("flags", "officers"). "what did lucky make out of the
// plush she got at six flags": make.
func bareVerb(q questionWords, at int) string {
	words := q.words
	for i := at + 2; i < len(words); i++ { // words[at+1] starts the subject
		w, prev := words[i], words[i-1]
		if clauseEnds[w] || headStops[w] {
			return ""
		}
		if q.capital(i) || determiners[prev] || strings.HasSuffix(prev, "'s") || strings.HasSuffix(prev, "'") || auxiliaries[w] {
			continue
		}
		if !baseVerb(w) {
			continue
		}
		// A noun that may be a verb, before one that may too, is the
		// subject's: "the fire brigade post", "the supreme court spend",
		// "the act actually take".
		j := i + 1
		for j < len(words) && lexicon.POS(words[j]) == lexicon.Adv {
			j++
		}
		if e, _ := lexicon.Lookup(w); e.POS&lexicon.Noun != 0 && j < len(words) && !q.capital(j) && baseVerb(words[j]) {
			continue
		}
		if reportVerbs[w] && i+1 < len(words) && !headStops[words[i+1]] {
			return "" // "when does Boris say the UK will leave": the clause's verb
		}
		return w
	}
	return ""
}

// reportVerbs take a clause whose verb holds the question's gap.
var reportVerbs = wordSet(`say think claim believe expect reckon hope fear suggest argue predict insist suspect`)

// baseVerb reports a word WordNet knows as a verb in its base form, and not
// as an adverb ("last").
func baseVerb(w string) bool {
	e, _ := lexicon.Lookup(w)
	return e.POS&lexicon.Verb != 0 && e.POS&lexicon.Adv == 0 && len(e.Bases) == 0
}

// namingQuestionRE finds a question that asks what something is called.
var namingQuestionRE = regexp.MustCompile(`\bcalled\??$|\bcalled (?:in|by|before|after|when|now|today)\b|\bnames? of\b|\bnickname|\bwhat name\b|\bnamed after\b|\bgo(?:es)? by\b|\btitle of\b`)

// countedNoun returns the noun a "how many" question counts ("how many
// Irish counties got": counties), if any.
func countedNoun(q questionWords) string {
	at := q.howMany(false)
	if at < 0 {
		return ""
	}
	noun := ""
	for i := at + 1; i < len(q.words) && i <= at+4; i++ {
		w := q.words[i]
		if auxiliaries[w] || headStops[w] || headSkips[w] || w == "," {
			break
		}
		pos := lexicon.POS(w)
		if noun != "" && (pos&lexicon.Noun == 0 || strings.HasSuffix(w, "ed")) {
			break
		}
		if pos&lexicon.Noun != 0 || pos == 0 {
			noun = w
		}
	}
	return noun
}

// howManyVerb returns the verb whose subject a "how many" question counts
// ("how many people died": died; "how many were killed": killed), if any.
func howManyVerb(q questionWords) string {
	at := q.howMany(true)
	if at < 0 {
		return ""
	}
	for i := at + 1; i < len(q.words) && i <= at+5; i++ {
		w := q.words[i]
		if auxiliaries[w] && !copulas[w] {
			return "" // "how many moai did they count": auxVerb's
		}
		if copulas[w] || w == "been" || w == "have" || w == "has" || w == "," {
			continue // "how many were killed"
		}
		pos := lexicon.POS(w)
		if strings.HasSuffix(w, "ed") && pos&lexicon.Verb != 0 || irregularVerb(w) && !ownNoun(w) ||
			pos&lexicon.Verb != 0 && pos&lexicon.Noun == 0 && pos&lexicon.Adj == 0 {
			return w
		}
	}
	return ""
}

// questionWords are a question's words, lower-case, with commas as words of
// their own (a comma ends a phrase), and as typed (a capital starts a name).
type questionWords struct {
	words, typed []string
}

func splitQuestion(text string) questionWords {
	var q questionWords
	for _, f := range strings.FieldsFunc(strings.ReplaceAll(text, ",", " , "), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-' || r == ',')
	}) {
		f = strings.ReplaceAll(f, "’", "'")
		q.typed = append(q.typed, f)
		q.words = append(q.words, strings.ToLower(f))
	}
	return q
}

// capital reports whether word i was typed with a capital.
func (q questionWords) capital(i int) bool {
	r, _ := utf8.DecodeRuneInString(q.typed[i])
	return unicode.IsUpper(r)
}

// howMany returns the index of "many" in "how many" (or of "much" in "how
// much", with much), -1 for neither.
func (q questionWords) howMany(much bool) int {
	for i := 1; i < len(q.words); i++ {
		if q.words[i-1] == "how" && (q.words[i] == "many" || much && q.words[i] == "much") {
			return i
		}
	}
	return -1
}

// particles follow a verb, not a noun: "put out", "set up".
var particles = wordSet(`out up off down away back his her its their my our your him them it`)

var copulas = wordSet(`is was are were`)

// irregularVerb reports an irregular form of a verb: "built", "went",
// "spoke", "won".
func irregularVerb(w string) bool {
	e, ok := lexicon.Lookup(w)
	if !ok {
		return false
	}
	for _, b := range e.Bases {
		if be, _ := lexicon.Lookup(b); be.POS&lexicon.Verb != 0 {
			return true
		}
	}
	return false
}

// verbForm reports a word that reads as a verb and not a noun: a regular or
// irregular past ("caused", "made"), or a word WordNet knows as a verb only.
func verbForm(w string) bool {
	pos := lexicon.POS(w)
	return strings.HasSuffix(w, "ed") || irregularVerb(w) || pos&lexicon.Verb != 0 && pos&lexicon.Noun == 0
}

// presentVerb reports a verb's third person present ("makes", "owns"): a
// word ending in s whose base form, another word, is a verb.
func presentVerb(w string) bool {
	if !strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ss") {
		return false
	}
	for _, l := range lexicon.Lemmas(w) {
		if e, _ := lexicon.Lookup(l); l != w && e.POS&lexicon.Verb != 0 {
			return true
		}
	}
	return false
}

// ownNoun reports a word that is a noun as written, not only through a base
// form ("went" is not, though "go" is).
func ownNoun(w string) bool {
	e, _ := lexicon.Lookup(w)
	return e.POS&lexicon.Noun != 0
}

// samePast are verbs whose past is their base.
var samePast = wordSet(`put hit cut set let beat hurt quit shut cost spread cast bet burst split`)

func isDigits(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}
