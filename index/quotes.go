package index

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"github.com/newsbot/newsbot/news"
)

// quoteDoc is what bleve sees of one quote.
type quoteDoc struct {
	Type        string `json:"type"`
	Text        string `json:"text"`
	Speaker     string `json:"speaker"`
	SpeakerText string `json:"speaker_text"`
	Article     string `json:"article"`
	Source      string `json:"source"`
	Guild       string `json:"guild"`
	Kind        string `json:"kind"`
	Published   any    `json:"published,omitempty"`
}

// BleveType tells bleve which document mapping applies.
func (d quoteDoc) BleveType() string { return docQuote }

func quoteID(articleID string, i int) string { return fmt.Sprintf("%s/q%d", articleID, i) }

func (ix *Index) addQuotes(b *bleve.Batch, a *news.Article) error {
	for i, q := range a.Quotes {
		doc := quoteDoc{
			Type:        docQuote,
			Text:        q.Text,
			Speaker:     q.Speaker,
			SpeakerText: strings.TrimSpace(q.Speaker + " " + q.Title),
			Article:     a.ID,
			Source:      a.Source,
			Guild:       guildValue(a.Guild),
			Kind:        string(q.Kind),
		}
		if !a.Published.IsZero() {
			doc.Published = a.Published
		}
		if err := b.Index(quoteID(a.ID, i), doc); err != nil {
			return fmt.Errorf("index: quote %d of %s: %w", i, a.ID, err)
		}
	}
	return nil
}
