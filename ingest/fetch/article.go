package fetch

import (
	"bytes"
	"context"
	"fmt"
	"regexp"

	"github.com/newsbot/newsbot/news"
)

// Article fetches a page and parses it like any other article. The final URL
// (after redirects) is the article's address unless the page names a
// canonical one, so the same page reached by two links gets one id.
func (f *Fetcher) Article(ctx context.Context, rawURL string, def news.Defaults) ([]news.Item, error) {
	resp, err := f.Get(ctx, rawURL, PageTypes...)
	if err != nil {
		return nil, err
	}
	return resp.Items(def)
}

// Items parses a fetched page into articles: HTML, text and Markdown give
// one, JSON and CSV one per record. XML (a feed) is for the feeds package.
func (r *Response) Items(def news.Defaults) ([]news.Item, error) {
	format := r.Format()
	if format == "" {
		return nil, fmt.Errorf("fetch: %s: %s is not an article page (a feed?)", r.URL, r.ContentType)
	}
	data := r.Body
	switch format {
	case news.FormatHTML:
		def.URL = r.URL
		data = declareUTF8(data)
	case news.FormatText, news.FormatMarkdown:
		def.URL = r.URL
		// JSON and CSV hold many records: the page's address is none of
		// theirs, and giving it to all would merge them into one id.
	}
	return news.Parse(r.URL, data, format, def), nil
}

var doctypeRE = regexp.MustCompile(`(?i)^\s*<!doctype[^>]*>`)

// declareUTF8 puts <meta charset="utf-8"> at the top of a page Body already
// decoded to UTF-8. The HTML parser would otherwise take the page's own meta
// tag (naming the encoding it was sent in) and decode the text a second time.
// The first charset declaration wins, so this one must come first; it goes
// after the doctype to keep the page out of quirks mode.
func declareUTF8(page []byte) []byte {
	const meta = `<meta charset="utf-8">`
	out := make([]byte, 0, len(page)+len(meta))
	if loc := doctypeRE.FindIndex(page[:min(len(page), 1024)]); loc != nil {
		out = append(out, page[:loc[1]]...)
		page = page[loc[1]:]
	}
	out = append(out, meta...)
	return append(out, bytes.TrimPrefix(page, utf8BOM)...)
}
