// Package control lets a command line hand its work to the newsbot process
// that holds the data folder, over an owner-only Unix socket in that folder.
//
// The protocol is one request per connection, newline-delimited JSON both
// ways. The client sends a request line, then, when the request says so, its
// standard input as stdin frames closed by an eof frame:
//
//	{"version":1,"args":["ingest","-"],"dir":"/home/me","stdin":true}
//	{"stream":"stdin","data":"<base64>"}
//	{"eof":true}
//
// The server answers {"accepted":true} (or {"error":"..."} and hangs up), runs
// the command, streams what it writes as stdout and stderr frames in the order
// it was written, and ends with its exit status:
//
//	{"accepted":true}
//	{"stream":"stdout","data":"<base64>"}
//	{"stream":"stderr","data":"<base64>"}
//	{"exit":0}
package control

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// SocketName is the socket's file name inside the data folder.
const SocketName = "newsbot.sock"

// Version is the protocol's version: a server refuses a request of another,
// as after an upgrade of the binary while the old bot still runs.
const Version = 1

const (
	// maxLine caps a request line or a frame, so a confused or hostile
	// client cannot make the server buffer without end.
	maxLine = 1 << 20
	// chunk is the most data one frame carries (4/3 of it once in base64).
	chunk = 32 << 10
	// requestTimeout is how long a server waits for a connected client's
	// request line.
	requestTimeout = 10 * time.Second
	// shutdownGrace is how long a stopping server lets a cancelled command
	// write its last output and exit status to a client that reads slowly.
	shutdownGrace = 5 * time.Second
)

// answerTimeout is how long a client waits for a server to accept its request
// before concluding that no running newsbot answers: a command line must fail
// quickly when the bot is wedged. Tests shorten it.
var answerTimeout = 2 * time.Second

// Supported reports whether this system can tell who connects to a socket,
// without which no server starts.
func Supported() bool { return peerCredSupported }

// ErrNoServer means no running newsbot answered on the socket: there is none,
// it is left over from a process that is gone, or it did not answer in time.
var ErrNoServer = errors.New("control: no running newsbot answers")

// Request is a command line handed to the server.
type Request struct {
	Version int `json:"version"`
	// Args is the command line, without the program name.
	Args []string `json:"args"`
	// Dir is the client's working directory (absolute): relative paths in
	// Args are the client's, not the server's.
	Dir string `json:"dir,omitempty"`
	// Stdin says the client forwards its standard input; without it the
	// command reads an empty one.
	Stdin bool `json:"stdin,omitempty"`
	// Terminal says the client's standard error is a terminal, where a
	// command may draw progress.
	Terminal bool `json:"terminal,omitempty"`
}

// frame is every line after the request, in either direction.
type frame struct {
	Accepted bool   `json:"accepted,omitempty"`
	Stream   string `json:"stream,omitempty"` // stdin, stdout or stderr
	Data     []byte `json:"data,omitempty"`
	EOF      bool   `json:"eof,omitempty"` // the end of stdin
	Exit     *int   `json:"exit,omitempty"`
	Error    string `json:"error,omitempty"`
}

// Stream names.
const (
	streamStdin  = "stdin"
	streamStdout = "stdout"
	streamStderr = "stderr"
)

// newScanner reads lines of at most maxLine bytes.
func newScanner(r io.Reader) *bufio.Scanner {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	return sc
}

// frameWriter sends frames on a connection; its streams may be written from
// several goroutines, and each Write keeps its place in the order.
type frameWriter struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func newFrameWriter(c net.Conn) *frameWriter {
	enc := json.NewEncoder(c)
	enc.SetEscapeHTML(false)
	return &frameWriter{enc: enc}
}

// send writes one line: a frame, or the request (the encoder writes a line in
// one call).
func (w *frameWriter) send(v any) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.enc.Encode(v); err != nil {
		return fmt.Errorf("control: send: %w", err)
	}
	return nil
}

// stream is an io.Writer whose writes become frames of one stream.
func (w *frameWriter) stream(name string) io.Writer { return streamWriter{w, name} }

type streamWriter struct {
	w    *frameWriter
	name string
}

func (s streamWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(len(p), chunk)
		if err := s.w.send(frame{Stream: s.name, Data: p[:k]}); err != nil {
			return n, err
		}
		n += k
		p = p[k:]
	}
	return n, nil
}
