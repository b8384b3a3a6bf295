// Package news holds the article model and turns outside text (plain text, Markdown,
// HTML, JSON, JSONL, CSV) into articles, split into paragraphs and sentences.
package news

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/newsbot/newsbot/news/quotes"
)

// Article is one news article, the unit the store keeps and the index serves.
type Article struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	URL        string         `json:"url,omitempty"`
	Source     string         `json:"source,omitempty"`
	Author     string         `json:"author,omitempty"`
	Published  time.Time      `json:"published,omitzero"`
	Paragraphs []string       `json:"paragraphs"`
	Guild      string         `json:"guild,omitempty"`
	Ingested   time.Time      `json:"ingested,omitzero"`
	Quotes     []quotes.Quote `json:"quotes,omitempty"`
}

// Body joins the paragraphs with blank lines.
func (a *Article) Body() string { return strings.Join(a.Paragraphs, "\n\n") }

// ComputeID sets the article's stable id: from the canonical URL where there is
// one, else from a hash of the title and body. The guild is part of the id so that
// two servers adding the same text keep their own copies.
func (a *Article) ComputeID() {
	h := sha256.New()
	h.Write([]byte(a.Guild))
	h.Write([]byte{0})
	if u := CanonicalURL(a.URL); u != "" {
		h.Write([]byte("url:" + u))
	} else {
		h.Write([]byte("text:" + strings.ToLower(a.Title) + "\x00" + a.Body()))
	}
	a.ID = hex.EncodeToString(h.Sum(nil))[:16]
}
