package discordtest

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Interaction types (the payload's "type").
const (
	InteractionApplicationCommand = 2
	InteractionMessageComponent   = 3
	InteractionAutocomplete       = 4
	InteractionModalSubmit        = 5
)

// Application command option types.
const (
	OptionSubcommand      = 1
	OptionSubcommandGroup = 2
	OptionString          = 3
	OptionInteger         = 4
	OptionBoolean         = 5
	OptionNumber          = 10
)

// User is a Discord user as it appears in interaction payloads.
type User struct {
	ID         string // a fresh snowflake when empty
	Username   string
	GlobalName string
	Bot        bool
}

func (u User) json() map[string]any {
	var global any
	if u.GlobalName != "" {
		global = u.GlobalName
	}
	return map[string]any{
		"id": u.ID, "username": u.Username, "discriminator": "0", "global_name": global,
		"avatar": nil, "bot": u.Bot, "public_flags": 0, "avatar_decoration_data": nil,
	}
}

// Invoker is who triggers an interaction, and where.
type Invoker struct {
	GuildID     string // empty for a DM with the bot
	ChannelID   string // a fresh snowflake when empty
	User        User
	Permissions string   // the member's permissions in the channel, a decimal bit set (guild only)
	Roles       []string // guild only
	Nick        string   // guild only
	Locale      string   // default en-US
}

// GuildMember is an invoker in a guild channel; permissions is the member's computed
// permission bit set as a decimal string, e.g. "2048" for SEND_MESSAGES.
func GuildMember(guildID, channelID string, user User, permissions string) Invoker {
	return Invoker{GuildID: guildID, ChannelID: channelID, User: user, Permissions: permissions}
}

// DMUser is an invoker in a DM with the bot: the payload has "user" and no "member".
func DMUser(channelID string, user User) Invoker {
	return Invoker{ChannelID: channelID, User: user}
}

// Interaction describes an interaction to send; SendInteraction adds the ID, token,
// application and invoker fields.
type Interaction struct {
	Type    int // InteractionApplicationCommand, InteractionMessageComponent, ...
	Invoker Invoker
	Data    map[string]any // the payload's "data"
	Message map[string]any // the message a component belongs to (components only)
}

// CommandOption is an option value of an invoked command.
type CommandOption struct {
	Name    string
	Type    int // OptionString, OptionSubcommand, ...
	Value   any // for value options; a partial string for the focused autocomplete option
	Focused bool
	Options []CommandOption // for subcommands and groups
}

func (o CommandOption) json() map[string]any {
	m := map[string]any{"name": o.Name, "type": o.Type}
	if o.Type == OptionSubcommand || o.Type == OptionSubcommandGroup {
		m["options"] = optionsJSON(o.Options)
		return m
	}
	m["value"] = o.Value
	if o.Focused {
		m["focused"] = true
	}
	return m
}

func optionsJSON(opts []CommandOption) []any {
	out := []any{}
	for _, o := range opts {
		out = append(out, o.json())
	}
	return out
}

// StringOption is a STRING option value.
func StringOption(name, value string) CommandOption {
	return CommandOption{Name: name, Type: OptionString, Value: value}
}

// IntegerOption is an INTEGER option value.
func IntegerOption(name string, value int64) CommandOption {
	return CommandOption{Name: name, Type: OptionInteger, Value: value}
}

// NumberOption is a NUMBER option value.
func NumberOption(name string, value float64) CommandOption {
	return CommandOption{Name: name, Type: OptionNumber, Value: value}
}

// BooleanOption is a BOOLEAN option value.
func BooleanOption(name string, value bool) CommandOption {
	return CommandOption{Name: name, Type: OptionBoolean, Value: value}
}

// Subcommand is an invoked subcommand with its options.
func Subcommand(name string, opts ...CommandOption) CommandOption {
	return CommandOption{Name: name, Type: OptionSubcommand, Options: opts}
}

// SubcommandGroup is an invoked subcommand group holding one subcommand.
func SubcommandGroup(name string, sub CommandOption) CommandOption {
	return CommandOption{Name: name, Type: OptionSubcommandGroup, Options: []CommandOption{sub}}
}

// Focus marks an option as the one the user is typing in (autocomplete).
func Focus(o CommandOption) CommandOption {
	o.Focused = true
	return o
}

func commandData(name string, typ int, opts []CommandOption) map[string]any {
	d := map[string]any{"name": name, "type": typ}
	if len(opts) > 0 {
		d["options"] = optionsJSON(opts)
	}
	return d
}

// SlashCommand is a CHAT_INPUT command invocation.
func SlashCommand(inv Invoker, name string, opts ...CommandOption) Interaction {
	return Interaction{Type: InteractionApplicationCommand, Invoker: inv, Data: commandData(name, 1, opts)}
}

// Autocomplete is an autocomplete request; exactly one option (possibly inside a
// subcommand) should be marked with Focus.
func Autocomplete(inv Invoker, name string, opts ...CommandOption) Interaction {
	return Interaction{Type: InteractionAutocomplete, Invoker: inv, Data: commandData(name, 1, opts)}
}

// MessageCommand is a MESSAGE context-menu command on target (see MessageObject), which
// the payload carries in data.resolved.messages.
func MessageCommand(inv Invoker, name string, target map[string]any) Interaction {
	id := str(target["id"])
	return Interaction{Type: InteractionApplicationCommand, Invoker: inv, Data: map[string]any{
		"name": name, "type": 3, "target_id": id,
		"resolved": map[string]any{"messages": map[string]any{id: target}},
	}}
}

// Button is a click on a button with customID on message (see MessageObject).
func Button(inv Invoker, customID string, message map[string]any) Interaction {
	return Interaction{Type: InteractionMessageComponent, Invoker: inv, Message: message,
		Data: map[string]any{"custom_id": customID, "component_type": 2}}
}

// SelectMenu is a choice in a string select menu with customID on message.
func SelectMenu(inv Invoker, customID string, values []string, message map[string]any) Interaction {
	vals := []any{}
	for _, v := range values {
		vals = append(vals, v)
	}
	return Interaction{Type: InteractionMessageComponent, Invoker: inv, Message: message,
		Data: map[string]any{"custom_id": customID, "component_type": 3, "values": vals}}
}

// ModalSubmit is a submitted modal; fields maps text input custom IDs to values.
func ModalSubmit(inv Invoker, customID string, fields map[string]string) Interaction {
	ids := make([]string, 0, len(fields))
	for id := range fields {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rows := []any{}
	for _, id := range ids {
		rows = append(rows, map[string]any{"type": 1, "components": []any{
			map[string]any{"type": 4, "custom_id": id, "value": fields[id]},
		}})
	}
	return Interaction{Type: InteractionModalSubmit, Invoker: inv,
		Data: map[string]any{"custom_id": customID, "components": rows}}
}

// MessageObject is a minimal message object for component and context-menu interactions.
func MessageObject(id, channelID string, author User, content string) map[string]any {
	return map[string]any{
		"id": id, "channel_id": channelID, "type": 0, "content": content, "author": author.json(),
		"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "edited_timestamp": nil, "tts": false,
		"mention_everyone": false, "mentions": []any{}, "mention_roles": []any{}, "attachments": []any{},
		"embeds": []any{}, "components": []any{}, "pinned": false, "flags": 0,
	}
}

// SendInteraction gives the interaction a fresh ID and token and dispatches it as
// INTERACTION_CREATE on the connected gateway session(s). If the bot's sessions are
// disconnected but resumable, the event waits for their RESUME. The 3 s callback deadline
// runs from the first delivery on a connection.
func (f *Fake) SendInteraction(i Interaction) (SentInteraction, error) {
	if _, ok := allowedCallbacks[i.Type]; !ok {
		return SentInteraction{}, fmt.Errorf("discordtest: interaction type %d cannot arrive over the gateway (use 2, 3, 4 or 5)", i.Type)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var targets []*gwSession
	for _, s := range f.targetsLocked() {
		if onShard(s.shard, i.Invoker.GuildID) {
			targets = append(targets, s)
		}
	}
	if len(targets) == 0 {
		return SentInteraction{}, errors.New("discordtest: no gateway session (of the guild's shard) to send the interaction to; open the bot's session and WaitReady first")
	}
	payload := f.interactionPayloadLocked(i)
	it := &interaction{
		sent: SentInteraction{ID: str(payload["id"]), Token: str(payload["token"]), Payload: payload},
		typ:  i.Type, channelID: str(payload["channel_id"]), sentAt: f.now(),
	}
	f.interacts[it.sent.ID] = it
	f.byToken[it.sent.Token] = it
	for _, s := range targets {
		f.dispatchLocked(s, "INTERACTION_CREATE", payload, it.sent.ID)
	}
	return it.sent, nil
}

func (f *Fake) interactionPayloadLocked(i Interaction) map[string]any {
	inv := i.Invoker
	if inv.ChannelID == "" {
		inv.ChannelID = f.newIDLocked()
	}
	if inv.User.ID == "" {
		inv.User.ID = f.newIDLocked()
	}
	if inv.User.Username == "" {
		inv.User.Username = "user" + inv.User.ID[len(inv.User.ID)-4:]
	}
	if inv.Locale == "" {
		inv.Locale = "en-US"
	}
	p := map[string]any{
		"id": f.newIDLocked(), "application_id": f.cfg.appID, "type": i.Type, "token": randToken(), "version": 1,
		"channel_id": inv.ChannelID, "locale": inv.Locale, "app_permissions": "2248473465835073",
		"entitlements": []any{}, "entitlement_sku_ids": []any{}, "attachment_size_limit": 10 << 20,
	}
	if inv.GuildID != "" {
		roles := []any{}
		for _, r := range inv.Roles {
			roles = append(roles, r)
		}
		var nick any
		if inv.Nick != "" {
			nick = inv.Nick
		}
		p["guild_id"] = inv.GuildID
		p["guild_locale"] = "en-US"
		p["guild"] = map[string]any{"id": inv.GuildID, "locale": "en-US", "features": []any{}}
		p["channel"] = map[string]any{"id": inv.ChannelID, "type": 0, "guild_id": inv.GuildID, "name": "general", "flags": 0}
		p["member"] = map[string]any{
			"user": inv.User.json(), "roles": roles, "permissions": inv.Permissions, "nick": nick, "avatar": nil,
			"joined_at": f.now().Add(-24 * time.Hour).UTC().Format(time.RFC3339Nano), "premium_since": nil,
			"deaf": false, "mute": false, "flags": 0, "pending": false, "communication_disabled_until": nil,
		}
		p["authorizing_integration_owners"] = map[string]any{"0": inv.GuildID}
		p["context"] = 0 // GUILD
	} else {
		p["user"] = inv.User.json()
		p["channel"] = map[string]any{"id": inv.ChannelID, "type": 1, "recipients": []any{inv.User.json()}, "flags": 0}
		p["authorizing_integration_owners"] = map[string]any{"0": "0"}
		p["context"] = 1 // BOT_DM
	}
	if i.Data != nil {
		data := map[string]any{}
		for k, v := range i.Data {
			data[k] = v
		}
		if i.Type == InteractionApplicationCommand || i.Type == InteractionAutocomplete {
			f.fillCommandIDLocked(data, inv.GuildID)
		}
		p["data"] = data
	}
	if i.Type == InteractionMessageComponent {
		msg := i.Message
		if msg == nil {
			msg = MessageObject(f.newIDLocked(), inv.ChannelID, User{ID: f.cfg.botID, Username: f.cfg.botName, Bot: true}, "")
		}
		p["message"] = msg
	}
	return p
}

// fillCommandIDLocked sets data.id to the registered command's ID, preferring a guild
// command over a global one as Discord does, so bots that route by ID see real IDs.
func (f *Fake) fillCommandIDLocked(data map[string]any, guildID string) {
	if _, ok := data["id"]; ok {
		return
	}
	typ, ok := num(data["type"])
	if !ok {
		typ = 1
	}
	name := str(data["name"])
	scopes := []string{""}
	if guildID != "" {
		scopes = []string{guildID, ""}
	}
	for _, scope := range scopes {
		for _, cmd := range f.commands[scope] {
			if cmd.Type == typ && cmd.Name == name {
				data["id"] = cmd.ID
				if scope != "" {
					data["guild_id"] = scope
				}
				return
			}
		}
	}
	data["id"] = f.newIDLocked()
}

// onShard reports whether a session identified with shard [id, count] gets a
// guild's events: Discord sends them to shard (guild_id >> 22) % count, and
// DMs to shard 0.
func onShard(shard []int, guildID string) bool {
	if len(shard) != 2 || shard[1] <= 1 {
		return true
	}
	if guildID == "" {
		return shard[0] == 0
	}
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return true
	}
	return int((id>>22)%uint64(shard[1])) == shard[0]
}
