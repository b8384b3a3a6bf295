package commands

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/index"
)

// autocompleteFunc suggests values for one option of one command, given what
// the member typed so far.
type autocompleteFunc func(s *Service, ctx context.Context, req Request, typed string) ([]Choice, error)

// autocompleters are keyed "command/option" ("news remove/id"); files that add
// commands register theirs in init.
var autocompleters = map[string]autocompleteFunc{}

func registerAutocomplete(key string, f autocompleteFunc) { autocompleters[key] = f }

// Autocomplete suggests values for the option a member is typing: at most 25,
// names at most 100 characters, only from what the guild can see.
func (s *Service) Autocomplete(ctx context.Context, req Request) ([]Choice, error) {
	typed := req.String(req.Focused)
	if utf8.RuneCountInString(typed) > 100 {
		typed = string([]rune(typed)[:100])
	}
	f := autocompleters[req.Command+"/"+req.Focused]
	if f == nil {
		return nil, nil
	}
	out, err := f(s, ctx, req, typed)
	if err != nil {
		return nil, err
	}
	return fitChoices(out), nil
}

func init() {
	registerAutocomplete("quotes/speaker", func(s *Service, ctx context.Context, req Request, typed string) ([]Choice, error) {
		list, err := s.Lib.Index.SuggestSpeakers(ctx, index.Scope{Guild: req.Guild}, typed, index.MaxSuggestions)
		var out []Choice
		for _, sp := range list {
			out = append(out, Choice{Name: sp.Name, Value: sp.Name})
		}
		return out, err
	})
	registerAutocomplete("search/source", func(s *Service, ctx context.Context, req Request, typed string) ([]Choice, error) {
		list, err := s.sources.get(req.Guild, s.Now(), func() ([]index.SpeakerCount, error) {
			return s.Lib.Index.Sources(ctx, index.Scope{Guild: req.Guild})
		})
		prefix := strings.ToLower(typed)
		sort.SliceStable(list, func(i, j int) bool { return list[i].Count > list[j].Count })
		var out []Choice
		for _, src := range list {
			if strings.Contains(strings.ToLower(src.Name), prefix) {
				out = append(out, Choice{Name: src.Name, Value: src.Name})
			}
		}
		return out, err
	})
	registerAutocomplete("news remove/id", func(s *Service, ctx context.Context, req Request, typed string) ([]Choice, error) {
		if req.Guild == "" || !req.Moderator {
			return nil, nil
		}
		arts, err := s.Lib.Index.OwnArticles(ctx, req.Guild, typed, index.MaxSuggestions)
		var out []Choice
		for _, a := range arts {
			out = append(out, Choice{Name: a.Title, Value: a.ID})
		}
		return out, err
	})
}

// fitChoices keeps Discord's limits: 25 choices, names and values of 1 to 100
// characters, cut on rune boundaries.
func fitChoices(in []Choice) []Choice {
	out := make([]Choice, 0, min(len(in), index.MaxSuggestions))
	for _, c := range in {
		if len(out) == index.MaxSuggestions {
			break
		}
		c.Name = cutRunes(strings.TrimSpace(c.Name), 100)
		if c.Name == "" || c.Value == "" || utf8.RuneCountInString(c.Value) > 100 {
			continue
		}
		out = append(out, c)
	}
	return out
}

func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// sourceCache keeps each guild's list of sources for a minute: autocomplete
// asks on every keystroke, and the list changes slowly.
type sourceCache struct {
	mu    sync.Mutex
	items map[string]sourceEntry
}

type sourceEntry struct {
	at   time.Time
	list []index.SpeakerCount
}

const sourceTTL = time.Minute

func (c *sourceCache) get(guild string, now time.Time, load func() ([]index.SpeakerCount, error)) ([]index.SpeakerCount, error) {
	c.mu.Lock()
	e, ok := c.items[guild]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < sourceTTL {
		return slices.Clone(e.list), nil
	}
	list, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil || len(c.items) > 10000 {
		c.items = map[string]sourceEntry{}
	}
	c.items[guild] = sourceEntry{at: now, list: list}
	return slices.Clone(list), nil
}
