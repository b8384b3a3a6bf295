package bot

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest/feeds"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/internal/discordtest"
	"github.com/newsbot/newsbot/news"
)

// TestFeedsAndLinksThroughDiscord: a moderator follows a feed served on
// loopback (allowed explicitly), the poll announces its new items in a
// channel, and /news add url: fetches a page.
func TestFeedsAndLinksThroughDiscord(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Loop Wire</title><link>http://%[1]s/</link>
<item><title>Quayside market opens</title><link>http://%[1]s/market</link><guid>m1</guid><description>The quayside market opened on Saturday with forty stalls. "It is a good start," organiser Ruth Penn said.</description></item>
</channel></rss>`, r.Host)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><meta property="og:title" content="Tram line extended"><meta property="og:site_name" content="Loop Times"></head><body><article><p>`+
			strings.Repeat("The tram line was extended to the harbour on Monday, the council said. ", 6)+`</p></article></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)

	h := start(t, Options{})
	f := fetch.New(config.Fetch{AllowHosts: []string{u.Hostname()}, Timeout: 5 * time.Second, MaxBytes: 1 << 20, UserAgent: "newsbot-test"})
	h.svc.Fetch = f.Article
	announceChannel := "100000000000000077"
	p, err := h.svc.Lib.NewPoller(f, nil, feeds.Options{
		Announce: func(ctx context.Context, ch string, arts []*news.Article) error {
			return h.b.Announce(ctx, ch, "", arts)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.svc.Feeds = p

	r := h.send(t, discordtest.SlashCommand(moderator(guildB), "feed", discordtest.Subcommand("add",
		discordtest.StringOption("url", srv.URL+"/feed.xml"), discordtest.StringOption("channel", announceChannel))))
	if !strings.Contains(text(r), "Following") {
		t.Fatalf("feed add: %s", text(r))
	}
	if _, err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := h.f.WaitMessages(ctx, announceChannel, 1)
	if err != nil {
		t.Fatalf("no announcement: %v", err)
	}
	if !strings.Contains(fmt.Sprint(msgs[0].Body), "Quayside market opens") {
		t.Errorf("announcement: %v", msgs[0].Body)
	}
	// A second poll announces nothing new.
	if _, err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(h.f.Messages(announceChannel)); n != 1 {
		t.Errorf("%d announcements after a second poll, want 1", n)
	}
	// The feed's article is guild B's: guild A does not see it.
	r = h.send(t, discordtest.SlashCommand(member(guildA), "search", discordtest.StringOption("query", "quayside market")))
	if strings.Contains(text(r), "Quayside") {
		t.Error("guild A sees guild B's feed")
	}
	r = h.send(t, discordtest.SlashCommand(moderator(guildB), "feed", discordtest.Subcommand("list")))
	if !strings.Contains(text(r), "feed.xml") {
		t.Errorf("feed list: %s", text(r))
	}
	r = h.send(t, discordtest.Autocomplete(moderator(guildB), "feed", discordtest.Subcommand("remove", discordtest.Focus(discordtest.StringOption("url", "feed")))))
	if !strings.Contains(text(r), "feed.xml") {
		t.Errorf("feed remove autocomplete: %s", text(r))
	}
	r = h.send(t, discordtest.SlashCommand(moderator(guildB), "feed", discordtest.Subcommand("remove", discordtest.StringOption("url", srv.URL+"/feed.xml"))))
	if !strings.Contains(text(r), "No longer following") {
		t.Errorf("feed remove: %s", text(r))
	}
	// A link: fetched, parsed, stored for the guild.
	r = h.send(t, discordtest.SlashCommand(moderator(guildB), "news", discordtest.Subcommand("add", discordtest.StringOption("url", srv.URL+"/page"))))
	if !strings.Contains(text(r), "Tram line extended") {
		t.Errorf("news add url: %s", text(r))
	}
	// The same link again points at the stored article.
	r = h.send(t, discordtest.SlashCommand(moderator(guildB), "news", discordtest.Subcommand("add", discordtest.StringOption("url", srv.URL+"/page"))))
	if !strings.Contains(text(r), "Already stored") {
		t.Errorf("second news add url: %s", text(r))
	}
	// A private address is refused with the reason.
	h.svc.Fetch = fetch.New(config.Fetch{Timeout: time.Second, MaxBytes: 1 << 20}).Article
	r = h.send(t, discordtest.SlashCommand(moderator(guildB), "news", discordtest.Subcommand("add", discordtest.StringOption("url", srv.URL+"/page"))))
	if !strings.Contains(text(r), "loopback") {
		t.Errorf("loopback link: %s", text(r))
	}
}
