package discordtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

// rawREST sends hand-made requests, to reach corners discordgo never produces.
type rawREST struct {
	t *testing.T
	f *Fake
}

const testUA = "DiscordBot (https://example.org/newsbot, 1.0)"

func (r rawREST) do(method, path string, body []byte, header map[string]string) (int, http.Header, []byte) {
	r.t.Helper()
	req, err := http.NewRequest(method, r.f.URL()+path, bytes.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bot "+r.f.Token())
	req.Header.Set("User-Agent", testUA)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, out
}

func (r rawREST) json(method, path string, body any, header map[string]string) (int, map[string]any) {
	r.t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			r.t.Fatal(err)
		}
	}
	status, _, out := r.do(method, path, raw, header)
	var m map[string]any
	_ = json.Unmarshal(out, &m)
	return status, m
}

func multipartBody(t *testing.T, payload string, files map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="payload_json"`)
	h.Set("Content-Type", "application/json")
	p, _ := w.CreatePart(h)
	_, _ = p.Write([]byte(payload))
	for name, content := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+name+`"; filename="a.png"`)
		h.Set("Content-Type", "image/png")
		p, _ := w.CreatePart(h)
		_, _ = p.Write([]byte(content))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

// connectRaw identifies a raw gateway client so interactions can be sent without discordgo.
func connectRaw(t *testing.T, f *Fake) *rawGateway {
	g := dialGateway(t, f.GatewayURL()+"?v=10&encoding=json")
	g.hello()
	g.send(opIdentify, identifyPayload(f.Token(), 513, false))
	g.dispatch("READY")
	return g
}

func TestRESTRoutingAndAuth(t *testing.T) {
	t.Parallel()
	f := New(t)
	r := rawREST{t, f}
	tr := &tracker{f: f}

	if s, m := r.json("GET", "/api/v10/gateway", nil, map[string]string{"Authorization": ""}); s != 200 || m["url"] != f.GatewayURL() {
		t.Errorf("GET /gateway without token = %d %v", s, m)
	}
	if s, m := r.json("GET", "/api/v10/gateway/bot", nil, nil); s != 200 || m["shards"] != 1.0 {
		t.Errorf("GET /gateway/bot = %d %v", s, m)
	}
	if s, m := r.json("GET", "/api/v10/applications/@me", nil, nil); s != 200 || m["id"] != f.AppID() {
		t.Errorf("GET /applications/@me = %d %v", s, m)
	}
	tr.none(t)

	if s, m := r.json("GET", "/api/v10/gateway/bot", nil, map[string]string{"Authorization": ""}); s != 401 || m["message"] != "401: Unauthorized" {
		t.Errorf("GET /gateway/bot without token = %d %v", s, m)
	}
	tr.expect(t, RuleAuth, "no Authorization")
	if s, _ := r.json("GET", "/api/v10/users/@me", nil, map[string]string{"Authorization": f.Token()}); s != 401 {
		t.Errorf("token without Bot prefix = %d", s)
	}
	tr.expect(t, RuleAuth, "prefix")
	r.json("GET", "/api/v10/users/@me", nil, map[string]string{"User-Agent": "Go-http-client/1.1"})
	tr.expect(t, RuleUserAgent, "Go-http-client")

	for _, tc := range []struct {
		method, path string
		status       int
		rule         string
	}{
		{"GET", "/api/v10/no/such/route", 404, RuleUnknownRoute},
		{"DELETE", "/api/v10/users/@me", 405, RuleUnknownRoute},
		{"GET", "/api/v8/users/@me", 404, RuleUnknownRoute},
		{"GET", "/api/v10/guilds/1", 404, RuleUnimplemented},
		{"GET", "/api/v10/applications/1/commands", 403, RuleBadRequest},
	} {
		if s, _ := r.json(tc.method, tc.path, nil, nil); s != tc.status {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, s, tc.status)
		}
		tr.expect(t, tc.rule, "")
	}

	msgPath := "/api/v10/channels/" + testChannel + "/messages"
	if s, m := r.json("POST", "/api/v10/channels/general/messages", map[string]any{"content": "x"}, nil); s != 400 || m["code"] != 50035.0 {
		t.Errorf("non-snowflake channel = %d %v", s, m)
	}
	tr.expect(t, RuleBadRequest, "snowflake")
	for name, body := range map[string]string{
		"invalid UTF-8":  "{\"content\":\"caf\xe9\",\"allowed_mentions\":{\"parse\":[]}}",
		"lone surrogate": `{"content":"x\ud800y","allowed_mentions":{"parse":[]}}`,
	} {
		if s, _, out := r.do("POST", msgPath, []byte(body), nil); s != 400 || !strings.Contains(string(out), "50109") {
			t.Errorf("%s: %d %s", name, s, out)
		}
		tr.expect(t, RuleUTF8, "")
	}
	if s, _, _ := r.do("POST", msgPath, []byte(`{"content":`), nil); s != 400 {
		t.Errorf("broken JSON = %d", s)
	}
	tr.expect(t, RuleBadRequest, "not JSON")
	if s, m := r.json("POST", msgPath, map[string]any{"content": 5, "allowed_mentions": map[string]any{"parse": []any{}}}, nil); s != 400 ||
		obj(obj(obj(m["errors"])["content"])["_errors"]) != nil || len(arr(obj(obj(m["errors"])["content"])["_errors"])) != 1 {
		t.Errorf("content 5 = %d %v", s, m)
	}
	tr.expect(t, RuleOpenAPI, "content")

	f.InjectFault(Fault{Status: 429, RetryAfter: 1500 * time.Millisecond, Global: true})
	s, h, out := r.do("GET", "/api/v10/users/@me", nil, nil)
	if s != 429 || h.Get("Retry-After") != "2" || h.Get("X-RateLimit-Global") != "true" || h.Get("X-RateLimit-Remaining") != "0" ||
		h.Get("X-RateLimit-Reset-After") != "1.500" || string(out) != `{"global":true,"message":"You are being rate limited.","retry_after":1.5}` {
		t.Errorf("global 429 = %d %v %s", s, h, out)
	}
	s, h, _ = r.do("GET", "/api/v10/users/@me", nil, nil)
	if s != 200 || h.Get("X-RateLimit-Global") != "" || h.Get("X-RateLimit-Bucket") == "" {
		t.Errorf("after the fault = %d %v", s, h)
	}
	tr.none(t)
}

func TestRESTInteractionWebhooks(t *testing.T) {
	t.Parallel()
	f := New(t)
	connectRaw(t, f)
	r := rawREST{t, f}
	tr := &tracker{f: f}
	noAuth := map[string]string{"Authorization": ""}
	ping := map[string]any{"parse": []any{}}
	send := func() SentInteraction {
		sent, err := f.SendInteraction(SlashCommand(member(), "news"))
		if err != nil {
			t.Fatal(err)
		}
		return sent
	}
	hook := func(sent SentInteraction, suffix string) string {
		return "/api/v10/webhooks/" + f.AppID() + "/" + sent.Token + suffix
	}

	t.Run("multipart callback with a file, no Authorization", func(t *testing.T) {
		sent := send()
		body, ctype := multipartBody(t, `{"type":4,"data":{"content":"chart","allowed_mentions":{"parse":[]},"attachments":[{"id":0,"filename":"a.png"}]}}`,
			map[string]string{"files[0]": "PNGDATA"})
		s, _, out := r.do("POST", "/api/v10/interactions/"+sent.ID+"/"+sent.Token+"/callback", body, map[string]string{"Content-Type": ctype, "Authorization": ""})
		if s != 204 {
			t.Fatalf("callback = %d %s", s, out)
		}
		resp, ok := f.Response(sent.ID)
		if !ok || resp.Original == nil || resp.Original.Content != "chart" || len(resp.Original.Attachments) != 1 ||
			string(resp.Original.Attachments[0].Data) != "PNGDATA" || resp.Callback.Attachments[0].ContentType != "image/png" {
			t.Fatalf("response = %+v", resp)
		}
		tr.none(t)
	})

	t.Run("with_response, follow-ups, edits and deletes", func(t *testing.T) {
		sent := send()
		// Follow-ups need the interaction acknowledged first.
		if s, m := r.json("POST", hook(sent, "?wait=true"), map[string]any{"content": "early", "allowed_mentions": ping}, noAuth); s != 404 || m["code"] != 10015.0 {
			t.Errorf("follow-up before callback = %d %v", s, m)
		}
		tr.expect(t, RuleUnknownWebhook, "follow-up")
		s, m := r.json("POST", "/api/v10/interactions/"+sent.ID+"/"+sent.Token+"/callback?with_response=true",
			map[string]any{"type": 5, "data": map[string]any{"flags": 64}}, noAuth)
		res := obj(m["resource"])
		if s != 200 || res["type"] != 5.0 || obj(res["message"])["flags"] != 192.0 || obj(m["interaction"])["response_message_ephemeral"] != true {
			t.Fatalf("with_response = %d %v", s, m)
		}
		if s, m := r.json("POST", hook(sent, ""), map[string]any{"content": "no wait", "allowed_mentions": ping}, noAuth); s != 204 || m != nil {
			t.Errorf("follow-up without wait = %d %v", s, m)
		}
		s, m = r.json("POST", hook(sent, "?wait=true"), map[string]any{"content": "f2", "allowed_mentions": ping}, noAuth)
		id, _ := m["id"].(string)
		if s != 200 || id == "" || m["webhook_id"] != f.AppID() {
			t.Fatalf("follow-up with wait = %d %v", s, m)
		}
		if s, m := r.json("PATCH", hook(sent, "/messages/"+id), map[string]any{"content": "f2 edited", "allowed_mentions": ping}, noAuth); s != 200 || m["content"] != "f2 edited" || m["edited_timestamp"] == nil {
			t.Errorf("edit follow-up = %d %v", s, m)
		}
		if s, m := r.json("PATCH", hook(sent, "/messages/@original"), map[string]any{"content": "done", "allowed_mentions": ping}, noAuth); s != 200 || m["flags"] != 64.0 {
			t.Errorf("edit @original = %d %v (the loading flag must go)", s, m)
		}
		if s, m := r.json("GET", hook(sent, "/messages/@original"), nil, noAuth); s != 200 || m["content"] != "done" {
			t.Errorf("get @original = %d %v", s, m)
		}
		tr.none(t)
		if s, _ := r.json("DELETE", hook(sent, "/messages/"+id), nil, noAuth); s != 204 {
			t.Errorf("delete follow-up = %d", s)
		}
		if s, _ := r.json("DELETE", hook(sent, "/messages/@original"), nil, noAuth); s != 204 {
			t.Errorf("delete @original = %d", s)
		}
		if s, m := r.json("GET", hook(sent, "/messages/@original"), nil, noAuth); s != 404 || m["code"] != 10008.0 {
			t.Errorf("get deleted @original = %d %v", s, m)
		}
		tr.expect(t, RuleUnknownWebhook, "no @original")
		resp, _ := f.Response(sent.ID)
		if len(resp.Followups) != 2 || !resp.Followups[1].Deleted || resp.Followups[1].Content != "f2 edited" || len(resp.Edits) != 1 {
			t.Errorf("response = %+v", resp)
		}
		if s, m := r.json("PATCH", "/api/v10/webhooks/"+f.AppID()+"/unknown-token/messages/@original", map[string]any{"content": "x", "allowed_mentions": ping}, noAuth); s != 404 || m["code"] != 10015.0 {
			t.Errorf("unknown token = %d %v", s, m)
		}
		tr.expect(t, RuleUnknownWebhook, "no interaction")
	})

	t.Run("unknown interaction and unsupported multipart field", func(t *testing.T) {
		sent := send()
		if s, m := r.json("POST", "/api/v10/interactions/"+sent.ID+"/wrong-token/callback", map[string]any{"type": 6}, noAuth); s != 404 || m["code"] != 10062.0 {
			t.Errorf("wrong token = %d %v", s, m)
		}
		tr.expect(t, RuleUnknownInteraction, sent.ID)
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		_ = w.WriteField("content", "form field")
		_ = w.Close()
		r.do("POST", "/api/v10/channels/"+testChannel+"/messages", buf.Bytes(), map[string]string{"Content-Type": w.FormDataContentType()})
		tr.expect(t, RuleUnimplemented, `"content"`)
	})
}

func TestEnforceNonce(t *testing.T) {
	f := New(t)
	s, err := f.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	const ch = "100000000000000010"
	post := func(nonce string, enforce bool) string {
		t.Helper()
		body := map[string]any{"content": "digest part", "nonce": nonce, "enforce_nonce": enforce, "allowed_mentions": map[string]any{"parse": []any{}}}
		var m struct{ ID string }
		raw, err := s.RequestWithBucketID("POST", f.URL()+"/api/v10/channels/"+ch+"/messages", body, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	steps := []struct {
		nonce   string
		enforce bool
		same    bool // the answer is the first message again
	}{
		{"d-1", true, false},
		{"d-1", true, true},   // a retry of the same part
		{"d-2", true, false},  // the next part
		{"d-1", false, false}, // not enforced: a new message
	}
	first := ""
	for i, st := range steps {
		id := post(st.nonce, st.enforce)
		if i == 0 {
			first = id
		}
		if (id == first) != st.same && i > 0 {
			t.Errorf("step %d: id %s, first %s, want same %v", i, id, first, st.same)
		}
	}
	if n := len(f.Messages(ch)); n != 3 {
		t.Errorf("%d messages in the channel, want 3", n)
	}
	f.AssertNoViolations(t)
}
