// Package lexicon answers questions about English words from WordNet 3.0:
// their base forms, parts of speech, synonyms, derivations (die, death),
// nearest hypernyms, the semantic field of a noun, and the class of a proper
// name (person, place, organisation). The table is compiled from Debian's
// wordnet-base by ./gen and embedded; see LICENSE.wordnet.
package lexicon

//go:generate go run ./gen -wordnet /usr/share/wordnet -out wordnet.tsv

import (
	_ "embed"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The table is embedded as text, not compressed: a command-line question
// pays for loading it, and unpacking took most of that (the binary is about
// 3 MB larger for it; git stores it compressed anyway).
//
//go:embed wordnet.tsv
var tableText string

// POSSet is a set of parts of speech.
type POSSet uint8

// Parts of speech.
const (
	Noun POSSet = 1 << iota
	Verb
	Adj
	Adv
)

// Class is what a proper name names.
type Class uint8

// Classes of names, as bits: a name may name several ("Washington").
const (
	None   Class = 0
	Person Class = 1 << (iota - 1)
	Place
	Organization
)

// The table's fourth column holds a word's classes of names in its low bits
// and the class of its most frequent proper sense shifted by usualShift (see
// gen).
const (
	classBits  = 1<<usualShift - 1
	usualShift = 4
)

// Entry is everything the table holds for one word.
type Entry struct {
	POS POSSet
	// Field is the lexicographer file of the word's most frequent noun
	// sense: "person", "location", "group", "time", "quantity", ...
	Field string
	// Names are the classes of the proper names the word spells; Usual is
	// the class of its most frequent proper sense ("France": Place, though
	// Anatole France makes Names Place and Person).
	Names     Class
	Usual     Class
	Synonyms  []string
	Derived   []string
	Hypernyms []string
	// Bases are irregular base forms ("died" has none, "went" has "go").
	Bases []string
}

var table struct {
	once  sync.Once
	text  string
	lines []uint32 // start of each line in text, sorted by key
}

func load() {
	table.once.Do(func() {
		t := tableText
		table.text = t
		table.lines = make([]uint32, 0, strings.Count(t, "\n"))
		for i := 0; i < len(t); {
			j := strings.IndexByte(t[i:], '\n')
			if j < 0 {
				j = len(t) - i
			}
			if t[i] != '#' {
				table.lines = append(table.lines, uint32(i))
			}
			i += j + 1
		}
	})
}

// Load indexes the table now rather than on first use: a server calls it at
// start so that its first question does not wait for it.
func Load() { load() }

// line returns the table's line for key, without the key, or "".
func line(key string) (string, bool) {
	load()
	t := table.text
	keyAt := func(i int) string {
		s := t[table.lines[i]:]
		if j := strings.IndexByte(s, '\t'); j >= 0 {
			return s[:j]
		}
		return s
	}
	i := sort.Search(len(table.lines), func(i int) bool { return keyAt(i) >= key })
	if i == len(table.lines) || keyAt(i) != key {
		return "", false
	}
	s := t[int(table.lines[i])+len(key)+1:]
	if j := strings.IndexByte(s, '\n'); j >= 0 {
		s = s[:j]
	}
	return s, true
}

// Lookup returns the entry of a word (lower-cased; a multi-word name with
// spaces), and whether the table has it.
func Lookup(word string) (Entry, bool) {
	s, ok := line(strings.ToLower(word))
	if !ok {
		return Entry{}, false
	}
	f := strings.Split(s, "\t")
	if len(f) < 7 {
		return Entry{}, false
	}
	pos, _ := strconv.ParseUint(f[0], 16, 8)
	names, _ := strconv.ParseUint(f[2], 16, 8)
	return Entry{
		POS: POSSet(pos), Field: f[1], Names: Class(names & classBits), Usual: Class(names >> usualShift),
		Synonyms: split(f[3]), Derived: split(f[4]), Hypernyms: split(f[5]), Bases: split(f[6]),
	}, true
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// IsWord reports whether a lower-case word is a common English word in any
// part of speech (WordNet's base forms; use Lemmas for inflected forms).
func IsWord(lower string) bool {
	e, ok := Lookup(lower)
	return ok && e.POS != 0
}

// POS returns the parts of speech of a word or its base forms.
func POS(lower string) POSSet {
	var p POSSet
	for _, l := range Lemmas(lower) {
		e, _ := Lookup(l)
		p |= e.POS
	}
	return p
}

// NameClass returns the classes of the proper names a name spells in WordNet
// ("Paris": Place and Person; "NATO": Organization), None if it knows none.
func NameClass(name string) Class {
	e, _ := Lookup(name)
	return e.Names
}

// UsualClass returns the class of the most frequent proper sense of a name in
// WordNet ("France": Place; "Washington": Place), None if it knows none.
func UsualClass(name string) Class {
	e, _ := Lookup(name)
	return e.Usual
}

// IsPersonNoun reports a common noun whose most frequent sense is a kind of
// person: "senator", "spokesman", "muslim", "american".
func IsPersonNoun(lower string) bool {
	for _, l := range Lemmas(lower) {
		if e, _ := Lookup(l); e.POS&Noun != 0 && e.Field == "person" {
			return true
		}
	}
	return false
}

// Field returns the semantic field of a noun's most frequent sense (see
// Entry.Field), through its base form.
func Field(lower string) string {
	for _, l := range Lemmas(lower) {
		if e, _ := Lookup(l); e.POS&Noun != 0 && e.Field != "" {
			return e.Field
		}
	}
	return ""
}

// detachments are WordNet's morphological rules (morphy): an inflectional
// ending and what replaces it, by part of speech.
type detachment struct {
	pos    POSSet
	suffix string
	ending string
}

var detachments = []detachment{
	{Noun, "s", ""}, {Noun, "ses", "s"}, {Noun, "xes", "x"}, {Noun, "zes", "z"}, {Noun, "ches", "ch"},
	{Noun, "shes", "sh"}, {Noun, "men", "man"}, {Noun, "ies", "y"},
	{Verb, "s", ""}, {Verb, "ies", "y"}, {Verb, "es", "e"}, {Verb, "es", ""}, {Verb, "ed", "e"},
	{Verb, "ed", ""}, {Verb, "ing", "e"}, {Verb, "ing", ""},
	{Adj, "er", ""}, {Adj, "est", ""}, {Adj, "er", "e"}, {Adj, "est", "e"},
}

// Lemmas returns the base forms of a lower-case word that WordNet knows: the
// word itself when it is one, its irregular bases ("went": "go"), and what
// its regular endings detach to ("elected": "elect", "cities": "city",
// "stopped": "stop"). Nil when none is a word.
func Lemmas(lower string) []string {
	var out []string
	add := func(w string) {
		for _, o := range out {
			if o == w {
				return
			}
		}
		out = append(out, w)
	}
	e, ok := Lookup(lower)
	if ok && e.POS != 0 {
		add(lower)
	}
	for _, b := range e.Bases {
		add(b)
	}
	for _, d := range detachments {
		if !strings.HasSuffix(lower, d.suffix) || len(lower) <= len(d.suffix)+1 {
			continue
		}
		stem := lower[:len(lower)-len(d.suffix)]
		for _, c := range []string{stem + d.ending, undouble(stem, d)} {
			if c == "" {
				continue
			}
			if be, ok := Lookup(c); ok && be.POS&d.pos != 0 {
				add(c)
			}
		}
	}
	return out
}

// undouble drops the doubled consonant of "stopped" and "bigger".
func undouble(stem string, d detachment) string {
	n := len(stem)
	if d.ending != "" || n < 3 || stem[n-1] != stem[n-2] || strings.IndexByte("aeiou", stem[n-1]) >= 0 {
		return ""
	}
	return stem[:n-1]
}
