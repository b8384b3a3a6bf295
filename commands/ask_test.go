package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/news"
)

// An abstention is not a dead end: the reply says "I don't know" and offers
// articles on the question's topic, each a card and each in --json.
func TestAskAbstainsWithRelated(t *testing.T) {
	s := service(t)
	r, err := s.Ask(context.Background(), AskArgs{Question: "Who won the curling world championship on Mars?"})
	if err != nil {
		t.Fatal(err)
	}
	data := r.Data.(*AskJSON)
	if !data.Abstained || len(data.Answers) != 0 {
		t.Fatalf("abstained %v with %d answers, want an abstention", data.Abstained, len(data.Answers))
	}
	if !strings.HasPrefix(r.Text, NoAnswer) || !strings.Contains(r.Text, MayHelp) {
		t.Errorf("text %q", r.Text)
	}
	if len(data.Related) == 0 || len(data.Related) > 3 || len(r.Cards) != len(data.Related) {
		t.Fatalf("%d related, %d cards: want 1 to 3 of each", len(data.Related), len(r.Cards))
	}
	for i, a := range data.Related {
		if a.URL == "" || a.Title == "" || r.Cards[i].URL != a.URL {
			t.Errorf("related %d: %+v, card %q", i, a, r.Cards[i].URL)
		}
	}

	r, err = s.Ask(context.Background(), AskArgs{Question: "Where will NATO coordinate security assistance for Ukraine from?"})
	if err != nil {
		t.Fatal(err)
	}
	if data := r.Data.(*AskJSON); data.Abstained || data.Related != nil || !strings.Contains(data.Answers[0].Text, "Wiesbaden") {
		t.Errorf("answer %+v", data)
	}
}

// The reply renders an answer from its verbatim text and the spans Ask
// marks: article text escaped, only the spans bold.
func TestBoldMarkdown(t *testing.T) {
	tests := []struct {
		name, text string
		bold       []news.Span
		want       string
	}{
		{"words bold", "The coordination will be managed from Wiesbaden, Germany.", []news.Span{{Start: 4, End: 16}, {Start: 38, End: 47}},
			"The **coordination** will be managed from **Wiesbaden**, Germany."},
		{"article markup escaped", "He said *never* to_do this", []news.Span{{Start: 8, End: 15}},
			`He said **\*never\***` + ` to\_do this`},
		{"accents and ellipsis", "…Erdoğan spoke", []news.Span{{Start: 3, End: 11}}, "…**Erdoğan** spoke"},
		{"spans out of order or outside the text are shown plain", "ab cd", []news.Span{{Start: 3, End: 5}, {Start: 0, End: 2}, {Start: 4, End: 9}},
			"ab **cd**"},
		{"no spans", "plain", nil, "plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := boldMarkdown(tt.text, tt.bold); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
