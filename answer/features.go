package answer

import (
	"regexp"
	"slices"
	"strings"
)

// FeatureVersion changes whenever a feature's meaning changes, so a model
// fitted on other features is refused (see Load).
const FeatureVersion = 25

// The features of a candidate sentence, by index in a feature vector.
const (
	FLex           = iota // IDF-weighted share of the question's words the sentence holds (title words count less)
	FRelated              // the same share for words matched only through WordNet (synonyms, derivations)
	FBigram               // share of the question's adjacent word pairs the sentence holds adjacent
	FNear                 // question words held by the previous and next sentences
	FCoverage             // share of the question's weight found anywhere in the article
	FArticle              // the article's retrieval score, relative to the best article's
	FRank                 // the article's retrieval rank, 0 for the best
	FMissingNames         // names of the question the article does not hold
	FType                 // evidence of the kind of answer asked for, beyond what the question says
	FTypeNear             // that evidence within a few words of a matched word
	FTypeHead             // a thing of the kind asked for right by the noun the question asks about
	FTypeGeneral          // evidence for questions that name no kind (what, why)
	FQuote                // the sentence carries a quote
	FQuoteAsked           // ... by the speaker the question names
	FLead                 // the article's first sentence
	FPronounLed           // the sentence starts with a pronoun (its subject is in the previous one)
	FShort                // the sentence is short (under eight words)
	FAcronym              // a word of the question is the initials of a name the sentence holds
	FLexType              // lex × type: the question's words and the answer's kind together
	FNearType             // near × type: the answer's kind right after the question's words
	FLexTypeNear          // lex × type_near
	FTypePerson           // type, for questions asking who
	FTypePlace            // type, for questions asking where
	FTypeNumber           // type, for questions asking how many or how much
	FTypeDate             // type, for questions asking when
	FTypeUnit             // the quantity holds the unit asked for (money, percent, age, ...)
	FWindow               // lex over the sentence and its neighbours together
	FParagraph            // lex over the sentence's paragraph
	FWindowType           // window × type
	FEntityContext        // the question's words around the best thing of the kind asked for
	FHead                 // the sentence holds the noun the question asks about ("which hospital")
	FTypeCount            // how many things of the kind asked for the sentence holds (a list holds many)
	FPosition             // 1 for the article's first sentence, falling with distance from the top
	FQuoteLex             // quote_asked × lex: the speaker's quote on the question's topic
	FAlias                // the question's names the sentence gives in another form ("Boston University" for "BU")
	FCoref                // the question's names the sentence's pronouns stand for ("he" for "Sanders")
	FRefType              // (alias + coref) × type: the question's names, written otherwise, with the kind of answer asked for
	FLocal                // lex with each word weighted also by how few of the article's sentences hold it
	FUnique               // the share of the question's weight the sentence alone in its article holds
	FGap                  // a thing of the kind asked for where the question's gap is: after its main verb, or before it for a subject
	FGapLex               // gap × lex
	FNaming               // for a question asking what something is called, the sentence names something ("called X", "nicknamed 'X'")
	FAskSlot              // the question asks for a person, place, date or number (the same for every candidate: for Confidence)
	FAskUnit              // the question asks for a unit (age, money, percent, ...)
	FAskHead              // the question names the noun it asks about
	FFocusCoverage        // share of the weight of the question's words beyond its topic (not names, not in the title) the article holds
	FFocusWindow          // the same share in the sentence and its neighbours
	FMissingProper        // names spelled out in the question that the article holds in no form
	FMissingRare          // the weight of the question's rarest word the article holds in no form, relative to its rarest word's
	FMissingYear          // the question names a year the article gives nowhere, nor as its publication year
	NumFeatures
)

// FeatureNames name the features in order; a fitted model records them.
var FeatureNames = []string{
	"lex", "related", "bigram", "near", "coverage", "article", "rank", "missing_names",
	"type", "type_near", "type_head", "type_general", "quote", "quote_asked", "lead", "pronoun_led",
	"short", "acronym", "lex_type", "near_type", "lex_type_near", "type_person", "type_place",
	"type_number", "type_date", "type_unit", "window", "paragraph", "window_type", "entity_context", "head", "type_count", "position", "quote_lex",
	"alias", "coref", "ref_type", "local", "unique", "gap", "gap_lex", "naming",
	"ask_slot", "ask_unit", "ask_head", "focus_coverage", "focus_window", "missing_proper", "missing_rare", "missing_year",
}

// Evidence computes the answer-type features of a sentence for a question,
// and whether a word the question types in capitals (acronyms) spells the
// initials of one of its names. known holds the terms of the question and
// the article's title, which an answer must go beyond; to maps an article
// term to the question terms it matches, related to those WordNet relates it
// to; head and verb are the index terms of the question's head noun and main
// verb.
func Evidence(q Question, s Sentence, known map[string]bool, to, related map[string][]string, head, verb string, acronyms []string, x []float64) {
	runs := nameRuns(s.Text, s.Tokens, known)
	if q.Kind == KindNumber || q.Kind == KindAny {
		s.numbers = findNumbers(s.Text)
	}
	if q.Kind == KindNumber {
		s.numbers = quantities(s.Text, s.numbers)
	}
	t := typeEvidence(q, s, runs, known)
	spans := typedSpans(q, s, runs, known)
	toks := tokenSpans(s, spans)
	x[FEntityContext] = entityContext(s, toks)
	x[FTypeCount] = float64(min(len(spans), 5))
	switch q.Kind {
	case KindPerson, KindPlace, KindDate, KindNumber:
		x[FAskSlot] = 1
	}
	if q.Kind == KindNumber && q.Unit != UnitAny {
		x[FAskUnit] = 1
	}
	// The kinds whose answer stands by the noun the question asks about.
	headKind := head != "" && (q.Kind == KindPerson || q.Kind == KindPlace || q.Kind == KindAny || q.Kind == KindNumber)
	if headKind {
		x[FAskHead] = 1
	}
	if q.Naming && namingRE.MatchString(s.Text) {
		x[FNaming] = 1
	}
	if verb != "" && gapFilled(s, toks, to, related, verb, q.Subject) {
		x[FGap] = 1
	}
	for _, w := range acronyms {
		if acronym(w, runs) {
			x[FAcronym] = 1
		}
	}
	switch q.Kind {
	case KindAny, KindReason:
		x[FTypeGeneral] = t
	default:
		x[FType] = t
	}
	switch q.Kind {
	case KindPerson:
		x[FTypePerson] = t
	case KindPlace:
		x[FTypePlace] = t
	case KindNumber:
		x[FTypeNumber] = t
		if t == 1 && q.Unit != UnitAny {
			x[FTypeUnit] = 1
		}
	case KindDate:
		x[FTypeDate] = t
	}
	if t > 0 {
		switch q.Kind {
		case KindNumber, KindDate:
			if valueNear(q, s) {
				x[FTypeNear] = 1
			}
		case KindPerson, KindPlace:
			if nameNear(s, known) {
				x[FTypeNear] = 1
			}
		}
		if headKind {
			x[FTypeHead] = float64(spanNearHead(s, toks, to, head)) / 2
		}
	}
}

// namingRE is a sentence naming something: a naming word before a capital or
// a quote.
var namingRE = regexp.MustCompile(`\b(?:called|named|nicknamed|dubbed|known as|titled|entitled|renamed|christened)\s+(?:the\s+|a\s+)?["“'‘]?[A-Z"“]`)

// spanNearHead looks for a thing of the kind asked for (spans: token
// ranges) within three words of the question's head noun: 2 by the noun
// itself, 1 by a word related to it, 0 for none ("Greek Foreign Minister
// George Katrougalos" for "which Greek foreign minister").
func spanNearHead(s Sentence, spans [][2]int, to map[string][]string, head string) int {
	best := 0
	for i, t := range s.Tokens {
		strength := 0
		if t.Term == head {
			strength = 2
		} else if slices.Contains(to[t.Term], head) {
			strength = 1
		}
		if strength <= best {
			continue
		}
		for _, sp := range spans {
			if sp[0] > i && sp[0]-i <= 3 || sp[1] < i && i-sp[1] <= 3 {
				best = strength
				break
			}
		}
	}
	return best
}

// tokenSpans turns byte spans of a sentence into the ranges of tokens they
// cover, first and last, leaving out a span that covers none.
func tokenSpans(s Sentence, spans [][2]int) [][2]int {
	out := make([][2]int, 0, len(spans))
	for _, sp := range spans {
		first, last := -1, -1
		for k, u := range s.Tokens {
			if u.End > sp[0] && u.Start < sp[1] {
				if first < 0 {
					first = k
				}
				last = k
			}
		}
		if first >= 0 {
			out = append(out, [2]int{first, last})
		}
	}
	return out
}

// gapFilled reports a thing of the kind asked for (spans: token ranges)
// standing where the question's gap is, next to a word of the sentence that
// is the question's main verb (an index term) or matches it: a few words
// after it ("did Zapata take off from [Sangatte]": "started ... in Sangatte"
// does not, "took off from Sangatte" does), or, for the verb's subject ("who
// signed"), right before it or after "by".
func gapFilled(s Sentence, spans [][2]int, to, related map[string][]string, verb string, subject bool) bool {
	for i, t := range s.Tokens {
		if t.Term != verb && !slices.Contains(to[t.Term], verb) && !slices.Contains(related[t.Term], verb) {
			continue
		}
		for _, sp := range spans {
			first, last := sp[0], sp[1]
			switch {
			case !subject && first > i && first-i <= 6,
				subject && last < i && i-last <= 3,
				subject && first > i && first-i <= 3 && strings.Contains(s.Text[t.End:s.Tokens[first].Start], " by "):
				return true
			}
		}
	}
	return false
}

// Interactions adds the products of features a linear model cannot combine
// on its own: a sentence that holds the question's words and the kind of
// answer asked for is worth more than the sum of the two.
func Interactions(x []float64) {
	t := x[FType] + x[FTypeGeneral]
	x[FLexType] = x[FLex] * t
	x[FNearType] = x[FNear] * t
	x[FLexTypeNear] = x[FLex] * x[FTypeNear]
	x[FWindowType] = x[FWindow] * t
	x[FQuoteLex] = x[FQuoteAsked] * x[FLex]
	x[FRefType] = (x[FAlias] + x[FCoref]) * t
	x[FGapLex] = x[FGap] * x[FLex]
}

// acronym reports whether word (as typed, "BU") spells the initials of a
// name of the sentence ("Boston University").
func acronym(word string, runs []nameRun) bool {
	if len(word) < 2 || len(word) > 6 || !allUpper(word) {
		return false
	}
	for _, r := range runs {
		if len(r.words) != len(word) {
			continue
		}
		ok := true
		for i, w := range r.words {
			if w[0] != word[i] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
