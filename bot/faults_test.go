package bot

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"log/slog"

	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/internal/discordtest"
	"github.com/newsbot/newsbot/news"
)

// syncBuffer is a log sink safe for the bot's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestExpiredTokenIsALoggedFailure: a deferred answer that is ready only after
// the interaction's 15 minutes cannot be delivered; the bot says so in its log
// (and Discord, here the fake, refuses the late edit), never silently.
func TestExpiredTokenIsALoggedFailure(t *testing.T) {
	clock := discordtest.NewManualClock(time.Now())
	f := discordtest.New(t, discordtest.WithClock(clock))
	svc := commands.New(library(t))
	release := make(chan struct{})
	svc.Fetch = func(ctx context.Context, url string, def news.Defaults) ([]news.Item, error) {
		<-release
		return []news.Item{news.FromText("Late article", "It came back after a very long fetch.", def)}, nil
	}
	var logs syncBuffer
	b, err := New(Options{Token: f.Token(), BaseURL: f.URL(), GuildID: guildA, DeferAfter: time.Nanosecond},
		svc, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer b.Stop(5 * time.Second)
	sent, err := f.SendInteraction(discordtest.SlashCommand(moderator(guildA), "news",
		discordtest.Subcommand("add", discordtest.StringOption("url", "https://example.com/late"))))
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.WaitResponse(ctx, sent.ID)
	if err != nil || r.Type != 5 {
		t.Fatalf("deferral: %+v, %v", r, err)
	}
	clock.Advance(16 * time.Minute)
	close(release)
	for !strings.Contains(logs.String(), "edit of the deferred response failed") {
		if ctx.Err() != nil {
			t.Fatalf("no logged failure; log:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, v := range f.Violations() {
		if v.Rule != discordtest.RuleInteractionExpired {
			t.Errorf("unexpected violation: %+v", v)
		}
	}
}
