package bot

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func signed(t *testing.T, priv ed25519.PrivateKey, ts time.Time, body string) *http.Request {
	t.Helper()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(priv, []byte(stamp+body))
	r := httptest.NewRequest(http.MethodPost, "/interactions", strings.NewReader(body))
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	r.Header.Set("X-Signature-Timestamp", stamp)
	return r
}

// tamper swaps a signed request's body for another.
func tamper(r *http.Request, body string) *http.Request {
	r.Body = io.NopCloser(strings.NewReader(body))
	return r
}

func TestInteractionsEndpoint(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	// The answer is expected in the HTTP response itself: on a loaded
	// machine, give the handler most of Discord's 3 s before deferring.
	h := start(t, Options{PublicKey: pub, DeferAfter: 2500 * time.Millisecond})
	srv := httptest.NewServer(h.b.InteractionsHandler())
	defer srv.Close()
	now := time.Now()
	ping := `{"id":"1","application_id":"` + h.f.AppID() + `","type":1,"token":"t","version":1}`
	ask := `{"id":"500000000000000001","application_id":"` + h.f.AppID() + `","type":2,"token":"tok","version":1,` +
		`"guild_id":"` + guildA + `","channel_id":"` + channel + `",` +
		`"member":{"user":{"id":"200000000000000003","username":"http"},"roles":[],"permissions":"2048"},` +
		`"data":{"id":"600000000000000001","name":"ask","type":1,"options":[{"name":"question","type":3,"value":"How many troops does Stoltenberg say NATO now has at high readiness?"}]}}`
	tests := []struct {
		name   string
		req    *http.Request
		status int
		want   string
	}{
		{"ping", signed(t, priv, now, ping), 200, `"type":1`},
		{"command", signed(t, priv, now, ask), 200, "500,000"},
		{"bad signature", tamper(signed(t, priv, now, ping), strings.Replace(ping, `"t"`, `"u"`, 1)), 401, ""},
		{"old timestamp", signed(t, priv, now.Add(-6*time.Minute), ping), 401, ""},
		{"no signature", httptest.NewRequest(http.MethodPost, "/interactions", strings.NewReader(ping)), 401, ""},
		{"malformed", signed(t, priv, now, `{"type":`), 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := io.ReadAll(tt.req.Body)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/interactions", bytes.NewReader(body))
			req.Header = tt.req.Header
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(got), tt.want) {
				t.Errorf("status %d body %s; want %d and %q", resp.StatusCode, got, tt.status, tt.want)
			}
			if tt.status == 200 && tt.name == "command" {
				var r map[string]any
				_ = json.Unmarshal(got, &r)
				d, _ := r["data"].(map[string]any)
				am, _ := d["allowed_mentions"].(map[string]any)
				if p, ok := am["parse"].([]any); !ok || len(p) != 0 {
					t.Errorf("allowed_mentions = %v", d["allowed_mentions"])
				}
			}
		})
	}
}

func TestGatewayDropAndResume(t *testing.T) {
	h := start(t, Options{})
	h.f.DropGateway()
	h.f.BadGatewayNext(2)
	r := h.send(t, discordtestSlash("help"))
	if !strings.Contains(text(r), "/ask") {
		t.Errorf("after a dropped gateway and 502s: %s", text(r))
	}
}
