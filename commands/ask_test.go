package commands

import (
	"context"
	"strings"
	"testing"
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
