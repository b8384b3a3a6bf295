// Package entity tells what a capitalised name in news prose names: a person,
// an organisation, a place, or nothing that can speak or be asked about (a
// word that starts a sentence, a nationality or religion, a state's
// abbreviation). Quote attribution and question answering share it.
//
// It reads the name itself (titles, honorifics, the head word), WordNet
// through package lexicon (instance nouns such as "Paris" or "NATO", common
// words such as "however" or "muslim"), the words around the name, and what
// the article said about the name before (a Memory).
package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/internal/lexicon"
)

// Class is what a name names.
type Class uint8

// Classes. Unknown is only a Context's or a Memory's "not said yet"; Classify
// never returns it.
const (
	Unknown Class = iota
	Person
	Organization
	Place
	Other // not a name: a common word, a nationality, a religion
)

func (c Class) String() string {
	switch c {
	case Person:
		return "person"
	case Organization:
		return "organization"
	case Place:
		return "place"
	case Other:
		return "other"
	}
	return "unknown"
}

// CanSpeak reports whether a name of class c can be credited with words.
func (c Class) CanSpeak() bool { return c == Person || c == Organization }

// Context is what the sentence around a name says. Every field is optional.
type Context struct {
	// Before and After are the words right before and after the name, as
	// written ("in", "Sen.", "said", "-based").
	Before, After string
	// Known is what the article already said the name is (see Memory).
	Known Class
}

// Classify tells what name names, given its context. A name is as written,
// titles included ("Sen. Ted Cruz", "the Red Cross").
func Classify(name string, ctx Context) Class {
	if ctx.Known != Unknown {
		return ctx.Known
	}
	words := strings.Fields(strings.TrimPrefix(strings.TrimPrefix(name, "the "), "The "))
	if len(words) == 0 {
		return Other
	}
	first, last := lower(words[0]), lower(words[len(words)-1])
	for i, w := range words {
		if i > 0 && w == "of" {
			// "Supreme Court of the United Kingdom", "City of London": the
			// head comes before "of".
			last = lower(words[i-1])
			break
		}
	}
	before := lower(ctx.Before)
	switch {
	case IsTitle(before) && !placeBefore[before], len(words) > 1 && IsTitle(first) && !orgHeads[last] && !placeHeads[last]:
		// "Sen. Ted Cruz", "Sultan Qaboos", "President Obama"
		return Person
	case IsStateTag(name):
		// "D.C.", "Calif.", "R-Texas": where someone is from, never who.
		return Place
	case orgHeads[last]:
		return Organization
	case isAcronym(name):
		// "NATO", "BBC"; but a dateline's "WASHINGTON" is a place.
		if wordnet(name).names&lexicon.Place != 0 {
			return Place
		}
		return Organization
	case placeHeads[last] && len(words) > 1:
		return Place
	}
	if len(words) == 1 {
		if c, ok := commonWord(first, ctx); ok {
			return c
		}
	}
	wn := wordnet(strings.Join(words, " ")).names
	switch {
	case wn&lexicon.Person != 0 && (wn&lexicon.Place == 0 || !placeBefore[before] || len(words) > 1):
		// "Clinton" names a person and a town: a person, but "in Clinton".
		return Person
	case wn&lexicon.Organization != 0 && wn&lexicon.Place == 0:
		// "NATO", "Congress". A country that "said" is a place all the same:
		// its words belong to whoever spoke for it.
		return Organization
	case wn&lexicon.Place != 0:
		return Place
	}
	switch {
	case placeBefore[before] && !speaks(ctx) && len(words) == 1:
		// "in Bakersfield", "from Kabul"
		return Place
	case strings.HasPrefix(ctx.After, "-based"):
		return Place
	}
	return Person
}

// commonWord classifies a lone word that WordNet knows as a common word. A
// noun for a kind of person ("Muslim", "Republicans", "Officials") or a word
// that is no noun ("However") is not a name. A noun that is also a surname
// ("Bush", "Trump") may be one, even at the start of a sentence, so it is
// left to the name's other evidence.
func commonWord(w string, ctx Context) (Class, bool) {
	f := wordnet(w)
	if f.pos == 0 {
		return Unknown, false
	}
	switch {
	case f.personNoun && f.names == lexicon.None:
		return Other, true
	case f.pos&lexicon.Noun == 0 && f.names == lexicon.None:
		return Other, true
	}
	return Unknown, false
}

// speaks: the word after the name is a reporting verb, so the name is its
// subject ("Russia said", "Trump told").
func speaks(ctx Context) bool {
	return reportingVerbs[lower(ctx.After)]
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// isPartyTag reads "R-Texas", "D-N.Y.": a party and a state after a
// politician's name.
func isPartyTag(s string) bool {
	party, state, ok := strings.Cut(s, "-")
	return ok && (party == "R" || party == "D" || party == "I") && state != "" &&
		(stateAbbrev[lower(state)] || wordnet(state).names&lexicon.Place != 0)
}

// isAcronym: two or more capitals and no lower-case letter ("NATO", "BBC"),
// but not a state's abbreviation with periods ("N.Y.").
func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) || unicode.IsSpace(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 2 && !strings.Contains(s, ".")
}

// IsTitle reports a title or honorific that comes before a person's name, in
// lower case ("sen.", "mrs", "sultan", "secretary-general").
func IsTitle(w string) bool {
	if titles[w] {
		return true
	}
	// "ex-prime", "vice-president", "secretary-general"
	for w != "" {
		part, rest, found := strings.Cut(w, "-")
		if !found {
			return false
		}
		if part != "ex" && part != "former" && titles[part] || titles[rest] {
			return true
		}
		w = rest
	}
	return false
}

// IsCapitalised reports whether s starts with an upper-case letter.
func IsCapitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// CanSpeak reports whether a speaker name standing alone, as stored with a
// quote, can be credited with words: a person, an organisation, or a country
// or city that "said" for its government. A common word ("Muslim") or a
// state's abbreviation ("D.C.") cannot. Quotes extracted before the tagger
// existed are checked with it on display.
//
// A definite or indefinite description ("The mother", "a protester") is
// someone the article does not name, and can speak.
func CanSpeak(name string) bool {
	if det, rest, ok := strings.Cut(name, " "); ok && (det == "The" || det == "the" || det == "A" || det == "a" || det == "An" || det == "an") {
		f := strings.Fields(rest)
		if len(f) > 0 && !IsCapitalised(f[len(f)-1]) {
			return true
		}
	}
	switch Classify(name, Context{}) {
	case Person, Organization:
		return true
	case Place:
		return !IsStateTag(name)
	}
	return false
}

// IsStateTag reports a state's abbreviation or a party and state after a
// politician's name ("D.C.", "Calif.", "R-Texas"): never a speaker, whatever
// its place in the sentence.
func IsStateTag(name string) bool {
	return stateAbbrev[lower(name)] || isPartyTag(name)
}
