package bot

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// postSigned sends a signed interaction to a real endpoint and returns the
// status, the body and how long the answer took.
func postSigned(client *http.Client, url string, priv ed25519.PrivateKey, body string) (int, string, time.Duration, error) {
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return 0, "", 0, err
	}
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(stamp+body))))
	req.Header.Set("X-Signature-Timestamp", stamp)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", time.Since(start), err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(got), time.Since(start), err
}

// slowClient connects, sends head, then one byte of tail every tick, until
// the server hangs up; it reports how long the connection lasted.
func slowClient(addr, head string, tick time.Duration, lasted chan<- time.Duration, stop <-chan struct{}) {
	start := time.Now()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		lasted <- -1
		return
	}
	defer c.Close()
	if _, err := io.WriteString(c, head); err != nil {
		lasted <- time.Since(start)
		return
	}
	go func() {
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-stop:
				c.Close()
				return
			case <-t.C:
				if _, err := c.Write([]byte("a")); err != nil {
					return
				}
			}
		}
	}()
	// Whatever the server answers, the connection lasts until it closes it.
	_, _ = io.Copy(io.Discard, c)
	lasted <- time.Since(start)
}

// TestSlowClientsDoNotStarveInteractions holds 300 connections that send
// their headers and then trickle the body a byte at a time, and 30 that
// trickle their headers, against the endpoint with the production limits.
// Signed interactions keep being answered within Discord's 3 seconds
// throughout; every slow client is cut off within seconds; afterwards no
// connection is left open.
func TestSlowClientsDoNotStarveInteractions(t *testing.T) {
	if testing.Short() {
		t.Skip("holds 330 connections for several seconds")
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, Options{PublicKey: pub})
	mux := http.NewServeMux()
	mux.Handle("POST /interactions", h.b.InteractionsHandler())
	lim := DefaultServerLimits()
	srv, err := Listen("127.0.0.1:0", mux, lim, func(err error) { t.Error(err) })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addr := srv.Addr().String()
	url := "http://" + addr + "/interactions"

	const slowBodies, slowHeaders = 300, 30
	lasted := make(chan time.Duration, slowBodies+slowHeaders)
	stop := make(chan struct{})
	defer close(stop)
	bodyHead := "POST /interactions HTTP/1.1\r\nHost: newsbot\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n" +
		"X-Signature-Ed25519: " + strings.Repeat("0", 128) + "\r\nX-Signature-Timestamp: 1\r\n\r\n{"
	headerHead := "POST /interactions HTTP/1.1\r\nHost: newsbot\r\nX-Slow: "
	for range slowBodies {
		go slowClient(addr, bodyHead, 200*time.Millisecond, lasted, stop)
	}
	// Wait until the server holds every slow body (each is held for
	// ReadTimeout from its connection, so they can all be open at once).
	start := time.Now()
	for srv.Open() < slowBodies && time.Since(start) < lim.ReadTimeout {
		time.Sleep(5 * time.Millisecond)
	}
	if n := srv.Open(); n < slowBodies {
		t.Fatalf("only %d of %d slow connections open at once", n, slowBodies)
	}
	for range slowHeaders {
		go slowClient(addr, headerHead, 200*time.Millisecond, lasted, stop)
	}
	appID := h.f.AppID()
	ping := `{"id":"1","application_id":"` + appID + `","type":1,"token":"t","version":1}`
	help := `{"id":"500000000000000002","application_id":"` + appID + `","type":2,"token":"tok","version":1,` +
		`"guild_id":"` + guildA + `","channel_id":"` + channel + `",` +
		`"member":{"user":{"id":"200000000000000004","username":"http"},"roles":[],"permissions":"2048"},` +
		`"data":{"id":"600000000000000002","name":"help","type":1}}`
	client := &http.Client{Timeout: 10 * time.Second}
	var answered int
	var slowest time.Duration
	var cut []time.Duration
	for len(cut) < slowBodies+slowHeaders {
		for _, body := range []string{ping, help} {
			status, got, took, err := postSigned(client, url, priv, body)
			if err != nil || status != http.StatusOK || !strings.Contains(got, `"type":`) {
				t.Fatalf("signed interaction while %d slow clients are open: %d %s %v", srv.Open(), status, got, err)
			}
			answered++
			slowest = max(slowest, took)
			if took >= 3*time.Second {
				t.Errorf("an interaction took %s with %d slow clients open", took, srv.Open())
			}
		}
		// Collect the slow clients cut off meanwhile, pacing the signed
		// requests a little (Discord's are not a flood either).
		pace := time.After(20 * time.Millisecond)
	drain:
		for {
			select {
			case d := <-lasted:
				cut = append(cut, d)
			case <-pace:
				break drain
			}
		}
		if time.Since(start) > lim.ReadTimeout+10*time.Second {
			t.Fatalf("after %s, %d slow clients are still connected", time.Since(start), slowBodies+slowHeaders-len(cut))
		}
	}
	var longest time.Duration
	for _, d := range cut {
		if d < 0 {
			t.Fatal("a slow client could not connect")
		}
		longest = max(longest, d)
	}
	// A deadline, not a sleep: the server cuts each client at ReadTimeout
	// (body) or ReadHeaderTimeout (headers); the margin is for a loaded
	// machine's scheduling.
	if longest > lim.ReadTimeout+3*time.Second {
		t.Errorf("a slow client held its connection for %s (ReadTimeout %s)", longest, lim.ReadTimeout)
	}
	t.Logf("%d slow clients (peak %d connections open), all cut off within %s; %d signed interactions answered meanwhile, the slowest in %s",
		slowBodies+slowHeaders, srv.Peak(), longest.Round(time.Millisecond), answered, slowest.Round(time.Millisecond))

	// Nothing is left: the signed client's kept-alive connection aside,
	// which it now lets go.
	client.CloseIdleConnections()
	for end := time.Now().Add(5 * time.Second); srv.Open() > 0 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := srv.Open(); n != 0 {
		t.Errorf("%d connections still open after the slow clients were cut off", n)
	}
}

// TestServerLimits: past MaxConns, connections wait; an oversized header or
// body is refused; a connection that says nothing is closed.
func TestServerLimits(t *testing.T) {
	lim := ServerLimits{
		ReadHeaderTimeout: 500 * time.Millisecond, ReadTimeout: time.Second, WriteTimeout: 2 * time.Second,
		IdleTimeout: time.Second, MaxHeaderBytes: 4 << 10, MaxConns: 8,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<10)); err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		fmt.Fprint(w, "ok")
	})
	srv, err := Listen("127.0.0.1:0", mux, lim, func(err error) { t.Error(err) })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addr := srv.Addr().String()

	// Twenty silent connections: eight are taken, the rest wait; each is
	// closed after ReadHeaderTimeout, letting the next in.
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
			_, _ = io.Copy(io.Discard, c)
		}()
	}
	for end := time.Now().Add(5 * time.Second); srv.Open() < lim.MaxConns && time.Now().Before(end); {
		time.Sleep(5 * time.Millisecond)
	}
	if srv.Open() != lim.MaxConns {
		t.Errorf("%d connections open, want the cap %d", srv.Open(), lim.MaxConns)
	}
	wg.Wait() // every silent connection was closed by the server
	if p := srv.Peak(); p > lim.MaxConns {
		t.Errorf("peak %d connections, over the cap %d", p, lim.MaxConns)
	}

	tests := []struct {
		name   string
		req    string
		status string
	}{
		{"fine", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200"},
		{"header too large", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("b", 8<<10) + "\r\n\r\n", "HTTP/1.1 431"},
		{"body too large", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n" + strings.Repeat("c", 2048), "HTTP/1.1 413"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.WriteString(c, tt.req); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil || !strings.HasPrefix(line, tt.status) {
				t.Errorf("status line %q (%v), want %s", line, err, tt.status)
			}
		})
	}

	// A kept-alive connection that goes quiet is closed after IdleTimeout.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rest, err := io.ReadAll(c)
	if err != nil || !bytes.HasPrefix(rest, []byte("HTTP/1.1 200")) {
		t.Errorf("kept-alive connection: %q %v", rest, err)
	}
	if d := time.Since(start); d < lim.IdleTimeout/2 {
		t.Errorf("closed after %s, before IdleTimeout %s", d, lim.IdleTimeout)
	}
}
