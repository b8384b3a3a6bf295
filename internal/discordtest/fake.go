package discordtest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Violation is a broken rule: the request did something real Discord would refuse, or
// something the product promises never to do (such as allowing pings).
type Violation struct {
	Time   time.Time
	Method string // HTTP method, or "WS" for the gateway
	Path   string // request path, or the gateway URL path
	Rule   string // one of the Rule constants
	Detail string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s: [%s] %s", v.Method, v.Path, v.Rule, v.Detail)
}

// Rules a Violation can name.
const (
	RuleAuth                = "auth"                  // missing or wrong token
	RuleUserAgent           = "user-agent"            // User-Agent is not "DiscordBot (url, version)"
	RuleUnknownRoute        = "unknown-route"         // no such route in Discord's API
	RuleUnimplemented       = "unimplemented"         // a real route this fake does not serve yet
	RuleBadRequest          = "bad-request"           // unparseable body, wrong content type, bad path id
	RuleOpenAPI             = "openapi"               // body does not match Discord's OpenAPI schema
	RuleLimit               = "limit"                 // body breaks a documented limit
	RuleEmptyMessage        = "empty-message"         // message with no content, embed, component or file
	RuleAllowedMentions     = "allowed-mentions"      // body could ping (allowed_mentions not {"parse":[]})
	RuleUTF8                = "utf8"                  // invalid UTF-8, lone surrogate or U+FFFD in text
	RuleUnknownInteraction  = "unknown-interaction"   // callback for an interaction the fake never sent
	RuleInteractionLate     = "interaction-late"      // callback more than 3 s after delivery
	RuleInteractionTwice    = "interaction-twice"     // second callback for one interaction
	RuleInteractionNoAnswer = "interaction-no-answer" // no callback within 3 s of delivery
	RuleCallbackType        = "callback-type"         // callback type not allowed for the interaction type
	RuleInteractionExpired  = "interaction-expired"   // webhook call with a token older than 15 min
	RuleUnknownWebhook      = "unknown-webhook"       // webhook/message not known, or @original before the callback
	RuleGateway             = "gateway"               // gateway protocol error (bad opcode, identify twice, ...)
	RuleResumeURL           = "resume-url"            // RESUME not sent to resume_gateway_url (with RequireResumeGatewayURL)
)

// Request is one recorded REST request. Maps and slices are shared with the fake: read only.
type Request struct {
	Seq         int // 1 for the first request
	Time        time.Time
	Method      string
	Path        string // as received, e.g. /api/v9/channels/1/messages
	Query       url.Values
	APIVersion  string // "9" or "10"
	Route       string // the OpenAPI operation, e.g. "POST /channels/{channel_id}/messages"; "" if unknown
	Params      map[string]string
	Header      http.Header
	Body        []byte // raw body
	JSON        any    // parsed JSON body (payload_json for multipart), numbers as float64
	Attachments []Attachment
	Status      int    // status the fake answered with
	Response    []byte // body the fake answered with
	Fault       string // "429" or "502" when the answer was an injected fault
}

// Attachment is a file part of a multipart/form-data request, or a file of a Message.
type Attachment struct {
	Field       string // form field, e.g. files[0]
	Filename    string
	ContentType string
	Data        []byte
	ID          string // set on a Message's attachments
	URL         string // set on a Message's attachments; the fake serves the bytes there
}

// Message is a message the bot created, with its edits applied.
type Message struct {
	ID            string
	ChannelID     string
	InteractionID string // set for interaction responses and follow-ups
	Kind          string // "channel", "original" (interaction response) or "followup"
	Body          map[string]any
	Content       string
	Flags         int
	Attachments   []Attachment
	Edits         int
	Deleted       bool
	CreatedAt     time.Time
}

// Command is a registered application command.
type Command struct {
	ID      string
	GuildID string // empty for global commands
	Type    int
	Name    string
	Body    map[string]any // as sent in the bulk overwrite
}

// Response is what the bot did with one interaction.
type Response struct {
	InteractionID string
	Token         string
	Type          int            // callback type, e.g. 4 CHANNEL_MESSAGE_WITH_SOURCE
	Data          map[string]any // callback data
	Callback      Request
	Original      *Message  // @original after all edits; nil for callbacks that create no message
	Edits         []Request // accepted PATCH @original requests, in order
	Followups     []Message
}

// SentInteraction is an interaction the fake dispatched.
type SentInteraction struct {
	ID      string
	Token   string
	Payload map[string]any // the INTERACTION_CREATE "d"
}

// Option configures a Fake.
type Option func(*config)

type config struct {
	token, appID, botID, botName string
	clock                        Clock
	heartbeat                    time.Duration
	privileged                   int64
	guilds                       []string
	requireResumeURL             bool
	failOnViolations             bool
}

// WithToken sets the bot token (without the "Bot " prefix).
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithAppID sets the application ID; by default it is also the bot user's ID, as for every
// application created since 2021.
func WithAppID(id string) Option { return func(c *config) { c.appID = id } }

// WithBotUser sets the bot user's ID and username.
func WithBotUser(id, username string) Option {
	return func(c *config) { c.botID, c.botName = id, username }
}

// WithClock replaces the clock behind the interaction deadlines (3 s, 15 min), snowflakes
// and timestamps; use a *ManualClock to test deadlines without sleeping.
func WithClock(clk Clock) Option { return func(c *config) { c.clock = clk } }

// WithHeartbeatInterval sets the interval announced in HELLO (Discord uses 41.25 s).
func WithHeartbeatInterval(d time.Duration) Option { return func(c *config) { c.heartbeat = d } }

// WithPrivilegedIntents allows IDENTIFY to request these privileged intents
// (GUILD_MEMBERS 1<<1, GUILD_PRESENCES 1<<8, MESSAGE_CONTENT 1<<15). By default none are
// enabled, as for a new application, and asking for one closes the gateway with 4014.
func WithPrivilegedIntents(mask int64) Option { return func(c *config) { c.privileged = mask } }

// WithGuilds makes READY list these guilds as unavailable and follows it with a
// GUILD_CREATE for each, as Discord does.
func WithGuilds(ids ...string) Option { return func(c *config) { c.guilds = append(c.guilds, ids...) } }

// RequireResumeGatewayURL records a violation when a RESUME arrives on the main gateway
// URL instead of READY's resume_gateway_url. Off by default because discordgo v0.29.0
// ignores resume_gateway_url.
func RequireResumeGatewayURL() Option { return func(c *config) { c.requireResumeURL = true } }

// FailOnViolations makes the test fail at cleanup if any violation was recorded.
func FailOnViolations() Option { return func(c *config) { c.failOnViolations = true } }

// Clock tells the time; see WithClock.
type Clock interface{ Now() time.Time }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that only moves when told to.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock stopped at start.
func NewManualClock(start time.Time) *ManualClock { return &ManualClock{now: start} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Fake is a fake Discord serving REST and the gateway on one loopback origin.
type Fake struct {
	t    testing.TB
	cfg  config
	srv  *httptest.Server
	spec *spec

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every state change, to wake waiters
	idSeq       int64
	requests    []*Request
	violations  []Violation
	commands    map[string][]Command // by guild ID, "" for global
	overwrites  map[string]int       // bulk overwrites per scope
	messages    map[string]*message  // by ID
	channelMsgs map[string][]*message
	files       map[string]Attachment // attachment URL path -> file
	interacts   map[string]*interaction
	byToken     map[string]*interaction
	faults      []*Fault
	sessions    map[string]*gwSession
	conns       map[*gwConn]bool
	connSeq     int
	frames      []Frame
	readies     int
}

type message struct {
	Message
	editedAt time.Time
}

type interaction struct {
	sent        SentInteraction
	typ         int
	channelID   string
	sentAt      time.Time
	deliveredAt time.Time // first time it was written to a gateway connection
	callback    *Request
	cbType      int
	cbData      map[string]any
	original    *message
	edits       []*Request
	followups   []*message
	flagged     bool // an unanswered-interaction violation was recorded
}

// New starts a fake Discord on a loopback port; it stops when the test ends.
//
// Point the bot's discordgo session at it with Configure (or NewSession), which is safe
// with t.Parallel, or with PointDiscordgo for bot code that builds its own session.
// discordgo v0.29.0 calls /api/v9; the fake serves /api/v9 and /api/v10 alike, validates
// both against the v10 OpenAPI document and notes the version in Request.APIVersion.
//
// Every request is checked against Discord's OpenAPI document, the documented limits,
// authentication, the interaction rules (3 s to acknowledge, once only, 15 min token)
// and the product's promise never to ping (allowed_mentions must be {"parse":[]}). A
// broken rule gets Discord's error answer and is recorded: end tests with
// f.AssertNoViolations(t), or check f.Violations().
func New(t testing.TB, opts ...Option) *Fake {
	t.Helper()
	cfg := config{
		token:     "fake-token." + randHex(12),
		appID:     "1100000000000000001",
		botName:   "newsbot",
		clock:     realClock{},
		heartbeat: 41250 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.botID == "" {
		cfg.botID = cfg.appID
	}
	sp, err := loadSpec()
	if err != nil {
		t.Fatalf("discordtest: %v", err)
	}
	f := &Fake{
		t:           t,
		cfg:         cfg,
		spec:        sp,
		changed:     make(chan struct{}),
		commands:    map[string][]Command{},
		overwrites:  map[string]int{},
		messages:    map[string]*message{},
		channelMsgs: map[string][]*message{},
		files:       map[string]Attachment{},
		interacts:   map[string]*interaction{},
		byToken:     map[string]*interaction{},
		sessions:    map[string]*gwSession{},
		conns:       map[*gwConn]bool{},
	}
	f.srv = httptest.NewServer(f)
	t.Cleanup(func() {
		f.Close()
		if cfg.failOnViolations {
			for _, v := range f.Violations() {
				t.Errorf("discordtest violation: %s", v)
			}
		}
	})
	return f
}

// Close drops every gateway connection and stops the server. It runs at test cleanup.
func (f *Fake) Close() {
	f.mu.Lock()
	for c := range f.conns {
		c.closing = true
		_ = c.ws.UnderlyingConn().Close()
	}
	f.mu.Unlock()
	f.srv.Close()
}

// URL is the fake's origin, e.g. http://127.0.0.1:41234 (REST lives under /api/v10).
func (f *Fake) URL() string { return f.srv.URL }

// GatewayURL is the websocket URL GET /gateway hands out.
func (f *Fake) GatewayURL() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws" }

// ResumeGatewayURL is the resume_gateway_url READY hands out.
func (f *Fake) ResumeGatewayURL() string {
	return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws-resume"
}

// Token is the bot token, without the "Bot " prefix.
func (f *Fake) Token() string { return f.cfg.token }

// AppID is the application ID.
func (f *Fake) AppID() string { return f.cfg.appID }

// BotUserID is the bot user's ID.
func (f *Fake) BotUserID() string { return f.cfg.botID }

func (f *Fake) now() time.Time { return f.cfg.clock.Now() }

// notifyLocked wakes every waiter; f.mu must be held.
func (f *Fake) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// newIDLocked returns a snowflake for the clock's current time; f.mu must be held.
func (f *Fake) newIDLocked() string {
	const discordEpochMS = 1420070400000
	f.idSeq++
	ms := f.now().UnixMilli() - discordEpochMS
	return fmt.Sprint(ms<<22 | f.idSeq&(1<<22-1))
}

func randHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("discordtest: read random bytes: %v", err))
	}
	return hex.EncodeToString(b)
}

func randToken() string {
	b := make([]byte, 48)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("discordtest: read random bytes: %v", err))
	}
	return "aW50ZXJhY3Rpb246" + base64.RawURLEncoding.EncodeToString(b)
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Violations returns every violation so far, including interactions delivered more than
// 3 s ago (by the fake's clock) that still have no callback.
func (f *Fake) Violations() []Violation {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flagUnansweredLocked()
	return append([]Violation(nil), f.violations...)
}

// AssertNoViolations fails t with every violation recorded so far.
func (f *Fake) AssertNoViolations(t testing.TB) {
	t.Helper()
	for _, v := range f.Violations() {
		t.Errorf("discordtest violation: %s", v)
	}
}

func (f *Fake) flagUnansweredLocked() {
	now := f.now()
	for _, it := range f.interacts {
		if it.callback != nil || it.flagged || it.deliveredAt.IsZero() {
			continue
		}
		if late := now.Sub(it.deliveredAt); late > interactionDeadline {
			it.flagged = true
			f.violations = append(f.violations, Violation{
				Time: now, Method: "WS", Path: "INTERACTION_CREATE", Rule: RuleInteractionNoAnswer,
				Detail: fmt.Sprintf("interaction %s got no callback within %v of delivery (%v so far)", it.sent.ID, interactionDeadline, late.Round(time.Millisecond)),
			})
		}
	}
}

// Requests returns every completed REST request, oldest first.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Request
	for _, r := range f.requests {
		if r.Status != 0 {
			out = append(out, *r)
		}
	}
	return out
}

// Commands returns the commands registered by the last bulk overwrite for a guild
// ("" for global commands).
func (f *Fake) Commands(guildID string) []Command {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Command(nil), f.commands[guildID]...)
}

// Messages returns the messages in a channel, oldest first, deleted ones included.
func (f *Fake) Messages(channelID string) []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.messagesLocked(channelID)
}

func (f *Fake) messagesLocked(channelID string) []Message {
	var out []Message
	for _, m := range f.channelMsgs[channelID] {
		out = append(out, m.snapshot())
	}
	return out
}

func (m *message) snapshot() Message {
	c := m.Message
	c.Attachments = append([]Attachment(nil), m.Attachments...)
	return c
}

// Message returns a message by ID.
func (f *Fake) Message(id string) (Message, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.messages[id]
	if !ok {
		return Message{}, false
	}
	return m.snapshot(), true
}

// Interaction returns an interaction the fake sent.
func (f *Fake) Interaction(id string) (SentInteraction, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	it, ok := f.interacts[id]
	if !ok {
		return SentInteraction{}, false
	}
	return it.sent, true
}

// Response returns what the bot has done with an interaction so far; ok is false until
// a callback was accepted.
func (f *Fake) Response(interactionID string) (Response, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.responseLocked(interactionID)
}

func (f *Fake) responseLocked(id string) (Response, bool) {
	it, ok := f.interacts[id]
	if !ok || it.callback == nil {
		return Response{}, false
	}
	r := Response{InteractionID: id, Token: it.sent.Token, Type: it.cbType, Data: it.cbData, Callback: *it.callback}
	if it.original != nil {
		o := it.original.snapshot()
		r.Original = &o
	}
	for _, e := range it.edits {
		r.Edits = append(r.Edits, *e)
	}
	for _, m := range it.followups {
		r.Followups = append(r.Followups, m.snapshot())
	}
	return r, true
}

// WaitFor waits until cond returns true or ctx ends. cond is evaluated after every change
// of the fake's state and may call the fake's getters.
func (f *Fake) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("discordtest: wait: %w", ctx.Err())
		case <-ch:
		}
	}
}

// waitLocked is WaitFor for conditions evaluated under f.mu.
func (f *Fake) waitLocked(ctx context.Context, what string, cond func() bool) error {
	for {
		f.mu.Lock()
		ok := cond()
		ch := f.changed
		f.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("discordtest: wait for %s: %w", what, ctx.Err())
		case <-ch:
		}
	}
}

// WaitReady waits until the fake has sent READY on some gateway connection.
func (f *Fake) WaitReady(ctx context.Context) error {
	return f.waitLocked(ctx, "READY", func() bool { return f.readies > 0 })
}

// WaitResponse waits until the bot has answered the interaction's callback.
func (f *Fake) WaitResponse(ctx context.Context, interactionID string) (Response, error) {
	var r Response
	err := f.waitLocked(ctx, "callback of interaction "+interactionID, func() bool {
		var ok bool
		r, ok = f.responseLocked(interactionID)
		return ok
	})
	return r, err
}

// WaitMessages waits until a channel holds at least n messages and returns them all.
func (f *Fake) WaitMessages(ctx context.Context, channelID string, n int) ([]Message, error) {
	var out []Message
	err := f.waitLocked(ctx, fmt.Sprintf("%d messages in channel %s", n, channelID), func() bool {
		out = f.messagesLocked(channelID)
		return len(out) >= n
	})
	return out, err
}

// WaitCommands waits for the first bulk overwrite of a scope ("" for global) and returns
// the registered commands.
func (f *Fake) WaitCommands(ctx context.Context, guildID string) ([]Command, error) {
	var out []Command
	err := f.waitLocked(ctx, "command overwrite", func() bool {
		out = append([]Command(nil), f.commands[guildID]...)
		return f.overwrites[guildID] > 0
	})
	return out, err
}

// WaitRequest waits for a completed REST request that match accepts, looking at past
// requests too.
func (f *Fake) WaitRequest(ctx context.Context, match func(Request) bool) (Request, error) {
	var found Request
	err := f.waitLocked(ctx, "request", func() bool {
		for _, r := range f.requests {
			if r.Status != 0 && match(*r) {
				found = *r
				return true
			}
		}
		return false
	})
	return found, err
}

// WaitFrame waits for a gateway frame that match accepts, looking at past frames too.
func (f *Fake) WaitFrame(ctx context.Context, match func(Frame) bool) (Frame, error) {
	var found Frame
	err := f.waitLocked(ctx, "gateway frame", func() bool {
		for _, fr := range f.frames {
			if match(fr) {
				found = fr
				return true
			}
		}
		return false
	})
	return found, err
}

// Frames returns every gateway frame sent or received, oldest first.
func (f *Fake) Frames() []Frame {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Frame(nil), f.frames...)
}
