package news

import (
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to every parser: none may panic, every
// article that comes out holds valid UTF-8 text, and a failed item carries no
// article. Run: go test ./news -fuzz FuzzParse -fuzztime 2m
func FuzzParse(f *testing.F) {
	for _, seed := range []struct {
		name, data string
	}{
		{"a.txt", "Tuesday, November 19, 2024\n\nTitle\n\nMust read\n\nBody text."},
		{"a.md", "---\ntitle: T\ndate: 2024-01-02\n---\n# H\n\n*a* [b](c)\n- d\n"},
		{"a.html", `<html><head><meta property="og:title" content="x"></head><body><article><p>Hello there.</p></article></body></html>`},
		{"a.json", `[{"title":"a","text":"b","published":"2024-01-01"}]`},
		{"a.jsonl", "{\"title\":\"a\",\"text\":\"b\"}\n{bad\n"},
		{"a.csv", "title,text\n\"a\",\"b\"\n\"broken,\n"},
		{"x", "\xff\xfe\x00binary"},
	} {
		f.Add(seed.name, []byte(seed.data))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		for _, it := range Parse(name, data, "", Defaults{}) {
			if it.Err != nil {
				if it.Article != nil {
					t.Fatal("failed item with an article")
				}
				continue
			}
			a := it.Article
			if a.ID == "" || len(a.Paragraphs) == 0 {
				t.Fatalf("article without id or body: %+v", a)
			}
			for _, s := range append([]string{a.Title, a.Source, a.Author}, a.Paragraphs...) {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8: %q", s)
				}
			}
			for _, p := range a.Paragraphs {
				for _, sp := range Sentences(p) {
					if sp.Start < 0 || sp.End > len(p) || sp.Start >= sp.End {
						t.Fatalf("bad sentence span %+v in %q", sp, p)
					}
				}
			}
		}
	})
}
