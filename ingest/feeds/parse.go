package feeds

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsbot/newsbot/news"
)

// TeaserRunes is the length under which an item's text counts as a teaser:
// with full_text set, the article is fetched from the item's link instead.
const TeaserRunes = 500

// IsFeed reports whether a document is RSS, Atom or JSON Feed, by its media
// type where that says so and by its first bytes otherwise (feeds are often
// served as text/xml, text/plain or application/octet-stream).
func IsFeed(mediaType string, body []byte) bool {
	switch mediaType {
	case "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json":
		return true
	case "text/html", "application/xhtml+xml":
		return false
	}
	head := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	head = head[:min(len(head), 4096)]
	switch {
	case bytes.HasPrefix(head, []byte("<")):
		t := gofeed.DetectFeedType(bytes.NewReader(head))
		return t == gofeed.FeedTypeRSS || t == gofeed.FeedTypeAtom
	case bytes.HasPrefix(head, []byte("{")):
		return bytes.Contains(head, []byte("jsonfeed.org/version"))
	}
	return false
}

// parseFeed runs the feed parser on a document, turning a panic on hostile
// input into an error so that one bad feed cannot stop the poller.
func parseFeed(data []byte) (feed *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, fmt.Errorf("feed parser failed: %v", r)
		}
	}()
	feed, err = gofeed.NewParser().Parse(bytes.NewReader(data))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, errors.New("not RSS, Atom or JSON Feed")
	}
	if err != nil {
		return nil, fmt.Errorf("malformed feed: %w", err)
	}
	return feed, nil
}

// entry is one feed item, ready for the poller to decide what it is: new,
// changed, or already known under one of its keys.
type entry struct {
	Ref  string // for messages: the feed's name and the item's position and title
	Key  string // identity within its feed: the GUID, else the link, else the text
	URL  string // canonical link, for dedupe across feeds ("" without a link)
	Hash string // hash of the text, for dedupe across feeds ("" for short texts)
	FP   string // fingerprint: changes when the item's content or dates change

	Link      string // absolute http(s) link to the article page
	Title     string
	Author    string
	Source    string
	Published time.Time
	Paras     []string
	Teaser    bool   // little text: a summary rather than the article
	Warning   string // something was wrong but the item is kept
	Err       error  // the item cannot become an article
}

// entries turns a parsed feed into entries. base is where the feed came from,
// for relative links.
func entries(feed *gofeed.Feed, name, base string) []entry {
	baseURL, _ := url.Parse(base)
	if l, err := url.Parse(strings.TrimSpace(feed.Link)); err == nil && l.IsAbs() {
		if baseURL == nil || !baseURL.IsAbs() {
			baseURL = l
		}
	}
	source := oneLine(textOf(feed.Title))
	out := make([]entry, 0, len(feed.Items))
	for i, it := range feed.Items {
		if it == nil {
			continue
		}
		out = append(out, newEntry(it, fmt.Sprintf("%s item %d", name, i+1), baseURL, source))
	}
	return out
}

func newEntry(it *gofeed.Item, ref string, base *url.URL, source string) entry {
	e := entry{Title: oneLine(textOf(it.Title)), Source: source}
	if e.Title != "" {
		ref += fmt.Sprintf(" (%q)", truncate(e.Title, 60))
	}
	e.Ref = ref

	links := append([]string{it.Link}, it.Links...)
	for _, l := range links {
		if abs := absLink(l, base); abs != "" {
			e.Link = abs
			break
		}
	}
	if len(it.Authors) > 0 && it.Authors[0] != nil {
		e.Author = oneLine(it.Authors[0].Name)
	}

	body := it.Content
	e.Teaser = strings.TrimSpace(body) == ""
	if e.Teaser {
		body = it.Description
	}
	e.Paras = paragraphs(body)
	if utf8.RuneCountInString(strings.Join(e.Paras, " ")) < TeaserRunes {
		e.Teaser = true
	}

	switch {
	case it.PublishedParsed != nil:
		e.Published = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		e.Published = it.UpdatedParsed.UTC()
	default:
		for _, s := range []string{it.Published, it.Updated} {
			if strings.TrimSpace(s) == "" {
				continue
			}
			if t, ok := news.ParseDate(s); ok {
				e.Published = t
				break
			}
			e.Warning = fmt.Sprintf("unreadable date %q: the item is kept without one", truncate(s, 40))
		}
	}
	if !e.Published.IsZero() && e.Warning != "" {
		e.Warning = ""
	}

	text := strings.Join(e.Paras, "\n")
	if norm := strings.Join(strings.Fields(strings.ToLower(text)), " "); utf8.RuneCountInString(norm) >= 200 {
		// Short texts ("Read more…") would make unrelated items look alike.
		e.Hash = shortHash(norm)
	}
	e.URL = news.CanonicalURL(e.Link)
	switch guid := strings.TrimSpace(it.GUID); {
	case guid != "":
		e.Key = "guid:" + guid
	case e.URL != "":
		e.Key = "url:" + e.URL
	default:
		e.Key = "text:" + shortHash(e.Title+"\x00"+text)
	}
	// The canonical link, not the link itself: some feeds put a different
	// tracking parameter on every fetch, which is no change to the item.
	e.FP = shortHash(strings.Join([]string{e.Title, e.URL, e.Author, text, it.Published, it.Updated}, "\x00"))

	if e.Title == "" && text == "" && e.Link == "" {
		e.Err = errors.New("item has no title, link or text")
	}
	return e
}

// article makes the item an article from the feed's own text.
func (e *entry) article(def news.Defaults) (*news.Article, error) {
	if e.Err != nil {
		return nil, e.Err
	}
	if len(e.Paras) == 0 {
		if e.Link == "" {
			return nil, errors.New("item has a title but no text and no link")
		}
		return nil, errors.New("item has no text, only a title and a link (set full_text to fetch the page)")
	}
	rec := map[string]any{
		"title":      e.Title,
		"url":        e.Link,
		"source":     e.Source,
		"author":     e.Author,
		"paragraphs": e.Paras,
	}
	if !e.Published.IsZero() {
		rec["published"] = e.Published.Format(time.RFC3339)
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	// The JSON record path of news.Parse cleans every field and sets the id
	// exactly as for an article from a file, so the same story has the same
	// id whichever way it arrives.
	items := news.Parse(e.Ref, data, news.FormatJSON, def)
	if len(items) != 1 {
		return nil, errors.New("item has no article text")
	}
	return items[0].Article, items[0].Err
}

// ParseFile reads a feed document (a local RSS, Atom or JSON Feed file, or a
// fetched one) into articles, one item each. ok is false when the data is
// not a feed, so the caller can parse it another way. Items use their feed's
// text; nothing is fetched.
func ParseFile(name string, data []byte, def news.Defaults) (items []news.Item, ok bool) {
	if !IsFeed("", data) {
		return nil, false
	}
	feed, err := parseFeed(data)
	if err != nil {
		return []news.Item{{Ref: name, Err: err}}, true
	}
	for _, e := range entries(feed, name, def.URL) {
		a, err := e.article(news.Defaults{Source: def.Source, Guild: def.Guild})
		items = append(items, news.Item{Ref: e.Ref, Article: a, Err: err})
	}
	if len(items) == 0 {
		return []news.Item{{Ref: name, Err: errors.New("the feed has no items")}}, true
	}
	return items, true
}

func absLink(raw string, base *url.URL) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == nil || !base.IsAbs() {
			return ""
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "" // javascript:, mailto:, data: and the like are no article
	}
	return u.String()
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

func oneLine(s string) string { return strings.Join(strings.Fields(news.CleanText(s)), " ") }

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// textOf strips markup from a title that carries some (Atom type="html").
func textOf(s string) string {
	if !looksHTML(s) {
		return s
	}
	return strings.Join(paragraphs(s), " ")
}

var tagRE = regexp.MustCompile(`<[a-zA-Z/!][^>]*>`)

func looksHTML(s string) bool { return strings.Contains(s, "<") && tagRE.MatchString(s) }

// feedFooterRE matches the lines blog engines add to every item.
var feedFooterRE = regexp.MustCompile(`(?i)^(?:the post .{1,300} appeared first on .{1,200}|continue reading.{0,80}|read the full (?:story|article).{0,40}|\[?…\]?|\[\.\.\.\])$`)

// paragraphs turns an item's text, HTML or plain, into paragraphs. Block
// elements and double line breaks end a paragraph; scripts, styles, images
// and embedded media are skipped.
func paragraphs(s string) []string {
	s = news.CleanText(s)
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var raw []string
	if !looksHTML(s) {
		for _, p := range strings.Split(strings.ReplaceAll(html.UnescapeString(s), "\r", ""), "\n\n") {
			raw = append(raw, p)
		}
	} else {
		raw = htmlBlocks(s)
	}
	var out []string
	for _, p := range raw {
		p = strings.Join(strings.Fields(p), " ")
		if p == "" || news.IsBoilerplate(p) || feedFooterRE.MatchString(p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

func htmlBlocks(s string) []string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		return []string{s}
	}
	var out []string
	var buf strings.Builder
	lastBr := false
	flush := func() {
		out = append(out, buf.String())
		buf.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if strings.TrimSpace(n.Data) != "" {
				lastBr = false
			}
			buf.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Iframe, atom.Object, atom.Embed, atom.Img,
				atom.Video, atom.Audio, atom.Figure, atom.Figcaption, atom.Form, atom.Button, atom.Svg, atom.Nav, atom.Aside:
				return
			case atom.Br:
				if lastBr {
					flush()
				} else {
					buf.WriteByte(' ')
				}
				lastBr = true
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
	for _, n := range nodes {
		walk(n)
	}
	flush()
	return out
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Ul, atom.Ol,
		atom.Blockquote, atom.Pre, atom.Table, atom.Tr, atom.Td, atom.Th, atom.Section, atom.Article,
		atom.Header, atom.Footer, atom.Dl, atom.Dd, atom.Dt, atom.Hr:
		return true
	}
	return false
}

var alternateTypes = map[string]bool{"application/rss+xml": true, "application/atom+xml": true, "application/feed+json": true}

// feedLinks finds the feeds an HTML page advertises with
// <link rel="alternate" type="application/rss+xml" href="...">, so that a
// page given as a feed can be answered with the feed to use instead.
func feedLinks(page []byte, base string) []string {
	b, _ := url.Parse(base)
	z := html.NewTokenizer(bytes.NewReader(page[:min(len(page), 256<<10)]))
	var out []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) == "body" {
				return out
			}
			if string(name) != "link" || !hasAttr {
				continue
			}
			var rel, typ, href string
			for {
				k, v, more := z.TagAttr()
				switch string(k) {
				case "rel":
					rel = strings.ToLower(string(v))
				case "type":
					typ = strings.ToLower(strings.TrimSpace(string(v)))
				case "href":
					href = string(v)
				}
				if !more {
					break
				}
			}
			if strings.Contains(rel, "alternate") && alternateTypes[typ] {
				if l := absLink(href, b); l != "" {
					out = append(out, l)
				}
			}
		}
	}
}
