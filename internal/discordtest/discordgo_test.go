package discordtest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

const (
	testGuild   = "900000000000000001"
	testChannel = "900000000000000002"
)

// noPing is the allowed_mentions every message of the bot must carry. A nil Parse slice
// would marshal as null, which the fake flags.
func noPing() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// openSession opens a discordgo session on the fake after setup has added handlers, and
// closes it at cleanup (discordgo's Close sleeps 1 s, so tests share sessions).
func openSession(t *testing.T, f *Fake, setup func(*discordgo.Session)) *discordgo.Session {
	t.Helper()
	s, err := f.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(s)
	}
	if err := s.Open(); err != nil {
		t.Fatalf("open discordgo session on the fake: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := f.WaitReady(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	waitHeartbeat(t, f)
	return s
}

// waitHeartbeat waits for the first heartbeat on the newest connection. discordgo sends it
// right after Open; a Close racing with it makes discordgo reconnect in the background.
func waitHeartbeat(t *testing.T, f *Fake) {
	t.Helper()
	frames := f.Frames()
	last := frames[len(frames)-1].Conn
	if _, err := f.WaitFrame(testCtx(t), func(fr Frame) bool { return !fr.Sent && fr.Op == opHeartbeat && fr.Conn == last }); err != nil {
		t.Fatal(err)
	}
}

func member() Invoker {
	return GuildMember(testGuild, testChannel, User{ID: "800000000000000001", Username: "alice"}, "2048")
}

// newsBot is a tiny bot written against discordgo the way the real one is, answering
// the interactions the tests send.
func newsBot(t *testing.T) func(*discordgo.Session, *discordgo.InteractionCreate) {
	return func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		if err := answer(s, ic.Interaction); err != nil {
			t.Errorf("bot: answer interaction %s: %v", ic.ID, err)
		}
	}
}

func answer(s *discordgo.Session, i *discordgo.Interaction) error {
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		d := i.ApplicationCommandData()
		if d.Name == "Summarize" {
			if err := s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
				return err
			}
			text := "Summary: " + d.Resolved.Messages[d.TargetID].Content
			_, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &text, AllowedMentions: noPing()})
			return err
		}
		topic := d.Options[0].Options[0].StringValue()
		err := s.InteractionRespond(i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content:         "Latest on " + topic,
				AllowedMentions: noPing(),
				Embeds: []*discordgo.MessageEmbed{{
					Title: "Headline", Description: "Body", Color: 0x3366ff,
					Fields: []*discordgo.MessageEmbedField{{Name: "Source", Value: "example.org", Inline: true}},
					Footer: &discordgo.MessageEmbedFooter{Text: "newsbot"},
				}},
				Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
					discordgo.Button{Label: "More", Style: discordgo.PrimaryButton, CustomID: "more:1"},
					discordgo.Button{Label: "Open", Style: discordgo.LinkButton, URL: "https://example.org/a"},
				}}},
			},
		})
		if err != nil {
			return err
		}
		edited := "Latest on " + topic + " (updated)"
		if _, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &edited, AllowedMentions: noPing()}); err != nil {
			return err
		}
		_, err = s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "one more thing", AllowedMentions: noPing()})
		return err
	case discordgo.InteractionApplicationCommandAutocomplete:
		var choices []*discordgo.ApplicationCommandOptionChoice
		for n := range 25 {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: "topic " + string(rune('a'+n)), Value: string(rune('a' + n))})
		}
		return s.InteractionRespond(i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices},
		})
	case discordgo.InteractionMessageComponent:
		return s.InteractionRespond(i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{Content: "expanded: " + i.MessageComponentData().CustomID, AllowedMentions: noPing()},
		})
	}
	return errors.New("unexpected interaction type " + i.Type.String())
}

func newsCommands() []*discordgo.ApplicationCommand {
	perm := int64(discordgo.PermissionSendMessages)
	return []*discordgo.ApplicationCommand{
		{
			Name: "news", Description: "Read the news", DefaultMemberPermissions: &perm,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "latest", Description: "Latest headlines",
					Options: []*discordgo.ApplicationCommandOption{{
						Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "Topic", Required: true, Autocomplete: true,
					}}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "search", Description: "Search articles",
					Options: []*discordgo.ApplicationCommandOption{{
						Type: discordgo.ApplicationCommandOptionString, Name: "query", Description: "Words", Required: true, MaxLength: 100,
					}}},
			},
		},
		{Name: "Summarize", Type: discordgo.MessageApplicationCommand},
	}
}

// TestDiscordgoBotFlow drives the fake with the real discordgo client through the whole
// life of a bot: READY, command registration, every interaction kind, edits, follow-ups
// and channel messages with files.
func TestDiscordgoBotFlow(t *testing.T) {
	t.Parallel()
	f := New(t, WithGuilds(testGuild))
	var guildCreated = make(chan string, 1)
	s := openSession(t, f, func(s *discordgo.Session) {
		s.AddHandler(newsBot(t))
		s.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { guildCreated <- g.ID })
	})
	ctx := testCtx(t)
	if s.State.User == nil || s.State.User.ID != f.BotUserID() {
		t.Fatalf("READY user = %+v, want bot %s", s.State.User, f.BotUserID())
	}
	select {
	case id := <-guildCreated:
		if id != testGuild {
			t.Errorf("GUILD_CREATE for %s, want %s", id, testGuild)
		}
	case <-ctx.Done():
		t.Fatal("no GUILD_CREATE after READY")
	}

	created, err := s.ApplicationCommandBulkOverwrite(f.AppID(), "", newsCommands())
	if err != nil {
		t.Fatalf("bulk overwrite: %v", err)
	}
	if len(created) != 2 || created[0].ID == "" || created[0].ApplicationID != f.AppID() {
		t.Fatalf("bulk overwrite answer = %+v", created)
	}
	if cmds := f.Commands(""); len(cmds) != 2 || cmds[0].ID != created[0].ID || cmds[1].Type != 3 {
		t.Fatalf("registered commands = %+v", cmds)
	}
	if _, err := s.ApplicationCommandBulkOverwrite(f.AppID(), testGuild, nil); err != nil {
		t.Fatalf("guild bulk overwrite with no commands: %v", err)
	}

	t.Run("slash command: respond, edit, follow-up", func(t *testing.T) {
		sent, err := f.SendInteraction(SlashCommand(member(), "news", Subcommand("latest", StringOption("topic", "go"))))
		if err != nil {
			t.Fatal(err)
		}
		if got := obj(sent.Payload["data"])["id"]; got != created[0].ID {
			t.Errorf("interaction data.id = %v, want the registered command's %s", got, created[0].ID)
		}
		if err := f.WaitFor(ctx, func() bool {
			r, ok := f.Response(sent.ID)
			return ok && len(r.Edits) == 1 && len(r.Followups) == 1
		}); err != nil {
			t.Fatal(err)
		}
		r, _ := f.Response(sent.ID)
		if r.Type != 4 || r.Original == nil || r.Original.Content != "Latest on go (updated)" || r.Original.Edits != 1 {
			t.Errorf("response = type %d, original %+v", r.Type, r.Original)
		}
		if embeds := arr(r.Data["embeds"]); len(embeds) != 1 || obj(embeds[0])["title"] != "Headline" {
			t.Errorf("callback embeds = %v", r.Data["embeds"])
		}
		if r.Followups[0].Content != "one more thing" || r.Followups[0].ChannelID != testChannel {
			t.Errorf("follow-up = %+v", r.Followups[0])
		}
	})

	t.Run("autocomplete with 25 choices", func(t *testing.T) {
		sent, err := f.SendInteraction(Autocomplete(member(), "news", Subcommand("latest", Focus(StringOption("topic", "g")))))
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.WaitResponse(ctx, sent.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Type != 8 || len(arr(r.Data["choices"])) != 25 || r.Original != nil {
			t.Errorf("autocomplete response = type %d, %d choices", r.Type, len(arr(r.Data["choices"])))
		}
	})

	t.Run("button updates its message", func(t *testing.T) {
		msg, err := s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{Content: "headline", AllowedMentions: noPing(),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "More", Style: discordgo.SecondaryButton, CustomID: "more:2"},
			}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		botUser := User{ID: f.BotUserID(), Username: "newsbot", Bot: true}
		sent, err := f.SendInteraction(Button(member(), "more:2", MessageObject(msg.ID, testChannel, botUser, msg.Content)))
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.WaitResponse(ctx, sent.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Type != 7 || r.Original == nil || r.Original.ID != msg.ID || r.Original.Content != "expanded: more:2" {
			t.Errorf("update response = type %d, original %+v", r.Type, r.Original)
		}
		if m, _ := f.Message(msg.ID); m.Content != "expanded: more:2" {
			t.Errorf("channel message after update = %q", m.Content)
		}
	})

	t.Run("message context menu in a DM, deferred", func(t *testing.T) {
		dm := DMUser("900000000000000003", User{ID: "800000000000000002", Username: "bob"})
		target := MessageObject("900000000000000004", dm.ChannelID, dm.User, "Go 1.26 released")
		sent, err := f.SendInteraction(MessageCommand(dm, "Summarize", target))
		if err != nil {
			t.Fatal(err)
		}
		if sent.Payload["member"] != nil || obj(sent.Payload["user"])["id"] != dm.User.ID {
			t.Errorf("DM payload must carry user and no member: %v", sent.Payload)
		}
		var r Response
		if err := f.WaitFor(ctx, func() bool {
			r, _ = f.Response(sent.ID)
			return len(r.Edits) == 1
		}); err != nil {
			t.Fatal(err)
		}
		if r.Type != 5 || r.Original.Content != "Summary: Go 1.26 released" || r.Original.Flags&msgFlagLoading != 0 {
			t.Errorf("deferred response = type %d, original %+v", r.Type, r.Original)
		}
	})

	t.Run("channel message with a file", func(t *testing.T) {
		msg, err := s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{
			Content: "report", AllowedMentions: noPing(),
			Files: []*discordgo.File{{Name: "report.txt", ContentType: "text/plain", Reader: strings.NewReader("hello file")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(msg.Attachments) != 1 || msg.Attachments[0].Filename != "report.txt" || msg.Attachments[0].Size != 10 {
			t.Fatalf("attachments in answer = %+v", msg.Attachments)
		}
		stored, _ := f.Message(msg.ID)
		if len(stored.Attachments) != 1 || string(stored.Attachments[0].Data) != "hello file" || stored.Attachments[0].ContentType != "text/plain" {
			t.Errorf("stored attachments = %+v", stored.Attachments)
		}
		resp, err := s.Client.Get(msg.Attachments[0].URL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if string(body) != "hello file" {
			t.Errorf("attachment URL served %q", body)
		}
		req, err := f.WaitRequest(ctx, func(r Request) bool { return len(r.Attachments) == 1 })
		if err != nil {
			t.Fatal(err)
		}
		if req.Attachments[0].Field != "files[0]" || obj(req.JSON)["content"] != "report" {
			t.Errorf("recorded multipart request = %+v", req)
		}
	})

	for _, r := range f.Requests() {
		if r.APIVersion != "9" {
			t.Errorf("discordgo v0.29.0 should call API v9, got %s for %s", r.APIVersion, r.Path)
		}
	}
	f.AssertNoViolations(t)
}

// TestDiscordgoRetriesFaults checks 429 and 502 answers are shaped so discordgo retries
// through them. It needs no gateway.
func TestDiscordgoRetriesFaults(t *testing.T) {
	t.Parallel()
	f := New(t)
	s, err := f.NewSession()
	if err != nil {
		t.Fatal(err)
	}

	f.RateLimitRoute("POST /channels/{channel_id}/messages", 1, 60*time.Millisecond)
	start := time.Now()
	if _, err := s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{Content: "hi", AllowedMentions: noPing()}); err != nil {
		t.Fatalf("send through a 429: %v", err)
	}
	if waited := time.Since(start); waited < 60*time.Millisecond {
		t.Errorf("discordgo retried after %v, before retry_after", waited)
	}
	reqs := f.Requests()
	if len(reqs) != 2 || reqs[0].Status != 429 || reqs[0].Fault != "429" || reqs[1].Status != 200 {
		t.Fatalf("requests = %+v", reqs)
	}
	var rl map[string]any
	if err := discordgo.Unmarshal(reqs[0].Response, &rl); err != nil || rl["retry_after"] != 0.06 || rl["global"] != false {
		t.Errorf("429 body = %s (%v)", reqs[0].Response, err)
	}

	f.BadGatewayNext(2)
	if _, err := s.User("@me"); err != nil {
		t.Fatalf("GET /users/@me through two 502s: %v", err)
	}
	reqs = f.Requests()[2:]
	if len(reqs) != 3 || reqs[0].Status != 502 || reqs[1].Status != 502 || reqs[2].Status != 200 {
		t.Fatalf("requests after 502s = %+v", reqs)
	}

	f.BadGatewayNext(s.MaxRestRetries + 1)
	if _, err := s.User("@me"); err == nil {
		t.Error("discordgo should give up after MaxRestRetries 502s")
	}
	f.AssertNoViolations(t)
}

// TestDiscordgoResume drops the gateway, sends an interaction while the bot is away and
// expects discordgo to RESUME, get the event replayed and answer it; then asks for a
// reconnect with op 7.
func TestDiscordgoResume(t *testing.T) {
	t.Parallel()
	f := New(t)
	openSession(t, f, func(s *discordgo.Session) { s.AddHandler(newsBot(t)) })
	ctx := testCtx(t)
	sessionID := f.Sessions()[0].ID

	if n := f.DropGateway(); n != 1 {
		t.Fatalf("dropped %d connections, want 1", n)
	}
	sent, err := f.SendInteraction(SlashCommand(member(), "news", Subcommand("latest", StringOption("topic", "resume"))))
	if err != nil {
		t.Fatalf("send while disconnected: %v", err)
	}
	if _, err := f.WaitFrame(ctx, func(fr Frame) bool { return !fr.Sent && fr.Op == opResume }); err != nil {
		t.Fatal(err)
	}
	r, err := f.WaitResponse(ctx, sent.ID)
	if err != nil {
		t.Fatalf("replayed interaction not answered: %v", err)
	}
	if r.Data["content"] != "Latest on resume" {
		t.Errorf("answer = %v", r.Data["content"])
	}
	info := f.Sessions()
	if len(info) != 1 || info[0].ID != sessionID || info[0].Resumes != 1 || !info[0].Connected {
		t.Fatalf("sessions after resume = %+v", info)
	}
	if d := info[0].Dispatched; d[len(d)-1] != "RESUMED" {
		t.Errorf("dispatched = %v, want RESUMED last", d)
	}

	f.RequestReconnect()
	if err := f.WaitFor(ctx, func() bool { s := f.Sessions(); return s[0].Resumes == 2 && s[0].Connected }); err != nil {
		t.Fatalf("no RESUME after op 7: %v (sessions %+v)", err, f.Sessions())
	}
	waitHeartbeat(t, f)
	f.AssertNoViolations(t)
}

// TestDiscordgoInvalidSession sends op 9 (not resumable): discordgo must IDENTIFY again
// and get a new session.
func TestDiscordgoInvalidSession(t *testing.T) {
	t.Parallel()
	f := New(t)
	openSession(t, f, nil)
	ctx := testCtx(t)
	f.InvalidateSession(false)
	if err := f.WaitFor(ctx, func() bool { s := f.Sessions(); return len(s) == 2 && s[1].Connected }); err != nil {
		t.Fatalf("no new session after op 9: %v", err)
	}
	if s := f.Sessions(); !s[0].Invalid || s[1].Dispatched[0] != "READY" {
		t.Errorf("sessions = %+v", s)
	}
	f.AssertNoViolations(t)
}

// TestPointDiscordgo checks the global-variable route for bots that build their own
// session; it must not run in parallel.
func TestPointDiscordgo(t *testing.T) {
	t.Cleanup(func() {
		if discordgo.EndpointAPI != "https://discord.com/api/v9/" || discordgo.APIVersion != "9" {
			t.Errorf("endpoints not restored: %s (v%s)", discordgo.EndpointAPI, discordgo.APIVersion)
		}
	})
	f := New(t)
	f.PointDiscordgo()
	s, err := discordgo.New("Bot " + f.Token())
	if err != nil {
		t.Fatal(err)
	}
	s.Client = &http.Client{Timeout: 5 * time.Second} // a plain client: the URL alone must reach the fake
	u, err := s.User("@me")
	if err != nil {
		t.Fatalf("GET /users/@me via global endpoints: %v", err)
	}
	if u.ID != f.BotUserID() || !u.Bot {
		t.Errorf("user = %+v", u)
	}
	if r := f.Requests(); len(r) != 1 || r[0].APIVersion != "10" || r[0].Path != "/api/v10/users/@me" {
		t.Errorf("requests = %+v", r)
	}
	f.AssertNoViolations(t)
}
