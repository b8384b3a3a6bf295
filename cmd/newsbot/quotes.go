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
	a.Guild = d.guild
	return d.reply(ctx, e, func(s *commands.Service) (*commands.Reply, error) { return s.Quotes(ctx, a) })
}
