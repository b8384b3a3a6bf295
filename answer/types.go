package answer

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/internal/lexicon"
)

// Token is one analysed word of a sentence: its byte range and its index term.
type Token struct {
	Start, End int
	Term       string
}

// Sentence is a candidate sentence as the index analysed it.
type Sentence struct {
	Text   string
	Tokens []Token
	// MatchedAt holds the start of each token that matches a word of the
	// question other than the article's topic.
	MatchedAt map[int]bool
	// Weights holds, by token start, the weight of the question word each
	// matched token stands for, as a share of the question's weight.
	Weights map[int]float64
	// numbers are the byte ranges of the numbers of Text, found once by
	// Evidence for the questions that ask for one.
	numbers [][]int
}

var (
	unitRE = regexp.MustCompile(`(?i)\b\d[\d,.]*\s*(?:-|\s)?(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|percent|%|people|persons|votes|counts|troops|personnel|km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|dollars|euros|pounds)\b|\b(?:aged|age)\s+\d+|\d+-year-old`)
	dateRE = regexp.MustCompile(`\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|\b(?:1[5-9]|20)\d\d\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`)
	// reasonRE marks a cause or a purpose; weakReasonRE words that often
	// do, and as often only order events ("after") or say where ("from").
	reasonRE     = regexp.MustCompile(`(?i)\b(?:because|due to|caused by|cause of|as a result|owing to|died of|killed by|blamed|poisoning|disease|cancer|complications|in order to|so that|so as to|reasons?|citing|amid|on the (?:basis|grounds) of|in response to|in protest|for fear|to (?:prevent|avoid|protect|stop|reduce|ensure|allow|help|show|make|keep))\b`)
	weakReasonRE = regexp.MustCompile(`(?i)\b(?:after|from|since|as|over)\b`)
	placePrepRE  = regexp.MustCompile(`\b(?:in|at|from|near|on|to|into|outside|inside|(?:town|city|village|district|province|region|state|county|island|neighbou?rhood|area|capital|suburb) of)\s+(?:the\s+)?[A-Z][\p{L}'’-]+`)
	// clockRE is a time of day written as four digits ("1800 UTC"),
	// which dateRE would read as a year.
	clockRE = regexp.MustCompile(`\b\d{4}\s*(?:UTC|GMT|hours|hrs|local time)\b|\(\d{4} [A-Z]{2,4}\)`)
	// clockTimeRE is a time of day ("3:30am", "7:45 p.m.", "1800 UTC",
	// "noon") or a race's time ("47.42 seconds", "1:59:40").
	clockTimeRE = regexp.MustCompile(`(?i)\b\d{1,2}:\d\d(?::\d\d)?\s*(?:[ap]\.?m\b\.?)?|\b\d{1,2}\.\d\d\s*[ap]\.?m\b|\b\d{1,2}\s*[ap]\.?m\b\.?|\b\d{4}\s*(?:UTC|GMT|hours|hrs|local time)\b|\b(?:noon|midnight|midday)\b|\b\d+(?:\.\d+)?\s*seconds\b`)
	// dayOfMonthRE is a day of a month, either way round.
	dayOfMonthRE = regexp.MustCompile(`\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}\b|\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b`)
	yearRE       = regexp.MustCompile(`^(?:1[5-9]|20)\d\d$`)
	weekdayRE    = regexp.MustCompile(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$`)
	quoteMarkRE  = regexp.MustCompile(`["“”]`)
)

// dateEvidence scores the dates of s for a question that wants part of a
// date. A weekday dates the news itself ("on Monday") and scores little; a
// month or a year is what "when" questions mostly ask for; a question for a
// year wants a year, one for a date a day of a month. Four digits that are a
// time of day ("1800 UTC") are no year.
func dateEvidence(part DatePart, s string, known map[string]bool) float64 {
	if part == DateClock {
		// A time of day, or a race's time; a day alone dates the event
		// but does not answer.
		if clockTimeRE.MatchString(s) {
			return 1
		}
		if dateRE.MatchString(s) {
			return 0.3
		}
		return 0
	}
	var clocks [][]int
	read := false
	inClock := func(loc []int) bool {
		if loc[1]-loc[0] != 4 || s[loc[0]] < '0' || s[loc[0]] > '9' {
			return false // only four digits can be a time of day
		}
		if !read {
			clocks, read = clockRE.FindAllStringIndex(s, -1), true
		}
		for _, c := range clocks {
			if loc[0] >= c[0] && loc[1] <= c[1] {
				return true
			}
		}
		return false
	}
	score := 0.0
	for _, loc := range dateRE.FindAllStringIndex(s, -1) {
		m := s[loc[0]:loc[1]]
		if known[strings.ToLower(m)] || inClock(loc) {
			continue
		}
		var v float64
		switch {
		case weekdayRE.MatchString(m):
			v = 0.4
		case part == DateYear && !yearRE.MatchString(m):
			v = 0.5 // a month, where a year is asked
		case part == DateDay && yearRE.MatchString(m):
			v = 0.5 // a year, where a day is asked
		case part == DateDay && !dayOfMonthRE.MatchString(s):
			v = 0.7 // a month with no day
		default:
			return 1
		}
		score = max(score, v)
	}
	return score
}

// typeEvidence is 0..1: how well the sentence holds the kind of thing the
// question asks for, beyond the words the question and the title already give.
func typeEvidence(q Question, sent Sentence, runs []nameRun, known map[string]bool) float64 {
	s := sent.Text
	switch q.Kind {
	case KindNumber:
		score := 0.0
		for _, loc := range sent.numbers {
			if !known[strings.ToLower(strings.Trim(s[loc[0]:loc[1]], ",."))] {
				score = 0.6
				break
			}
		}
		if score > 0 && unitRE.MatchString(s) {
			score = 0.8
		}
		if score > 0 && q.Unit != UnitAny && unitPatterns[q.Unit].MatchString(s) {
			score = 1
		}
		return score
	case KindDate:
		return dateEvidence(q.DatePart, s, known)
	case KindPerson:
		if q.WantsOrg {
			return namesScore(runs, lexicon.Organization)
		}
		return namesScore(runs, lexicon.Person)
	case KindPlace:
		for _, m := range placePrepRE.FindAllString(s, -1) {
			f := strings.Fields(m)
			w := f[len(f)-1]
			if !known[strings.ToLower(w)] && !dateRE.MatchString(w) {
				return 1
			}
		}
		score := namesScore(runs, lexicon.Place)
		if score < 0.5 && len(commonPlaces(sent, known)) > 0 {
			score = 0.5
		}
		return score
	case KindQuote:
		if quoteMarkRE.MatchString(s) {
			return 1
		}
	case KindReason:
		return reasonEvidence(s)
	case KindAny:
		return 0.5 * namesScore(runs, lexicon.None)
	}
	return 0
}

// commonPlaceRE is a preposition of place before a common noun phrase: "in
// the neck", "in a stairwell", "from a raft", "in its car park".
var commonPlaceRE = regexp.MustCompile(`\b(?:in|at|on|inside|outside|near|into|onto|from|under|beneath|behind)\s+(?:(?:the|a|an|his|her|its|their)\s+)?([a-z]+)\b(?:\s+([a-z]+)\b)?`)

// placeFields are WordNet's fields of a noun that can say where: a place, a
// part of the body, a made thing (a building, a vehicle), a natural object.
var placeFields = map[string]bool{"location": true, "body": true, "artifact": true, "object": true}

// commonPlaces are the byte ranges of the common nouns of a sentence that
// answer "where" ("in the neck": neck), the question's and title's words
// (known, by index term) aside.
func commonPlaces(sent Sentence, known map[string]bool) [][2]int {
	var out [][2]int
	s := sent.Text
	for _, m := range commonPlaceRE.FindAllStringSubmatchIndex(s, -1) {
		for k := 2; k+1 < len(m) && m[k] >= 0; k += 2 { // the noun, or the noun after an adjective
			w := s[m[k]:m[k+1]]
			if !known[termAt(sent, m[k])] && placeFields[lexicon.Field(w)] {
				out = append(out, [2]int{m[k], m[k+1]})
				break
			}
		}
	}
	return out
}

// termAt is the index term of the sentence's token that starts at byte
// start, "" if none does.
func termAt(s Sentence, start int) string {
	for _, t := range s.Tokens {
		if t.Start == start {
			return t.Term
		}
	}
	return ""
}

// reasonEvidence is 1 for a sentence that gives a cause or a purpose
// ("because", "due to", "to prevent"), 0.5 for one with a word that often
// does ("after", "as"), else 0.
func reasonEvidence(s string) float64 {
	switch {
	case reasonRE.MatchString(s):
		return 1
	case weakReasonRE.MatchString(s):
		return 0.5
	}
	return 0
}

// valueNear reports a number or date within a few words after or before a
// matched question word of the sentence.
func valueNear(q Question, s Sentence) bool {
	locs := s.numbers
	switch {
	case q.Kind == KindDate && q.DatePart == DateClock:
		locs = clockTimeRE.FindAllStringIndex(s.Text, -1)
	case q.Kind == KindDate:
		locs = dateRE.FindAllStringIndex(s.Text, -1)
	}
	var matchPos []int
	for _, t := range s.Tokens {
		if s.MatchedAt[t.Start] {
			matchPos = append(matchPos, t.Start, t.End)
		}
	}
	for _, loc := range locs {
		for i := 0; i+1 < len(matchPos); i += 2 {
			if (loc[0] >= matchPos[i+1] && loc[0]-matchPos[i+1] <= 25) || (matchPos[i] >= loc[1] && matchPos[i]-loc[1] <= 12) {
				return true
			}
		}
	}
	return false
}

// nameNearMatch reports a capitalised word the question and title do not know
// within a few words of a matched question word.
func nameNear(s Sentence, known map[string]bool) bool {
	for i, t := range s.Tokens {
		if !s.MatchedAt[t.Start] {
			continue
		}
		for j := max(0, i-2); j < min(len(s.Tokens), i+5); j++ {
			w := s.Text[s.Tokens[j].Start:s.Tokens[j].End]
			r, _ := utf8.DecodeRuneInString(w)
			if j != i && s.Tokens[j].Start > 0 && unicode.IsUpper(r) && !known[s.Tokens[j].Term] && !isCommonCapital(w) {
				return true
			}
		}
	}
	return false
}

// orgWords mark a capitalised run as an organisation or place, not a person.
var orgWords = map[string]bool{
	"Group": true, "Party": true, "Company": true, "Inc": true, "Corp": true, "Ltd": true, "Union": true,
	"Agency": true, "Ministry": true, "Police": true, "Army": true, "Command": true, "Council": true,
	"Court": true, "University": true, "Airlines": true, "Air": true, "Cathedral": true, "Church": true,
	"Palace": true, "Street": true, "Road": true, "Hospital": true, "Department": true, "Office": true,
	"Committee": true, "Commission": true, "Organization": true, "Organisation": true, "Association": true,
	"Institute": true, "Service": true, "Force": true, "Forces": true, "Guard": true, "News": true,
	"Times": true, "Post": true, "Press": true, "Network": true, "Bank": true, "Fund": true, "Summit": true,
	"Island": true, "Islands": true, "Republic": true, "Kingdom": true, "States": true, "City": true,
	"County": true, "Province": true, "Region": true, "Airport": true, "Station": true, "Bridge": true,
	"House": true, "Senate": true, "Parliament": true, "Congress": true, "Assembly": true, "Government": true,
	"Club": true, "Team": true, "Federation": true, "League": true, "Cup": true, "Championship": true,
}

// nameRun is a run of capitalised words of a sentence: a name.
type nameRun struct {
	start, end int // byte range in the sentence
	words      []string
	novel      bool // holds a word the question and the title do not know
	class      lexicon.Class
}

// nameRuns finds the names of a sentence and what each names. WordNet knows
// many places, organisations and famous people; the words of the name and
// the words around it tell the rest ("in X" is a place, "X Group" an
// organisation, "X said" a person), and a run of two or more capitalised
// words that WordNet does not know as a place is most often a person.
func nameRuns(s string, toks []Token, known map[string]bool) []nameRun {
	var runs []nameRun
	var cur *nameRun
	prevEnd := -1
	for _, t := range toks {
		w := s[t.Start:t.End]
		r, _ := utf8.DecodeRuneInString(w)
		capital := (unicode.IsUpper(r) || (unicode.IsDigit(r) && cur != nil)) && !isCommonCapital(w)
		if cur != nil && (!capital || strings.TrimSpace(s[prevEnd:t.Start]) != "") {
			runs = append(runs, *cur)
			cur = nil
		}
		prevEnd = t.End
		if !capital {
			continue
		}
		if cur == nil {
			cur = &nameRun{start: t.Start}
		}
		cur.end = t.End
		cur.words = append(cur.words, w)
		// A sentence's first word is capitalised anyway: it is no news
		// on its own.
		if !known[t.Term] && t.Start > 0 {
			cur.novel = true
		}
	}
	if cur != nil {
		runs = append(runs, *cur)
	}
	for i := range runs {
		// Only news needs a class: a name the question already gives is
		// never the answer.
		if runs[i].novel {
			runs[i].class = classify(s, runs[i])
		}
	}
	return runs
}

var (
	placeBeforeRE  = regexp.MustCompile(`(?i)\b(?:in|at|from|near|into|outside|inside|across|(?:town|city|village|district|province|region|state|county|island|capital|suburb) of)\s+(?:the\s+)?$`)
	personBeforeRE = regexp.MustCompile(`\b(?:Mr|Mrs|Ms|Dr|Sir|Dame|President|Prime Minister|Minister|Senator|Sen|Rep|Governor|Gov|Mayor|King|Queen|Prince|Princess|Pope|Judge|Justice|Chancellor|Sultan|Emperor|General|Gen|Captain|Coach|Professor|Prof|CEO|chief|leader|director|spokesman|spokeswoman|spokesperson|minister|president|senator|actor|actress|singer|player|officer|author|writer|artist|lawyer|judge)\.?\s+$`)
	personAfterRE  = regexp.MustCompile(`^(?:,\s+(?:who|whose|aged|\d+)\b|\s+(?:said|says|told|added|explained|announced|wrote|stated|claimed|died|was born|\(\d+\)))`)
)

func classify(s string, r nameRun) lexicon.Class {
	for _, w := range r.words {
		if orgWords[w] {
			return lexicon.Organization
		}
	}
	// The words right around the name say what it is; the regexps look at
	// no more than a few words each way.
	before, after := s[max(0, r.start-48):r.start], s[r.end:min(len(s), r.end+32)]
	switch {
	case personBeforeRE.MatchString(before):
		return lexicon.Person
	case len(r.words) == 1 && CalendarName(r.words[0]):
		// "on Monday announced": a day or a month, not someone
		// announcing ("Mrs May said" is caught just above).
		return lexicon.None
	case personAfterRE.MatchString(after):
		return lexicon.Person
	case placeBeforeRE.MatchString(before):
		if c := lexicon.NameClass(strings.Join(r.words, " ")); c == lexicon.Organization {
			return c
		}
		return lexicon.Place
	}
	if c := lexicon.UsualClass(strings.Join(r.words, " ")); c != lexicon.None {
		return c
	}
	if len(r.words) == 1 {
		if c := lexicon.UsualClass(r.words[0]); c != lexicon.None {
			return c
		}
		if allUpper(r.words[0]) {
			return lexicon.Organization
		}
		return lexicon.None
	}
	// "Abu Sayyaf", "Bruce McArthur": WordNet knows neither; a place
	// would mostly be known or introduced by a preposition.
	last := r.words[len(r.words)-1]
	if c := lexicon.NameClass(last); c&lexicon.Place != 0 && c&lexicon.Person == 0 {
		return lexicon.Place
	}
	// A name that ends in a common noun for a body, a building or an area
	// ("Police Prefecture", "Cielo Vista Mall") names that, unless the
	// noun is also a surname WordNet knows or a verb ("Donald Trump").
	if c := nounClass(last); c != lexicon.None && lexicon.UsualClass(last) != lexicon.Person {
		return c
	}
	return lexicon.Person
}

// nounClass is the class of a capitalised word that is only a common noun
// (no verb, no adjective) of a body (group), an area (location) or a
// building (artifact), in its most frequent sense; None for any other word.
func nounClass(w string) lexicon.Class {
	e, ok := lexicon.Lookup(strings.ToLower(w)) // the word itself: "Sanders" is no plural of "sander"
	if !ok || e.POS != lexicon.Noun {
		return lexicon.None
	}
	switch e.Field {
	case "group", "artifact":
		return lexicon.Organization
	case "location":
		return lexicon.Place
	}
	return lexicon.None
}

// CalendarName says whether a capitalised word names a month or a day of
// the week: it names a time, not a story's people and places.
func CalendarName(word string) bool {
	for _, layout := range []string{"January", "Monday"} {
		if _, err := time.Parse(layout, word); err == nil {
			return true
		}
	}
	return false
}

func allUpper(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 2
}

// namesScore is 1 when the sentence holds a name the question and title do
// not, of the class wanted (None: any class), and 0.4 for a name of another
// class.
func namesScore(runs []nameRun, want lexicon.Class) float64 {
	best := 0.0
	for _, r := range runs {
		if !r.novel {
			continue
		}
		if want == lexicon.None || r.class == want {
			return 1
		}
		best = 0.4
	}
	return best
}

var commonCapitals = map[string]bool{"The": true, "A": true, "An": true, "He": true, "She": true, "It": true, "They": true, "This": true, "In": true, "On": true, "At": true, "I": true, "We": true, "His": true, "Her": true, "Their": true, "According": true}

// isCommonCapital reports a capitalised word that is no name: a function word
// starting a sentence, or a capitalised kind of person ("Muslim", "American").
func isCommonCapital(w string) bool {
	w = strings.Trim(w, ".'’")
	if commonCapitals[w] {
		return true
	}
	lw := strings.ToLower(w)
	return lw != w && lexicon.NameClass(w) == lexicon.None && lexicon.IsPersonNoun(lw) && !allUpper(w)
}

// Unit is the kind of quantity a number question asks for.
type Unit int

// Units of quantities.
const (
	UnitAny Unit = iota
	UnitMoney
	UnitPercent
	UnitDuration
	UnitAge
	UnitCount
	UnitMeasure
)

var (
	unitQuestions = []struct {
		re   *regexp.Regexp
		unit Unit
	}{
		{regexp.MustCompile(`\bhow much (?:money|did .* (?:cost|pay|raise|spend|fine|earn)|was .* (?:worth|fined|paid))|\b(?:cost|price|fine|budget|salary|fund|funding|dollars|pounds|euros|money|worth|spend|spent|pay|paid|raise|raised)\b`), UnitMoney},
		{regexp.MustCompile(`\b(?:percent|percentage|proportion|share|per cent|%)\b`), UnitPercent},
		{regexp.MustCompile(`\bhow old\b|\bwhat age\b|\bage\b|\baged\b`), UnitAge},
		{regexp.MustCompile(`\bhow long\b|\bfor how many (?:years|months|weeks|days|hours|minutes)\b|\bhow many (?:years|months|weeks|days|hours|minutes|seconds)\b|\bduration\b|\bsentence[d]?\b`), UnitDuration},
		{regexp.MustCompile(`\bhow (?:far|big|large|tall|high|fast|heavy|deep|wide)\b|\b(?:distance|height|speed|weight|depth|size|magnitude)\b`), UnitMeasure},
		{regexp.MustCompile(`\bhow many\b|\b(?:death toll|toll|number of|count|total)\b`), UnitCount},
	}
	unitPatterns = map[Unit]*regexp.Regexp{
		UnitMoney:    regexp.MustCompile(`[$£€¥]\s?\d|\b\d[\d,.]*\s*(?:million|billion|thousand|m|bn|k)?\s*(?:dollars|euros|pounds|yuan|yen|rupees|francs|krona|kronor|roubles|rubles|USD|EUR|GBP)\b|\bUS\$`),
		UnitPercent:  regexp.MustCompile(`\d\s?(?:%|percent\b|per cent\b)`),
		UnitDuration: regexp.MustCompile(`(?i)\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few)[\s-]+(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries)\b`),
		UnitAge:      regexp.MustCompile(`(?i)\b(?:aged|age(?:d)? of)\s+\d+|\b(?:\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?)[\s-]years?[\s-]old\b|,\s*\d{1,3},|\(\d{1,3}\)|\bat (?:the )?age (?:of )?\d+`),
		UnitCount:    regexp.MustCompile(`(?i)\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?)\s+(?:[a-z]+\s+)?(?:people|persons|dead|deaths|killed|injured|wounded|victims|votes|members|troops|soldiers|children|students|cases|passengers|residents|homes|houses|buildings|countries|players|teams|times|articles|seats)\b`),
		UnitMeasure:  regexp.MustCompile(`(?i)\b\d[\d,.]*\s*(?:-|\s)?(?:km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|feet|foot|ft|kg|kilograms?|tonnes?|tons?|pounds|lb|mph|km/h|knots|magnitude|inches|cm|mm|hectares|acres)\b|\bmagnitude\s+\d`),
	}
)

func unitAsked(lower string) Unit {
	for _, u := range unitQuestions {
		if u.re.MatchString(lower) {
			return u.unit
		}
	}
	return UnitAny
}

// typedSpans are the byte ranges of the things of the kind the question asks
// for that the question and the title do not already name.
func typedSpans(q Question, s Sentence, runs []nameRun, known map[string]bool) [][2]int {
	var out [][2]int
	names := func(want lexicon.Class) {
		for _, r := range runs {
			if r.novel && (want == lexicon.None || r.class == want) {
				out = append(out, [2]int{r.start, r.end})
			}
		}
	}
	values := func(locs [][]int) {
		for _, loc := range locs {
			if !known[strings.ToLower(strings.Trim(s.Text[loc[0]:loc[1]], ",."))] {
				out = append(out, [2]int{loc[0], loc[1]})
			}
		}
	}
	switch q.Kind {
	case KindPerson:
		if q.WantsOrg {
			names(lexicon.Organization)
		} else {
			names(lexicon.Person)
		}
	case KindPlace:
		names(lexicon.Place)
		out = append(out, commonPlaces(s, known)...)
	case KindNumber:
		if q.Unit != UnitAny {
			values(unitPatterns[q.Unit].FindAllStringIndex(s.Text, -1))
		}
		if len(out) == 0 {
			values(s.numbers)
		}
	case KindDate:
		if q.DatePart == DateClock {
			values(clockTimeRE.FindAllStringIndex(s.Text, -1))
		} else {
			values(dateRE.FindAllStringIndex(s.Text, -1))
		}
	case KindReason:
		values(reasonRE.FindAllStringIndex(s.Text, -1))
		if len(out) == 0 {
			values(weakReasonRE.FindAllStringIndex(s.Text, -1))
		}
	case KindAny:
		names(lexicon.None)
		values(s.numbers)
	}
	return out
}

// entityContext is the weight of the question's words around the best thing
// of the kind asked for in the sentence (spans: token ranges, see
// tokenSpans), nearer words counting more: "voted
// 66 to 27 to legalize same-sex marriage" puts the count among the words of
// "what was the vote count when ... legalized gay marriage".
func entityContext(s Sentence, spans [][2]int) float64 {
	best := 0.0
	for _, sp := range spans {
		first, last := sp[0], sp[1]
		got := map[string]float64{}
		for k, t := range s.Tokens {
			w := s.Weights[t.Start]
			if w == 0 || (k >= first && k <= last) {
				continue
			}
			d := first - k
			if k > last {
				d = k - last
			}
			got[t.Term] = max(got[t.Term], w/(1+float64(d-1)/4))
		}
		sum := 0.0
		for _, v := range got {
			sum += v
		}
		best = max(best, sum)
	}
	return best
}

// numberWords are the words that name a number or a rank.
var numberWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`one two three four five six seven eight nine ten eleven twelve thirteen
		fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
		eighty ninety hundred hundreds thousand thousands million millions billion billions dozen dozens
		first second third fourth fifth sixth seventh eighth ninth tenth twice half`) {
		m[w] = true
	}
	return m
}()

// findNumbers returns the byte ranges of the numbers of s: runs of digits
// with their inner separators ("1,000", "40.2"), number words, and
// hyphenated tens ("seventy-two"). A scan, not a regexp: it runs on every
// sentence a number question ranks.
func findNumbers(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if i > 0 && isWordByte(s[i-1]) {
				i++
				continue
			}
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || (s[j] == ',' || s[j] == '.') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9') {
				j++
			}
			if j == len(s) || !isLetterByte(s[j]) { // "707s" is a name, not a number
				out = append(out, []int{i, j})
			}
			i = j
		case isLetterByte(c):
			j := i
			for j < len(s) && (isLetterByte(s[j]) || s[j] == '-' && j+1 < len(s) && isLetterByte(s[j+1])) {
				j++
			}
			if i == 0 || !isWordByte(s[i-1]) {
				w := strings.ToLower(s[i:j])
				head, _, _ := strings.Cut(w, "-")
				if numberWords[w] || numberWords[head] && head != w {
					out = append(out, []int{i, j})
				}
			}
			i = j
		default:
			i++
		}
	}
	return out
}

// quantities keeps the numbers of s (byte ranges, from findNumbers) that
// can be a quantity, leaving out those that are part of a date or a time of
// day: a year ("in 2019", "the 2020 census"), a day of a month ("June 3",
// "3 June") and a clock time ("3:30am", "10 pm"), and ranks ("first").
// "2000 people" stays.
func quantities(s string, nums [][]int) [][]int {
	out := nums[:0:0]
	for _, loc := range nums {
		if !notQuantity(s, loc[0], loc[1]) {
			out = append(out, loc)
		}
	}
	return out
}

// notQuantity reports whether the number s[i:j] is part of a date or a time,
// or a rank.
func notQuantity(s string, i, j int) bool {
	if s[i] < '0' || s[i] > '9' {
		return ordinals[strings.ToLower(s[i:j])] // a rank, not a quantity
	}
	before, after := strings.TrimRight(s[:i], " "), strings.TrimLeft(s[j:], " ")
	if strings.HasSuffix(before, ":") || strings.HasPrefix(after, ":") && len(after) > 1 && after[1] >= '0' && after[1] <= '9' {
		return true // 3:30
	}
	next, _, _ := strings.Cut(after, " ")
	next = strings.TrimRight(next, ".,;)")
	lower := strings.ToLower(next)
	if clockWords[lower] {
		return true // 10 pm
	}
	if j-i <= 2 && (monthRE.MatchString(lastWord(before)) || monthRE.MatchString(next)) {
		return true // June 3, 3 June
	}
	if j-i == 4 && yearRE.MatchString(s[i:j]) {
		// A year, unless a count of things follows ("2000 people").
		return !(next == lower && pluralNoun(lower))
	}
	return false
}

// pluralNoun reports a lower-case word that is the plural of a noun
// WordNet knows ("people", "homes"; not "census").
func pluralNoun(w string) bool {
	if w == "people" {
		return true
	}
	for _, l := range lexicon.Lemmas(w) {
		if e, _ := lexicon.Lookup(l); l != w && e.POS&lexicon.Noun != 0 {
			return true
		}
	}
	return false
}

var (
	ordinals   = wordSet(`first second third fourth fifth sixth seventh eighth ninth tenth`)
	clockWords = wordSet(`am pm a.m. p.m a.m p.m. utc gmt bst est edt pst pdt cet`)
	monthRE    = regexp.MustCompile(`^(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?$`)
)

// lastWord is the last space-separated word of s.
func lastWord(s string) string {
	if k := strings.LastIndexByte(s, ' '); k >= 0 {
		return s[k+1:]
	}
	return s
}

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isWordByte(c byte) bool { return isLetterByte(c) || c >= '0' && c <= '9' || c >= 0x80 }
