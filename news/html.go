package news

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/newsbot/newsbot/news/charset"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parseHTML extracts a page's main text with readability and its metadata from
// meta tags (og:*, article:*, author, canonical link). pageURL is where it was
// fetched from, if known.
func parseHTML(data []byte, pageURL string) (*Article, error) {
	data, _ = charset.Decode(data, "", true)
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("html: %w", err)
	}
	meta := readMeta(doc)
	var base *url.URL
	if u, err := url.Parse(pageURL); err == nil && u.IsAbs() {
		base = u
	}
	ra, err := readability.FromDocument(doc, base)
	if err != nil {
		return nil, fmt.Errorf("html: readability: %w", err)
	}
	a := &Article{
		// Readability's headline weighs the page's JSON-LD, meta tags and
		// <title> together; the tags alone are the fallback.
		Title:  first(ra.Title(), meta["og:title"], meta["twitter:title"], meta["title"]),
		URL:    first(meta["canonical"], meta["og:url"], pageURL),
		Source: first(meta["og:site_name"], ra.SiteName()),
		Author: first(meta["author"], meta["article:author"], ra.Byline()),
	}
	a.Title = StripSiteName(a.Title, a.Source, meta["application-name"])
	if t, ok := ParseDate(first(meta["article:published_time"], meta["date"], meta["pubdate"], meta["dc.date"])); ok {
		a.Published = t
	} else if t, err := ra.PublishedTime(); err == nil {
		a.Published = t.UTC()
	}
	if ra.Node != nil {
		a.Paragraphs = blockTexts(ra.Node)
	}
	if len(a.Paragraphs) > 0 && strings.EqualFold(a.Paragraphs[0], a.Title) {
		a.Paragraphs = a.Paragraphs[1:]
	}
	// A dateline at the top of the text gives the date where meta tags did not.
	if len(a.Paragraphs) > 0 {
		if t, ok := parseDateline(a.Paragraphs[0]); ok {
			if a.Published.IsZero() {
				a.Published = t
			}
			a.Paragraphs = a.Paragraphs[1:]
		}
	}
	kept := a.Paragraphs[:0]
	for _, p := range a.Paragraphs {
		if !IsBoilerplate(p) {
			kept = append(kept, p)
		}
	}
	a.Paragraphs = kept
	return a, nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// readMeta collects <meta name|property=... content=...>, <title> and the
// canonical link, with lower-cased keys.
func readMeta(doc *html.Node) map[string]string {
	m := map[string]string{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Meta:
				var key, content string
				for _, at := range n.Attr {
					switch strings.ToLower(at.Key) {
					case "name", "property", "itemprop":
						key = strings.ToLower(strings.TrimSpace(at.Val))
					case "content":
						content = at.Val
					}
				}
				if key != "" && m[key] == "" {
					m[key] = content
				}
			case atom.Title:
				if m["title"] == "" && n.FirstChild != nil {
					m["title"] = n.FirstChild.Data
				}
			case atom.Link:
				var rel, href string
				for _, at := range n.Attr {
					switch strings.ToLower(at.Key) {
					case "rel":
						rel = strings.ToLower(at.Val)
					case "href":
						href = at.Val
					}
				}
				if rel == "canonical" && m["canonical"] == "" {
					if u, err := url.Parse(href); err == nil && u.IsAbs() {
						m["canonical"] = href
					}
				}
			case atom.Body:
				return // metadata lives in <head>
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

// blockTexts returns the text of each block element (paragraph, heading, list
// item, quote, table cell) of the content, in order.
func blockTexts(root *html.Node) []string {
	var out []string
	var buf strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(buf.String()), " "); s != "" {
			out = append(out, s)
		}
		buf.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			buf.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Figure, atom.Figcaption, atom.Nav, atom.Aside:
				return
			case atom.Br:
				buf.WriteByte(' ')
				return
			}
		}
		block := n.Type == html.ElementNode && isBlock(n.DataAtom)
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(root)
	flush()
	return out
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Blockquote,
		atom.Pre, atom.Td, atom.Th, atom.Tr, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Dd, atom.Dt:
		return true
	}
	return false
}
