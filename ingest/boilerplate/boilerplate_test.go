package boilerplate

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
	"github.com/newsbot/newsbot/store"
)

func openStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "newsbot.db")
	st, err := store.Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return st, path
}

// newModel is an empty model on a fresh store.
func newModel(t *testing.T) (*Model, *store.Store) {
	t.Helper()
	st, _ := openStore(t)
	t.Cleanup(func() { st.Close() })
	m, err := Load(st)
	if err != nil {
		t.Fatal(err)
	}
	return m, st
}

const (
	byline = "By Jane Doe, Staff Reporter"
	pitch  = "Sign up for our Morning Briefing newsletter to get the news in your inbox."
)

// article n of a source: its own news between a byline and a pitch; the pitch
// may also close the last paragraph rather than stand alone.
func article(source string, n int, inline bool) *news.Article {
	own := fmt.Sprintf("The council of town %d voted on road number %c%c repairs after a long debate.", n, 'a'+n%26, 'a'+n/26%26)
	last := fmt.Sprintf("Residents of district %c%c said they were \"relieved and grateful\" about the plan.", 'a'+n%26, 'a'+n/26%26)
	a := &news.Article{ID: fmt.Sprintf("%s-%d", source, n), Title: fmt.Sprintf("Story %d", n), Source: source,
		Paragraphs: []string{byline, own}}
	if inline {
		a.Paragraphs = append(a.Paragraphs, last+" "+pitch)
	} else {
		a.Paragraphs = append(a.Paragraphs, last, pitch)
	}
	a.Quotes = []quotes.Quote{{Text: "relieved and grateful", Speaker: "Residents", Kind: quotes.Direct, Paragraph: 2}}
	return a
}

func TestLearnAndStrip(t *testing.T) {
	cases := []struct {
		name      string
		n         int
		inline    bool
		stripped  bool
		wantParas int
	}{
		{"40 articles: byline and pitch learned", 40, false, true, 2},
		{"pitch closing a paragraph: the sentence goes", 40, true, true, 2},
		{"below the minimum count: nothing learned", MinCount - 1, false, false, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := newModel(t)
			var arts []*news.Article
			for i := range c.n {
				arts = append(arts, article("Daily Planet", i, c.inline))
			}
			// Articles arrive in small batches, as from a feed.
			for i := 0; i < len(arts); i += 7 {
				if _, err := m.Learn(arts[i:min(i+7, len(arts))]); err != nil {
					t.Fatal(err)
				}
			}
			for _, a := range arts {
				s := m.Strip(a)
				body := strings.Join(s.Paragraphs, "\n")
				if got := strings.Contains(body, byline) || strings.Contains(body, pitch); got == c.stripped {
					t.Fatalf("%s: boilerplate still there = %v:\n%s", a.ID, got, body)
				}
				if len(s.Paragraphs) != c.wantParas {
					t.Errorf("%s: %d paragraphs, want %d", a.ID, len(s.Paragraphs), c.wantParas)
				}
				if !strings.Contains(body, a.Paragraphs[1]) {
					t.Errorf("%s: the news itself was stripped", a.ID)
				}
				// The quote stays, in its paragraph as renumbered.
				if len(s.Quotes) != 1 || !strings.Contains(s.Paragraphs[s.Quotes[0].Paragraph], s.Quotes[0].Text) {
					t.Errorf("%s: quotes %+v", a.ID, s.Quotes)
				}
				// The stored article is untouched.
				if len(a.Paragraphs) < 3 || a.Paragraphs[0] != byline {
					t.Errorf("%s: the original changed", a.ID)
				}
			}
			// Another source's articles are not touched by this source's
			// furniture.
			other := article("Other Times", 1, false)
			if s := m.Strip(other); s != other {
				t.Errorf("another source's article was stripped")
			}
		})
	}
}

// The learned state is in the store: a model loaded again strips the same,
// and a quote that stood in boilerplate is left out.
func TestStateIsKept(t *testing.T) {
	m, st := newModel(t)
	var arts []*news.Article
	for i := range 20 {
		a := article("Daily Planet", i, false)
		a.Quotes = append(a.Quotes, quotes.Quote{Text: "Morning Briefing", Speaker: "Daily Planet", Kind: quotes.Direct, Paragraph: 3})
		arts = append(arts, a)
	}
	changes, err := m.Learn(arts)
	if err != nil {
		t.Fatal(err)
	}
	if !changes.Affected(arts[0]) {
		t.Errorf("changes do not cover the articles that hold the units")
	}
	again, err := Load(st)
	if err != nil {
		t.Fatal(err)
	}
	if again.Empty() {
		t.Fatal("loaded model says nothing was learned")
	}
	a, b := m.Strip(arts[3]), again.Strip(arts[3])
	if !slices.Equal(a.Paragraphs, b.Paragraphs) || len(b.Paragraphs) != 2 {
		t.Errorf("after loading: %q, before: %q", b.Paragraphs, a.Paragraphs)
	}
	if len(b.Quotes) != 1 || b.Quotes[0].Speaker != "Residents" || b.Quotes[0].Paragraph != 1 {
		t.Errorf("quotes after stripping: %+v", b.Quotes)
	}
}

// A line common once stops being boilerplate when it becomes rare, and a
// source's counts stay bounded however many articles it has.
func TestKeptCurrentAndBounded(t *testing.T) {
	m, _ := newModel(t)
	var arts []*news.Article
	for i := range 30 {
		arts = append(arts, article("Wire", i, false))
	}
	m.Learn(arts)
	if s := m.Strip(arts[0]); len(s.Paragraphs) != 2 {
		t.Fatalf("not learned: %q", s.Paragraphs)
	}
	// 2,000 more articles without the pitch, each with sentences of its own.
	arts = arts[:0]
	for i := range 2000 {
		a := &news.Article{ID: fmt.Sprint("w", i), Source: "Wire", Paragraphs: []string{
			fmt.Sprintf("Unique opening sentence number %d here. Another fact %d stands there.", i, i*7),
			strings.Repeat(fmt.Sprintf("word%d ", i), 5),
		}}
		arts = append(arts, a)
	}
	changes, _ := m.Learn(arts)
	if len(changes) == 0 {
		t.Errorf("a pitch gone rare did not change")
	}
	if s := m.Strip(article("Wire", 5, false)); len(s.Paragraphs) != 4 {
		t.Errorf("a line in 30 of 2,030 articles is still stripped: %q", s.Paragraphs)
	}
	m.mu.RLock()
	n := len(m.sources["\x00wire"].Units)
	m.mu.RUnlock()
	// Lossy counting keeps about the last bucket's units and the frequent
	// ones: far fewer than the ~6,000 seen.
	if n > 3*bucketWidth*3 {
		t.Errorf("%d units kept for one source", n)
	}
}

// Readers strip while articles are learned (a feed poll while members ask).
func TestStripWhileLearning(t *testing.T) {
	m, _ := newModel(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 60 {
			if _, err := m.Learn([]*news.Article{article("Daily Planet", i, i%2 == 0)}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	probe := article("Daily Planet", 99, false)
	for {
		select {
		case <-done:
			if s := m.Strip(probe); len(s.Paragraphs) != 2 {
				t.Errorf("after learning: %q", s.Paragraphs)
			}
			return
		default:
			if s := m.Strip(probe); !strings.Contains(strings.Join(s.Paragraphs, " "), "voted on road") {
				t.Fatalf("the news was stripped: %q", s.Paragraphs)
			}
		}
	}
}
