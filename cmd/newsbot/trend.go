package main

import (
	"context"
	"fmt"
	"os"

	"github.com/newsbot/newsbot/commands"
)

func runTrend(ctx context.Context, e *env, args []string) error {
	var d dataFlags
	var a commands.TrendArgs
	var pngPath string
	fs := newFlagSet("trend", e)
	d.register(fs, true)
	fs.StringVar(&a.Since, "since", "", "count from this `date` or age (2024-01-01, 30d); default all time")
	fs.StringVar(&a.By, "by", "", "one bar per `period`: day, week or month (default: from the span)")
	fs.StringVar(&pngPath, "png", "", "write the chart to this `file` (PNG)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if a.Topic, err = oneArg(pos, "topic"); err != nil {
		return err
	}
	a.Guild = d.guild
	return d.reply(ctx, e, func(s *commands.Service) (*commands.Reply, error) {
		r, err := s.Trend(ctx, a)
		if err == nil && pngPath != "" {
			err = writeChart(e, pngPath, r)
		}
		return r, err
	})
}

// writeChart saves the reply's chart. A topic with no articles has none, and
// saying so beats leaving an old file in place unnoticed.
func writeChart(e *env, path string, r *commands.Reply) error {
	for _, f := range r.Files {
		if f.Name != commands.TrendImage {
			continue
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return fmt.Errorf("chart: %w", err)
		}
		return nil
	}
	fmt.Fprintf(e.stderr, "newsbot trend: no chart written: no articles to chart\n")
	return nil
}

func runSpeakers(ctx context.Context, e *env, args []string) error {
	var d dataFlags
	var a commands.SpeakersArgs
	fs := newFlagSet("speakers", e)
	d.register(fs, true)
	fs.IntVar(&a.Limit, "limit", 5, "how many speakers")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if a.Topic, err = oneArg(pos, "topic"); err != nil {
		return err
	}
	a.Guild = d.guild
	return d.reply(ctx, e, func(s *commands.Service) (*commands.Reply, error) { return s.Speakers(ctx, a) })
}
