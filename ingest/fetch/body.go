package fetch

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"

	"github.com/newsbot/newsbot/news"
	textcharset "github.com/newsbot/newsbot/news/charset"
)

// kind is what a response's content type makes of it.
type kind int

const (
	kindRefused kind = iota
	kindSniff        // no useful type: look at the bytes
	kindHTML
	kindText
	kindMarkdown
	kindJSON
	kindCSV
	kindXML // RSS, Atom and other XML
)

// classify maps a Content-Type header to the media type and its kind.
func classify(header string) (string, kind) {
	if strings.TrimSpace(header) == "" {
		return "", kindSniff
	}
	media, _, err := mime.ParseMediaType(header)
	if err != nil {
		return "", kindSniff
	}
	return media, kindOf(media)
}

func kindOf(media string) kind {
	switch media {
	case "text/html", "application/xhtml+xml":
		return kindHTML
	case "text/plain":
		return kindText
	case "text/markdown", "text/x-markdown":
		return kindMarkdown
	case "application/json", "text/json", "application/feed+json":
		return kindJSON
	case "text/csv":
		return kindCSV
	case "application/xml", "text/xml":
		return kindXML
	case "application/octet-stream", "binary/octet-stream":
		// Some servers label everything so, feeds included.
		return kindSniff
	}
	switch {
	case strings.HasSuffix(media, "+xml"): // rss+xml, atom+xml, rdf+xml
		return kindXML
	case strings.HasSuffix(media, "+json"):
		return kindJSON
	}
	return kindRefused
}

// sniff guesses the kind from the first bytes, for a response without a
// useful Content-Type.
func sniff(body []byte) (string, kind) {
	head := bytes.TrimLeft(bytes.TrimPrefix(body, utf8BOM), " \t\r\n")
	head = head[:min(len(head), 512)]
	lower := bytes.ToLower(head)
	switch {
	case bytes.HasPrefix(lower, []byte("<?xml")), bytes.HasPrefix(lower, []byte("<rss")),
		bytes.HasPrefix(lower, []byte("<feed")), bytes.HasPrefix(lower, []byte("<rdf")):
		return "application/xml", kindXML
	case bytes.HasPrefix(head, []byte("{")), bytes.HasPrefix(head, []byte("[")):
		return "application/json", kindJSON
	}
	media, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	switch media {
	case "text/html":
		return media, kindHTML
	case "text/xml":
		return media, kindXML
	case "text/plain":
		return media, kindText
	}
	return media, kindRefused
}

// Format is the news format a response parses as; "" for XML, which only a
// feed parser reads.
func (r *Response) Format() news.Format {
	switch kindOf(r.ContentType) {
	case kindHTML:
		return news.FormatHTML
	case kindText:
		return news.FormatText
	case kindMarkdown:
		return news.FormatMarkdown
	case kindJSON:
		return news.FormatJSON
	case kindCSV:
		return news.FormatCSV
	}
	return ""
}

// capReader fails with ErrTooLarge once more than left bytes come through,
// rather than truncating silently (a cut document parses into garbage).
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, ErrTooLarge
	}
	return n, err
}

// readLimited reads a body, decompressing it when the server compressed it.
// Both the bytes on the wire and the decompressed bytes are capped, so a
// small gzip bomb fails as soon as its output passes the limit.
func readLimited(r io.Reader, contentEncoding string, limit int64) ([]byte, error) {
	raw := &capReader{r: r, left: limit}
	var rd io.Reader = raw
	switch enc := strings.ToLower(strings.TrimSpace(contentEncoding)); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		gz, err := gzip.NewReader(raw)
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		defer gz.Close()
		rd = gz
	case "deflate":
		zr, err := zlib.NewReader(raw)
		if err != nil {
			return nil, fmt.Errorf("deflate body: %w", err)
		}
		defer zr.Close()
		rd = zr
	default:
		return nil, fmt.Errorf("unsupported content encoding %q", enc)
	}
	data, err := io.ReadAll(&capReader{r: rd, left: limit})
	if err != nil {
		if err == ErrTooLarge {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
		}
		return nil, fmt.Errorf("reading body: %w", err)
	}
	return data, nil
}

var utf8BOM = []byte("\xef\xbb\xbf")

// xmlDeclRE finds the encoding named in an XML declaration.
var xmlDeclRE = regexp.MustCompile(`^(\s*<\?xml\s[^>]*?encoding\s*=\s*)(?:"([^"]*)"|'([^']*)')`)

// decode turns a body into UTF-8. Pages and text are read as a person would
// (news/charset: a byte order mark, UTF-8 bytes, the Content-Type charset,
// the page's own declaration, a detector); JSON is UTF-8 by definition;
// XML takes a byte order mark, the Content-Type charset, then its
// declaration, else UTF-8.
func decode(body []byte, contentType string, k kind) ([]byte, string) {
	switch k {
	case kindJSON:
		// JSON is UTF-8 by definition (RFC 8259); a label saying otherwise
		// is more likely wrong than the bytes.
		out := bytes.TrimPrefix(body, utf8BOM)
		if !utf8.Valid(out) {
			out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
		}
		return out, "utf-8"
	case kindXML:
		return decodeXML(body, contentType)
	}
	out, res := textcharset.Decode(body, contentType, k == kindHTML)
	return out, res.Name
}

func decodeXML(body []byte, contentType string) ([]byte, string) {
	var enc encoding.Encoding
	var name string
	if bytes.HasPrefix(body, utf8BOM) || bytes.HasPrefix(body, []byte{0xfe, 0xff}) || bytes.HasPrefix(body, []byte{0xff, 0xfe}) {
		enc, name, _ = charset.DetermineEncoding(body, "")
	}
	if enc == nil {
		if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
			enc, name = charset.Lookup(params["charset"])
		}
	}
	if enc == nil {
		if m := xmlDeclRE.FindSubmatch(body[:min(len(body), 256)]); m != nil {
			enc, name = charset.Lookup(string(m[2]) + string(m[3]))
		}
	}
	if enc == nil {
		name = "utf-8" // XML's default
	}
	out := body
	if enc != nil && enc != encoding.Nop && name != "utf-8" {
		if dec, err := enc.NewDecoder().Bytes(body); err == nil {
			out = dec
		}
	}
	out = bytes.TrimPrefix(out, utf8BOM)
	if !utf8.Valid(out) {
		out = []byte(strings.ToValidUTF8(string(out), "\uFFFD"))
	}
	// The body is UTF-8 now; a declaration still naming the old encoding
	// would make an XML parser decode it a second time.
	out = xmlDeclRE.ReplaceAll(out, []byte(`${1}"UTF-8"`))
	return out, name
}
