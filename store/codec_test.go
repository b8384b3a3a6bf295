package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

func sampleArticle() *news.Article {
	var paras []string
	for i := range 8 {
		paras = append(paras, strings.Repeat(fmt.Sprintf("Sentence %d of a paragraph about the council's budget vote. ", i), 4))
	}
	return &news.Article{
		ID: "0123456789abcdef", Title: "Council passes budget", URL: "https://example.com/a", Source: "Herald",
		Published: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Ingested: time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC),
		Paragraphs: paras, Guild: "42",
		Quotes: []quotes.Quote{{Text: "We will vote", Speaker: "Jane Roe", Kind: quotes.Direct, Cue: "said", Paragraph: 2}},
	}
}

// Every encoding a file may hold decodes to the same article.
func TestDecodeEveryFormat(t *testing.T) {
	a := sampleArticle()
	js, _ := json.Marshal(a)
	zs, err := encodeArticle(a)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"zstd", zs},
		{"snappy (format 1)", append([]byte{tagSnappyJSON}, snappy.Encode(nil, js)...)},
		{"plain JSON (format 1)", js},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got news.Article
			if err := decodeArticle(tt.data, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(&got, a) {
				t.Errorf("decoded %+v", got)
			}
		})
	}
	if zs[0] != tagZstdJSON || len(zs) >= len(js) {
		t.Errorf("encoded: tag %q, %d bytes for %d of JSON", zs[0], len(zs), len(js))
	}
	bad := append([]byte{tagZstdJSON}, zs[1:len(zs)/2]...)
	if err := decodeArticle(bad, new(news.Article)); err == nil {
		t.Error("a truncated value decoded")
	}
}

// BenchmarkDecode is what reading one article costs in each encoding.
func BenchmarkDecode(b *testing.B) {
	a := sampleArticle()
	js, _ := json.Marshal(a)
	zs, _ := encodeArticle(a)
	for _, bb := range []struct {
		name string
		data []byte
	}{{"zstd", zs}, {"snappy", append([]byte{tagSnappyJSON}, snappy.Encode(nil, js)...)}} {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(js)))
			for b.Loop() {
				var got news.Article
				if err := decodeArticle(bb.data, &got); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	a := sampleArticle()
	for b.Loop() {
		if _, err := encodeArticle(a); err != nil {
			b.Fatal(err)
		}
	}
}
