package index

import (
	"context"
	"errors"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

type memSource map[string]*news.Article

func (m memSource) Articles(ids []string) (map[string]*news.Article, error) {
	out := map[string]*news.Article{}
	for _, id := range ids {
		if a := m[id]; a != nil {
			out[id] = a
		}
	}
	return out, nil
}

// FuzzQuery sends arbitrary text to Search, Ask, Quotes and the speaker
// suggestions: query syntax is never interpreted, nothing panics, errors come
// only for empty or over-long text, and answers stay within their limits.
// Run: go test ./index -fuzz FuzzQuery -fuzztime 2m
func FuzzQuery(f *testing.F) {
	for _, seed := range []string{
		"Where will NATO coordinate security assistance from?", "*", "title:foo~5", "/.*/", "a AND (b OR", `"unbalanced`,
		"+-&&||!(){}[]^\"~*?:\\/", "Stoltenberg", "", "   ", "\xff\xfe", "a\x00b", "who?",
	} {
		f.Add(seed)
	}
	dir, err := os.MkdirTemp("", "newsbot-fuzz-index")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { os.RemoveAll(dir) })
	src := memSource{}
	ix, err := Open(dir+"/ix", src)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { ix.Close() })
	a := &news.Article{ID: "a1", Title: "NATO agrees plan", Paragraphs: []string{
		"The coordination will be managed from Wiesbaden, Germany, with nearly 700 personnel.",
		"NATO Secretary General Jens Stoltenberg stated, \"This will allow NATO leaders to launch this effort.\"",
	}, Quotes: []quotes.Quote{{Text: "This will allow NATO leaders to launch this effort.", Speaker: "Jens Stoltenberg", Kind: quotes.Direct, Paragraph: 1}}}
	src[a.ID] = a
	if err := ix.IndexArticles(context.Background(), []*news.Article{a}); err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, q string) {
		checkErr := func(err error) {
			if err != nil && !errors.Is(err, ErrEmptyQuery) && CheckQuery(q) == nil {
				t.Fatalf("query %q: %v", q, err)
			}
		}
		_, err := ix.Search(ctx, SearchOptions{Query: q, Limit: 3})
		checkErr(err)
		res, err := ix.Ask(ctx, q, Scope{})
		checkErr(err)
		if res != nil {
			for _, ans := range res.Answers {
				if utf8.RuneCountInString(ans.Text) > MaxAnswerRunes || !utf8.ValidString(ans.Text) {
					t.Fatalf("answer %q", ans.Text)
				}
				end := 0
				for _, sp := range ans.Bold {
					if sp.Start < end || sp.End <= sp.Start || sp.End > len(ans.Text) ||
						!utf8.ValidString(ans.Text[sp.Start:sp.End]) {
						t.Fatalf("answer %q: bold spans %v", ans.Text, ans.Bold)
					}
					end = sp.End
				}
			}
		}
		_, _, err = ix.Quotes(ctx, QuoteOptions{About: q, Limit: 3})
		checkErr(err)
		if _, err := ix.SuggestSpeakers(ctx, Scope{}, q, 25); err != nil {
			t.Fatalf("suggest %q: %v", q, err)
		}
	})
}
