package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/commands"
)

// responder sends the first response to an interaction: over REST for the
// gateway, in the HTTP reply for the interactions endpoint. Later edits of the
// original response always go over REST.
type responder func(resp *discordgo.InteractionResponse) error

func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	if b.duplicate(i.ID) {
		// A replay after a resume, or a duplicate delivery: it was answered
		// (or is being answered) already, and a second callback would fail.
		b.log.Info("interaction delivered twice; ignored", "id", i.ID)
		return
	}
	b.handle(context.Background(), i, func(resp *discordgo.InteractionResponse) error {
		return s.InteractionRespond(i, resp)
	})
}

// member facts the bot checks.
func memberOf(i *discordgo.Interaction) (user string, perms int64, roles []string) {
	if i.Member != nil {
		if i.Member.User != nil {
			user = i.Member.User.ID
		}
		return user, i.Member.Permissions, i.Member.Roles
	}
	if i.User != nil {
		user = i.User.ID
	}
	return user, 0, nil
}

// isModerator checks the member's permissions as Discord computed them for the
// channel, and the configured moderator roles. In DMs nobody is.
func (b *Bot) isModerator(i *discordgo.Interaction) bool {
	if i.GuildID == "" || i.Member == nil {
		return false
	}
	_, perms, roles := memberOf(i)
	if perms&(discordgo.PermissionManageMessages|discordgo.PermissionAdministrator|discordgo.PermissionManageGuild) != 0 {
		return true
	}
	for _, r := range roles {
		if slices.Contains(b.opt.ModeratorRoles, r) {
			return true
		}
	}
	return false
}

// handle runs one interaction to its end: it always answers, or logs why it
// could not.
func (b *Bot) handle(ctx context.Context, i *discordgo.Interaction, respond responder) {
	start := time.Now()
	if !b.begin() {
		b.reply(respond, ephemeral("newsbot is restarting; try again in a minute."))
		b.opt.Metrics.Interaction(interactionName(i), "restarting", time.Since(start))
		return
	}
	defer b.inflight.Done()
	name := interactionName(i)
	outcome := "ok"
	defer func() {
		// One bad interaction must not take the bot down; it is logged and
		// counted as a panic.
		if p := recover(); p != nil {
			outcome = "panic"
			b.log.Error("interaction panicked", "command", name, "panic", p)
		}
		took := time.Since(start)
		b.log.Info("interaction", "command", name, "guild", i.GuildID, "latency", took.Round(time.Millisecond), "outcome", outcome)
		b.opt.Metrics.Interaction(name, outcome, took)
	}()
	if i.Type == discordgo.InteractionPing {
		_ = respond(&discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	req, err := b.request(i)
	if err != nil {
		outcome = "bad_request"
		b.reply(respond, ephemeral("I could not read that command: "+err.Error()))
		return
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		// Autocomplete is cheap and frequent: no rate limit, a short deadline.
		actx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		choices, err := b.svc.Autocomplete(actx, req)
		if err != nil {
			outcome = "error"
			b.log.Warn("autocomplete failed", "command", name, "err", err)
		}
		if err := respond(&discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: renderChoices(choices)},
		}); err != nil {
			outcome = "respond_failed"
			b.log.Warn("autocomplete response failed", "err", err)
		}
		return
	}
	user, _, _ := memberOf(i)
	if !b.allow(user) {
		outcome = "rate_limited"
		b.reply(respond, ephemeral("Slow down a little: you can run a few commands a minute. Try again shortly."))
		return
	}
	if _, ok := b.gate.Enter(); !ok {
		outcome = "busy"
		b.reply(respond, ephemeral("I'm busy answering others; try again in a few seconds."))
		return
	}
	defer b.gate.Leave()
	outcome = b.run(ctx, i, req, respond)
}

// run calls the handler and answers within Discord's 3 seconds: directly when
// the handler is quick, else by deferring and then editing the original
// response.
func (b *Bot) run(ctx context.Context, i *discordgo.Interaction, req commands.Request, respond responder) string {
	component := i.Type == discordgo.InteractionMessageComponent
	timeout := b.opt.RequestTimeout
	var def commands.Command
	if f := strings.Fields(req.Command); len(f) > 0 {
		def, _ = commands.Find(f[0])
	}
	if def.Moderator {
		// Adding a link fetches a page: give it the fetcher's time.
		timeout = 60 * time.Second
	}
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		r   *commands.Reply
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("panic: %v", p)}
			}
		}()
		var r *commands.Reply
		var err error
		if component {
			r, err = b.svc.Component(hctx, i.MessageComponentData().CustomID, req)
		} else {
			b.downloadAll(hctx, &req)
			r, err = b.svc.Handle(hctx, req)
		}
		done <- result{r, err}
	}()
	finish := func(res result) (*commands.Reply, string) {
		switch {
		case res.err == nil:
			return res.r, "ok"
		case errors.Is(res.err, context.DeadlineExceeded):
			return commands.ErrorReply("That took too long; try fewer or more precise words."), "timeout"
		default:
			b.log.Error("command failed", "command", req.Command, "err", res.err)
			return commands.ErrorReply(commands.UserMessage(res.err)), "error"
		}
	}
	timer := time.NewTimer(b.opt.DeferAfter)
	defer timer.Stop()
	select {
	case res := <-done:
		r, outcome := finish(res)
		m := render(r)
		typ := discordgo.InteractionResponseChannelMessageWithSource
		if component && !r.Ephemeral {
			typ = discordgo.InteractionResponseUpdateMessage
		}
		if err := respond(&discordgo.InteractionResponse{Type: typ, Data: m.responseData()}); err != nil {
			b.log.Warn("response failed", "command", req.Command, "err", err)
			return "respond_failed"
		}
		return outcome
	case <-timer.C:
	}
	// Defer: "thinking…" now, the answer when it is ready. Moderator
	// commands answer privately, so their deferral is ephemeral too.
	typ := discordgo.InteractionResponseDeferredChannelMessageWithSource
	data := &discordgo.InteractionResponseData{}
	if component {
		typ = discordgo.InteractionResponseDeferredMessageUpdate
		data = nil
	} else if def.Moderator {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	if err := respond(&discordgo.InteractionResponse{Type: typ, Data: data}); err != nil {
		b.log.Warn("deferral failed", "command", req.Command, "err", err)
		return "respond_failed"
	}
	res := <-done
	r, outcome := finish(res)
	if _, err := b.s.InteractionResponseEdit(i, render(r).webhookEdit()); err != nil {
		b.log.Warn("edit of the deferred response failed", "command", req.Command, "err", err)
		return "respond_failed"
	}
	return outcome
}

// reply sends a reply as the first response, logging a failure.
func (b *Bot) reply(respond responder, r *commands.Reply) {
	err := respond(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: render(r).responseData(),
	})
	if err != nil {
		b.log.Warn("response failed", "err", err)
	}
}

func ephemeral(text string) *commands.Reply { return commands.ErrorReply(text) }

// interactionName names an interaction for logs and metrics.
func interactionName(i *discordgo.Interaction) string {
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		d := i.ApplicationCommandData()
		name := d.Name
		if len(d.Options) > 0 && d.Options[0].Type == discordgo.ApplicationCommandOptionSubCommand {
			name += " " + d.Options[0].Name
		}
		return name
	case discordgo.InteractionMessageComponent:
		return "button"
	case discordgo.InteractionPing:
		return "ping"
	}
	return "unknown"
}

// maxAttachment caps a file given to /news add.
const maxAttachment = 10 << 20

// request decodes an interaction into the transport-neutral request.
func (b *Bot) request(i *discordgo.Interaction) (commands.Request, error) {
	user, _, _ := memberOf(i)
	req := commands.Request{
		Guild: i.GuildID, Channel: i.ChannelID, User: user,
		Moderator: b.isModerator(i), Options: map[string]any{},
	}
	switch i.Type {
	case discordgo.InteractionMessageComponent:
		return req, nil
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
	default:
		return req, fmt.Errorf("interaction type %d is not supported", i.Type)
	}
	d := i.ApplicationCommandData()
	req.Command = d.Name
	opts := d.Options
	if len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		req.Command += " " + opts[0].Name
		opts = opts[0].Options
	}
	for _, o := range opts {
		switch o.Type {
		case discordgo.ApplicationCommandOptionString:
			s, _ := o.Value.(string)
			req.Options[o.Name] = s
		case discordgo.ApplicationCommandOptionInteger, discordgo.ApplicationCommandOptionNumber:
			// JSON numbers arrive as float64.
			f, _ := o.Value.(float64)
			req.Options[o.Name] = int64(f)
		case discordgo.ApplicationCommandOptionBoolean:
			v, _ := o.Value.(bool)
			req.Options[o.Name] = v
		case discordgo.ApplicationCommandOptionAttachment:
			id, _ := o.Value.(string)
			if d.Resolved == nil || d.Resolved.Attachments[id] == nil {
				return req, fmt.Errorf("attachment %q is missing", o.Name)
			}
			a := d.Resolved.Attachments[id]
			att := commands.Attachment{Filename: a.Filename, ContentType: a.ContentType, URL: a.URL, Size: a.Size}
			if req.Attachments == nil {
				req.Attachments = map[string]commands.Attachment{}
			}
			req.Attachments[o.Name] = att
		default:
			req.Options[o.Name] = fmt.Sprint(o.Value)
		}
		if o.Focused {
			req.Focused = o.Name
		}
	}
	if d.TargetID != "" && d.Resolved != nil && d.Resolved.Messages[d.TargetID] != nil {
		msg := d.Resolved.Messages[d.TargetID]
		req.Message = &commands.Message{ID: msg.ID, Content: msg.Content}
		for _, a := range msg.Attachments {
			req.Message.Attachments = append(req.Message.Attachments,
				commands.Attachment{Filename: a.Filename, ContentType: a.ContentType, URL: a.URL, Size: a.Size})
		}
	}
	return req, nil
}

// discordCDN are the hosts Discord serves attachments from: an attachment
// URL naming any other host is not fetched (unless fetch.allow_hosts lists
// it, as the tests do for the fake Discord on loopback).
var discordCDN = []string{"cdn.discordapp.com", "media.discordapp.net"}

// download reads an attachment from Discord's CDN through the safe fetcher,
// capped in size and time, under the same address policy as every link.
func (b *Bot) download(ctx context.Context, url string, size int) ([]byte, error) {
	if size > maxAttachment {
		return nil, fmt.Errorf("%d bytes is over the %d MB limit", size, maxAttachment>>20)
	}
	return b.opt.Fetch.File(ctx, url, discordCDN, maxAttachment)
}

// downloadAll fills in the data of a command's attachments, or why it could
// not be had. It runs as part of the command, after the bot may have
// deferred, so a slow download costs no answer within Discord's 3 seconds.
func (b *Bot) downloadAll(ctx context.Context, req *commands.Request) {
	for name, a := range req.Attachments {
		a.Data, a.Err = b.download(ctx, a.URL, a.Size)
		req.Attachments[name] = a
	}
	if req.Message != nil {
		for i := range req.Message.Attachments {
			a := &req.Message.Attachments[i]
			a.Data, a.Err = b.download(ctx, a.URL, a.Size)
		}
	}
}
