package bot

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/commands"
	"github.com/newsbot/newsbot/internal/markdown"
)

// Discord's limits on what a message holds, in characters (runes).
const (
	maxContent     = 2000
	maxEmbeds      = 10
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedTotal  = 6000
	maxCustomID    = 100
	maxLabel       = 80
	maxChoices     = 25
	maxChoiceName  = 100
)

// noMentions is sent on every message: an article saying "@everyone" pings
// nobody. Parse must be an empty list, not nil (nil marshals as null).
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// message is a rendered reply, ready for any of Discord's message bodies.
type message struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	ephemeral  bool
	files      []*discordgo.File
}

func (m message) responseData() *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{
		Content:         m.content,
		Embeds:          m.embeds,
		Components:      m.components,
		AllowedMentions: noMentions(),
		Files:           m.files,
	}
	if d.Embeds == nil {
		d.Embeds = []*discordgo.MessageEmbed{}
	}
	if d.Components == nil {
		d.Components = []discordgo.MessageComponent{}
	}
	if m.ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

func (m message) webhookEdit() *discordgo.WebhookEdit {
	embeds, comps := m.embeds, m.components
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	content := m.content
	return &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, Components: &comps, AllowedMentions: noMentions(), Files: m.files}
}

func (m message) messageSend() *discordgo.MessageSend {
	return &discordgo.MessageSend{Content: m.content, Embeds: m.embeds, Components: m.components, AllowedMentions: noMentions(), Files: m.files}
}

// render turns a reply into a Discord message within every limit. Article text
// in the reply is already escaped by commands; titles, names and sources are
// escaped here.
func render(r *commands.Reply) message {
	m := message{ephemeral: r.Ephemeral}
	m.content = cutMarkdown(r.Text, maxContent)
	total := 0
	for _, c := range r.Cards {
		if len(m.embeds) == maxEmbeds {
			break
		}
		e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich}
		e.Title = cutMarkdown(markdown.Escape(c.Title), maxTitle)
		if isWebURL(c.URL) {
			e.URL = c.URL
		}
		body := c.Body
		if c.Quote {
			body = "“" + body + "”"
		}
		if c.Speaker != "" {
			who := "— **" + markdown.Escape(c.Speaker) + "**"
			if c.SpeakerTitle != "" {
				who += ", " + markdown.Escape(c.SpeakerTitle)
			}
			body += "\n" + who
		}
		e.Description = cutMarkdown(body, maxDescription)
		for _, f := range c.Fields {
			if len(e.Fields) == maxFields {
				break
			}
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
				Name:   cutRunes(markdown.Escape(f.Name), maxFieldName),
				Value:  cutMarkdown(f.Value, maxFieldValue),
				Inline: f.Inline,
			})
		}
		var foot []string
		if c.Source != "" {
			foot = append(foot, c.Source)
		}
		if !c.Published.IsZero() {
			foot = append(foot, c.Published.Format("2 Jan 2006"))
		}
		if len(foot) > 0 {
			// Footers show text as is: no Markdown to escape.
			e.Footer = &discordgo.MessageEmbedFooter{Text: cutRunes(strings.Join(foot, " · "), maxFooter)}
		}
		if c.Image != "" {
			e.Image = &discordgo.MessageEmbedImage{URL: c.Image}
		}
		size := embedSize(e)
		if total+size > maxEmbedTotal {
			// Shorten this embed's description to what is left, or stop.
			left := maxEmbedTotal - total - (size - utf8.RuneCountInString(e.Description))
			if left < 100 {
				break
			}
			e.Description = cutMarkdown(e.Description, left)
			size = embedSize(e)
		}
		total += size
		m.embeds = append(m.embeds, e)
	}
	if m.content == "" && len(m.embeds) == 0 {
		m.content = "Nothing to show."
	}
	if len(r.Buttons) > 0 {
		var row discordgo.ActionsRow
		for _, b := range r.Buttons {
			if len(b.CustomID) > maxCustomID || len(row.Components) == 5 {
				continue
			}
			row.Components = append(row.Components, discordgo.Button{
				Label: cutRunes(b.Label, maxLabel), Style: discordgo.SecondaryButton, CustomID: b.CustomID, Disabled: b.Disabled,
			})
		}
		if len(row.Components) > 0 {
			m.components = []discordgo.MessageComponent{row}
		}
	}
	for _, f := range r.Files {
		m.files = append(m.files, &discordgo.File{Name: f.Name, ContentType: f.ContentType, Reader: strings.NewReader(string(f.Data))})
	}
	return m
}

// embedSize counts the characters Discord adds up toward an embed's 6000.
func embedSize(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	if e.Author != nil {
		n += utf8.RuneCountInString(e.Author.Name)
	}
	return n
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2048
}

// cutRunes cuts plain text to n runes, ending with "…" when it cut.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// cutMarkdown cuts Markdown to n runes without leaving a dangling escape
// backslash or an unclosed bold, ending with "…" when it cut.
func cutMarkdown(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-3] // room for "**" and "…"
	out := string(r)
	// A trailing odd run of backslashes would escape what follows.
	bs := 0
	for i := len(out) - 1; i >= 0 && out[i] == '\\'; i-- {
		bs++
	}
	if bs%2 == 1 {
		out = out[:len(out)-1]
	}
	if strings.HasSuffix(out, "*") && !strings.HasSuffix(out, "\\*") {
		out = strings.TrimRight(out, "*")
	}
	if unescapedCount(out, "**")%2 == 1 {
		out += "**"
	}
	return out + "…"
}

// unescapedCount counts occurrences of sep not preceded by a backslash.
func unescapedCount(s, sep string) int {
	n := 0
	for i := 0; i+len(sep) <= len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i:i+len(sep)] == sep {
			n++
			i += len(sep) - 1
		}
	}
	return n
}

// renderChoices fits autocomplete choices to Discord's limits.
func renderChoices(in []commands.Choice) []*discordgo.ApplicationCommandOptionChoice {
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, min(len(in), maxChoices))
	for _, c := range in {
		if len(out) == maxChoices {
			break
		}
		name := cutRunes(c.Name, maxChoiceName)
		if name == "" || c.Value == "" || utf8.RuneCountInString(c.Value) > maxChoiceName {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: c.Value})
	}
	return out
}
