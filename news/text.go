package news

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// boilerplateRE matches the short lines news sites wrap around an article: teasers
// for other pages, sharing and subscription prompts, cookie banners. They are only
// dropped when the whole line is short, so a sentence that mentions cookies stays.
var boilerplateRE = regexp.MustCompile(`(?i)^(?:` +
	`must[- ]reads?|latest(?: news| articles?| stories| posts?)?|read (?:more|next|also)|related(?: articles?| stories| news| posts)?|` +
	`recommended(?: for you)?|trending(?: now)?|top stories|most (?:read|popular)|more (?:from|on) .{0,40}|see also|` +
	`advertisement|sponsored(?: content)?|share(?: this(?: article| story)?)?(?: on .{0,30})?|tweet|print|email|` +
	`follow us.{0,40}|subscribe.{0,60}|sign up.{0,60}|newsletter.{0,60}|` +
	`.{0,40}cookies?.{0,80}|accept(?: all)?(?: cookies)?|skip to (?:main )?content|back to top|` +
	`image:.{0,80}|photo:.{0,80}|credit:.{0,80}|copyright .{0,80}|© .{0,80}|all rights reserved\.?|` +
	`\(?continued\)?|comments?(?: \(\d+\))?|leave a comment|tags?:.{0,120}` +
	`)[.:!]?$`)

// IsBoilerplate reports whether a line is site furniture rather than article text.
func IsBoilerplate(line string) bool {
	line = strings.TrimSpace(line)
	if line == "" {
		return true
	}
	if utf8.RuneCountInString(line) > 100 {
		return false
	}
	return boilerplateRE.MatchString(line)
}

// CleanText makes text safe to store and index: valid UTF-8 (invalid bytes become
// U+FFFD), no NULs or other control characters but newlines and tabs, no-break
// spaces as spaces, CRLF as LF.
func CleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r' || r == '\u00a0' || r == '\u2028' || r == '\u2029':
			if r == '\u2028' || r == '\u2029' {
				return '\n'
			}
			return ' '
		case r == '\ufeff' || r == '\u200b':
			return -1
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// splitParagraphs splits text on blank lines; the lines of one paragraph are
// joined with single spaces and runs of spaces collapse.
func splitParagraphs(text string) []string {
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			p := strings.Join(strings.Fields(strings.Join(cur, " ")), " ")
			if p != "" {
				paras = append(paras, p)
			}
			cur = cur[:0]
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return paras
}

// parsePlainText reads an article as scraped text: an optional dateline, the
// title on the first real line, then the body in paragraphs, with site
// boilerplate dropped. A dateline just under the title is also taken.
func parsePlainText(text string) *Article {
	a := &Article{}
	lines := strings.Split(CleanText(text), "\n")
	i := 0
	next := func() {
		for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
			i++
		}
	}
	takeDateline := func() {
		next()
		if i < len(lines) {
			if t, ok := parseDateline(lines[i]); ok {
				if a.Published.IsZero() {
					a.Published = t
				}
				i++
			}
		}
	}
	takeDateline()
	for next(); i < len(lines); next() {
		if IsBoilerplate(lines[i]) {
			i++
			continue
		}
		title := strings.Join(strings.Fields(lines[i]), " ")
		// A first line that is a whole paragraph is not a title: the text has none.
		if utf8.RuneCountInString(title) <= 200 {
			a.Title = strings.TrimRight(title, " .")
			i++
		}
		break
	}
	takeDateline()
	var body []string
	for ; i < len(lines); i++ {
		if IsBoilerplate(lines[i]) && strings.TrimSpace(lines[i]) != "" {
			continue
		}
		body = append(body, lines[i])
	}
	a.Paragraphs = splitParagraphs(strings.Join(body, "\n"))
	return a
}
