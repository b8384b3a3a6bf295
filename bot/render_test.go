package bot

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/internal/discordtest"
	"github.com/newsbot/newsbot/internal/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func discordtestSlash(name string) discordtest.Interaction {
	return discordtest.SlashCommand(member(guildA), name)
}

// TestRenderGolden pins what members see: the rendered Discord payloads of
// typical replies (go test ./bot -update to refresh after a deliberate change).
func TestRenderGolden(t *testing.T) {
	day := time.Date(2024, 11, 19, 0, 0, 0, 0, time.UTC)
	replies := map[string]*commands.Reply{
		"answer": {Cards: []commands.Card{{
			Title: "NATO agrees plan for Ukraine *Security* Assistance", URL: "https://example.org/nato",
			Body:   "The **coordination** will be managed from Wiesbaden, Germany.",
			Source: "example.org", Published: day,
		}}},
		"quote": {Cards: []commands.Card{{
			Title: "NATO agrees plan", Body: markdown.Escape("Russia’s campaign will not deter us"), Quote: true,
			Speaker: "Jens Stoltenberg", SpeakerTitle: "NATO Secretary General", Published: day,
		}}},
		"paged": {Text: "Articles 1–1 of 7", Cards: []commands.Card{{Title: "A", Body: "b"}},
			Buttons: []commands.Button{{Label: "◀", CustomID: "pg:k:-1", Disabled: true}, {Label: "▶", CustomID: "pg:k:1"}}},
		"error": commands.ErrorReply("Only moderators (Manage Messages) can do that."),
	}
	for name, r := range replies {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(render(r).responseData(), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./bot -update)", err)
			}
			if strings.TrimSpace(string(want)) != strings.TrimSpace(string(got)) {
				t.Errorf("%s changed:\n%s\nwant:\n%s", name, got, want)
			}
		})
	}
}

func TestRenderLimits(t *testing.T) {
	long := strings.Repeat("Ünïcödé **bold** \\* text ", 600)
	r := &commands.Reply{Text: long}
	for range 12 {
		r.Cards = append(r.Cards, commands.Card{
			Title: strings.Repeat("T", 300), Body: long, URL: "javascript:alert(1)",
			Fields: []commands.Field{{Name: strings.Repeat("n", 300), Value: long}},
			Source: strings.Repeat("s", 3000),
		})
	}
	m := render(r)
	if n := utf8.RuneCountInString(m.content); n > maxContent {
		t.Errorf("content of %d runes", n)
	}
	if !utf8.ValidString(m.content) {
		t.Error("content cut inside a rune")
	}
	if len(m.embeds) > maxEmbeds {
		t.Errorf("%d embeds", len(m.embeds))
	}
	total := 0
	for _, e := range m.embeds {
		total += embedSize(e)
		if e.URL != "" {
			t.Errorf("unsafe URL kept: %q", e.URL)
		}
		if utf8.RuneCountInString(e.Title) > maxTitle || utf8.RuneCountInString(e.Description) > maxDescription {
			t.Error("embed title or description over the limit")
		}
		for _, f := range e.Fields {
			if utf8.RuneCountInString(f.Name) > maxFieldName || utf8.RuneCountInString(f.Value) > maxFieldValue {
				t.Error("field over the limit")
			}
		}
		if strings.Count(e.Description, "**")%2 != 0 && !strings.Contains(e.Description, `\*`) {
			t.Errorf("unbalanced bold in %q", e.Description[len(e.Description)-40:])
		}
	}
	if total > maxEmbedTotal {
		t.Errorf("embeds total %d characters", total)
	}
}
