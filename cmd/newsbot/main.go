// Command newsbot is a self-hosted Discord bot that answers questions about the
// news, and the command line to feed and query it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// exitError carries an exit status out of a subcommand.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErr is a mistake in the command line: exit status 2.
func usageErr(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, e *env, args []string) error
}

func commandList() []command {
	return []command{
		{"ingest", "add articles from files, folders, URLs, feeds or stdin", runIngest},
		{"search", "find articles", runSearch},
		{"ask", "answer a question from the articles", runAsk},
		{"quotes", "find attributed quotes by speaker, words or article", runQuotes},
		{"trend", "chart how much a topic was covered over time (--png FILE)", runTrend},
		{"speakers", "who is quoted most on a topic, with a quote each", runSpeakers},
		{"serve", "run the Discord bot", runServe},
		{"digest", "preview a digest: what a guild's channel would get (--json: the payloads)", runDigest},
		{"bench", "measure ingest and query speed on a synthetic corpus", runBench},
		{"poll", "poll the configured feeds (--once: one round)", runPoll},
		{"reindex", "rebuild the search index from the store", runReindex},
		{"stats", "count articles by guild and source; index size, last ingest", runStats},
		{"export", "write every article as JSONL (newsbot ingest reads it back)", runExport},
		{"check-config", "check a config file: every problem with its line", runCheckConfig},
		{"migrate", "bring a PostgreSQL store's schema up to date (store.backend: postgres)", runMigrate},
		{"version", "print the version, Go's and the main dependencies'", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commandList() {
		if c.name != args[0] {
			continue
		}
		return exitStatus(e, c.name, c.run(ctx, e, args[1:]))
	}
	fmt.Fprintf(e.stderr, "newsbot: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

// exitStatus prints a command's error, if any, and returns its exit status.
func exitStatus(e *env, name string, err error) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintf(e.stderr, "newsbot %s: %v\n", name, ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(e.stderr, "newsbot %s: %v\n", name, err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "newsbot answers questions about the news, on Discord and here.\n\nUsage: newsbot COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commandList() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'newsbot COMMAND -h' for a command's flags.")
}
