package discordtest

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// rawGateway is a minimal gateway client for checking the fake's protocol frame by frame.
type rawGateway struct {
	t  *testing.T
	ws *websocket.Conn
}

type rawFrame struct {
	Op     int            `json:"op"`
	S      *int64         `json:"s"`
	T      *string        `json:"t"`
	D      map[string]any `json:"-"`
	RawD   json.RawMessage
	Binary bool
}

func dialGateway(t *testing.T, url string) *rawGateway {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { _ = ws.Close() })
	return &rawGateway{t: t, ws: ws}
}

func (g *rawGateway) next() rawFrame {
	g.t.Helper()
	_ = g.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	mt, data, err := g.ws.ReadMessage()
	if err != nil {
		g.t.Fatalf("read gateway frame: %v", err)
	}
	var fr rawFrame
	if mt == websocket.BinaryMessage {
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			g.t.Fatalf("binary frame is not zlib: %v", err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			g.t.Fatalf("inflate frame: %v", err)
		}
		fr.Binary = true
	}
	var w struct {
		Op int             `json:"op"`
		S  *int64          `json:"s"`
		T  *string         `json:"t"`
		D  json.RawMessage `json:"d"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		g.t.Fatalf("frame %s: %v", data, err)
	}
	fr.Op, fr.S, fr.T, fr.RawD = w.Op, w.S, w.T, w.D
	_ = json.Unmarshal(w.D, &fr.D)
	return fr
}

func (g *rawGateway) send(op int, d any) {
	g.t.Helper()
	if err := g.ws.WriteJSON(map[string]any{"op": op, "d": d}); err != nil {
		g.t.Fatalf("send op %d: %v", op, err)
	}
}

// closeCode reads until the fake closes the connection and returns the close code.
func (g *rawGateway) closeCode() int {
	g.t.Helper()
	for {
		_ = g.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, _, err := g.ws.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code
			}
			g.t.Fatalf("connection ended without a close frame: %v", err)
		}
	}
}

func identifyPayload(token string, intents int, compress bool) map[string]any {
	return map[string]any{
		"token": token, "intents": intents, "compress": compress,
		"properties": map[string]any{"os": "linux", "browser": "test", "device": "test"},
	}
}

// hello reads HELLO and returns its heartbeat interval.
func (g *rawGateway) hello() float64 {
	g.t.Helper()
	fr := g.next()
	if fr.Op != opHello {
		g.t.Fatalf("first frame op %d, want HELLO", fr.Op)
	}
	return fr.D["heartbeat_interval"].(float64)
}

func (g *rawGateway) dispatch(wantType string) rawFrame {
	g.t.Helper()
	fr := g.next()
	if fr.Op != opDispatch || fr.T == nil || *fr.T != wantType || fr.S == nil {
		g.t.Fatalf("got op %d t %v, want dispatch %s", fr.Op, fr.T, wantType)
	}
	return fr
}

func TestGatewayProtocol(t *testing.T) {
	t.Parallel()
	f := New(t, WithHeartbeatInterval(45*time.Second))
	url := f.GatewayURL() + "/?v=10&encoding=json"
	tr := &tracker{f: f}

	g := dialGateway(t, url)
	if iv := g.hello(); iv != 45000 {
		t.Errorf("heartbeat_interval = %v", iv)
	}
	g.send(opHeartbeat, nil)
	if fr := g.next(); fr.Op != opHeartbeatACK {
		t.Fatalf("heartbeat answered with op %d", fr.Op)
	}
	g.send(opIdentify, identifyPayload("Bot "+f.Token(), 513, false))
	ready := g.dispatch("READY")
	sessionID, _ := ready.D["session_id"].(string)
	if *ready.S != 1 || ready.Binary || sessionID == "" || ready.D["v"] != 10.0 ||
		ready.D["resume_gateway_url"] != f.ResumeGatewayURL() ||
		obj(ready.D["user"])["id"] != f.BotUserID() || obj(ready.D["application"])["id"] != f.AppID() {
		t.Fatalf("READY = s %d binary %v %v", *ready.S, ready.Binary, ready.D)
	}

	sent, err := f.SendInteraction(SlashCommand(member(), "news"))
	if err != nil {
		t.Fatal(err)
	}
	ic := g.dispatch("INTERACTION_CREATE")
	if *ic.S != 2 || ic.D["id"] != sent.ID || ic.D["token"] != sent.Token || obj(obj(ic.D["member"])["user"])["id"] != member().User.ID ||
		obj(ic.D["member"])["permissions"] != "2048" || ic.D["guild_id"] != testGuild || obj(ic.D["data"])["name"] != "news" {
		t.Fatalf("INTERACTION_CREATE = %s", ic.RawD)
	}
	tr.none(t)

	g.send(opIdentify, identifyPayload(f.Token(), 513, false))
	if code := g.closeCode(); code != 4005 {
		t.Errorf("second IDENTIFY closed with %d, want 4005", code)
	}
	tr.expect(t, RuleGateway, "4005")

	// The session survives its connection, so what happens meanwhile is replayed.
	missed, err := f.SendInteraction(Button(member(), "more:1", nil))
	if err != nil {
		t.Fatal(err)
	}
	r := dialGateway(t, f.ResumeGatewayURL()+"?v=10&encoding=json")
	r.hello()
	r.send(opResume, map[string]any{"token": "Bot " + f.Token(), "session_id": sessionID, "seq": 2})
	if replay := r.dispatch("INTERACTION_CREATE"); *replay.S != 3 || replay.D["id"] != missed.ID {
		t.Fatalf("replayed s=%d id=%v, want s=3 id=%s", *replay.S, replay.D["id"], missed.ID)
	}
	if resumed := r.dispatch("RESUMED"); *resumed.S != 4 {
		t.Errorf("RESUMED s=%d, want 4", *resumed.S)
	}
	if info := f.Sessions(); len(info) != 1 || info[0].Resumes != 1 || info[0].ViaResume != 1 || !info[0].Connected {
		t.Errorf("sessions = %+v", info)
	}
	tr.none(t)
	r.send(99, nil)
	if code := r.closeCode(); code != 4001 {
		t.Errorf("unknown opcode closed with %d, want 4001", code)
	}
	tr.expect(t, RuleGateway, "op 99")

	cases := []struct {
		name, url string
		frames    func(g *rawGateway)
		code      int
		rule      string
	}{
		{"privileged intent", url, func(g *rawGateway) { g.send(opIdentify, identifyPayload(f.Token(), 1<<15, false)) }, 4014, RuleGateway},
		{"wrong token", url, func(g *rawGateway) { g.send(opIdentify, identifyPayload("Bot nope", 513, false)) }, 4004, RuleAuth},
		{"no intents", url, func(g *rawGateway) {
			p := identifyPayload(f.Token(), 0, false)
			delete(p, "intents")
			g.send(opIdentify, p)
		}, 4013, RuleGateway},
		{"presence before identify", url, func(g *rawGateway) { g.send(opPresence, map[string]any{"status": "online"}) }, 4003, RuleGateway},
		{"API v8", f.GatewayURL() + "/?v=8&encoding=json", func(*rawGateway) {}, 4012, RuleGateway},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := dialGateway(t, tc.url)
			if tc.code != 4012 {
				g.hello()
			}
			tc.frames(g)
			if code := g.closeCode(); code != tc.code {
				t.Errorf("closed with %d, want %d", code, tc.code)
			}
			tr.expect(t, tc.rule, "")
		})
	}

	t.Run("resume of an unknown session, then identify with compression", func(t *testing.T) {
		g := dialGateway(t, url)
		g.hello()
		g.send(opResume, map[string]any{"token": f.Token(), "session_id": "nope", "seq": 1})
		if fr := g.next(); fr.Op != opInvalidSession || string(fr.RawD) != "false" {
			t.Fatalf("got op %d d %s, want INVALID_SESSION false", fr.Op, fr.RawD)
		}
		g.send(opIdentify, identifyPayload(f.Token(), 513, true))
		if ready := g.dispatch("READY"); !ready.Binary {
			t.Error("with compress true, READY should be a zlib binary frame")
		}
		tr.none(t)
	})
}

func TestGatewayRequireResumeURL(t *testing.T) {
	t.Parallel()
	f := New(t, RequireResumeGatewayURL())
	url := f.GatewayURL() + "/?v=10&encoding=json"
	g := dialGateway(t, url)
	g.hello()
	g.send(opIdentify, identifyPayload(f.Token(), 513, false))
	id := g.dispatch("READY").D["session_id"]
	f.DropGateway()
	g2 := dialGateway(t, url)
	g2.hello()
	g2.send(opResume, map[string]any{"token": f.Token(), "session_id": id, "seq": 1})
	g2.dispatch("RESUMED")
	(&tracker{f: f}).expect(t, RuleResumeURL, "resume_gateway_url")
}
