package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/discordtest"
)

// TestServeMetricsListen runs `newsbot serve` with http.metrics_listen: the
// public address answers Discord's signed interactions and nothing else;
// /metrics and /healthz are on the other address only. A member's attachment
// is downloaded under the config's fetch settings (its loopback server is
// allowed there), which shows serve hands the bot its fetcher.
func TestServeMetricsListen(t *testing.T) {
	const token = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789_-AB"
	f := discordtest.New(t, discordtest.WithToken(token))
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "Bridge reopens in Eastport\n\nThe bridge in Eastport reopened on Wednesday after repairs.\n")
	}))
	defer files.Close()

	public, private := freeAddr(t), freeAddr(t)
	srv, _ := startServe(t, fmt.Sprintf("data_dir: %s\ndiscord:\n  token: %s\n  base_url: %s\n  guild_id: %q\n  public_key: %s\n"+
		"http:\n  listen: %s\n  metrics_listen: %s\nfetch:\n  allow_hosts: [127.0.0.1]\n",
		filepath.Join(t.TempDir(), "data"), token, f.URL(), testGuild, hex.EncodeToString(pub), public, private))
	waitFor(t, srv.done, srv.logs, "/healthz 200 on metrics_listen", func() bool {
		code, _ := httpGet("http://" + private + "/healthz")
		return code == http.StatusOK
	})
	for _, tt := range []struct {
		addr, path string
		status     int
		want       string
	}{
		{private, "/healthz", 200, "ok\n"},
		{private, "/metrics", 200, "newsbot_gateway_reconnects_total 0"},
		{public, "/healthz", 404, ""},
		{public, "/metrics", 404, ""},
	} {
		code, body := httpGet("http://" + tt.addr + tt.path)
		if code != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s%s = %d %.80q, want %d %q", tt.addr, tt.path, code, body, tt.status, tt.want)
		}
	}
	ping := `{"id":"1","application_id":"` + f.AppID() + `","type":1,"token":"t","version":1}`
	for _, tt := range []struct {
		addr   string
		status int
	}{{public, 200}, {private, 404}} {
		stamp := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest(http.MethodPost, "http://"+tt.addr+"/interactions", strings.NewReader(ping))
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(stamp+ping))))
		req.Header.Set("X-Signature-Timestamp", stamp)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || (tt.status == 200 && !strings.Contains(string(body), `"type":1`)) {
			t.Errorf("POST %s/interactions = %d %s, want %d", tt.addr, resp.StatusCode, body, tt.status)
		}
	}

	mod := discordtest.GuildMember(testGuild, "100000000000000010", discordtest.User{Username: "mod"}, "10240")
	msg := discordtest.MessageObject("300000000000000001", "100000000000000010", discordtest.User{ID: "200000000000000009", Username: "poster"}, "")
	msg["attachments"] = []any{map[string]any{"id": "900000000000000001", "filename": "bridge.txt", "size": 90,
		"url": files.URL + "/attachments/1/2/bridge.txt", "proxy_url": files.URL + "/attachments/1/2/bridge.txt",
		"content_type": "text/plain; charset=utf-8"}}
	sent, err := f.SendInteraction(discordtest.MessageCommand(mod, "Add to news", msg))
	if err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(srv.ctx, 10*time.Second)
	r, err := f.WaitResponse(wctx, sent.ID)
	wcancel()
	if err != nil {
		t.Fatalf("no response: %v\n%s", err, srv.logs)
	}
	got, _ := json.Marshal(r.Data)
	if !strings.Contains(string(got), "Added **Bridge reopens in Eastport**") {
		t.Errorf("Add to news with an attachment: %s", got)
	}

	srv.stop(t)
	f.AssertNoViolations(t)
}

// serveProc is a `newsbot serve` running inside the test process.
type serveProc struct {
	ctx    context.Context // ends when the test stops serve
	cancel context.CancelFunc
	logs   *lockedBuffer // serve's stderr
	done   chan int      // serve's exit status
}

// startServe writes conf to a config file and runs `newsbot serve` on it;
// it returns at once (wait with waitFor). The config file's path is returned
// too, for commands that name it.
func startServe(t *testing.T, conf string) (*serveProc, string) {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s := &serveProc{ctx: ctx, cancel: cancel, logs: &lockedBuffer{}, done: make(chan int, 1)}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: s.logs, getenv: func(string) string { return "" }}
	go func() { s.done <- run(ctx, e, []string{"serve", "--config", cfg, "--log-format", "json"}) }()
	return s, cfg
}

// stop stops serve as a signal would and checks that it exits 0 within 20 s.
func (s *serveProc) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		if code != 0 {
			t.Errorf("serve exit %d:\n%s", code, s.logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}
