package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/newsbot/newsbot/ingest/feeds"
	"github.com/newsbot/newsbot/internal/markdown"
)

// /feed add|list|remove: a guild's moderators manage the feeds whose articles
// that guild sees.
func init() {
	register(Command{order: 70, Name: "feed", Description: "Follow news feeds (moderators)", Kind: SlashCommand, Moderator: true, Subcommands: []Command{
		{Name: "add", Description: "Follow an RSS, Atom or JSON feed", Options: []Option{
			{Name: "url", Description: "The feed's address", Type: OptString, Required: true, MaxLength: 2000},
			{Name: "every", Description: "How often to check it: 15m, 1h (at least 1m)", Type: OptString, MaxLength: 20},
			{Name: "channel", Description: "Announce new articles in this channel", Type: OptChannel},
		}},
		{Name: "list", Description: "The feeds this server follows"},
		{Name: "remove", Description: "Stop following a feed", Options: []Option{
			{Name: "url", Description: "The feed", Type: OptString, Required: true, Autocomplete: true, MaxLength: 2000},
		}},
	}}, map[string]handlerFunc{
		"feed add":    (*Service).FeedAdd,
		"feed list":   (*Service).FeedList,
		"feed remove": (*Service).FeedRemove,
	})
	registerAutocomplete("feed remove/url", func(s *Service, _ context.Context, req Request, typed string) ([]Choice, error) {
		if s.Feeds == nil || req.Guild == "" || !req.Moderator {
			return nil, nil
		}
		var out []Choice
		for _, st := range s.Feeds.ListFeeds(req.Guild) {
			if st.Guild == req.Guild && strings.Contains(strings.ToLower(st.URL), strings.ToLower(typed)) {
				name := st.URL
				if st.Title != "" {
					name = st.Title + " — " + st.URL
				}
				out = append(out, Choice{Name: name, Value: st.URL})
			}
		}
		return out, nil
	})
}

func (s *Service) feeds() (*feeds.Poller, error) {
	if s.Feeds == nil {
		return nil, userErr("Feeds are not enabled on this newsbot.")
	}
	return s.Feeds, nil
}

// FeedAdd follows a feed for the guild.
func (s *Service) FeedAdd(ctx context.Context, req Request) (*Reply, error) {
	p, err := s.feeds()
	if err != nil {
		return nil, err
	}
	f := feeds.Feed{URL: req.String("url"), Guild: req.Guild, Channel: req.String("channel"), AnnounceMax: 5}
	if every := req.String("every"); every != "" {
		d, err := time.ParseDuration(every)
		if err != nil {
			return nil, userErr("every: %q is not a duration (try 15m or 1h).", every)
		}
		if d < time.Minute {
			return nil, userErr("every: feeds are checked at most once a minute.")
		}
		f.Every = d
	}
	if err := p.AddFeed(ctx, f); err != nil {
		if errors.Is(err, feeds.ErrExists) {
			return nil, userErr("This server already follows %s.", f.URL)
		}
		return nil, userErr("%v", err)
	}
	msg := fmt.Sprintf("Following %s", markdown.Escape(f.URL))
	if f.Channel != "" {
		msg += fmt.Sprintf(", announcing new articles in <#%s>", f.Channel)
	}
	return &Reply{Ephemeral: true, Text: msg + ". The first check runs within a minute.", Data: map[string]any{"added": f.URL}}, nil
}

// FeedList shows the guild's feeds (and the global ones) with their state.
func (s *Service) FeedList(_ context.Context, req Request) (*Reply, error) {
	p, err := s.feeds()
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, st := range p.ListFeeds(req.Guild) {
		line := "• " + markdown.Escape(st.URL)
		if st.Guild == "" {
			line += " (all servers)"
		}
		switch {
		case st.Paused != "":
			line += " — **paused**: " + markdown.Escape(st.Paused)
		case st.LastError != "":
			line += fmt.Sprintf(" — failing (%d in a row): %s", st.Failures, markdown.Escape(st.LastError))
		case !st.LastSuccess.IsZero():
			line += " — last checked " + st.LastSuccess.UTC().Format("2 Jan 15:04 UTC")
		default:
			line += " — not checked yet"
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return &Reply{Ephemeral: true, Text: "This server follows no feeds. Add one with /feed add."}, nil
	}
	return &Reply{Ephemeral: true, Text: strings.Join(lines, "\n"), Data: map[string]any{"feeds": len(lines)}}, nil
}

// FeedRemove stops following one of the guild's feeds.
func (s *Service) FeedRemove(_ context.Context, req Request) (*Reply, error) {
	p, err := s.feeds()
	if err != nil {
		return nil, err
	}
	u := req.String("url")
	if err := p.RemoveFeed(req.Guild, u); err != nil {
		if errors.Is(err, feeds.ErrNoFeed) {
			return nil, userErr("This server does not follow %s.", u)
		}
		return nil, userErr("%v", err)
	}
	return &Reply{Ephemeral: true, Text: "No longer following " + markdown.Escape(u) + ".", Data: map[string]any{"removed": u}}, nil
}
