package lexicon

import (
	"slices"
	"strings"
	"testing"
)

func TestLemmas(t *testing.T) {
	for _, tc := range []struct{ word, want string }{
		{"died", "die"}, {"elected", "elect"}, {"cities", "city"}, {"went", "go"},
		{"stopped", "stop"}, {"wrecked", "wreck"}, {"children", "child"}, {"bigger", "big"},
		{"women", "woman"}, {"death", "death"},
	} {
		if got := Lemmas(tc.word); !slices.Contains(got, tc.want) {
			t.Errorf("Lemmas(%q) = %v, want it to hold %q", tc.word, got, tc.want)
		}
	}
	if got := Lemmas("qzxv"); got != nil {
		t.Errorf("Lemmas of a non-word = %v, want nil", got)
	}
}

func TestRelations(t *testing.T) {
	die, _ := Lookup("die")
	if !slices.Contains(die.Derived, "death") {
		t.Errorf("die derived = %v, want death", die.Derived)
	}
	elect, _ := Lookup("elect")
	if !slices.Contains(elect.Derived, "election") {
		t.Errorf("elect derived = %v, want election", elect.Derived)
	}
	wreck, _ := Lookup("destroy")
	if !slices.Contains(wreck.Synonyms, "ruin") {
		t.Errorf("destroy synonyms = %v, want ruin", wreck.Synonyms)
	}
	// Pertainyms, both ways: "Irish" is of or relating to Ireland.
	for _, pair := range [][2]string{{"irish", "ireland"}, {"ireland", "irish"}, {"polish", "poland"}, {"economic", "economy"}} {
		e, _ := Lookup(pair[0])
		if !slices.Contains(e.Derived, pair[1]) {
			t.Errorf("%s derived = %v, want %s", pair[0], e.Derived, pair[1])
		}
	}
	// Phrasal verbs, with their one-word synonyms.
	if e, _ := Lookup("move into"); !slices.Contains(e.Synonyms, "enter") || e.POS&Verb == 0 {
		t.Errorf("move into = %+v, want a verb with synonym enter", e)
	}
	city, _ := Lookup("city")
	if !slices.Contains(city.Hypernyms, "municipality") {
		t.Errorf("city hypernyms = %v, want municipality", city.Hypernyms)
	}
}

func TestClasses(t *testing.T) {
	for _, tc := range []struct {
		name string
		want Class
	}{
		{"Oman", Place}, {"NATO", Organization}, {"Einstein", Person}, {"Paris", Place},
		{"Muslim", None}, {"American", None}, {"Stoltenberg", None},
	} {
		if got := NameClass(tc.name); got&tc.want != tc.want || (tc.want == None && got != None) {
			t.Errorf("NameClass(%q) = %b, want %b", tc.name, got, tc.want)
		}
	}
	// The most frequent proper sense, where a name has several.
	for name, want := range map[string]Class{"France": Place, "Washington": Place, "Jackson": Person, "NATO": Organization, "Stoltenberg": None} {
		if got := UsualClass(name); got != want {
			t.Errorf("UsualClass(%q) = %b, want %b", name, got, want)
		}
	}
	for _, w := range []string{"senator", "spokesman", "muslim", "attackers"} {
		if !IsPersonNoun(w) {
			t.Errorf("IsPersonNoun(%q) = false", w)
		}
	}
	for _, w := range []string{"city", "election", "said"} {
		if IsPersonNoun(w) {
			t.Errorf("IsPersonNoun(%q) = true", w)
		}
	}
	if f := Field("cities"); f != "location" {
		t.Errorf("Field(cities) = %q", f)
	}
	if p := POS("said"); p&Verb == 0 {
		t.Errorf("POS(said) = %b, want a verb", p)
	}
}

// TestTableIsGenerated fails when the embedded table was edited by hand or
// made by another generator: its header names the generator.
func TestTableIsGenerated(t *testing.T) {
	load()
	if !strings.HasPrefix(table.text, "# WordNet 3.0") || !strings.Contains(table.text[:200], "internal/lexicon/gen") {
		t.Fatalf("table header = %q, want the generator's", table.text[:min(len(table.text), 120)])
	}
	if len(table.lines) < 90000 {
		t.Fatalf("table has %d words, want WordNet's ~95,000 single words and names", len(table.lines))
	}
}
