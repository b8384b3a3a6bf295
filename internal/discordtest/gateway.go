package discordtest

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Frame is one gateway message, sent by the fake or received from the bot.
type Frame struct {
	Conn      int  // connection number, 1 for the first
	Sent      bool // true when the fake sent it
	Op        int  // opcode; -1 for the end of a connection (see CloseCode)
	Seq       int64
	Type      string // dispatch event name, e.g. READY
	Data      json.RawMessage
	CloseCode int // close code sent or received; 1006 for a connection that just died
	Time      time.Time
}

// SessionInfo describes a gateway session (one IDENTIFY and the RESUMEs that continued it).
type SessionInfo struct {
	ID         string
	Seq        int64 // last sequence number dispatched
	Connected  bool
	Invalid    bool // can no longer be resumed
	Resumes    int
	Intents    int64
	Shard      []int
	ViaResume  int // RESUMEs that arrived on resume_gateway_url
	Dispatched []string
}

// Gateway opcodes and close codes, from Discord's gateway documentation.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opPresence       = 3
	opVoiceState     = 4
	opResume         = 6
	opReconnect      = 7
	opRequestMembers = 8
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11
	opSoundboard     = 31

	privilegedIntents = 1<<1 | 1<<8 | 1<<15 // GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT
	gatewayRateLimit  = 120                 // events a client may send per 60 s
)

type gwConn struct {
	id        int
	ws        *websocket.Conn
	path      string
	version   string
	viaResume bool
	out       chan outFrame
	done      chan struct{} // closed when the connection is gone
	// Guarded by Fake.mu:
	session  *gwSession
	compress bool
	closing  bool // the fake closed or dropped it; nothing more is sent
	gone     bool
	recent   []time.Time // receive times, for the gateway rate limit
}

type outFrame struct {
	data      []byte
	binary    bool
	closeCode int
	closeText string
}

type gwSession struct {
	id         string
	seq        int64
	history    []histEntry
	conn       *gwConn
	invalid    bool
	resumes    int
	viaResume  int
	intents    int64
	shard      []int
	compress   bool
	created    int
	dispatched []string
}

type histEntry struct {
	seq           int64
	t             string
	raw           []byte
	d             json.RawMessage
	interactionID string
}

func (f *Fake) serveGateway(w http.ResponseWriter, r *http.Request) {
	viaResume := strings.HasPrefix(r.URL.Path, "/ws-resume")
	if !viaResume && r.URL.Path != "/ws" && r.URL.Path != "/ws/" {
		http.NotFound(w, r)
		return
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with an HTTP error already
	}
	q := r.URL.Query()
	c := &gwConn{
		ws: ws, path: r.URL.Path, version: q.Get("v"), viaResume: viaResume,
		out: make(chan outFrame, 1024), done: make(chan struct{}),
	}
	f.mu.Lock()
	f.connSeq++
	c.id = f.connSeq
	f.conns[c] = true
	go c.writeLoop()
	switch {
	case c.version != "9" && c.version != "10":
		f.closeLocked(c, 4012, "Invalid API version.", RuleGateway, fmt.Sprintf("gateway URL asks for v=%q; Discord serves 9 and 10 here", c.version))
	case q.Get("encoding") != "" && q.Get("encoding") != "json":
		f.closeLocked(c, 4002, "Decode error.", RuleUnimplemented, "encoding="+q.Get("encoding")+" is not implemented by discordtest (json only)")
	case q.Get("compress") != "":
		f.closeLocked(c, 4000, "Unknown error.", RuleUnimplemented, "transport compression compress="+q.Get("compress")+" is not implemented by discordtest")
	default:
		f.sendLocked(c, opHello, map[string]any{"heartbeat_interval": f.cfg.heartbeat.Milliseconds(), "_trace": []string{"discordtest"}})
	}
	f.mu.Unlock()
	f.readLoop(c)
}

func (c *gwConn) writeLoop() {
	for {
		select {
		case fr := <-c.out:
			deadline := time.Now().Add(5 * time.Second)
			if fr.closeCode != 0 {
				_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(fr.closeCode, fr.closeText), deadline)
				// Let the client read the close frame before the TCP connection goes:
				// closing at once could reset it with the frame still unread.
				select {
				case <-c.done:
				case <-time.After(2 * time.Second):
				}
				_ = c.ws.UnderlyingConn().Close()
				return
			}
			mt, data := websocket.TextMessage, fr.data
			if fr.binary {
				var buf bytes.Buffer
				zw := zlib.NewWriter(&buf)
				_, _ = zw.Write(data)
				_ = zw.Close()
				mt, data = websocket.BinaryMessage, buf.Bytes()
			}
			_ = c.ws.SetWriteDeadline(deadline)
			if err := c.ws.WriteMessage(mt, data); err != nil {
				_ = c.ws.UnderlyingConn().Close()
				return
			}
		case <-c.done:
			return
		}
	}
}

func (f *Fake) readLoop(c *gwConn) {
	for {
		// A client that stops heartbeating is a zombie; Discord drops it.
		_ = c.ws.SetReadDeadline(time.Now().Add(2*f.cfg.heartbeat + 5*time.Second))
		mt, data, err := c.ws.ReadMessage()
		if err != nil {
			f.connGone(c, err)
			return
		}
		f.mu.Lock()
		f.handleFrameLocked(c, mt, data)
		f.mu.Unlock()
	}
}

func (f *Fake) connGone(c *gwConn, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.gone {
		return
	}
	c.gone = true
	close(c.done)
	delete(f.conns, c)
	_ = c.ws.UnderlyingConn().Close()
	code := websocket.CloseAbnormalClosure
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		code = ce.Code
	}
	f.frames = append(f.frames, Frame{Conn: c.id, Op: -1, CloseCode: code, Time: f.now()})
	if s := c.session; s != nil && s.conn == c {
		s.conn = nil
		// A client that closes with 1000 or 1001 ends its session; other codes (and dead
		// connections) leave it resumable. After the fake's own close, the client's
		// answering close frame means nothing.
		if !c.closing && (code == websocket.CloseNormalClosure || code == websocket.CloseGoingAway) {
			s.invalid = true
		}
	}
	f.notifyLocked()
}

// enqueueLocked hands a frame to the writer without blocking: a client too slow to drain
// 1024 frames is dropped, as Discord drops it.
func (f *Fake) enqueueLocked(c *gwConn, fr outFrame) {
	if c.closing || c.gone {
		return
	}
	select {
	case c.out <- fr:
	default:
		c.closing = true
		_ = c.ws.UnderlyingConn().Close()
	}
}

func encodeFrame(op int, t string, seq int64, d any) (raw []byte, data json.RawMessage) {
	data, err := json.Marshal(d)
	if err != nil {
		panic(fmt.Sprintf("discordtest: marshal gateway payload %s: %v", t, err))
	}
	w := struct {
		Op int             `json:"op"`
		S  *int64          `json:"s"`
		T  *string         `json:"t"`
		D  json.RawMessage `json:"d"`
	}{Op: op, D: data}
	if op == opDispatch {
		w.S, w.T = &seq, &t
	}
	raw, err = json.Marshal(w)
	if err != nil {
		panic(fmt.Sprintf("discordtest: marshal gateway frame %s: %v", t, err))
	}
	return raw, data
}

// sendLocked sends a non-dispatch frame.
func (f *Fake) sendLocked(c *gwConn, op int, d any) {
	raw, data := encodeFrame(op, "", 0, d)
	if c.closing || c.gone {
		return
	}
	f.frames = append(f.frames, Frame{Conn: c.id, Sent: true, Op: op, Data: data, Time: f.now()})
	f.enqueueLocked(c, outFrame{data: raw})
	f.notifyLocked()
}

// closeLocked closes a connection with a gateway close code; a non-empty rule records
// the bot's fault behind it.
func (f *Fake) closeLocked(c *gwConn, code int, text, rule, detail string) {
	if c.closing || c.gone {
		return
	}
	if rule != "" {
		f.violations = append(f.violations, Violation{Time: f.now(), Method: "WS", Path: c.path, Rule: rule, Detail: fmt.Sprintf("close %d: %s", code, detail)})
	}
	f.frames = append(f.frames, Frame{Conn: c.id, Sent: true, Op: -1, CloseCode: code, Time: f.now()})
	f.enqueueLocked(c, outFrame{closeCode: code, closeText: text})
	c.closing = true
	if s := c.session; s != nil && s.conn == c {
		s.conn = nil
		switch code {
		case 4004, 4010, 4011, 4012, 4013, 4014: // Discord documents these as not resumable
			s.invalid = true
		}
	}
	f.notifyLocked()
}

// dispatchLocked sends an op 0 event on a session, or keeps it for replay on RESUME
// when the session has no connection.
func (f *Fake) dispatchLocked(s *gwSession, t string, d any, interactionID string) {
	s.seq++
	raw, data := encodeFrame(opDispatch, t, s.seq, d)
	h := histEntry{seq: s.seq, t: t, raw: raw, d: data, interactionID: interactionID}
	s.history = append(s.history, h)
	s.dispatched = append(s.dispatched, t)
	if s.conn != nil {
		f.writeDispatchLocked(s.conn, h)
	}
	f.notifyLocked()
}

func (f *Fake) writeDispatchLocked(c *gwConn, h histEntry) {
	if c.closing || c.gone {
		return
	}
	f.frames = append(f.frames, Frame{Conn: c.id, Sent: true, Op: opDispatch, Seq: h.seq, Type: h.t, Data: h.d, Time: f.now()})
	// With IDENTIFY "compress": true Discord may zlib-compress payloads, each frame on its
	// own; compressing every dispatch exercises the client's inflate path.
	f.enqueueLocked(c, outFrame{data: h.raw, binary: c.compress})
	if it := f.interacts[h.interactionID]; it != nil && it.deliveredAt.IsZero() {
		it.deliveredAt = f.now()
	}
}

func (f *Fake) handleFrameLocked(c *gwConn, mt int, data []byte) {
	if c.closing {
		return
	}
	if mt != websocket.TextMessage {
		f.closeLocked(c, 4002, "Decode error.", RuleGateway, "binary frame from the client; with encoding=json the client sends JSON text")
		return
	}
	var p struct {
		Op *int            `json:"op"`
		D  json.RawMessage `json:"d"`
	}
	if err := json.Unmarshal(data, &p); err != nil || p.Op == nil {
		f.closeLocked(c, 4002, "Decode error.", RuleGateway, fmt.Sprintf("payload is not {\"op\":n,\"d\":...}: %q", truncate(string(data), 200)))
		return
	}
	f.frames = append(f.frames, Frame{Conn: c.id, Op: *p.Op, Data: p.D, Time: f.now()})
	f.notifyLocked()
	now := time.Now()
	kept := c.recent[:0]
	for _, t := range c.recent {
		if now.Sub(t) < time.Minute {
			kept = append(kept, t)
		}
	}
	c.recent = append(kept, now)
	if len(c.recent) > gatewayRateLimit {
		f.closeLocked(c, 4008, "Rate limited.", RuleGateway, fmt.Sprintf("more than %d gateway events in 60 s", gatewayRateLimit))
		return
	}
	switch *p.Op {
	case opHeartbeat:
		var seq *int64
		if err := json.Unmarshal(p.D, &seq); err != nil {
			f.closeLocked(c, 4002, "Decode error.", RuleGateway, "heartbeat d must be the last sequence number or null")
			return
		}
		f.sendLocked(c, opHeartbeatACK, nil)
	case opIdentify:
		f.identifyLocked(c, p.D)
	case opResume:
		f.resumeLocked(c, p.D)
	case opPresence, opVoiceState, opRequestMembers, opSoundboard:
		if c.session == nil {
			f.closeLocked(c, 4003, "Not authenticated.", RuleGateway, fmt.Sprintf("op %d before IDENTIFY", *p.Op))
		}
	default:
		f.closeLocked(c, 4001, "Unknown opcode.", RuleGateway, fmt.Sprintf("op %d cannot be sent by a client", *p.Op))
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// tokenOK accepts the token with or without "Bot ", as Discord's gateway does.
func (f *Fake) tokenOK(tok string) bool { return strings.TrimPrefix(tok, "Bot ") == f.cfg.token }

func (f *Fake) identifyLocked(c *gwConn, raw json.RawMessage) {
	if c.session != nil {
		f.closeLocked(c, 4005, "Already authenticated.", RuleGateway, "IDENTIFY on a connection that already has a session")
		return
	}
	var d struct {
		Token      string         `json:"token"`
		Intents    *int64         `json:"intents"`
		Properties map[string]any `json:"properties"`
		Compress   bool           `json:"compress"`
		Shard      []int          `json:"shard"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		f.closeLocked(c, 4002, "Decode error.", RuleGateway, fmt.Sprintf("IDENTIFY payload: %v", err))
		return
	}
	switch {
	case !f.tokenOK(d.Token):
		f.closeLocked(c, 4004, "Authentication failed.", RuleAuth, "IDENTIFY token is not the fake's bot token")
		return
	case d.Properties == nil:
		f.closeLocked(c, 4002, "Decode error.", RuleGateway, "IDENTIFY lacks properties {os, browser, device}")
		return
	case d.Intents == nil:
		f.closeLocked(c, 4013, "Invalid intent(s).", RuleGateway, "IDENTIFY lacks intents, which API v8+ requires")
		return
	case *d.Intents&privilegedIntents&^f.cfg.privileged != 0:
		f.closeLocked(c, 4014, "Disallowed intent(s).", RuleGateway, fmt.Sprintf("intents %d ask for privileged intents %d not enabled (see WithPrivilegedIntents)", *d.Intents, *d.Intents&privilegedIntents&^f.cfg.privileged))
		return
	case d.Shard != nil && (len(d.Shard) != 2 || d.Shard[1] < 1 || d.Shard[0] < 0 || d.Shard[0] >= d.Shard[1]):
		f.closeLocked(c, 4010, "Invalid shard.", RuleGateway, fmt.Sprintf("shard %v", d.Shard))
		return
	}
	s := &gwSession{id: randHex(16), intents: *d.Intents, shard: d.Shard, compress: d.Compress, conn: c, created: len(f.sessions)}
	f.sessions[s.id] = s
	c.session, c.compress = s, d.Compress
	v, _ := strconv.Atoi(c.version)
	guilds := []any{}
	for _, g := range f.cfg.guilds {
		guilds = append(guilds, map[string]any{"id": g, "unavailable": true})
	}
	ready := map[string]any{
		"v": v, "user": f.botUserJSON(), "guilds": guilds, "session_id": s.id, "session_type": "normal",
		"resume_gateway_url": f.ResumeGatewayURL(), "application": map[string]any{"id": f.cfg.appID, "flags": 0},
		"private_channels": []any{}, "relationships": []any{}, "presences": []any{}, "guild_join_requests": []any{},
		"geo_ordered_rtc_regions": []any{"us-east"}, "user_settings": map[string]any{}, "_trace": []string{"discordtest"},
	}
	if d.Shard != nil {
		ready["shard"] = d.Shard
	}
	f.readies++
	f.dispatchLocked(s, "READY", ready, "")
	for _, g := range f.cfg.guilds {
		f.dispatchLocked(s, "GUILD_CREATE", f.guildJSON(g), "")
	}
}

func (f *Fake) guildJSON(id string) map[string]any {
	return map[string]any{
		"id": id, "name": "Guild " + id, "icon": nil, "owner_id": "1", "afk_timeout": 300,
		"verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
		"roles": []any{map[string]any{
			"id": id, "name": "@everyone", "permissions": "2248473465835073", "position": 0, "color": 0,
			"hoist": false, "managed": false, "mentionable": false, "flags": 0,
		}},
		"emojis": []any{}, "features": []any{}, "mfa_level": 0, "system_channel_flags": 0, "premium_tier": 0,
		"preferred_locale": "en-US", "nsfw_level": 0, "stickers": []any{}, "large": false, "unavailable": false,
		"joined_at": f.now().UTC().Format(time.RFC3339Nano), "member_count": 1, "voice_states": []any{},
		"members": []any{}, "channels": []any{}, "threads": []any{}, "presences": []any{},
		"stage_instances": []any{}, "guild_scheduled_events": []any{},
	}
}

func (f *Fake) resumeLocked(c *gwConn, raw json.RawMessage) {
	if c.session != nil {
		f.closeLocked(c, 4005, "Already authenticated.", RuleGateway, "RESUME on a connection that already has a session")
		return
	}
	var d struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       *int64 `json:"seq"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		f.closeLocked(c, 4002, "Decode error.", RuleGateway, fmt.Sprintf("RESUME payload: %v", err))
		return
	}
	if !f.tokenOK(d.Token) {
		f.closeLocked(c, 4004, "Authentication failed.", RuleAuth, "RESUME token is not the fake's bot token")
		return
	}
	s := f.sessions[d.SessionID]
	if s == nil || s.invalid || d.Seq == nil || *d.Seq > s.seq {
		// Not resumable: the client must IDENTIFY again. Not a violation; sessions die.
		f.sendLocked(c, opInvalidSession, false)
		return
	}
	if f.cfg.requireResumeURL && !c.viaResume {
		f.violations = append(f.violations, Violation{Time: f.now(), Method: "WS", Path: c.path, Rule: RuleResumeURL,
			Detail: "RESUME sent to the main gateway URL instead of READY's resume_gateway_url " + f.ResumeGatewayURL()})
	}
	if old := s.conn; old != nil && old != c {
		old.session = nil
		f.closeLocked(old, 4000, "Unknown error.", "", "")
	}
	c.session, c.compress, s.conn = s, s.compress, c
	s.resumes++
	if c.viaResume {
		s.viaResume++
	}
	for _, h := range s.history {
		if h.seq > *d.Seq && h.t != "READY" && h.t != "RESUMED" {
			f.writeDispatchLocked(c, h)
		}
	}
	f.dispatchLocked(s, "RESUMED", map[string]any{"_trace": []string{"discordtest"}}, "")
}

// targetsLocked picks the sessions an event goes to: every connected session, or, when
// none is connected, the resumable ones, which replay it on RESUME.
func (f *Fake) targetsLocked() []*gwSession {
	var live, parked []*gwSession
	for _, s := range f.sessions {
		switch {
		case s.invalid:
		case s.conn != nil:
			live = append(live, s)
		default:
			parked = append(parked, s)
		}
	}
	if len(live) == 0 {
		live = parked
	}
	sort.Slice(live, func(i, j int) bool { return live[i].created < live[j].created })
	return live
}

// Dispatch sends an op 0 event (e.g. GUILD_CREATE, MESSAGE_CREATE) to the bot's sessions.
func (f *Fake) Dispatch(eventType string, data any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	targets := f.targetsLocked()
	if len(targets) == 0 {
		return fmt.Errorf("discordtest: dispatch %s: no gateway session; open the bot's session first", eventType)
	}
	for _, s := range targets {
		f.dispatchLocked(s, eventType, data, "")
	}
	return nil
}

// DropGateway kills every gateway connection without a close frame, as a network failure
// would. Sessions stay resumable and events dispatched meanwhile are replayed on RESUME.
// It returns how many connections it dropped.
func (f *Fake) DropGateway() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for c := range f.conns {
		if c.closing || c.gone {
			continue
		}
		if s := c.session; s != nil && s.conn == c {
			s.conn = nil
		}
		c.closing = true
		_ = c.ws.UnderlyingConn().Close()
		n++
	}
	return n
}

// InvalidateSession sends op 9 INVALID_SESSION on every connected session. With
// resumable false the sessions end and the bot must IDENTIFY again.
func (f *Fake) InvalidateSession(resumable bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		s := c.session
		if s == nil || c.closing {
			continue
		}
		f.sendLocked(c, opInvalidSession, resumable)
		s.conn, c.session = nil, nil
		if !resumable {
			s.invalid = true
		}
	}
}

// RequestReconnect sends op 7 RECONNECT on every connection; the bot should reconnect
// and RESUME.
func (f *Fake) RequestReconnect() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		if c.session != nil {
			f.sendLocked(c, opReconnect, nil)
		}
	}
}

// CloseGateway closes every connection with a gateway close code, e.g. 4000 (resumable)
// or 4009 session timed out. Codes Discord documents as final end the sessions.
func (f *Fake) CloseGateway(code int, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		f.closeLocked(c, code, reason, "", "")
	}
}

// Sessions describes every gateway session so far, oldest first.
func (f *Fake) Sessions() []SessionInfo {
	f.mu.Lock()
	defer f.mu.Unlock()
	var list []*gwSession
	for _, s := range f.sessions {
		list = append(list, s)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].created < list[j].created })
	var out []SessionInfo
	for _, s := range list {
		out = append(out, SessionInfo{
			ID: s.id, Seq: s.seq, Connected: s.conn != nil, Invalid: s.invalid, Resumes: s.resumes,
			Intents: s.intents, Shard: append([]int(nil), s.shard...), ViaResume: s.viaResume,
			Dispatched: append([]string(nil), s.dispatched...),
		})
	}
	return out
}
