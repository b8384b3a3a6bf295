package news

import (
	"regexp"
	"strings"
)

var (
	mdImageRE    = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	mdLinkRE     = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	mdEmphasisRE = regexp.MustCompile(`(\*\*|__|\*|_|~~|` + "`" + `)([^*_~` + "`" + `\n]+?)(\*\*|__|\*|_|~~|` + "`" + `)`)
	mdListRE     = regexp.MustCompile(`^\s*(?:[-*+]|\d+[.)])\s+`)
	mdHeadingRE  = regexp.MustCompile(`^#{1,6}\s+`)
	mdRuleRE     = regexp.MustCompile(`^\s*(?:[-*_]\s*){3,}$`)
)

// parseMarkdown reads a Markdown article: YAML-style front matter (title, date,
// source, author, url), the first heading as the title, and the rest as plain
// text with the Markdown syntax removed.
func parseMarkdown(text string) *Article {
	text = CleanText(text)
	meta := map[string]string{}
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		if fm, body, ok := strings.Cut(rest, "\n---"); ok {
			for _, line := range strings.Split(fm, "\n") {
				if k, v, ok := strings.Cut(line, ":"); ok {
					meta[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"'`)
				}
			}
			text = strings.TrimPrefix(body, "\n")
		}
	}
	var out []string
	title := meta["title"]
	inFence := false
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			inFence = !inFence
			out = append(out, "")
			continue
		}
		if inFence {
			out = append(out, line)
			continue
		}
		if mdRuleRE.MatchString(trimmed) && trimmed != "" {
			out = append(out, "")
			continue
		}
		if mdHeadingRE.MatchString(trimmed) {
			h := stripInline(mdHeadingRE.ReplaceAllString(trimmed, ""))
			if title == "" {
				title = h
				continue
			}
			// A heading inside the body is its own paragraph.
			out = append(out, "", h, "")
			continue
		}
		line = strings.TrimLeft(trimmed, "> ")
		if mdListRE.MatchString(line) {
			// Each list item is a paragraph of its own.
			out = append(out, "", stripInline(mdListRE.ReplaceAllString(line, "")), "")
			continue
		}
		out = append(out, stripInline(line))
	}
	a := parsePlainText(strings.Join(out, "\n"))
	if title != "" {
		// parsePlainText took the first body line as the title: put it back.
		if a.Title != "" {
			a.Paragraphs = append([]string{a.Title}, a.Paragraphs...)
		}
		a.Title = title
	}
	a.URL = meta["url"]
	a.Source = meta["source"]
	a.Author = meta["author"]
	if t, ok := ParseDate(meta["date"]); ok {
		a.Published = t
	} else if t, ok := ParseDate(meta["published"]); ok {
		a.Published = t
	}
	return a
}

func stripInline(s string) string {
	s = mdImageRE.ReplaceAllString(s, "")
	s = mdLinkRE.ReplaceAllString(s, "$1")
	for range 3 { // nested emphasis: ***a***
		s = mdEmphasisRE.ReplaceAllStringFunc(s, func(m string) string {
			sub := mdEmphasisRE.FindStringSubmatch(m)
			if sub[1] != sub[3] {
				return m
			}
			return sub[2]
		})
	}
	return s
}
