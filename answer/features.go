package answer

import "github.com/newsbot/newsbot/internal/lexicon"

// FeatureVersion changes whenever a feature's meaning changes, so a model
// fitted on other features is refused (see Load).
const FeatureVersion = 1

// The features of a candidate sentence, by index in a feature vector.
const (
	FLex          = iota // IDF-weighted share of the question's words the sentence holds (title words count less)
	FRelated             // the same share for words matched only through WordNet (synonyms, derivations)
	FBigram              // share of the question's adjacent word pairs the sentence holds adjacent
	FNear                // question words held by the previous and next sentences
	FCoverage            // share of the question's weight found anywhere in the article
	FArticle             // the article's retrieval score, relative to the best article's
	FRank                // the article's retrieval rank, 0 for the best
	FMissingNames        // names of the question the article does not hold
	FType                // evidence of the kind of answer asked for, beyond what the question says
	FTypeNear            // that evidence within a few words of a matched word
	FTypeHead            // a new name right by the noun the question asks about
	FTypeGeneral         // evidence for questions that name no kind (what, why)
	FQuote               // the sentence carries a quote
	FQuoteAsked          // ... by the speaker the question names
	FLead                // the article's first sentence
	FPronounLed          // the sentence starts with a pronoun (its subject is in the previous one)
	FShort               // the sentence is short (under eight words)
	FAcronym             // a word of the question is the initials of a name the sentence holds
	NumFeatures
)

// FeatureNames name the features in order; a fitted model records them.
var FeatureNames = []string{
	"lex", "related", "bigram", "near", "coverage", "article", "rank", "missing_names",
	"type", "type_near", "type_head", "type_general", "quote", "quote_asked", "lead", "pronoun_led",
	"short", "acronym",
}

// Evidence computes the answer-type features of a sentence for a question:
// known holds the terms of the question and the article's title, which an
// answer must go beyond; to maps an article term to the question terms it
// matches; head is the index term of the question's head noun.
func Evidence(q Question, s Sentence, known map[string]bool, to map[string][]string, head string, x []float64) {
	t := typeEvidence(q, s.Text, s.Tokens, known)
	switch q.Kind {
	case KindAny, KindReason:
		x[FTypeGeneral] = t
	default:
		x[FType] = t
	}
	if t > 0 {
		switch q.Kind {
		case KindNumber, KindDate:
			if valueNear(q.Kind, s) {
				x[FTypeNear] = 1
			}
		case KindPerson, KindPlace:
			if nameNear(s, known) {
				x[FTypeNear] = 1
			}
		}
		if head != "" && (q.Kind == KindPerson || q.Kind == KindPlace || q.Kind == KindAny) {
			x[FTypeHead] = float64(nameNearHead(s.Text, s.Tokens, to, head, known)) / 2
		}
	}
}

// Acronym reports whether word (as typed, "BU") spells the initials of a
// name in the sentence ("Boston University").
func Acronym(word string, s Sentence) bool {
	if len(word) < 2 || len(word) > 6 || !allUpper(word) {
		return false
	}
	for _, r := range nameRuns(s.Text, s.Tokens, nil) {
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

// Class re-exports the lexicon's classes of names for callers of this
// package.
type Class = lexicon.Class
