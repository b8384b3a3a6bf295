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
	a.Guild = d.guild
	return d.reply(ctx, e, func(s *commands.Service) (*commands.Reply, error) { return s.Search(ctx, a) })
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
	a.Guild = d.guild
	return d.reply(ctx, e, func(s *commands.Service) (*commands.Reply, error) { return s.Ask(ctx, a) })
}

// reply runs a read command's handler on the data folder and prints its reply:
// the config loaded, the folder opened (the empty default one filled with the
// sample first), the reply rendered as JSON or for a terminal.
func (d *dataFlags) reply(ctx context.Context, e *env, handle func(*commands.Service) (*commands.Reply, error)) error {
	if err := d.load(e); err != nil {
		return err
	}
	lib, err := d.open(ctx, e, true)
	if err != nil {
		return err
	}
	defer lib.Close()
	r, err := handle(commands.New(lib))
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
