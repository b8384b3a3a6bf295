package store

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

func TestStatsAndCheck(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "s.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		add  []*news.Article
		want Stats
	}{
		{"empty", nil, Stats{ByGuild: map[string]int{}, BySource: map[string]int{}}},
		{"guilds, sources and quotes", []*news.Article{
			{ID: "a", Title: "A", Source: "Wire", Paragraphs: []string{"a"}, Quotes: []quotes.Quote{{Text: "x"}, {Text: "y"}}},
			{ID: "b", Title: "B", Source: "Wire", Guild: "1", Paragraphs: []string{"b"}, Quotes: []quotes.Quote{{Text: "z"}}},
			{ID: "c", Title: "C", Guild: "1", Paragraphs: []string{"c"}},
		}, Stats{Articles: 3, Quotes: 3, ByGuild: map[string]int{"": 1, "1": 2}, BySource: map[string]int{"Wire": 2, "": 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.AddArticles(tt.add); err != nil {
				t.Fatal(err)
			}
			got, err := s.Stats()
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Stats() = %+v, %v; want %+v", got, err, tt.want)
			}
			if err := s.Check(); err != nil {
				t.Errorf("Check() = %v on an open store", err)
			}
		})
	}
	s.Close()
	if err := s.Check(); err == nil || !strings.Contains(err.Error(), "not open") {
		t.Errorf("Check() on a closed store = %v", err)
	}
}
