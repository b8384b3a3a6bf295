package main

// The handoff: ingest, export, stats and reindex pointed at a data folder that
// a running `newsbot serve` holds run inside that process, over the socket in
// the folder (internal/control), with the output they would print alone.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/control"
)

// libCommand is a command that works on an open data folder, split in two so
// that the command line and a serving process run the same work: the command
// line parses its flags and opens the folder, or hands the command over; the
// serving process parses the same flags and works on the folder it has open.
type libCommand struct {
	d dataFlags
	// existing: the folder must exist already (a mistyped --data must not
	// create an empty folder and report nothing in it).
	existing bool
	// stdin: the command reads standard input, which a handoff forwards.
	stdin bool
	// dir is where relative paths of the command line are: "" for this
	// process's working directory, the client's in a serving process.
	dir  string
	work func(ctx context.Context, e *env, lib *ingest.Library) error
}

// handedOver are the commands a serving process runs for the command line, by
// name: each parses its arguments into a libCommand.
var handedOver = map[string]func(e *env, args []string) (*libCommand, error){
	"ingest":  prepareIngest,
	"export":  prepareExport,
	"stats":   prepareStats,
	"reindex": prepareReindex,
}

// run opens the data folder and does the work; when a running newsbot holds
// the folder, it does the work there instead.
func (c *libCommand) run(ctx context.Context, e *env, name string, args []string) error {
	if err := c.d.load(e); err != nil {
		return err
	}
	cmdline := append([]string{name}, args...)
	// A socket in the folder is worth a try before the store's lock, which
	// takes a second to give up on a holder.
	tried := false
	if _, err := os.Lstat(filepath.Join(c.d.data, control.SocketName)); err == nil {
		tried = true
		if err := c.handOver(ctx, e, cmdline); !errors.Is(err, control.ErrNoServer) {
			return err
		}
	}
	var lib *ingest.Library
	var err error
	if c.existing {
		lib, err = c.d.openExisting(ctx, e)
	} else {
		lib, err = c.d.open(ctx, e, false)
	}
	if errors.Is(err, ingest.ErrInUse) && !tried {
		// The holder may have been starting: it listens just after it
		// takes the lock.
		if herr := c.handOver(ctx, e, cmdline); !errors.Is(herr, control.ErrNoServer) {
			return herr
		}
	}
	if err != nil {
		return err
	}
	defer lib.Close()
	return c.work(ctx, e, lib)
}

// handOver runs the command line in the newsbot serving the data folder. An
// error wrapping control.ErrNoServer means none answered and nothing ran.
func (c *libCommand) handOver(ctx context.Context, e *env, cmdline []string) error {
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("handing over to the running newsbot: %w", err)
	}
	req := control.Request{Args: cmdline, Dir: wd, Stdin: c.stdin, Terminal: isTerminal(e.stderr)}
	var stdin io.Reader
	if c.stdin {
		stdin = e.stdin
	}
	code, err := control.Run(ctx, filepath.Join(c.d.data, control.SocketName), req, stdin, e.stdout, e.stderr)
	if err != nil {
		return err
	}
	if code != 0 {
		// The command has printed its own error, in the serving process.
		return &exitError{code: code, err: errors.New("")}
	}
	return nil
}

// startControl lets the command line hand ingest, export, stats and reindex to
// this process, which holds lib, until the returned server is closed (before
// lib is). cfg is the serving process's: URLs an ingest names are fetched
// under its fetch settings.
func startControl(lib *ingest.Library, cfg *config.Config, log *slog.Logger) (*control.Server, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	h := func(ctx context.Context, req control.Request, stdin io.Reader, stdout, stderr io.Writer) int {
		e := &env{
			stdin: stdin, stdout: stdout,
			stderr: terminalWriter{stderr, req.Terminal},
			getenv: func(string) string { return "" },
		}
		start := time.Now()
		code := runHandedOver(ctx, e, lib, cfg, req.Args, req.Dir)
		log.Info("command line handed over", "command", req.Args[0], "exit", code, "took", time.Since(start).Round(time.Millisecond))
		return code
	}
	srv, err := control.Listen(filepath.Join(lib.Dir, control.SocketName), h, log)
	if err != nil {
		return nil, fmt.Errorf("command line handoff: %w", err)
	}
	return srv, nil
}

// runHandedOver runs a handed-over command line on lib and returns its exit
// status, having printed what `newsbot` would print for it.
func runHandedOver(ctx context.Context, e *env, lib *ingest.Library, cfg *config.Config, args []string, dir string) int {
	name := args[0]
	prepare, ok := handedOver[name]
	if !ok {
		fmt.Fprintf(e.stderr, "newsbot %s: only %s run inside a running newsbot\n", name, "ingest, export, stats and reindex")
		return 2
	}
	c, err := prepare(e, args[1:])
	if err == nil {
		c.d.cfg, c.dir = cfg, dir
		err = c.work(ctx, e, lib)
	}
	return exitStatus(e, name, err)
}

// terminalWriter is a serving process's stderr for a client whose stderr is
// (or is not) a terminal, so that commands draw progress as they would there.
type terminalWriter struct {
	io.Writer
	terminal bool
}

func (w terminalWriter) Terminal() bool { return w.terminal }

// localPaths resolves the command line's paths where they were typed, and
// returns how to show a path the ingest reports (a file in a folder, a line of
// a JSONL file: "docs/a.jsonl:3") as it would be shown there.
func (c *libCommand) localPaths(paths []string) ([]string, func(string) string) {
	if c.dir == "" {
		return paths, func(ref string) string { return ref }
	}
	out := make([]string, len(paths))
	typed := map[string]string{} // resolved -> as typed
	for i, p := range paths {
		out[i] = p
		if p != "-" && !filepath.IsAbs(p) {
			out[i] = filepath.Join(c.dir, p)
			typed[out[i]] = p
		}
	}
	return out, func(ref string) string {
		// The longest resolved path the reference starts with is its own.
		best := ""
		for r := range typed {
			if len(r) > len(best) && strings.HasPrefix(ref, r) && endsPath(ref[len(r):]) {
				best = r
			}
		}
		if best == "" {
			return ref
		}
		rest := ref[len(best):]
		if strings.HasPrefix(rest, string(filepath.Separator)) {
			// A file found in a folder: joined as the walk joins it.
			return filepath.Join(typed[best], rest[1:])
		}
		return typed[best] + rest
	}
}

// endsPath reports whether rest, after a path in an ingest's reference, ends
// that path: the reference is the path itself, a file in it, or a record of it
// ("a.jsonl:3", "a.json#2", "feed.xml item 4").
func endsPath(rest string) bool {
	return rest == "" || rest[0] == filepath.Separator || strings.ContainsRune(":# ", rune(rest[0]))
}
