// Package charset turns the bytes of a page or a file into the UTF-8 text a
// person would read in it, whatever encoding it came in and whatever it says
// it came in.
package charset

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	htmlcharset "golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// How far into a document the declaration and the detector look: a
// declaration stands in the head, and a detector is sure long before this.
const (
	headScan   = 256 << 10
	detectScan = 64 << 10
)

// How the encoding was chosen, for logs and tests.
const (
	ByBOM      = "bom"
	ByUTF8     = "utf-8 bytes"
	ByHeader   = "header"
	ByDocument = "document"
	ByDetector = "detector"
	ByDefault  = "default"
)

// Result says which encoding the text was read in and why.
type Result struct {
	Name string // WHATWG name, "utf-8" when no decoding was needed
	By   string // one of the By* constants
}

var utf8BOM = []byte("\xef\xbb\xbf")

// Decode returns body as valid UTF-8. The encoding is, in order: a byte
// order mark; UTF-8 when the bytes are valid UTF-8 and not all ASCII (saved
// pages are often re-encoded and keep a declaration that no longer holds);
// the charset of contentType (an HTTP header, "" for files); for HTML, the
// first <meta> declaration in the head; a statistical detector for legacy
// encodings; Windows-1252. A declaration is not believed when it says UTF-8
// of bytes that are not, nor when it names a single-byte encoding for bytes
// that are plainly Chinese, Japanese or Korean. Whatever still does not decode becomes U+FFFD, so
// the result is always valid UTF-8.
func Decode(body []byte, contentType string, isHTML bool) ([]byte, Result) {
	enc, res := choose(body, contentType, isHTML)
	out := body
	if enc != nil {
		if dec, err := enc.NewDecoder().Bytes(body); err == nil {
			out = dec
		}
	}
	out = bytes.TrimPrefix(out, utf8BOM)
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return out, res
}

// choose picks the encoding; nil means the bytes are (to be read as) UTF-8.
func choose(body []byte, contentType string, isHTML bool) (encoding.Encoding, Result) {
	switch {
	case bytes.HasPrefix(body, utf8BOM):
		return nil, Result{"utf-8", ByBOM}
	case bytes.HasPrefix(body, []byte{0xfe, 0xff}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), Result{"utf-16be", ByBOM}
	case bytes.HasPrefix(body, []byte{0xff, 0xfe}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), Result{"utf-16le", ByBOM}
	}
	valid := utf8.Valid(body)
	if valid && !isASCII(body) {
		return nil, Result{"utf-8", ByUTF8}
	}
	// A declaration is believed unless it says UTF-8 of bytes that are not.
	declared := func(label, by string) (encoding.Encoding, Result, bool) {
		enc, name := htmlcharset.Lookup(label)
		if enc == nil {
			return nil, Result{}, false
		}
		if name == "utf-8" || strings.HasPrefix(name, "utf-16") {
			// A page that names UTF-16 in a meta tag is not UTF-16 (the
			// tag could not be read otherwise); WHATWG reads it as UTF-8.
			if !valid {
				return nil, Result{}, false
			}
			return nil, Result{"utf-8", by}, true
		}
		return enc, Result{name, by}, true
	}
	// A single-byte declaration decodes any bytes, so it cannot be proved
	// wrong by failing; bytes that are plainly a CJK multi-byte encoding
	// (the detector is sure of those) overrule it.
	overruled := func(enc encoding.Encoding, res Result) (encoding.Encoding, Result) {
		if enc == nil || multiByte[res.Name] || valid { // ASCII: nothing to overrule
			return enc, res
		}
		if denc, name, conf := detect(body, isHTML); denc != nil && multiByte[name] && conf >= sureMultiByte {
			return denc, Result{name, ByDetector}
		}
		return enc, res
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		if enc, res, ok := declared(params["charset"], ByHeader); ok {
			return overruled(enc, res)
		}
	}
	if isHTML {
		if label := metaCharset(body); label != "" {
			if enc, res, ok := declared(label, ByDocument); ok {
				return overruled(enc, res)
			}
		}
	}
	if valid {
		return nil, Result{"utf-8", ByDefault}
	}
	if enc, name, _ := detect(body, isHTML); enc != nil {
		return enc, Result{name, ByDetector}
	}
	enc, name := htmlcharset.Lookup("windows-1252")
	return enc, Result{name, ByDefault}
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// metaCharset returns the label of the first charset declaration in the
// head: <meta charset> or <meta http-equiv="content-type" content="...">,
// wherever it stands before the body.
func metaCharset(body []byte) string {
	z := html.NewTokenizer(bytes.NewReader(body[:min(len(body), headScan)]))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Head {
				return ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				return ""
			case atom.Meta:
				var cs, equiv, content string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch strings.ToLower(string(k)) {
					case "charset":
						cs = string(v)
					case "http-equiv":
						equiv = strings.ToLower(string(v))
					case "content":
						content = string(v)
					}
				}
				if cs = strings.TrimSpace(cs); cs != "" {
					return cs
				}
				if equiv == "content-type" {
					if _, params, err := mime.ParseMediaType(content); err == nil && params["charset"] != "" {
						return params["charset"]
					}
				}
			}
		}
	}
}

// detectorNames maps the detector's IANA names to WHATWG labels where the two
// differ; the rest are looked up as they are.
var detectorNames = map[string]string{
	"GB-18030": "gb18030",
}

// multiByte are the WHATWG names of the CJK multi-byte encodings, whose byte
// sequences the detector checks rather than guesses at.
var multiByte = map[string]bool{"gbk": true, "gb18030": true, "big5": true, "shift_jis": true, "euc-jp": true, "euc-kr": true, "iso-2022-jp": true}

// sureMultiByte is the detector's confidence (of 100) from which a CJK
// multi-byte encoding overrules a single-byte declaration.
const sureMultiByte = 50

// detect guesses a legacy encoding from the bytes (ICU's detector: byte
// statistics of the CJK multi-byte encodings, and of the single-byte ones per
// language), with its confidence.
func detect(body []byte, isHTML bool) (encoding.Encoding, string, int) {
	d := chardet.NewTextDetector()
	if isHTML {
		d = chardet.NewHtmlDetector()
	}
	all, err := d.DetectAll(body[:min(len(body), detectScan)])
	if err != nil {
		return nil, "", 0
	}
	for _, r := range all {
		label := r.Charset
		if l, ok := detectorNames[label]; ok {
			label = l
		}
		if enc, name := htmlcharset.Lookup(label); enc != nil && name != "utf-8" && !strings.HasPrefix(name, "utf-16") {
			return enc, name, r.Confidence
		}
	}
	return nil, "", 0
}
