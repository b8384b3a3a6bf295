package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// Run hands req to the server on the socket at path and copies the command's
// output to stdout and stderr as it comes; stdin is forwarded when req.Stdin
// is set. It returns the command's exit status. An error wrapping ErrNoServer
// means nothing ran: no server answered within two seconds.
func Run(ctx context.Context, path string, req Request, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	req.Version = Version
	d := net.Dialer{Timeout: answerTimeout}
	nc, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("%w: %v", ErrNoServer, err)
	}
	c := nc.(*net.UnixConn)
	defer c.Close()
	// Cancelling (Ctrl-C) hangs up, which cancels the command in the server.
	defer context.AfterFunc(ctx, func() { c.Close() })()

	// Only our own user's process may receive our command and stdin: the
	// folder's permissions should see to that, this makes sure.
	uid, err := peerUID(c)
	if err != nil {
		return 0, err
	}
	if uid != os.Getuid() {
		return 0, fmt.Errorf("control: the newsbot on %s runs as user %d: run this command as that user, not as user %d", path, uid, os.Getuid())
	}

	c.SetDeadline(time.Now().Add(answerTimeout))
	out := newFrameWriter(c)
	// A server that refuses may hang up before reading the request: its
	// answer is still there to read when the write fails.
	serr := out.send(req)
	in := newScanner(c)
	first, err := readFrame(in)
	if err == nil && first.Error == "" && serr != nil {
		err = serr
	}
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("%w: %v", ErrNoServer, err)
	}
	if first.Error != "" {
		return 0, fmt.Errorf("control: the running newsbot refused the command: %s", first.Error)
	}
	if !first.Accepted {
		return 0, errors.New("control: the running newsbot answered out of turn")
	}
	c.SetDeadline(time.Time{})

	if req.Stdin {
		go sendStdin(out, stdin)
	}
	for {
		f, err := readFrame(in)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			return 0, fmt.Errorf("control: the running newsbot hung up before the command ended: %w", err)
		}
		switch {
		case f.Exit != nil:
			return *f.Exit, nil
		case f.Error != "":
			return 0, fmt.Errorf("control: the running newsbot: %s", f.Error)
		case f.Stream == streamStdout:
			if _, err := stdout.Write(f.Data); err != nil {
				return 0, fmt.Errorf("control: stdout: %w", err)
			}
		case f.Stream == streamStderr:
			if _, err := stderr.Write(f.Data); err != nil {
				return 0, fmt.Errorf("control: stderr: %w", err)
			}
		}
	}
}

// readFrame reads the next frame; io.EOF when the server hung up.
func readFrame(in *bufio.Scanner) (frame, error) {
	var f frame
	if !in.Scan() {
		if err := in.Err(); err != nil {
			return f, err
		}
		return f, io.EOF
	}
	if err := json.Unmarshal(in.Bytes(), &f); err != nil {
		return f, fmt.Errorf("malformed frame: %w", err)
	}
	return f, nil
}

// sendStdin forwards r until its end. It stops at the first failed send: the
// server is gone or the command has ended.
func sendStdin(out *frameWriter, r io.Reader) {
	if r == nil {
		_ = out.send(frame{EOF: true})
		return
	}
	buf := make([]byte, chunk)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if out.send(frame{Stream: streamStdin, Data: buf[:n]}) != nil {
				return
			}
		}
		if err != nil {
			// A read error ends stdin like its end: the command sees
			// what came before.
			_ = out.send(frame{EOF: true})
			return
		}
	}
}
