package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/newsbot/newsbot/commands"
)

var (
	mdEscapeRE = regexp.MustCompile(`\\([\\*_~` + "`" + `|>\[\]<#-])`)
	mdBoldRE   = regexp.MustCompile(`\*\*((?:\\.|[^*\\])+)\*\*`)
)

// ansiBold is set when stdout is a terminal: bold words are shown bold.
var ansiBold = isTerminal(os.Stdout)

// plain turns a reply's Discord Markdown into terminal text: our bold markers
// become ANSI bold on a terminal (and nothing elsewhere), escapes are removed.
func plain(md string) string {
	repl := "$1"
	if ansiBold {
		repl = "\033[1m$1\033[0m"
	}
	md = mdBoldRE.ReplaceAllString(md, repl)
	return strings.ReplaceAll(mdEscapeRE.ReplaceAllString(md, "$1"), "\u200b", "")
}

// renderTerminal renders a reply for a terminal: the same pieces as the Discord
// embeds, one block per card.
func renderTerminal(r *commands.Reply) string {
	var b strings.Builder
	if r.Text != "" {
		b.WriteString(plain(r.Text) + "\n")
	}
	for i, c := range r.Cards {
		if i > 0 || r.Text != "" {
			b.WriteString("\n")
		}
		if c.Body != "" {
			body := plain(c.Body)
			if c.Quote {
				body = "“" + body + "”"
			}
			b.WriteString(body + "\n")
		}
		if c.Speaker != "" {
			who := "— " + c.Speaker
			if c.SpeakerTitle != "" {
				who += ", " + c.SpeakerTitle
			}
			b.WriteString(who + "\n")
		}
		for _, f := range c.Fields {
			fmt.Fprintf(&b, "%s: %s\n", f.Name, plain(f.Value))
		}
		b.WriteString("  " + c.Title)
		var meta []string
		if c.Source != "" {
			meta = append(meta, c.Source)
		}
		if !c.Published.IsZero() {
			meta = append(meta, c.Published.Format("2 Jan 2006"))
		}
		if len(meta) > 0 {
			b.WriteString(" (" + strings.Join(meta, ", ") + ")")
		}
		b.WriteString("\n")
		if c.URL != "" {
			b.WriteString("  " + c.URL + "\n")
		}
	}
	return b.String()
}
