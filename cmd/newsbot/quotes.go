package main

import (
	"context"

	"github.com/newsbot/newsbot/commands"
)

func runQuotes(ctx context.Context, e *env, args []string) error {
	var d dataFlags
	var a commands.QuotesArgs
	fs := newFlagSet("quotes", e)
	d.register(fs, true)
	fs.StringVar(&a.Speaker, "speaker", "", "quotes by this `name` (a surname finds the full name too)")
	fs.StringVar(&a.About, "about", "", "quotes with these `words`")
	fs.StringVar(&a.URL, "url", "", "quotes from the article at this `address`")
	fs.IntVar(&a.Limit, "limit", 10, "how many quotes (0 = all)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("unexpected argument %q (use --speaker, --about or --url)", pos[0])
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
	r, err := commands.New(lib).Quotes(ctx, a)
	return emit(e, d.jsonOut, r, err)
}
