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

// Attachment is a file a member gave; Data is filled by the transport, or
// Err says why it could not be.
type Attachment struct {
	Filename    string
	ContentType string
	URL         string
	Size        int
	Data        []byte
	Err         error
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
	h := registry.handlers[req.Command]
	if h == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownCommand, req.Command)
	}
	r, err := h(s, ctx, req)
	if err != nil {
		if errors.Is(err, ErrUser) {
			return ErrorReply(UserMessage(err)), nil
		}
		return nil, err
	}
	return r, nil
}
