package bot

import (
	"context"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/discordtest"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
)

const (
	guildA  = "100000000000000001"
	guildB  = "100000000000000002"
	channel = "100000000000000010"
	// Permission bit sets as Discord sends them: a member who can send
	// messages, and a moderator who can also manage them.
	memberPerms    = "2048"
	moderatorPerms = "10240"
)

var (
	libOnce sync.Once
	libErr  error
	shared  *ingest.Library
)

// library is the sample news, ingested once for all the bot's tests.
func library(t *testing.T) *ingest.Library {
	t.Helper()
	libOnce.Do(func() {
		dir, err := os.MkdirTemp("", "newsbot-bot-test")
		if err != nil {
			libErr = err
			return
		}
		lib, err := ingest.Open(context.Background(), dir, nil)
		if err != nil {
			libErr = err
			return
		}
		if _, err := lib.IngestFS(context.Background(), sample.FS(), sample.Articles(), ingest.FileOptions{}); err != nil {
			libErr = err
			return
		}
		// An article written to make trouble: Markdown, a mention and a
		// masked link, in guild A only.
		evil := &news.Article{Title: "Party @everyone **now**", Guild: guildA, Source: "prank",
			Paragraphs: []string{"Come to the zorblax party @everyone and @here, ||spoiler|| [click](https://evil.example) <@123> *now*."}}
		evil.ComputeID()
		if _, err := lib.Add(context.Background(), []*news.Article{evil}); err != nil {
			libErr = err
			return
		}
		shared = lib
	})
	if libErr != nil {
		t.Fatal(libErr)
	}
	return shared
}

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if shared != nil {
		shared.Close()
		os.RemoveAll(shared.Dir)
	}
	os.Exit(code)
}

// harness is a bot connected to a fake Discord.
type harness struct {
	f   *discordtest.Fake
	b   *Bot
	svc *commands.Service
}

func start(t *testing.T, opt Options, fakeOpts ...discordtest.Option) *harness {
	t.Helper()
	return startWith(t, library(t), opt, fakeOpts...)
}

// startWith runs the bot on a library of the test's own: a test that leaves
// state behind (digest watermarks) must not share it with its next run
// (-count).
func startWith(t *testing.T, lib *ingest.Library, opt Options, fakeOpts ...discordtest.Option) *harness {
	t.Helper()
	f := discordtest.New(t, fakeOpts...)
	svc := commands.New(lib)
	opt.Token, opt.BaseURL = f.Token(), f.URL()
	if opt.GuildID == "" {
		opt.GuildID = guildA
	}
	b, err := New(opt, svc, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = b.Stop(5 * time.Second)
		f.AssertNoViolations(t)
	})
	return &harness{f: f, b: b, svc: svc}
}

func (h *harness) send(t *testing.T, i discordtest.Interaction) discordtest.Response {
	t.Helper()
	sent, err := h.f.SendInteraction(i)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.f.WaitFor(ctx, func() bool {
		r, ok := h.f.Response(sent.ID)
		// A deferred response is done once @original was edited.
		return ok && (r.Type != 5 && r.Type != 6 || len(r.Edits) > 0)
	}); err != nil {
		t.Fatalf("no response to %v: %v", i.Data["name"], err)
	}
	r, _ := h.f.Response(sent.ID)
	return r
}

func member(guild string) discordtest.Invoker {
	return discordtest.GuildMember(guild, channel, discordtest.User{Username: "reader"}, memberPerms)
}

func moderator(guild string) discordtest.Invoker {
	return discordtest.GuildMember(guild, channel, discordtest.User{Username: "mod"}, moderatorPerms)
}

// text gathers everything a member would read in a response.
func text(r discordtest.Response) string {
	body := r.Data
	if r.Original != nil && r.Original.Body != nil {
		body = r.Original.Body
	}
	raw, _ := json.Marshal(body)
	return string(raw)
}

func isEphemeral(r discordtest.Response) bool {
	f, _ := r.Data["flags"].(float64)
	return int(f)&64 != 0
}

func TestCommandsRegistered(t *testing.T) {
	h := start(t, Options{})
	cmds := h.f.Commands(guildA)
	names := map[string]bool{}
	for _, c := range cmds {
		names[c.Name] = true
	}
	for _, want := range []string{"search", "ask", "quotes", "latest", "help", "news", "Add to news"} {
		if !names[want] {
			t.Errorf("command %q not registered (have %v)", want, names)
		}
	}
}

func TestEveryCommandThroughDiscord(t *testing.T) {
	h := start(t, Options{})
	tests := []struct {
		name      string
		i         discordtest.Interaction
		want      []string
		ephemeral bool
	}{
		{"ask", discordtest.SlashCommand(member(guildA), "ask", discordtest.StringOption("question", "Where will NATO coordinate security assistance for Ukraine from?")),
			[]string{"Wiesbaden", "NATO agrees plan for Ukraine Security Assistance"}, false},
		{"ask unknown", discordtest.SlashCommand(member(guildA), "ask", discordtest.StringOption("question", "Who won the curling championship on Mars?")),
			[]string{"I don't know"}, false},
		{"search", discordtest.SlashCommand(member(guildA), "search", discordtest.StringOption("query", "measles Samoa")),
			[]string{"**measles**", "en.wikinews.org"}, false},
		{"quotes", discordtest.SlashCommand(member(guildA), "quotes", discordtest.StringOption("speaker", "Stoltenberg")),
			[]string{"Jens Stoltenberg", "NATO Secretary General"}, false},
		{"latest", discordtest.SlashCommand(member(guildA), "latest", discordtest.IntegerOption("count", 3)),
			[]string{"newest"}, false},
		{"help", discordtest.SlashCommand(member(guildA), "help"), []string{"/ask"}, true},
		{"ask in a DM", discordtest.SlashCommand(discordtest.DMUser(channel, discordtest.User{Username: "dm"}), "ask",
			discordtest.StringOption("question", "How many troops does Stoltenberg say NATO now has at high readiness?")), []string{"500,000"}, false},
		{"moderator command refused to a member", discordtest.SlashCommand(member(guildA), "news",
			discordtest.Subcommand("add", discordtest.StringOption("text", "Some text"))), []string{"Only moderators"}, true},
		{"moderator command refused in DMs", discordtest.SlashCommand(discordtest.DMUser(channel, discordtest.User{Username: "dm"}), "news",
			discordtest.Subcommand("add", discordtest.StringOption("text", "Some text"))), []string{"in a server"}, true},
		{"news add", discordtest.SlashCommand(moderator(guildA), "news", discordtest.Subcommand("add",
			discordtest.StringOption("title", "Harbour reopens in Portvale"),
			discordtest.StringOption("text", "The harbour in Portvale reopened on Tuesday. \"We are back,\" harbour master Ines Gale said."))),
			[]string{"Added", "Harbour reopens in Portvale", "1 quotes"}, true},
		{"Add to news", discordtest.MessageCommand(moderator(guildA), "Add to news", discordtest.MessageObject("300000000000000001", channel, discordtest.User{ID: "200000000000000009", Username: "poster"}, "The ferry to Islay resumed service on Monday after a week of storms.")),
			[]string{"Added"}, true},
	}
	// The articles added here leave the shared library afterwards, so the
	// next run (-count) adds them again rather than finding them stored.
	t.Cleanup(func() {
		lib := library(t)
		var ids []string
		lib.Store.ForEach(func(a *news.Article) error {
			if a.Guild == guildA && (a.Title == "Harbour reopens in Portvale" || strings.HasPrefix(a.Body(), "The ferry to Islay resumed")) {
				ids = append(ids, a.ID)
			}
			return nil
		})
		for _, id := range ids {
			if _, err := lib.Remove(id); err != nil {
				t.Error(err)
			}
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.send(t, tt.i)
			got := text(r)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("response lacks %q:\n%s", w, got)
				}
			}
			if isEphemeral(r) != tt.ephemeral {
				t.Errorf("ephemeral = %v, want %v", isEphemeral(r), tt.ephemeral)
			}
		})
	}
}

func TestEveryoneArticlePingsNobody(t *testing.T) {
	h := start(t, Options{})
	r := h.send(t, discordtest.SlashCommand(member(guildA), "search", discordtest.StringOption("query", "zorblax party")))
	got := text(r)
	if !strings.Contains(got, "zorblax") {
		t.Fatalf("the article was not found: %s", got)
	}
	for _, bad := range []string{"@everyone", "@here", "||spoiler||", "[click](", "<@123>", "Party @everyone **now**"} {
		if strings.Contains(got, bad) {
			t.Errorf("unescaped %q reached Discord: %s", bad, got)
		}
	}
	am, _ := r.Data["allowed_mentions"].(map[string]any)
	if parse, ok := am["parse"].([]any); !ok || len(parse) != 0 {
		t.Errorf("allowed_mentions = %v, want parse: []", r.Data["allowed_mentions"])
	}
	// Guild B never sees guild A's article.
	r = h.send(t, discordtest.SlashCommand(member(guildB), "search", discordtest.StringOption("query", "zorblax party")))
	if strings.Contains(text(r), "zorblax") {
		t.Error("guild B sees guild A's article")
	}
}

func TestPagingButtons(t *testing.T) {
	h := start(t, Options{})
	r := h.send(t, discordtest.SlashCommand(member(guildA), "search", discordtest.StringOption("query", "president election")))
	comps, _ := r.Data["components"].([]any)
	if len(comps) != 1 {
		t.Fatalf("components = %v", r.Data["components"])
	}
	buttons := comps[0].(map[string]any)["components"].([]any)
	next := buttons[1].(map[string]any)["custom_id"].(string)
	msg := discordtest.MessageObject("300000000000000002", channel, discordtest.User{ID: "200000000000000008", Username: "newsbot", Bot: true}, "")
	r2 := h.send(t, discordtest.Button(member(guildA), next, msg))
	if r2.Type != 7 && !(r2.Type == 6 && len(r2.Edits) > 0) {
		t.Errorf("button response type %d, want 7 (update message) or 6 then an edit", r2.Type)
	}
	if text(r2) == text(r) {
		t.Error("page 2 is page 1")
	}
}

func TestAutocomplete(t *testing.T) {
	h := start(t, Options{})
	r := h.send(t, discordtest.Autocomplete(member(guildA), "quotes", discordtest.Focus(discordtest.StringOption("speaker", "sto"))))
	if r.Type != 8 {
		t.Fatalf("type %d, want 8", r.Type)
	}
	choices, _ := r.Data["choices"].([]any)
	if len(choices) == 0 || len(choices) > 25 {
		t.Fatalf("%d choices", len(choices))
	}
	for _, c := range choices {
		name := c.(map[string]any)["name"].(string)
		if n := utf8.RuneCountInString(name); n < 1 || n > 100 {
			t.Errorf("choice name of %d runes", n)
		}
	}
	if !strings.Contains(text(r), "Jens Stoltenberg") {
		t.Errorf("no Stoltenberg: %s", text(r))
	}
}

// TestSlowHandlerDefers makes the handler slower than the deferral threshold:
// the bot must defer (type 5) and then edit @original.
func TestSlowHandlerDefers(t *testing.T) {
	h := start(t, Options{DeferAfter: time.Nanosecond})
	r := h.send(t, discordtest.SlashCommand(member(guildA), "ask", discordtest.StringOption("question", "How old was oceanographer Walter Munk when he died?")))
	if r.Type != 5 {
		t.Fatalf("type %d, want 5 (deferred)", r.Type)
	}
	if len(r.Edits) == 0 || !strings.Contains(text(r), "101") {
		t.Errorf("deferred answer not delivered: %s", text(r))
	}
}

func TestRateLimitStorm(t *testing.T) {
	h := start(t, Options{})
	h.f.RateLimitNext(3, 50*time.Millisecond)
	r := h.send(t, discordtest.SlashCommand(member(guildA), "help"))
	if !strings.Contains(text(r), "/ask") {
		t.Errorf("help after a 429 storm: %s", text(r))
	}
}

func TestMemberRateLimit(t *testing.T) {
	h := start(t, Options{RatePerMinute: 2})
	u := discordtest.User{ID: "200000000000000001", Username: "eager"}
	inv := discordtest.GuildMember(guildA, channel, u, memberPerms)
	var last discordtest.Response
	for range 3 {
		last = h.send(t, discordtest.SlashCommand(inv, "help"))
	}
	if !strings.Contains(text(last), "Slow down") || !isEphemeral(last) {
		t.Errorf("third command in a minute: %s", text(last))
	}
}

// TestDuplicateDeliveryAnsweredOnce sends the same interaction twice, as a
// gateway replay can: one answer, no second callback.
func TestDuplicateDeliveryAnsweredOnce(t *testing.T) {
	h := start(t, Options{})
	sent, err := h.f.SendInteraction(discordtestSlash("help"))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.f.Dispatch("INTERACTION_CREATE", sent.Payload); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := h.f.WaitResponse(ctx, sent.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // room for a wrong second callback
	n := 0
	for _, r := range h.f.Requests() {
		if strings.Contains(r.Path, "/interactions/"+sent.ID+"/") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d callbacks for one interaction", n)
	}
}

// TestNoGoroutineLeak runs interactions and stops the bot: its goroutines end.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		f := discordtest.New(t)
		defer f.Close()
		b, err := New(Options{Token: f.Token(), BaseURL: f.URL(), GuildID: guildA}, commands.New(library(t)), nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := b.Start(ctx); err != nil {
			t.Fatal(err)
		}
		h := &harness{f: f, b: b}
		for _, q := range []string{"help", "latest"} {
			h.send(t, discordtestSlash(q))
		}
		if err := b.Stop(5 * time.Second); err != nil {
			t.Fatal(err)
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}
