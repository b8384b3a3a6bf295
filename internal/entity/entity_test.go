package entity

import (
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		ctx  Context
		want Class
	}{
		{"Ted Cruz", Context{Before: "Sen."}, Person},
		{"Sultan Qaboos", Context{}, Person},
		{"Mark Amodei", Context{After: "said"}, Person},
		{"D.C.", Context{After: "said"}, Place},
		{"R-Texas", Context{}, Place},
		{"D-N.Y.", Context{}, Place},
		{"Muslim", Context{After: "said"}, Other},
		{"Republican", Context{}, Other},
		{"Officials", Context{After: "said"}, Other},
		{"However", Context{}, Other},
		{"Paris", Context{Before: "in"}, Place},
		{"Texas", Context{}, Place},
		{"United States", Context{Before: "the"}, Place},
		{"United States", Context{After: "said"}, Place},
		{"Clinton", Context{After: "said"}, Person},
		{"Clinton", Context{}, Person},
		{"Clinton", Context{Before: "in"}, Place},
		{"Trump", Context{After: "told"}, Person},
		{"NATO", Context{}, Organization},
		{"BBC", Context{}, Organization},
		{"WASHINGTON", Context{}, Place},
		{"Amnesty International", Context{}, Organization},
		{"the Coast Guard", Context{After: "said"}, Organization},
		{"Carmel Valley", Context{}, Place},
		{"Supreme Court of the United Kingdom", Context{}, Organization},
		{"City of London", Context{}, Place},
		{"Bakersfield", Context{Before: "from"}, Place},
		{"Anna Nowak", Context{Before: "from"}, Person},
		{"Anna Nowak", Context{Known: Organization}, Organization},
	}
	for _, tt := range tests {
		if got := Classify(tt.name, tt.ctx); got != tt.want {
			t.Errorf("Classify(%q, %+v) = %v, want %v", tt.name, tt.ctx, got, tt.want)
		}
	}
}

func TestCanSpeak(t *testing.T) {
	for name, want := range map[string]bool{
		"Anna Nowak": true, "NATO": true, "The mother": true, "the army": true, "a protester": true,
		"Russia": true, "Muslim": false, "D.C.": false, "R-Texas": false, "Republican": false,
	} {
		if got := CanSpeak(name); got != want {
			t.Errorf("CanSpeak(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestMemory(t *testing.T) {
	var m Memory
	if got := m.Recall("Trump"); got != Unknown {
		t.Fatalf("empty memory recalls %v", got)
	}
	m.Learn("Donald Trump", Person)
	m.Learn("Hasbro", Organization)
	m.Learn("Hasbro", Person) // the first thing said stands
	for name, want := range map[string]Class{"donald trump": Person, "Trump": Person, "Hasbro": Organization, "Donald": Unknown} {
		if got := m.Recall(name); got != want {
			t.Errorf("Recall(%q) = %v, want %v", name, got, want)
		}
	}
	if got := m.Classify("Trump", Context{}); got != Person {
		t.Errorf("Classify(Trump) with memory = %v, want person", got)
	}
}

func BenchmarkClassify(b *testing.B) {
	names := []string{"Mark Amodei", "Muslim", "D.C.", "Paris", "Amnesty International", "Trump"}
	for i := 0; b.Loop(); i++ {
		Classify(names[i%len(names)], Context{After: "said"})
	}
}

// TestTitleWords: every listed title is one IsTitle accepts.
func TestTitleWords(t *testing.T) {
	words := TitleWords()
	if len(words) < 100 {
		t.Fatalf("only %d title words", len(words))
	}
	for w := range words {
		if !IsTitle(w) {
			t.Errorf("IsTitle(%q) = false for a listed title", w)
		}
	}
	if words["ex-president"] || !IsTitle("ex-president") {
		t.Error("hyphenated forms are IsTitle's, not the list's")
	}
}

// TestAppendLowerASCII: ASCII text comes out as strings.ToLower makes it;
// other text is left to strings.ToLower.
func TestAppendLowerASCII(t *testing.T) {
	for _, tc := range []struct {
		s     string
		ascii bool
	}{
		{"", true}, {"Jens Stoltenberg", true}, {"NATO", true}, {"already lower", true}, {"D.C.", true},
		{"Zürich", false}, {"ÉMILE", false},
	} {
		got, ok := appendLowerASCII([]byte("x"), tc.s)
		switch {
		case ok != tc.ascii:
			t.Errorf("appendLowerASCII(%q) ok = %v, want %v", tc.s, ok, tc.ascii)
		case ok && string(got) != "x"+strings.ToLower(tc.s):
			t.Errorf("appendLowerASCII(%q) = %q, want %q", tc.s, got, "x"+strings.ToLower(tc.s))
		case !ok && string(got) != "x":
			t.Errorf("appendLowerASCII(%q) appended %q to non-ASCII text", tc.s, got)
		}
	}
}
