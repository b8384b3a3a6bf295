package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ServerLimits bound an HTTP server in every dimension, so that clients that
// are slow, stalled or simply many cost a bounded amount for a bounded time.
type ServerLimits struct {
	// ReadHeaderTimeout is how long a client has, from its connection or its
	// previous request, to send a request's headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long it has to send a whole request, body included.
	ReadTimeout time.Duration
	// WriteTimeout bounds the time from the end of the headers to the end of
	// the response: reading the body, handling it, writing the answer.
	WriteTimeout time.Duration
	// IdleTimeout is how long a kept-alive connection may wait for its next
	// request.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps a request's headers.
	MaxHeaderBytes int
	// MaxConns caps the connections open at once (and so the requests in
	// flight: HTTP/1.1 carries one at a time). Past it, new connections wait
	// in the kernel's queue until one closes, which the timeouts above make
	// happen within seconds.
	MaxConns int
}

// DefaultServerLimits are the limits of newsbot's HTTP servers. Discord
// sends a few kilobytes and drops an interaction not answered within 3
// seconds, so a request that takes longer to arrive is of no use to anyone.
func DefaultServerLimits() ServerLimits {
	return ServerLimits{
		ReadHeaderTimeout: 3 * time.Second,
		ReadTimeout:       5 * time.Second,
		// The body (ReadTimeout) plus the 3 s the handler may wait, plus
		// room to write.
		WriteTimeout:   10 * time.Second,
		IdleTimeout:    30 * time.Second,
		MaxHeaderBytes: 16 << 10,
		MaxConns:       512,
	}
}

// Server is an HTTP server under ServerLimits.
type Server struct {
	srv *http.Server
	ln  *limitListener
}

// Listen opens addr and serves h on it, within lim, until Shutdown or Close.
// errLog receives the error that stops serving, if one does.
func Listen(addr string, h http.Handler, lim ServerLimits, errLog func(error)) (*Server, error) {
	if lim.MaxConns <= 0 {
		return nil, fmt.Errorf("bot: http server on %s: MaxConns must be positive", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: lim.ReadHeaderTimeout,
			ReadTimeout:       lim.ReadTimeout,
			WriteTimeout:      lim.WriteTimeout,
			IdleTimeout:       lim.IdleTimeout,
			MaxHeaderBytes:    lim.MaxHeaderBytes,
		},
		ln: newLimitListener(ln, lim.MaxConns),
	}
	go func() {
		if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) && errLog != nil {
			errLog(err)
		}
	}()
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Open is the number of connections open now.
func (s *Server) Open() int { return int(s.ln.open.Load()) }

// Peak is the largest number of connections that were open at once.
func (s *Server) Peak() int { return int(s.ln.peak.Load()) }

// Shutdown stops accepting and waits for the requests in flight (see
// http.Server.Shutdown).
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }

// Close closes the listener and every connection at once.
func (s *Server) Close() error { return s.srv.Close() }

// limitListener accepts a connection only while fewer than cap are open.
type limitListener struct {
	net.Listener
	slots      chan struct{}
	done       chan struct{}
	closeOnce  sync.Once
	open, peak atomic.Int64
}

func newLimitListener(ln net.Listener, n int) *limitListener {
	return &limitListener{Listener: ln, slots: make(chan struct{}, n), done: make(chan struct{})}
}

func (l *limitListener) Accept() (net.Conn, error) {
	// Take a slot before accepting: past the cap, connections wait in the
	// kernel's backlog rather than costing a goroutine and buffers here.
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	n := l.open.Add(1)
	for {
		p := l.peak.Load()
		if n <= p || l.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return &limitConn{Conn: c, l: l}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitConn gives its slot back when closed, once.
type limitConn struct {
	net.Conn
	l    *limitListener
	once sync.Once
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.open.Add(-1)
		<-c.l.slots
	})
	return err
}
