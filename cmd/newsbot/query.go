package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/newsbot/newsbot/commands"
)

func runSearch(ctx context.Context, e *env, args []string) error {
	var d dataFlags
	var a commands.SearchArgs
	fs := newFlagSet("search", e)
	d.register(fs, true)
	fs.IntVar(&a.Limit, "limit", 5, "how many articles")
	fs.StringVar(&a.Source, "source", "", "only articles from this source")
	fs.StringVar(&a.Since, "since", "", "only articles published since this `date` or age (2024-11-01, 7d)")
	fs.StringVar(&a.Until, "until", "", "only articles published before this `date`")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if a.Query, err = oneArg(pos, "query"); err != nil {
		return err
	}
	if err := d.load(e); err != nil {
		return err
	}
	lib, err := d.open(ctx, e, true)
	if err != nil {
		return err
	}
	defer lib.Close()
	a.Guild = d.guild
	r, err := commands.New(lib).Search(ctx, a)
	return emit(e, d.jsonOut, r, err)
}

func runAsk(ctx context.Context, e *env, args []string) error {
	var d dataFlags
	var a commands.AskArgs
	fs := newFlagSet("ask", e)
	d.register(fs, true)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if a.Question, err = oneArg(pos, "question"); err != nil {
		return err
	}
	if err := d.load(e); err != nil {
		return err
	}
	lib, err := d.open(ctx, e, true)
	if err != nil {
		return err
	}
	defer lib.Close()
	a.Guild = d.guild
	r, err := commands.New(lib).Ask(ctx, a)
	return emit(e, d.jsonOut, r, err)
}

// emit prints a reply as JSON or for a terminal. A handler error the member
// caused is a usage error (exit 2); others exit 1.
func emit(e *env, asJSON bool, r *commands.Reply, err error) error {
	if err != nil {
		if msg := commands.UserMessage(err); msg != commands.UserMessage(nil) || err == nil {
			return usageErr("%s", msg)
		}
		return err
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r.Data)
	}
	_, werr := fmt.Fprint(e.stdout, renderTerminal(r))
	return werr
}
