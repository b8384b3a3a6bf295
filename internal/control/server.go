package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Handler runs one command line and returns its exit status. ctx ends when
// the client hangs up or the server closes. stdout and stderr may be written
// from several goroutines.
type Handler func(ctx context.Context, req Request, stdin io.Reader, stdout, stderr io.Writer) int

// Server serves handed-over commands on a Unix socket, one at a time: the
// commands write to the same store and index (and reindex replaces the
// index), so running them one after another keeps each one's output what it
// would be alone.
type Server struct {
	path string
	ln   *net.UnixListener
	h    Handler
	log  *slog.Logger
	uid  int // the only user served: ours

	ctx    context.Context // ends at Close: cancels the commands
	cancel context.CancelFunc
	slot   chan struct{} // holds a token while a command runs
	wg     sync.WaitGroup
	once   sync.Once
}

// Listen serves h on a socket at path. The caller must hold the data folder
// the socket is in: a socket file already there is then left over from a
// process that is gone, and is replaced.
func Listen(path string, h Handler, log *slog.Logger) (*Server, error) {
	return listen(path, h, log, os.Getuid())
}

// listen serves the user uid; tests pass another to see a peer refused.
func listen(path string, h Handler, log *slog.Logger, uid int) (*Server, error) {
	if !peerCredSupported {
		_, err := peerUID(nil)
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode().Type() != fs.ModeSocket {
			return nil, fmt.Errorf("control: %s exists and is not a socket", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("control: remove stale socket: %w", err)
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("control: listen: %w", err)
	}
	// The socket is created with the process's umask: narrow it to the
	// owner. Until then the peer check below keeps other users out.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control: socket permissions: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		path: path, ln: ln, h: h, log: log, uid: uid,
		ctx: ctx, cancel: cancel, slot: make(chan struct{}, 1),
	}
	s.wg.Go(s.accept)
	return s, nil
}

// Path is the socket's path.
func (s *Server) Path() string { return s.path }

// Close stops accepting, cancels the commands running and waits for them,
// and removes the socket file. The caller may close the data folder next.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		s.cancel()
		err = s.ln.Close()
		s.wg.Wait()
		// The listener unlinks its socket; this covers one that was
		// replaced underneath it.
		if rerr := os.Remove(s.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
			err = rerr
		}
		if err != nil {
			err = fmt.Errorf("control: close: %w", err)
		}
	})
	return err
}

func (s *Server) accept() {
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: wait rather than spin.
			s.log.Warn("control: accept failed", "err", err)
			select {
			case <-s.ctx.Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
			continue
		}
		s.wg.Go(func() { s.serve(c) })
	}
}

// serve runs one connection's request to its end.
func (s *Server) serve(c *net.UnixConn) {
	defer c.Close()
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	// Once cancelled, the command's last writes get a bounded time: a client
	// that stopped reading must not hold up Close.
	context.AfterFunc(ctx, func() { c.SetDeadline(time.Now().Add(shutdownGrace)) })
	out := newFrameWriter(c)
	refuse := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		s.log.Warn("control: request refused", "reason", msg)
		_ = out.send(frame{Error: msg})
	}

	uid, err := peerUID(c)
	if err != nil {
		refuse("%v", err)
		return
	}
	if uid != s.uid {
		refuse("user %d may not run commands in this newsbot: run them as user %d", uid, s.uid)
		return
	}
	c.SetReadDeadline(time.Now().Add(requestTimeout))
	in := newScanner(c)
	if !in.Scan() {
		if err := in.Err(); errors.Is(err, bufio.ErrTooLong) {
			refuse("request over %d bytes", maxLine)
		} else if err != nil {
			refuse("reading the request: %v", err)
		}
		return
	}
	req, err := parseRequest(in.Bytes())
	if err != nil {
		refuse("%v", err)
		return
	}
	c.SetReadDeadline(time.Time{})
	if err := out.send(frame{Accepted: true}); err != nil {
		return
	}

	// The rest of what the client sends is its stdin; its hanging up
	// cancels the command.
	stdinR, stdinW := io.Pipe()
	var stdin io.Reader = strings.NewReader("")
	if req.Stdin {
		stdin = stdinR
	}
	s.wg.Go(func() {
		readStdin(in, stdinW)
		cancel()
	})
	defer stdinR.Close() // unblocks the reader when the command stops reading

	select {
	case s.slot <- struct{}{}:
	case <-ctx.Done():
		_ = out.send(frame{Error: "newsbot is shutting down, or the client left"})
		return
	}
	code := s.run(ctx, req, stdin, out.stream(streamStdout), out.stream(streamStderr))
	<-s.slot
	_ = out.send(frame{Exit: &code})
}

// run calls the handler; a panic in a command must not take the bot down.
func (s *Server) run(ctx context.Context, req Request, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("control: command panicked", "command", req.Args[0], "panic", p, "stack", string(debug.Stack()))
			fmt.Fprintf(stderr, "newsbot: internal error in the running newsbot: %v\n", p)
			code = 70 // EX_SOFTWARE
		}
	}()
	return s.h(ctx, req, stdin, stdout, stderr)
}

// parseRequest decodes and checks a request line.
func parseRequest(line []byte) (Request, error) {
	var req Request
	if err := json.Unmarshal(line, &req); err != nil {
		return req, fmt.Errorf("malformed request: %v", err)
	}
	switch {
	case req.Version != Version:
		return req, fmt.Errorf("protocol version %d, this newsbot speaks %d: run the same newsbot binary as the bot", req.Version, Version)
	case len(req.Args) == 0 || req.Args[0] == "":
		return req, errors.New("malformed request: no command")
	case req.Dir != "" && !filepath.IsAbs(req.Dir):
		return req, fmt.Errorf("malformed request: dir %q is not absolute", req.Dir)
	}
	return req, nil
}

// readStdin passes the client's stdin frames to w until the eof frame, and
// then reads on, to notice the client hanging up.
func readStdin(in *bufio.Scanner, w *io.PipeWriter) {
	ended := false
	for in.Scan() {
		var f frame
		if err := json.Unmarshal(in.Bytes(), &f); err != nil || ended {
			// Nothing more is expected: a bad frame ends stdin, not the
			// command, which may not even read it.
			if !ended {
				w.CloseWithError(fmt.Errorf("control: malformed stdin frame: %v", err))
				ended = true
			}
			continue
		}
		switch {
		case f.EOF:
			w.Close()
			ended = true
		case f.Stream == streamStdin:
			// An error means the command stopped reading: drop the rest.
			if _, err := w.Write(f.Data); err != nil {
				ended = true
			}
		}
	}
	w.CloseWithError(io.ErrUnexpectedEOF)
}
