package commands

import (
	"context"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsbot/newsbot/index"
)

// Autocomplete suggests values for the option a member is typing: at most 25,
// names at most 100 characters, only from what the guild can see.
func (s *Service) Autocomplete(ctx context.Context, req Request) ([]Choice, error) {
	typed := req.String(req.Focused)
	if utf8.RuneCountInString(typed) > 100 {
		typed = string([]rune(typed)[:100])
	}
	var out []Choice
	switch req.Command + "/" + req.Focused {
	case "quotes/speaker":
		list, err := s.Lib.Index.SuggestSpeakers(ctx, index.Scope{Guild: req.Guild}, typed, index.MaxSuggestions)
		if err != nil {
			return nil, err
		}
		for _, sp := range list {
			out = append(out, Choice{Name: sp.Name, Value: sp.Name})
		}
	case "search/source":
		list, err := s.Lib.Index.Sources(ctx, index.Scope{Guild: req.Guild})
		if err != nil {
			return nil, err
		}
		prefix := strings.ToLower(typed)
		sort.SliceStable(list, func(i, j int) bool { return list[i].Count > list[j].Count })
		for _, src := range list {
			if strings.HasPrefix(strings.ToLower(src.Name), prefix) || strings.Contains(strings.ToLower(src.Name), prefix) {
				out = append(out, Choice{Name: src.Name, Value: src.Name})
			}
		}
	case "news remove/id":
		if req.Guild == "" || !req.Moderator {
			return nil, nil
		}
		arts, err := s.Lib.Index.OwnArticles(ctx, req.Guild, typed, index.MaxSuggestions)
		if err != nil {
			return nil, err
		}
		for _, a := range arts {
			out = append(out, Choice{Name: a.Title, Value: a.ID})
		}
	}
	return fitChoices(out), nil
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
