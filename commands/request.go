package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Request is one command invocation, as any transport decodes it.
type Request struct {
	// Command is the full name: "search", "news add", "Add to news".
	Command string
	Options map[string]any // string, int64, bool
	Guild   string         // empty in DMs
	Channel string
	User    string
	// Moderator is set by the transport from the member's permissions and
	// roles; DMs never are.
	Moderator bool
	// Message is the target of a message context-menu command.
	Message *Message
	// Focused names the option being typed, for autocomplete.
	Focused string
	// Attachments of the interaction, by option name.
	Attachments map[string]Attachment
}

// Message is a Discord message a context-menu command acts on.
type Message struct {
	ID          string
	Content     string
	Attachments []Attachment
}

// Attachment is a file a member gave; Data is filled by the transport.
type Attachment struct {
	Filename    string
	ContentType string
	URL         string
	Size        int
	Data        []byte
}

// String returns a string option, trimmed, or "".
func (r Request) String(name string) string {
	s, _ := r.Options[name].(string)
	return strings.TrimSpace(s)
}

// Int returns an integer option or def.
func (r Request) Int(name string, def int) int {
	switch v := r.Options[name].(type) {
	case int64:
		return int(v)
	case int:
		return v
	case float64:
		return int(v)
	}
	return def
}

// ErrUnknownCommand is returned for a command newsbot does not have.
var ErrUnknownCommand = errors.New("unknown command")

// Handle runs a command and returns its reply. Errors a member caused come back
// as ephemeral replies; other errors are returned for the transport to log.
func (s *Service) Handle(ctx context.Context, req Request) (*Reply, error) {
	root := strings.Fields(req.Command)
	if len(root) == 0 {
		return nil, ErrUnknownCommand
	}
	def, ok := Find(req.Command)
	if !ok {
		def, ok = Find(root[0])
	}
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownCommand, req.Command)
	}
	if def.Moderator {
		if req.Guild == "" {
			return ErrorReply("This command works in a server, not in direct messages."), nil
		}
		if !req.Moderator {
			return ErrorReply("Only moderators (Manage Messages) can do that."), nil
		}
	}
	var (
		r   *Reply
		err error
	)
	switch req.Command {
	case "search":
		r, err = s.Search(ctx, SearchArgs{Query: req.String("query"), Source: req.String("source"), Since: req.String("since"), Guild: req.Guild})
		if err == nil {
			s.addPager(r, req)
		}
	case "ask":
		r, err = s.Ask(ctx, AskArgs{Question: req.String("question"), Guild: req.Guild})
	case "quotes":
		r, err = s.Quotes(ctx, QuotesArgs{Speaker: req.String("speaker"), About: req.String("about"), Guild: req.Guild, Limit: 5})
	case "latest":
		r, err = s.Latest(ctx, req.Guild, req.Int("count", 5))
	case "help":
		r = Help()
	case "news add":
		r, err = s.NewsAdd(ctx, req)
	case "news remove":
		r, err = s.NewsRemove(ctx, req.Guild, req.String("id"))
	case "Add to news":
		r, err = s.AddMessage(ctx, req)
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnknownCommand, req.Command)
	}
	if err != nil {
		if errors.Is(err, ErrUser) {
			return ErrorReply(UserMessage(err)), nil
		}
		return nil, err
	}
	return r, nil
}
