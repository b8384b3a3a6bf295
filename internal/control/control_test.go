package control

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// lockedBuffer collects a client's output; the test reads it after Run.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// socketPath is where a test's server listens; tests skip where no server can.
func socketPath(t *testing.T) string {
	t.Helper()
	if !Supported() {
		t.Skip("peer credentials are not supported here")
	}
	return filepath.Join(t.TempDir(), SocketName)
}

func start(t *testing.T, h Handler) *Server {
	t.Helper()
	s, err := Listen(socketPath(t), h, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// rawRequest sends one line as a client would and returns the first frame.
func rawRequest(t *testing.T, path, line string) frame {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, line); err != nil {
		t.Fatal(err)
	}
	f, err := readFrame(newScanner(c))
	if err != nil {
		t.Fatalf("%.40q: %v", line, err)
	}
	return f
}

func TestRoundTrip(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 10_000) // several frames
	var got Request
	s := start(t, func(ctx context.Context, req Request, stdin io.Reader, stdout, stderr io.Writer) int {
		got = req
		io.WriteString(stdout, "one ")
		io.WriteString(stderr, "two ")
		io.WriteString(stdout, "three\n")
		io.WriteString(stdout, big)
		return 3
	})
	var both lockedBuffer
	req := Request{Args: []string{"stats", "--json"}, Dir: "/somewhere", Terminal: true}
	code, err := Run(context.Background(), s.Path(), req, nil, &both, &both)
	if err != nil {
		t.Fatal(err)
	}
	if code != 3 {
		t.Errorf("exit %d, want 3", code)
	}
	// Written in this order by the command, read in this order by the client.
	if want := "one two three\n" + big; both.String() != want {
		t.Errorf("output (%d bytes) is not the command's (%d bytes), in its order", len(both.String()), len(want))
	}
	want := Request{Version: Version, Args: req.Args, Dir: req.Dir, Terminal: true}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("handler got %+v, want %+v", got, want)
	}

	// Exit 0 arrives as 0, not as a missing status.
	s2 := start(t, func(context.Context, Request, io.Reader, io.Writer, io.Writer) int { return 0 })
	if code, err := Run(context.Background(), s2.Path(), Request{Args: []string{"x"}}, nil, io.Discard, io.Discard); err != nil || code != 0 {
		t.Errorf("exit 0: %d %v", code, err)
	}
}

func TestStdin(t *testing.T) {
	s := start(t, func(ctx context.Context, req Request, stdin io.Reader, stdout, stderr io.Writer) int {
		data, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%d %x", len(data), sha256.Sum256(data))
		return 0
	})
	data := make([]byte, 300_000)
	for i := range data {
		data[i] = byte(rand.IntN(256))
	}
	var out, errOut lockedBuffer
	code, err := Run(context.Background(), s.Path(), Request{Args: []string{"ingest", "-"}, Stdin: true}, bytes.NewReader(data), &out, &errOut)
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, errOut.String())
	}
	if want := fmt.Sprintf("%d %x", len(data), sha256.Sum256(data)); out.String() != want {
		t.Errorf("the command read %q, want %q", out.String(), want)
	}

	// Without Stdin, the command reads an empty input, not the client's.
	out = lockedBuffer{}
	code, err = Run(context.Background(), s.Path(), Request{Args: []string{"stats"}}, strings.NewReader("not for you"), &out, io.Discard)
	if err != nil || code != 0 || !strings.HasPrefix(out.String(), "0 ") {
		t.Errorf("no stdin: %q exit %d %v", out.String(), code, err)
	}

	// A command that stops reading early still ends, with the rest dropped.
	s2 := start(t, func(ctx context.Context, req Request, stdin io.Reader, stdout, stderr io.Writer) int {
		buf := make([]byte, 10)
		n, _ := io.ReadFull(stdin, buf)
		stdout.Write(buf[:n])
		return 0
	})
	out = lockedBuffer{}
	code, err = Run(context.Background(), s2.Path(), Request{Args: []string{"ingest", "-"}, Stdin: true}, bytes.NewReader(bytes.Repeat([]byte("x"), 5<<20)), &out, io.Discard)
	if err != nil || code != 0 || out.String() != "xxxxxxxxxx" {
		t.Errorf("partial read: %q exit %d %v", out.String(), code, err)
	}
}

func TestMalformedRequests(t *testing.T) {
	calls := 0
	s := start(t, func(context.Context, Request, io.Reader, io.Writer, io.Writer) int {
		calls++
		return 0
	})
	for _, tc := range []struct {
		name, line, want string
	}{
		{"not JSON", "hello\n", "malformed request"},
		{"wrong type", `{"version":1,"args":"ingest"}` + "\n", "malformed request"},
		{"no command", `{"version":1,"args":[]}` + "\n", "no command"},
		{"empty command", `{"version":1,"args":[""]}` + "\n", "no command"},
		{"old version", `{"version":0,"args":["stats"]}` + "\n", "protocol version 0"},
		{"relative dir", `{"version":1,"args":["stats"],"dir":"here"}` + "\n", "not absolute"},
		{"too large", `{"version":1,"args":["` + strings.Repeat("a", maxLine+10) + `"]}` + "\n", "request over"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := rawRequest(t, s.Path(), tc.line)
			if !strings.Contains(f.Error, tc.want) || f.Accepted {
				t.Errorf("answer %+v, want an error with %q", f, tc.want)
			}
		})
	}
	if calls != 0 {
		t.Errorf("the handler ran %d times for malformed requests", calls)
	}
	// The server lives on.
	if code, err := Run(context.Background(), s.Path(), Request{Args: []string{"stats"}}, nil, io.Discard, io.Discard); err != nil || code != 0 {
		t.Errorf("after malformed requests: exit %d %v", code, err)
	}
}

func TestOtherUserRefused(t *testing.T) {
	ran := false
	s, err := listen(socketPath(t), func(context.Context, Request, io.Reader, io.Writer, io.Writer) int {
		ran = true
		return 0
	}, nil, os.Getuid()+1)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Run(context.Background(), s.Path(), Request{Args: []string{"stats"}}, nil, io.Discard, io.Discard)
	if err == nil || errors.Is(err, ErrNoServer) || !strings.Contains(err.Error(), "may not run commands") {
		t.Errorf("err = %v, want a refusal", err)
	}
	if ran {
		t.Error("the command ran for another user")
	}
}

func TestNoServer(t *testing.T) {
	answerTimeout = 300 * time.Millisecond
	defer func() { answerTimeout = 2 * time.Second }()
	dir := filepath.Dir(socketPath(t))

	// A listener that accepts and never answers: a wedged process.
	wedged := filepath.Join(dir, "wedged.sock")
	ln, err := net.Listen("unix", wedged)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// A socket file whose process is gone.
	stale := filepath.Join(dir, "stale.sock")
	sl, err := net.ListenUnix("unix", &net.UnixAddr{Name: stale, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	sl.SetUnlinkOnClose(false)
	sl.Close()

	for _, path := range []string{filepath.Join(dir, "none.sock"), stale, wedged} {
		start := time.Now()
		_, err := Run(context.Background(), path, Request{Args: []string{"stats"}}, nil, io.Discard, io.Discard)
		if !errors.Is(err, ErrNoServer) {
			t.Errorf("%s: err = %v, want ErrNoServer", filepath.Base(path), err)
		}
		if took := time.Since(start); took > answerTimeout+time.Second {
			t.Errorf("%s: took %v", filepath.Base(path), took)
		}
	}

	// A new server replaces the stale socket; a file that is not a socket
	// is left alone.
	s, err := Listen(stale, func(context.Context, Request, io.Reader, io.Writer, io.Writer) int { return 4 }, nil)
	if err != nil {
		t.Fatalf("over a stale socket: %v", err)
	}
	defer s.Close()
	if code, err := Run(context.Background(), stale, Request{Args: []string{"stats"}}, nil, io.Discard, io.Discard); err != nil || code != 4 {
		t.Errorf("exit %d %v", code, err)
	}
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, []byte("keep"), 0o600)
	if _, err := Listen(plain, nil, nil); err == nil {
		t.Error("Listen replaced a regular file")
	}
	if b, _ := os.ReadFile(plain); string(b) != "keep" {
		t.Error("the regular file changed")
	}
}

// TestCancel: a client that gives up cancels its command; a server that
// closes cancels its commands and still tells the client their status.
func TestCancel(t *testing.T) {
	started := make(chan struct{}, 1)
	stopped := make(chan error, 1)
	s := start(t, func(ctx context.Context, req Request, stdin io.Reader, stdout, stderr io.Writer) int {
		started <- struct{}{}
		<-ctx.Done()
		stopped <- ctx.Err()
		fmt.Fprintln(stderr, "interrupted")
		return 1
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, s.Path(), Request{Args: []string{"reindex"}}, nil, io.Discard, io.Discard)
		done <- err
	}()
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("client: %v", err)
	}
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the command was not cancelled when its client left")
	}

	var errOut lockedBuffer
	type result struct {
		code int
		err  error
	}
	res := make(chan result, 1)
	go func() {
		code, err := Run(context.Background(), s.Path(), Request{Args: []string{"reindex"}}, nil, io.Discard, &errOut)
		res <- result{code, err}
	}()
	<-started
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	r := <-res
	if r.err != nil || r.code != 1 || errOut.String() != "interrupted\n" {
		t.Errorf("after Close: exit %d %v %q", r.code, r.err, errOut.String())
	}
}

// TestOneAtATime: commands run one after another, never together.
func TestOneAtATime(t *testing.T) {
	var running, most atomic.Int32
	s := start(t, func(ctx context.Context, req Request, stdin io.Reader, stdout, stderr io.Writer) int {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		return 0
	})
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := Run(context.Background(), s.Path(), Request{Args: []string{"ingest"}}, nil, io.Discard, io.Discard); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d commands ran at once", most.Load())
	}
}

func TestPanicIsContained(t *testing.T) {
	s := start(t, func(context.Context, Request, io.Reader, io.Writer, io.Writer) int { panic("boom") })
	var errOut lockedBuffer
	code, err := Run(context.Background(), s.Path(), Request{Args: []string{"stats"}}, nil, io.Discard, &errOut)
	if err != nil || code != 70 || !strings.Contains(errOut.String(), "boom") {
		t.Errorf("exit %d %v %q", code, err, errOut.String())
	}
	// The connection after it is served.
	f := rawRequest(t, s.Path(), `{"version":1,"args":["stats"]}`+"\n")
	if !f.Accepted {
		t.Errorf("after a panic: %+v", f)
	}
}

// The frames are JSON lines; a reader in another language needs no more.
func TestFramesAreJSONLines(t *testing.T) {
	s := start(t, func(ctx context.Context, req Request, stdin io.Reader, stdout, stderr io.Writer) int {
		io.WriteString(stdout, "héllo\n")
		return 2
	})
	c, err := net.Dial("unix", s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, `{"version":1,"args":["stats"]}`+"\n")
	var lines []string
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	want := []string{`{"accepted":true}`, `{"stream":"stdout","data":"aMOpbGxvCg=="}`, `{"exit":2}`}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	var f frame
	if err := json.Unmarshal([]byte(lines[1]), &f); err != nil || string(f.Data) != "héllo\n" {
		t.Errorf("%+v %v", f, err)
	}
}
