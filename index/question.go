package index

import (
	"regexp"
	"strings"
)

// AnswerKind is the kind of answer a question wants.
type AnswerKind string

const (
	KindAny    AnswerKind = "any"
	KindPerson AnswerKind = "person"
	KindNumber AnswerKind = "number"
	KindPlace  AnswerKind = "place"
	KindDate   AnswerKind = "date"
	KindQuote  AnswerKind = "quote"
	KindReason AnswerKind = "reason"
)

var (
	placeNouns    = `(?:town|city|cities|country|countries|state|province|region|street|road|part|district|village|island|area|county|neighbou?rhood|venue|building|hospital|airport|port|prison|capital|location|site|place|suburb|municipality|river|sea|ocean|mountain|continent|nation)`
	personNouns   = `(?:judge|president|astronauts?|person|people|man|men|woman|women|guy|player|minister|leader|actor|actress|artist|author|writer|officials?|officer|candidate|politician|athlete|runner|driver|pilot|singer|company|companies|group|team|party|organi[sz]ation|agency|airline|club|band|lawyer|prosecutor|doctor|scientist|researcher|victims?|suspects?|senator|governor|mayor|king|queen|prince|princess|pope|chancellor|premier|ceo|founder|director|coach|journalist|reporter|spokes(?:man|woman|person)|activist|star|comedian|musician|rapper|economist|head|chief)`
	questionRules = []struct {
		re   *regexp.Regexp
		kind AnswerKind
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

// question is a question understood: what kind of answer it wants, its content
// words as index terms, and the names it mentions.
type question struct {
	text  string
	kind  AnswerKind
	terms []string        // distinct stems, in order
	names map[string]bool // stems of capitalised words after the first word
	// wantsOrg is set when a "which/who" question asks for a group, company
	// or team rather than a person.
	wantsOrg bool
	// lowerWords are the question's words, lower-cased, unstemmed.
	lowerWords map[string]bool
	// pred is the stem of the verb right after "who" ("who made", "who
	// started"): the relation the answer stands in, weighed up.
	pred string
	// head is the stem of the noun a which/what question asks about
	// ("which part", "what company"), if any.
	head string
}

// questionNoise are stems that say how a question is asked, not what about.
var questionNoise = map[string]bool{
	"name": true, "guy": true, "exact": true, "exactli": true, "roughli": true, "approxim": true, "call": false,
	"happen": true, "tell": false, "know": true, "thing": true, "kind": true, "type": true, "get": true,
	"realli": true, "actual": true, "s": true, "d": true, "accord": true, "mani": true, "much": true, "long": true, "old": true,
	"year": false, "peopl": false, "will": true, "would": true, "could": true, "might": true, "shall": true, "must": true,
}

func (ix *Index) parseQuestion(text string) question {
	q := question{text: text, kind: KindAny, names: map[string]bool{}}
	lower := strings.ToLower(strings.TrimSpace(text))
	lower = strings.ReplaceAll(lower, "’", "'")
	for _, r := range questionRules {
		if r.re.MatchString(lower) {
			q.kind = r.kind
			break
		}
	}
	q.wantsOrg = orgQuestionRE.MatchString(lower)
	if m := whoPredRE.FindStringSubmatch(lower); m != nil {
		q.pred = ix.stemWord(m[1])
	}
	q.lowerWords = map[string]bool{}
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return r == ' ' || r == ',' || r == '?' || r == '\'' || r == '"' }) {
		q.lowerWords[w] = true
	}
	if m := headNounRE.FindStringSubmatch(lower); m != nil {
		if h := m[1] + m[2]; !headNoise[h] {
			q.head = ix.stemWord(h)
		}
	}
	seen := map[string]bool{}
	for _, t := range ix.tokens(text) {
		if seen[t.term] || questionNoise[t.term] {
			continue
		}
		seen[t.term] = true
		q.terms = append(q.terms, t.term)
		word := text[t.start:t.end]
		if t.start > 0 && word != "" && word[0] >= 'A' && word[0] <= 'Z' {
			q.names[t.term] = true
		}
	}
	return q
}
