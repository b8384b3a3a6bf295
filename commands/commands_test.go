package commands

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/sample"
)

func service(t *testing.T) *Service {
	t.Helper()
	lib, err := ingest.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	if _, err := lib.IngestFS(context.Background(), sample.FS(), sample.Articles(), ingest.FileOptions{}); err != nil {
		t.Fatal(err)
	}
	return New(lib)
}

func TestHandlePermissionsAndIsolation(t *testing.T) {
	s := service(t)
	ctx := context.Background()
	add := Request{Command: "news add", Guild: "111", Moderator: true,
		Options: map[string]any{"title": "Zorblax festival opens", "text": "The zorblax festival opened on Friday. \"It is wonderful,\" organiser Ada Quill said."}}
	tests := []struct {
		name string
		req  Request
		want string
		eph  bool
	}{
		{"member refused", Request{Command: "news add", Guild: "111", Options: add.Options}, "Only moderators", true},
		{"DM refused", Request{Command: "news add", Moderator: true, Options: add.Options}, "in a server", true},
		{"moderator adds", add, "Added **Zorblax festival opens**", true},
		{"added twice", add, "Already stored", true},
		{"nothing to add", Request{Command: "news add", Guild: "111", Moderator: true}, "Give a url", true},
		{"no fetcher", Request{Command: "news add", Guild: "111", Moderator: true, Options: map[string]any{"url": "https://example.com/a"}}, "cannot fetch links", true},
		{"help", Request{Command: "help"}, "/ask", true},
		{"latest bad count", Request{Command: "latest", Options: map[string]any{"count": int64(11)}}, "between 1 and 10", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Handle(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Text, tt.want) || r.Ephemeral != tt.eph {
				t.Errorf("reply %q (ephemeral %v), want %q (ephemeral %v)", r.Text, r.Ephemeral, tt.want, tt.eph)
			}
		})
	}
	// The guild's article: seen in 111, not in 222 nor in DMs, through every
	// command that shows articles or quotes.
	for _, guild := range []string{"111", "222", ""} {
		want := guild == "111"
		// Every command that shows articles or quotes, in turn.
		for _, c := range []struct {
			cmd  string
			opts map[string]any
		}{
			{"ask", map[string]any{"question": "When did the zorblax festival open?"}},
			{"speakers", map[string]any{"topic": "wonderful"}},
		} {
			r, err := s.Handle(ctx, Request{Command: c.cmd, Guild: guild, Options: c.opts})
			if err != nil {
				t.Fatal(err)
			}
			// The article's title and its speaker appear nowhere else.
			got := fmt.Sprint(r.Cards, r.Data)
			seen := strings.Contains(got, "Zorblax festival opens") || strings.Contains(got, "Ada Quill")
			if seen != want {
				t.Errorf("%s in %q sees guild 111's article: %v (%s)", c.cmd, guild, seen, r.Text)
			}
		}
		r, _ := s.Handle(ctx, Request{Command: "search", Guild: guild, Options: map[string]any{"query": "zorblax"}})
		if got := len(r.Cards) > 0; got != want {
			t.Errorf("search in %q sees it: %v", guild, got)
		}
		r, _ = s.Handle(ctx, Request{Command: "quotes", Guild: guild, Options: map[string]any{"speaker": "Ada Quill"}})
		if got := len(r.Cards) > 0; got != want {
			t.Errorf("quotes in %q sees it: %v", guild, got)
		}
		r, _ = s.Handle(ctx, Request{Command: "latest", Guild: guild, Options: map[string]any{"count": int64(1)}})
		if got := len(r.Cards) == 1 && strings.Contains(r.Cards[0].Title, "Zorblax"); got != want {
			t.Errorf("latest in %q sees it: %v", guild, got)
		}
		ch, _ := s.Autocomplete(ctx, Request{Command: "quotes", Focused: "speaker", Guild: guild, Options: map[string]any{"speaker": "ada qu"}})
		if got := len(ch) > 0 && ch[0].Name == "Ada Quill"; got != want {
			t.Errorf("speaker autocomplete in %q sees it: %v", guild, got)
		}
		ch, _ = s.Autocomplete(ctx, Request{Command: "news remove", Focused: "id", Guild: guild, Moderator: true, Options: map[string]any{"id": "zorb"}})
		if got := len(ch) > 0; got != want {
			t.Errorf("remove autocomplete in %q sees it: %v", guild, got)
		}
	}
	// Another guild's moderator cannot remove it, its own can.
	ch, _ := s.Autocomplete(ctx, Request{Command: "news remove", Focused: "id", Guild: "111", Moderator: true, Options: map[string]any{"id": "zorb"}})
	id := ch[0].Value
	r, _ := s.Handle(ctx, Request{Command: "news remove", Guild: "222", Moderator: true, Options: map[string]any{"id": id}})
	if !strings.Contains(r.Text, "No article") {
		t.Errorf("other guild's remove: %q", r.Text)
	}
	r, _ = s.Handle(ctx, Request{Command: "news remove", Guild: "111", Moderator: true, Options: map[string]any{"id": id}})
	if !strings.Contains(r.Text, "Removed") {
		t.Errorf("own remove: %q", r.Text)
	}
}

func TestPagingAndExpiry(t *testing.T) {
	s := service(t)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	ctx := context.Background()
	r, err := s.Handle(ctx, Request{Command: "search", Options: map[string]any{"query": "president election"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buttons) != 2 || !r.Buttons[0].Disabled || r.Buttons[1].Disabled {
		t.Fatalf("buttons = %+v", r.Buttons)
	}
	for _, b := range r.Buttons {
		if len(b.CustomID) > 100 {
			t.Errorf("custom_id of %d characters", len(b.CustomID))
		}
	}
	first := r.Cards[0].ArticleID
	next, err := s.Component(ctx, r.Buttons[1].CustomID, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Cards) == 0 || next.Cards[0].ArticleID == first || next.Buttons[0].Disabled {
		t.Errorf("page 2 = %+v", next)
	}
	// From another guild, or after 15 minutes: a polite ephemeral note.
	if r2, _ := s.Component(ctx, r.Buttons[1].CustomID, Request{Guild: "999"}); !r2.Ephemeral {
		t.Error("another guild could page this search")
	}
	now = now.Add(PageTTL + time.Second)
	late, _ := s.Component(ctx, r.Buttons[1].CustomID, Request{})
	if !late.Ephemeral || !strings.Contains(late.Text, "15 minutes") {
		t.Errorf("expired page: %+v", late)
	}
	if bad, _ := s.Component(ctx, "pg:nonsense", Request{}); !bad.Ephemeral {
		t.Error("malformed custom_id not refused")
	}
}

func TestAutocompleteLimits(t *testing.T) {
	s := service(t)
	ch, err := s.Autocomplete(context.Background(), Request{Command: "quotes", Focused: "speaker", Options: map[string]any{"speaker": ""}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch) == 0 || len(ch) > 25 {
		t.Fatalf("%d choices", len(ch))
	}
	for _, c := range ch {
		if n := utf8.RuneCountInString(c.Name); n < 1 || n > 100 {
			t.Errorf("choice name of %d runes", n)
		}
	}
	ch, _ = s.Autocomplete(context.Background(), Request{Command: "quotes", Focused: "speaker", Options: map[string]any{"speaker": "stolt"}})
	if len(ch) == 0 || ch[0].Name != "Jens Stoltenberg" {
		t.Errorf("stolt -> %+v", ch)
	}
	ch, _ = s.Autocomplete(context.Background(), Request{Command: "search", Focused: "source", Options: map[string]any{"source": "en.wiki"}})
	if len(ch) != 1 || ch[0].Value != "en.wikinews.org" {
		t.Errorf("source -> %+v", ch)
	}
}
