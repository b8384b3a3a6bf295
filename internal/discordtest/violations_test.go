package discordtest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// tracker checks violations one step at a time.
type tracker struct {
	f    *Fake
	seen int
}

// expect asserts that the violations since the last call include one with rule whose
// detail mentions substr.
func (tr *tracker) expect(t *testing.T, rule, substr string) {
	t.Helper()
	all := tr.f.Violations()
	fresh := all[tr.seen:]
	tr.seen = len(all)
	for _, v := range fresh {
		if v.Rule == rule && strings.Contains(v.Detail, substr) {
			return
		}
	}
	t.Errorf("no new [%s] violation mentioning %q; new violations: %v", rule, substr, fresh)
}

// none asserts that nothing was violated since the last call.
func (tr *tracker) none(t *testing.T) {
	t.Helper()
	all := tr.f.Violations()
	if fresh := all[tr.seen:]; len(fresh) > 0 {
		t.Errorf("unexpected violations: %v", fresh)
	}
	tr.seen = len(all)
}

func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return -1
}

// TestViolationsAreRecorded breaks each rule once through discordgo and checks the bot
// both gets Discord's error and the test gets a recorded violation.
func TestViolationsAreRecorded(t *testing.T) {
	t.Parallel()
	clock := NewManualClock(time.Now())
	f := New(t, WithClock(clock))
	got := make(chan *discordgo.Interaction, 16)
	s := openSession(t, f, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { got <- ic.Interaction })
	})
	ctx := testCtx(t)
	tr := &tracker{f: f}
	receive := func(t *testing.T, i Interaction) *discordgo.Interaction {
		t.Helper()
		sent, err := f.SendInteraction(i)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case in := <-got:
			if in.ID != sent.ID {
				t.Fatalf("bot got interaction %s, want %s", in.ID, sent.ID)
			}
			return in
		case <-ctx.Done():
			t.Fatal("interaction not delivered")
			return nil
		}
	}
	reply := func(content string) *discordgo.InteractionResponse {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: content, AllowedMentions: noPing()}}
	}
	slash := func(t *testing.T) *discordgo.Interaction {
		return receive(t, SlashCommand(member(), "news", Subcommand("latest", StringOption("topic", "x"))))
	}

	t.Run("content of 2000 characters passes, 2001 fails", func(t *testing.T) {
		if _, err := s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{Content: strings.Repeat("é", 2000), AllowedMentions: noPing()}); err != nil {
			t.Fatalf("2000 two-byte characters: %v", err)
		}
		tr.none(t)
		_, err := s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{Content: strings.Repeat("a", 2001), AllowedMentions: noPing()})
		if restCode(err) != 50035 {
			t.Fatalf("2001 characters: err = %v, want 50035", err)
		}
		var re *discordgo.RESTError
		errors.As(err, &re)
		var body struct {
			Errors map[string]map[string][]map[string]string `json:"errors"`
		}
		if err := json.Unmarshal(re.ResponseBody, &body); err != nil || body.Errors["content"]["_errors"][0]["code"] != "BASE_TYPE_MAX_LENGTH" {
			t.Errorf("error body = %s", re.ResponseBody)
		}
		tr.expect(t, RuleLimit, "content")
	})

	t.Run("allowed_mentions missing, null parse, parse users", func(t *testing.T) {
		if _, err := s.ChannelMessageSend(testChannel, "no allowed_mentions"); err != nil {
			t.Fatalf("Discord accepts it, so must the fake: %v", err)
		}
		tr.expect(t, RuleAllowedMentions, "missing")
		_, _ = s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{Content: "x", AllowedMentions: &discordgo.MessageAllowedMentions{}})
		tr.expect(t, RuleAllowedMentions, "null")
		_, _ = s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{Content: "x",
			AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{discordgo.AllowedMentionTypeUsers}}})
		tr.expect(t, RuleAllowedMentions, `["users"]`)
	})

	t.Run("embeds over 6000 characters in total", func(t *testing.T) {
		half := strings.Repeat("d", 3001)
		_, err := s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{AllowedMentions: noPing(),
			Embeds: []*discordgo.MessageEmbed{{Description: half}, {Description: half}}})
		if restCode(err) != 50035 {
			t.Fatalf("err = %v", err)
		}
		tr.expect(t, RuleLimit, "6000")
	})

	t.Run("button custom_id over 100 characters", func(t *testing.T) {
		_, err := s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{Content: "x", AllowedMentions: noPing(),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "b", Style: discordgo.PrimaryButton, CustomID: strings.Repeat("c", 101)},
			}}}})
		if restCode(err) != 50035 {
			t.Fatalf("err = %v", err)
		}
		tr.expect(t, RuleLimit, "custom_id")
	})

	t.Run("OpenAPI schema: embed color out of range", func(t *testing.T) {
		_, err := s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{AllowedMentions: noPing(),
			Embeds: []*discordgo.MessageEmbed{{Title: "t", Color: 0x1000000}}})
		if restCode(err) != 50035 {
			t.Fatalf("err = %v", err)
		}
		tr.expect(t, RuleOpenAPI, "embeds.0.color")
	})

	t.Run("empty message", func(t *testing.T) {
		_, err := s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{AllowedMentions: noPing()})
		if restCode(err) != 50006 {
			t.Fatalf("err = %v, want 50006", err)
		}
		tr.expect(t, RuleEmptyMessage, "no content")
	})

	t.Run("text broken by byte slicing", func(t *testing.T) {
		cut := "café"[:4] // cuts é in half; encoding/json sends U+FFFD
		if _, err := s.ChannelMessageSendComplex(testChannel, &discordgo.MessageSend{Content: cut, AllowedMentions: noPing()}); err != nil {
			t.Fatal(err)
		}
		tr.expect(t, RuleUTF8, "content")
	})

	t.Run("autocomplete with 26 choices, then 25", func(t *testing.T) {
		in := receive(t, Autocomplete(member(), "news", Subcommand("latest", Focus(StringOption("topic", "")))))
		var choices []*discordgo.ApplicationCommandOptionChoice
		for range 26 {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: "n", Value: "v"})
		}
		err := s.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices}})
		if restCode(err) != 50035 {
			t.Fatalf("err = %v", err)
		}
		tr.expect(t, RuleLimit, "data.choices")
		// A refused callback does not acknowledge: the bot may still answer in time.
		err = s.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices[:25]}})
		if err != nil {
			t.Fatal(err)
		}
		tr.none(t)
	})

	t.Run("wrong callback type for autocomplete", func(t *testing.T) {
		in := receive(t, Autocomplete(member(), "news", Subcommand("latest", Focus(StringOption("topic", "")))))
		if err := s.InteractionRespond(in, reply("not a choice list")); restCode(err) != 50035 {
			t.Fatalf("err = %v", err)
		}
		tr.expect(t, RuleCallbackType, "type 4")
		_ = s.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}}})
		tr.none(t)
	})

	t.Run("second callback", func(t *testing.T) {
		in := slash(t)
		if err := s.InteractionRespond(in, reply("first")); err != nil {
			t.Fatal(err)
		}
		err := s.InteractionRespond(in, reply("second"))
		var re *discordgo.RESTError
		if !errors.As(err, &re) || re.Response.StatusCode != 400 || re.Message.Code != 40060 || re.Message.Message != "Interaction has already been acknowledged." {
			t.Fatalf("err = %v", err)
		}
		tr.expect(t, RuleInteractionTwice, in.ID)
	})

	t.Run("@original edited before the callback", func(t *testing.T) {
		in := slash(t)
		text := "too early"
		if _, err := s.InteractionResponseEdit(in, &discordgo.WebhookEdit{Content: &text, AllowedMentions: noPing()}); restCode(err) != 10015 {
			t.Fatalf("err = %v, want 10015", err)
		}
		tr.expect(t, RuleUnknownWebhook, "before its callback")
		if err := s.InteractionRespond(in, reply("now")); err != nil {
			t.Fatal(err)
		}
		tr.none(t)
	})

	t.Run("callback after 3 s", func(t *testing.T) {
		in := slash(t)
		clock.Advance(3100 * time.Millisecond)
		if err := s.InteractionRespond(in, reply("late")); restCode(err) != 10062 {
			t.Fatalf("err = %v, want 10062", err)
		}
		tr.expect(t, RuleInteractionLate, "3.1s")
	})

	t.Run("no callback at all", func(t *testing.T) {
		in := slash(t)
		clock.Advance(4 * time.Second)
		tr.expect(t, RuleInteractionNoAnswer, in.ID)
	})

	t.Run("token used after 15 minutes", func(t *testing.T) {
		in := slash(t)
		if err := s.InteractionRespond(in, reply("ok")); err != nil {
			t.Fatal(err)
		}
		clock.Advance(16 * time.Minute)
		text := "stale"
		_, err := s.InteractionResponseEdit(in, &discordgo.WebhookEdit{Content: &text, AllowedMentions: noPing()})
		if restCode(err) != 50027 {
			t.Fatalf("err = %v, want 50027", err)
		}
		tr.expect(t, RuleInteractionExpired, in.ID)
	})

	t.Run("invalid command definitions", func(t *testing.T) {
		var opts []*discordgo.ApplicationCommandOption
		for n := range 26 {
			opts = append(opts, &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "o" + string(rune('a'+n)), Description: "d"})
		}
		_, err := s.ApplicationCommandBulkOverwrite(f.AppID(), "", []*discordgo.ApplicationCommand{
			{Name: "News", Description: "upper case"},
			{Name: "many", Description: "26 options", Options: opts},
		})
		if restCode(err) != 50035 {
			t.Fatalf("err = %v", err)
		}
		tr.expect(t, RuleOpenAPI, "options") // the spec's maxItems 25
		if n := len(f.Commands("")); n != 0 {
			t.Errorf("a refused overwrite registered %d commands", n)
		}
		_, err = s.ApplicationCommandBulkOverwrite(f.AppID(), "", []*discordgo.ApplicationCommand{{Name: "News", Description: "upper case"}})
		if restCode(err) != 50035 {
			t.Fatalf("err = %v", err)
		}
		tr.expect(t, RuleLimit, `"News"`)
	})

	t.Run("wrong bot token", func(t *testing.T) {
		bad, err := discordgo.New("Bot not-the-token")
		if err != nil {
			t.Fatal(err)
		}
		f.Configure(bad)
		_, err = bad.User("@me")
		var re *discordgo.RESTError
		if !errors.As(err, &re) || re.Response.StatusCode != 401 || string(re.ResponseBody) != `{"code":0,"message":"401: Unauthorized"}` {
			t.Fatalf("err = %v", err)
		}
		tr.expect(t, RuleAuth, "token")
		// Discord checks a token even where none is needed, so Open fails at GET /gateway.
		// (IDENTIFY with a wrong token is covered by TestGatewayProtocol.)
		if err := bad.Open(); restCode(err) != 0 || !strings.Contains(err.Error(), "401") {
			t.Fatalf("Open with a wrong token: %v", err)
		}
		tr.expect(t, RuleAuth, "token")
	})

	tr.none(t)
}
