package news

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/news/charset"
	"github.com/newsbot/newsbot/news/quotes"
)

// MaxInputBytes caps one input file or stream; larger inputs are refused whole.
const MaxInputBytes = 10 << 20

// Format names an input format.
type Format string

const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
	FormatJSON     Format = "json"
	FormatJSONL    Format = "jsonl"
	FormatCSV      Format = "csv"
)

// Item is one article parsed from an input, or the reason it could not be. Ref
// names it for messages: the input's name, with "#row" or "#line" for tables and
// lines.
type Item struct {
	Ref     string
	Article *Article
	Err     error
	// Record is set for a row of a table or list (CSV, JSONL, a JSON
	// array): a row with no text is skipped there, not an error of the
	// input.
	Record bool
}

// ErrEmpty is returned for an input or record that holds no article text.
var ErrEmpty = errors.New("no article text")

// DetectFormat guesses the format from the file name, then from the content.
func DetectFormat(name string, data []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown":
		return FormatMarkdown
	case ".html", ".htm", ".xhtml":
		return FormatHTML
	case ".json":
		return FormatJSON
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".csv":
		return FormatCSV
	case ".txt", ".text":
		return FormatText
	}
	head := bytes.TrimSpace(data[:min(len(data), 512)])
	lower := bytes.ToLower(head)
	switch {
	case bytes.HasPrefix(head, []byte("[")):
		return FormatJSON
	case bytes.HasPrefix(head, []byte("{")):
		if i := bytes.IndexByte(bytes.TrimSpace(data), '\n'); i > 0 && json.Valid(bytes.TrimSpace(data)[:i]) {
			return FormatJSONL
		}
		return FormatJSON
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")),
		bytes.Contains(lower, []byte("<body")), bytes.Contains(lower, []byte("<article")):
		return FormatHTML
	case bytes.HasPrefix(head, []byte("# ")), bytes.HasPrefix(head, []byte("---\n")):
		return FormatMarkdown
	}
	return FormatText
}

// Defaults are applied to every parsed article that lacks them.
type Defaults struct {
	// SetSource is a source name the user gave (ingest --source): it wins
	// over what the input says. Source is only for articles that name none.
	SetSource string
	Source    string
	Guild     string
	URL       string // the address an HTML page or text was fetched from
}

// Parse reads one input (a file's bytes, a fetched page, stdin) and returns its
// articles. A table or list yields one item per record, each with its own error,
// so a broken row fails alone. An input that cannot be read at all yields a single
// failed item.
func Parse(name string, data []byte, format Format, def Defaults) []Item {
	fail := func(err error) []Item { return []Item{{Ref: name, Err: err}} }
	if len(data) > MaxInputBytes {
		return fail(fmt.Errorf("%d bytes is over the %d MB limit", len(data), MaxInputBytes>>20))
	}
	if format == "" {
		format = DetectFormat(name, data)
	}
	if looksBinary(data) {
		return fail(errors.New("binary file, not text"))
	}
	switch format {
	case FormatHTML:
		// HTML may declare its charset: parseHTML reads it.
	case FormatJSON, FormatJSONL:
		// JSON is UTF-8 by definition (RFC 8259). Invalid bytes are
		// replaced rather than refused, so one bad byte loses nothing.
		if !utf8.Valid(data) {
			data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
		}
	default:
		// Text and tables saved by older tools come in legacy encodings.
		data, _ = charset.Decode(data, "", false)
	}
	var items []Item
	switch format {
	case FormatText:
		items = []Item{{Ref: name, Article: parsePlainText(string(data))}}
	case FormatMarkdown:
		items = []Item{{Ref: name, Article: parseMarkdown(string(data))}}
	case FormatHTML:
		a, err := parseHTML(data, def.URL)
		items = []Item{{Ref: name, Article: a, Err: err}}
	case FormatJSON:
		items = parseJSON(name, data)
	case FormatJSONL:
		items = parseJSONL(name, data)
	case FormatCSV:
		items = parseCSV(name, data)
	default:
		return fail(fmt.Errorf("unknown format %q", format))
	}
	for i := range items {
		if items[i].Err != nil {
			continue
		}
		items[i].Err = finish(items[i].Article, def)
		if items[i].Err != nil {
			items[i].Article = nil
		}
	}
	return items
}

// finish fills defaults, cleans every field and checks the article holds text.
func finish(a *Article, def Defaults) error {
	if a == nil {
		return ErrEmpty
	}
	a.Title = oneLine(a.Title)
	a.URL = strings.TrimSpace(a.URL)
	if a.URL == "" {
		a.URL = def.URL
	}
	// The source: a name the user gave, then what the input says, then the
	// default of where it came from (a feed's name), then the host name.
	a.Source = oneLine(a.Source)
	switch {
	case def.SetSource != "":
		a.Source = oneLine(def.SetSource)
	case a.Source == "":
		a.Source = def.Source
	}
	if a.Source == "" {
		a.Source = SiteName(a.URL)
	}
	a.Title = StripSiteName(a.Title, a.Source, SiteName(a.URL))
	a.Author = oneLine(a.Author)
	if a.Guild == "" {
		a.Guild = def.Guild
	}
	paras := a.Paragraphs[:0]
	for _, p := range a.Paragraphs {
		p = strings.Join(strings.Fields(CleanText(p)), " ")
		if p != "" {
			paras = append(paras, p)
		}
	}
	a.Paragraphs = paras
	if len(a.Paragraphs) == 0 {
		return ErrEmpty
	}
	if a.Title == "" {
		a.Title = firstWords(a.Paragraphs[0], 12)
	}
	if a.ID == "" {
		a.ComputeID()
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(CleanText(s)), " ") }

// firstWords makes a stand-in title from the start of the body.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:n], " ") + "…"
}

// looksBinary reports NUL bytes or a high share of control bytes in the first
// kilobytes: images, archives, executables.
func looksBinary(data []byte) bool {
	head := data[:min(len(data), 8192)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctrl := 0
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			ctrl++
		}
	}
	return len(head) > 0 && ctrl*10 > len(head)
}

// record is one article as JSON, JSONL or a CSV row holds it. Several names are
// accepted for the same field, as feeds and exports name them differently.
type record map[string]any

func (r record) str(keys ...string) string {
	for _, k := range keys {
		switch v := r[k].(type) {
		case string:
			if strings.TrimSpace(v) != "" {
				return v
			}
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}

// article turns a record into an article. Its text may start with a dateline, as
// the Wikinews rows do; an explicit date field wins over it.
func (r record) article() (*Article, error) {
	a := &Article{
		ID:     r.str("id"),
		Title:  r.str("title", "headline"),
		URL:    r.str("url", "link", "canonical_url"),
		Source: r.str("source", "site", "site_name", "feed"),
		Author: r.str("author", "byline", "authors"),
		Guild:  r.str("guild"),
	}
	if ps, ok := r["paragraphs"].([]any); ok {
		for _, p := range ps {
			if s, ok := p.(string); ok {
				a.Paragraphs = append(a.Paragraphs, s)
			}
		}
	} else {
		text := r.str("text", "body", "content", "content_text", "description", "summary")
		date, paras := parseBody(text)
		a.Paragraphs = paras
		a.Published = date
	}
	if d := r.str("published", "date", "published_at", "pubDate", "date_published", "time"); d != "" {
		t, ok := ParseDate(d)
		if !ok {
			return nil, fmt.Errorf("unreadable date %q (want RFC 3339 or YYYY-MM-DD)", d)
		}
		a.Published = t
	}
	if ing := r.str("ingested"); ing != "" {
		if t, ok := ParseDate(ing); ok {
			a.Ingested = t
		}
	}
	if qs, ok := r["quotes"]; ok {
		// An export carries its quotes; keep them rather than extract again.
		raw, _ := json.Marshal(qs)
		if err := json.Unmarshal(raw, &a.Quotes); err != nil {
			return nil, fmt.Errorf("quotes: %w", err)
		}
		if a.Quotes == nil {
			a.Quotes = []quotes.Quote{}
		}
	}
	return a, nil
}

// parseBody splits the text of a record: a leading dateline gives the date, and
// boilerplate lines are dropped.
func parseBody(text string) (published time.Time, paras []string) {
	lines := strings.Split(CleanText(text), "\n")
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i < len(lines) {
		if t, ok := parseDateline(lines[i]); ok {
			published = t
			i++
		}
	}
	kept := lines[i:i]
	for _, l := range lines[i:] {
		if strings.TrimSpace(l) != "" && IsBoilerplate(l) {
			continue
		}
		kept = append(kept, l)
	}
	return published, splitParagraphs(strings.Join(kept, "\n"))
}

func parseJSON(name string, data []byte) []Item {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return []Item{{Ref: name, Err: fmt.Errorf("invalid JSON: %w", err)}}
	}
	switch v := v.(type) {
	case map[string]any:
		if list, ok := v["articles"].([]any); ok {
			return recordItems(name, "#", list)
		}
		a, err := record(v).article()
		return []Item{{Ref: name, Article: a, Err: err}}
	case []any:
		return recordItems(name, "#", v)
	}
	return []Item{{Ref: name, Err: errors.New("JSON is neither an object nor an array of objects")}}
}

func recordItems(name, sep string, list []any) []Item {
	items := make([]Item, 0, len(list))
	for i, x := range list {
		ref := fmt.Sprintf("%s%s%d", name, sep, i+1)
		obj, ok := x.(map[string]any)
		if !ok {
			items = append(items, Item{Ref: ref, Err: errors.New("not a JSON object")})
			continue
		}
		a, err := record(obj).article()
		items = append(items, Item{Ref: ref, Article: a, Err: err, Record: true})
	}
	return items
}

func parseJSONL(name string, data []byte) []Item {
	var items []Item
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		ref := fmt.Sprintf("%s:%d", name, n+1)
		var obj map[string]any
		if err := json.Unmarshal(line, &obj); err != nil {
			items = append(items, Item{Ref: ref, Err: fmt.Errorf("invalid JSON: %w", err)})
			continue
		}
		a, err := record(obj).article()
		items = append(items, Item{Ref: ref, Article: a, Err: err, Record: true})
	}
	if len(items) == 0 {
		return []Item{{Ref: name, Err: ErrEmpty}}
	}
	return items
}

// parseCSV reads a table with a header row. A row that the CSV reader rejects,
// or with the wrong number of fields, fails alone.
func parseCSV(name string, data []byte) []Item {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return []Item{{Ref: name, Err: fmt.Errorf("CSV header: %w", err)}}
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")))
	}
	var items []Item
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		ref := fmt.Sprintf("%s#row%d", name, len(items)+1)
		if err != nil {
			// The reader resumes on the next line after a broken row, so the
			// row fails alone.
			items = append(items, Item{Ref: ref, Err: fmt.Errorf("CSV: %w", err)})
			continue
		}
		if len(row) != len(header) {
			items = append(items, Item{Ref: ref, Err: fmt.Errorf("CSV row has %d fields, header has %d", len(row), len(header))})
			continue
		}
		rec := record{}
		for i, h := range header {
			rec[h] = row[i]
		}
		a, err := rec.article()
		items = append(items, Item{Ref: ref, Article: a, Err: err, Record: true})
	}
	if len(items) == 0 {
		return []Item{{Ref: name, Err: ErrEmpty}}
	}
	return items
}

// FromText makes an article of a text a member typed or posted: all of it is
// the body (a short message has no title line); the title is the one given or
// the first words.
func FromText(title, text string, def Defaults) Item {
	a := &Article{Title: title, Paragraphs: splitParagraphs(CleanText(text))}
	if err := finish(a, def); err != nil {
		return Item{Ref: "text", Err: err}
	}
	return Item{Ref: "text", Article: a}
}
