package commands

import (
	"context"
	"slices"
	"sort"
)

// The command set, as data: the bot registers it with Discord and routes by
// it; the names and options are a contract (members type them, and other
// programs check them).

// OptionType is the kind of value an option takes.
type OptionType int

const (
	OptString OptionType = iota + 1
	OptInteger
	OptBoolean
	OptChannel
	OptAttachment
)

// Option is one option of a command.
type Option struct {
	Name         string
	Description  string
	Type         OptionType
	Required     bool
	Autocomplete bool
	MinValue     *float64
	MaxValue     *float64
	MaxLength    int
	Choices      []Choice
}

// Choice is a fixed or suggested value of an option.
type Choice struct {
	Name  string
	Value string
}

// Kind tells slash commands from context-menu commands.
type Kind int

const (
	SlashCommand Kind = iota + 1
	MessageCommand
)

// Command is a command or a subcommand.
type Command struct {
	Name        string
	Description string
	Kind        Kind
	Options     []Option
	Subcommands []Command
	// Moderator commands need Manage Messages (or a moderator role) and a
	// guild: they change what a community sees.
	Moderator bool
	// order sorts the command set for registration and help.
	order int
}

func ptr(f float64) *float64 { return &f }

// handlerFunc runs one command (a full name such as "news add").
type handlerFunc func(s *Service, ctx context.Context, req Request) (*Reply, error)

// registry holds the command set: each file that adds commands registers them
// (with their handlers) in an init function, so a feature lives in one file.
var registry struct {
	defs     []Command
	handlers map[string]handlerFunc
}

// register adds a command and the handlers of its full names: the command's own
// name for a plain command, "name sub" for each subcommand.
func register(c Command, handlers map[string]handlerFunc) {
	if registry.handlers == nil {
		registry.handlers = map[string]handlerFunc{}
	}
	registry.defs = append(registry.defs, c)
	for name, h := range handlers {
		registry.handlers[name] = h
	}
}

// Definitions is newsbot's command set, in a stable order.
func Definitions() []Command {
	out := slices.Clone(registry.defs)
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Kind < out[j].Kind || out[i].Kind == out[j].Kind && out[i].order < out[j].order
	})
	return out
}

func init() {
	register(Command{order: 10, Name: "search", Description: "Search the news articles", Kind: SlashCommand, Options: []Option{
		{Name: "query", Description: "Words to look for", Type: OptString, Required: true, MaxLength: 300},
		{Name: "source", Description: "Only articles from this source", Type: OptString, Autocomplete: true, MaxLength: 100},
		{Name: "since", Description: "Only articles since a date or age: 7d, 2024-11-01", Type: OptString, MaxLength: 40},
	}}, map[string]handlerFunc{"search": func(s *Service, ctx context.Context, req Request) (*Reply, error) {
		r, err := s.Search(ctx, SearchArgs{Query: req.String("query"), Source: req.String("source"), Since: req.String("since"), Guild: req.Guild})
		if err == nil {
			s.addPager(ctx, r, req)
		}
		return r, err
	}})
	register(Command{order: 20, Name: "ask", Description: "Ask a question; the answer is quoted from the articles", Kind: SlashCommand, Options: []Option{
		{Name: "question", Description: "Your question, in plain English", Type: OptString, Required: true, MaxLength: 300},
	}}, map[string]handlerFunc{"ask": func(s *Service, ctx context.Context, req Request) (*Reply, error) {
		return s.Ask(ctx, AskArgs{Question: req.String("question"), Guild: req.Guild})
	}})
	register(Command{order: 30, Name: "quotes", Description: "Find what people said, with who said it", Kind: SlashCommand, Options: []Option{
		{Name: "speaker", Description: "Who said it", Type: OptString, Autocomplete: true, MaxLength: 100},
		{Name: "about", Description: "Words in the quote", Type: OptString, MaxLength: 300},
	}}, map[string]handlerFunc{"quotes": func(s *Service, ctx context.Context, req Request) (*Reply, error) {
		return s.Quotes(ctx, QuotesArgs{Speaker: req.String("speaker"), About: req.String("about"), Guild: req.Guild, Limit: 5})
	}})
	register(Command{order: 40, Name: "latest", Description: "The newest articles", Kind: SlashCommand, Options: []Option{
		{Name: "count", Description: "How many (1-10)", Type: OptInteger, MinValue: ptr(1), MaxValue: ptr(10)},
	}}, map[string]handlerFunc{"latest": func(s *Service, ctx context.Context, req Request) (*Reply, error) {
		return s.Latest(ctx, req.Guild, req.Int("count", 5))
	}})
	register(Command{order: 50, Name: "help", Description: "What newsbot can do", Kind: SlashCommand},
		map[string]handlerFunc{"help": func(*Service, context.Context, Request) (*Reply, error) { return Help(), nil }})
	register(Command{order: 60, Name: "news", Description: "Add or remove articles (moderators)", Kind: SlashCommand, Moderator: true, Subcommands: []Command{
		{Name: "add", Description: "Add an article from a link or text", Options: []Option{
			{Name: "url", Description: "Link to the article", Type: OptString, MaxLength: 2000},
			{Name: "text", Description: "The article's text", Type: OptString, MaxLength: 6000},
			{Name: "title", Description: "Title, for text", Type: OptString, MaxLength: 256},
			{Name: "file", Description: "A text, Markdown, HTML or JSON file", Type: OptAttachment},
		}},
		{Name: "remove", Description: "Remove an article added here", Options: []Option{
			{Name: "id", Description: "The article", Type: OptString, Required: true, Autocomplete: true, MaxLength: 100},
		}},
	}}, map[string]handlerFunc{
		"news add": (*Service).NewsAdd,
		"news remove": func(s *Service, ctx context.Context, req Request) (*Reply, error) {
			return s.NewsRemove(ctx, req.Guild, req.String("id"))
		},
	})
	register(Command{order: 10, Name: "Add to news", Kind: MessageCommand, Moderator: true},
		map[string]handlerFunc{"Add to news": (*Service).AddMessage})
}

// Find returns the definition of a command by name.
func Find(name string) (Command, bool) {
	for _, c := range registry.defs {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}
