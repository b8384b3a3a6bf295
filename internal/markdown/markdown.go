// Package markdown escapes outside text for Discord's Markdown, so that an
// article can never format, link or mention anything in a reply.
package markdown

import "strings"

// Escape makes s print literally in a Discord message or embed: Markdown
// markers, masked-link brackets, headings and quotes at a line start, mention
// and timestamp syntax (<@id>, <t:...>) and @everyone/@here.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '*', '_', '~', '`', '|', '>', '[', ']', '<':
			b.WriteByte('\\')
		case '#', '-':
			if lineStart {
				b.WriteByte('\\')
			}
		case '@':
			b.WriteByte(c)
			if strings.HasPrefix(s[i+1:], "everyone") || strings.HasPrefix(s[i+1:], "here") {
				// A zero-width space keeps it from reading as a mention even
				// where allowed_mentions would not apply (a copy-paste).
				b.WriteString("\u200b")
			}
			lineStart = false
			continue
		}
		b.WriteByte(c)
		lineStart = c == '\n' || (lineStart && c == ' ')
	}
	return b.String()
}

// Bold wraps already escaped text in Discord bold markers.
func Bold(escaped string) string {
	if escaped == "" {
		return ""
	}
	return "**" + escaped + "**"
}

// BoldSpans escapes text and bolds its byte ranges [start, end), given in
// order and apart; a range out of order or outside text is shown plain.
func BoldSpans(text string, spans [][2]int) string {
	var b strings.Builder
	pos := 0
	for _, sp := range spans {
		if sp[0] < pos || sp[1] > len(text) || sp[0] >= sp[1] {
			continue
		}
		b.WriteString(Escape(text[pos:sp[0]]))
		b.WriteString(Bold(Escape(text[sp[0]:sp[1]])))
		pos = sp[1]
	}
	b.WriteString(Escape(text[pos:]))
	return b.String()
}
