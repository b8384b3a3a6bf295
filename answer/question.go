package answer

import (
	"regexp"
	"strings"

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
		{regexp.MustCompile(`^(?:so |and |but )?what (?:did|does|do|has|have|had|was|is) .{2,80}? (?:say|said|tweet|tweeted|write|wrote|tell|told|state|stated|claim|claimed|post|posted|announce|announced|add|added|warn|warned|call|called|describe|described)\b`), KindQuote},
		{regexp.MustCompile(`\bhow (?:many|much|old|long|far|big|large|tall|high|fast|heavy|deep|wide|often)\b|\bwhat (?:percentage|percent|proportion|share|fraction)\b|\b(?:vote count|death toll|how many|what (?:was|is) the (?:score|toll|count|number|total|margin|tally|age|size|cost|price|amount|value|sum|speed|distance|height|time))\b|\bexact time\b|\bwhat age\b`), KindNumber},
		{regexp.MustCompile(`^(?:so |and |but )?when\b|\b(?:what|which|in what|in which) (?:year|years|date|day|month|decade|century|time of year)\b|\bduring which years\b|\bsince when\b|\bfrom what date\b|\bhow long ago\b`), KindDate},
		{regexp.MustCompile(`^(?:so |and |but )?where\b|\b(?:what|which|in what|in which|at what|at which|from what|from which)(?: [\w'-]+){0,3}? ` + placeNouns + `\b`), KindPlace},
		{regexp.MustCompile(`^(?:so |and |but )?(?:who|whom|whose)\b|\b(?:what|which)(?:'s| is| was)? the name of\b|\b(?:which|what)(?: [\w'-]+){0,3}? ` + personNouns + `\b|\bwhat(?:'s| is| was) the name of the ` + personNouns + `\b`), KindPerson},
		{regexp.MustCompile(`^(?:so |and |but )?why\b|\bwhat (?:caused|causes|led to)\b|\bfor what reason\b|\bwhat (?:illness|disease|condition)\b`), KindReason},
	}
)

var orgQuestionRE = regexp.MustCompile(`\b(?:which|what) (?:\w+ ){0,2}(?:group|company|companies|party|organi[sz]ation|agency|airline|club|band|team|firm|network|newspaper|channel|militia)\b`)

// headNounRE finds the noun of "which [adjectives] NOUN": the last word before
// an auxiliary or verb is taken as the noun.
var headNounRE = regexp.MustCompile(`\b(?:which|what)(?: [\w'-]+){0,3}? (` + placeNouns + `|` + personNouns + `)\b|\b(?:which|what)(?: [\w'-]+){0,3}? ([\w-]+?) (?:did|does|do|is|was|were|are|has|have|had|will|would|can|could|got|gets)\b`)

var headNoise = map[string]bool{"name": true, "one": true, "kind": true, "type": true, "thing": true}

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
)

var (
	yearAskedRE = regexp.MustCompile(`\b(?:what|which|in what|in which) years?\b|\bwhat decade\b|\bwhat century\b`)
	dayAskedRE  = regexp.MustCompile(`\b(?:what|which|from what|on what) (?:exact )?(?:date|day)\b|\bwhat day of the month\b`)
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
	q.WantsOrg = orgQuestionRE.MatchString(lower)
	if m := whoPredRE.FindStringSubmatch(lower); m != nil {
		q.Pred = m[1]
	}
	if m := headNounRE.FindStringSubmatch(lower); m != nil {
		if h := m[1] + m[2]; !headNoise[h] {
			q.Head = h
		}
	}
	if m := anyHeadRE.FindStringSubmatch(lower); q.Head == "" && m != nil && !headNoise[m[1]] {
		q.Head = m[1]
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
	if q.Kind == KindDate {
		switch {
		case yearAskedRE.MatchString(lower):
			q.DatePart = DateYear
		case dayAskedRE.MatchString(lower):
			q.DatePart = DateDay
		}
	}
	return q
}

// anyHeadRE finds the noun right after "which" or "what" ("which firm").
var anyHeadRE = regexp.MustCompile(`\b(?:which|what) ([a-z]+)\b`)
