// Package commands is newsbot's command set, independent of any transport:
// handlers take a request and return a Reply that the bot renders as Discord
// messages and the command line as text or JSON. It never imports discordgo.
package commands

import (
	"time"

	"github.com/newsbot/newsbot/news"
)

// Reply is what a command answers: the one model that Discord, the terminal and
// --json render.
type Reply struct {
	// Text is a short message in Discord Markdown, already escaped where it
	// holds article text (a note, an error, "nothing found").
	Text string
	// Cards are the answers, hits or quotes: one embed each on Discord.
	Cards []Card
	// Buttons go under the message (paging).
	Buttons []Button
	// Ephemeral replies are shown only to the member who asked.
	Ephemeral bool
	// Files are attachments, referenced from a card's Image as attachment://name.
	Files []File
	// Data is the machine-readable reply, printed by --json. Its shape is a
	// contract other programs rely on.
	Data any `json:"-"`
}

// Card is one cited item: an article hit, an answer or a quote.
type Card struct {
	Title string // plain text: the article's title
	URL   string
	// Body is Discord Markdown: article text escaped, matched words bold.
	Body string
	// Quote is set when Body is the quoted words themselves (not a sentence
	// that holds them).
	Quote bool
	// Speaker and SpeakerTitle attribute a quote.
	Speaker      string
	SpeakerTitle string
	Fields       []Field
	Source       string
	Published    time.Time
	Image        string // attachment://trend.png
	ArticleID    string
}

// Field is a named value on a card (plain text unless the name says otherwise).
type Field struct {
	Name   string
	Value  string
	Inline bool
}

// Button is a component under a reply.
type Button struct {
	Label    string
	CustomID string
	Disabled bool
}

// File is an attachment.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// ArticleJSON is an article as every --json output gives it.
type ArticleJSON struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	URL       string  `json:"url"`
	Source    string  `json:"source"`
	Author    string  `json:"author"`
	Published *string `json:"published"`
}

// NewArticleJSON converts an article for --json output.
func NewArticleJSON(a *news.Article) ArticleJSON {
	out := ArticleJSON{ID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Author: a.Author}
	if !a.Published.IsZero() {
		s := a.Published.UTC().Format(time.RFC3339)
		out.Published = &s
	}
	return out
}

// ErrorReply is an ephemeral message telling the member what went wrong.
func ErrorReply(msg string) *Reply {
	return &Reply{Text: msg, Ephemeral: true, Data: map[string]string{"error": msg}}
}
