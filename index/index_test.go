package index_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/answer"
	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
)

var (
	libOnce sync.Once
	libErr  error
	shared  *ingest.Library
)

// library opens a data folder with the bundled sample ingested, once per test
// binary: the index is read-only for these tests.
func library(t *testing.T) *ingest.Library {
	t.Helper()
	libOnce.Do(func() {
		dir, err := os.MkdirTemp("", "newsbot-index-test")
		if err != nil {
			libErr = err
			return
		}
		lib, err := ingest.Open(context.Background(), dir, nil)
		if err != nil {
			libErr = err
			return
		}
		if _, err := lib.IngestFS(context.Background(), sample.FS(), sample.Articles(), ingest.FileOptions{}); err != nil {
			libErr = err
			return
		}
		shared = lib
	})
	if libErr != nil {
		t.Fatal(libErr)
	}
	return shared
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		dir := shared.Dir
		shared.Close()
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func TestSearchSnippets(t *testing.T) {
	lib := library(t)
	res, err := lib.Index.Search(context.Background(), index.SearchOptions{Query: "measles Samoa emergency", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	top := res.Hits[0]
	if !strings.Contains(strings.ToLower(top.Article.Title), "measles") {
		t.Errorf("top hit %q is not about measles", top.Article.Title)
	}
	if !strings.Contains(top.Snippet, "**measles**") && !strings.Contains(top.Snippet, "**Samoa**") {
		t.Errorf("snippet has no bold match: %q", top.Snippet)
	}
	for _, h := range res.Hits {
		if !utf8.ValidString(h.Snippet) {
			t.Errorf("invalid UTF-8 in snippet %q", h.Snippet)
		}
		if n := utf8.RuneCountInString(h.Snippet); n > index.SnippetRunes+50 {
			t.Errorf("snippet of %d runes", n)
		}
	}
}

func TestSearchFiltersAndScope(t *testing.T) {
	lib := library(t)
	ctx := context.Background()
	// A guild's own article is seen in that guild only.
	a := &news.Article{Title: "Guild secret", Paragraphs: []string{"The zorblax festival opens on Friday with *markdown* and @everyone."}, Guild: "111", Source: "guildnews"}
	a.ComputeID()
	if _, err := lib.Add(ctx, []*news.Article{a}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		guild string
		want  int
	}{{"111", 1}, {"222", 0}, {"", 0}} {
		res, err := lib.Index.Search(ctx, index.SearchOptions{Query: "zorblax", Scope: index.Scope{Guild: tt.guild}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != tt.want {
			t.Errorf("guild %q sees %d, want %d", tt.guild, res.Total, tt.want)
		}
		if tt.want == 1 {
			sn := res.Hits[0].Snippet
			if !strings.Contains(sn, `\*markdown\*`) || strings.Contains(sn, "@everyone") || !strings.Contains(sn, "**zorblax**") {
				t.Errorf("snippet not escaped or not bold: %q", sn)
			}
		}
	}
	res, err := lib.Index.Search(ctx, index.SearchOptions{Query: "election", Since: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.Article.Published.Before(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("since filter let through %v", h.Article.Published)
		}
	}
	res, err = lib.Index.Search(ctx, index.SearchOptions{Query: "festival", Source: "guildnews", Scope: index.Scope{Guild: "111"}})
	if err != nil || res.Total != 1 {
		t.Errorf("source filter: total %d, err %v", res.Total, err)
	}
}

func TestBadQueries(t *testing.T) {
	lib := library(t)
	for _, q := range []string{"", "   ", strings.Repeat("x", index.MaxQueryRunes+1), "the of and"} {
		if _, err := lib.Index.Search(context.Background(), index.SearchOptions{Query: q}); err == nil {
			t.Errorf("query %q: no error", q)
		}
	}
	for _, q := range []string{"*", "title:foo~5", `/.*/`, "a AND (b OR"} {
		if _, err := lib.Index.Search(context.Background(), index.SearchOptions{Query: q}); err != nil && err != index.ErrEmptyQuery {
			t.Errorf("query %q: %v", q, err)
		}
	}
}

func TestAskVerbatimAndAbstain(t *testing.T) {
	lib := library(t)
	res, err := lib.Index.Ask(context.Background(), "Where will NATO coordinate security assistance for Ukraine from?", index.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Abstained || len(res.Answers) == 0 {
		t.Fatal("abstained on the quick-start question")
	}
	top := res.Answers[0]
	if !strings.Contains(top.Text, "Wiesbaden") {
		t.Errorf("top answer %q", top.Text)
	}
	body := strings.Join(top.Article.Paragraphs, "\n")
	if !strings.Contains(body, strings.Trim(top.Text, "…")) {
		t.Errorf("answer is not verbatim from its article: %q", top.Text)
	}
	res, err = lib.Index.Ask(context.Background(), "Who won the curling world championship on Mars?", index.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Abstained {
		t.Errorf("answered an unanswerable question: %+v", res.Answers[0].Text)
	}
}

// TestAskNamesAsTyped checks that names typed as members type them reach the
// sentences that spell them out: an acronym the article never writes, a
// pronoun standing for the person the question names.
func TestAskNamesAsTyped(t *testing.T) {
	lib := library(t)
	tests := []struct {
		name, question, sentence string
		feature                  int
	}{
		{"initials of the article's name", "which state had the highest youth suicide rate in the BU gun ownership study?",
			"Professor Michael Siegel of Boston University", answer.FAlias},
		{"a pronoun for the person asked about", "what did Bruce McArthur do for work besides selling socks?",
			"He also ran a small landscaping business.", answer.FCoref},
		{"a verb and its particle", "which towns did Assad's army move into after the deal with the SDF?",
			"The Syrian Army", answer.FRelated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range candidatesStarting(t, lib, tt.question, tt.sentence) {
				if c.Features[tt.feature] <= 0 {
					t.Errorf("%q: %s is %v", c.Text, answer.FeatureNames[tt.feature], c.Features[tt.feature])
				}
				if c.Features[answer.FMissingNames] != 0 {
					t.Errorf("%q: the article misses %v of the question's names", c.Text, c.Features[answer.FMissingNames])
				}
			}
		})
	}
}

// TestAskWithoutAccents checks that a name typed without its accents finds
// the articles that write them, and the sentences that hold it.
func TestAskWithoutAccents(t *testing.T) {
	lib := library(t)
	tests := []struct{ question, written string }{
		{"Gdansk", "Gdańsk"}, // no article holds the word as typed
		{"what did the algae do after Kilauea erupted?", "Kīlauea"}, // nor this one
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			cands, err := lib.Index.AskCandidates(context.Background(), tt.question, index.Scope{})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, c := range cands {
				if strings.Contains(c.Text, tt.written) && c.Features[answer.FLex] > 0 {
					found = true
				}
			}
			if !found {
				t.Errorf("no candidate holds %q matched to %q (%d candidates)", tt.written, tt.question, len(cands))
			}
		})
	}
}

// TestMissingNames checks the features that say the article is about
// another story: missing_proper counts the names the question spells out
// that the article holds in no form; missing_rare is the weight of the
// rarest question word the article holds in no form, against the question's
// rarest word's (1 when the word that singles out the story is missing,
// however it is typed); missing_year says the question names a year the
// article gives nowhere.
func TestMissingNames(t *testing.T) {
	lib := library(t)
	const sentence = "Yellow warnings were issued nationwide"
	tests := []struct {
		name, question string
		feature        int
		want           float64
	}{
		{"held as its adjective", "how many Irish counties got an orange warning for Hurricane Lorenzo?", answer.FMissingProper, 0},
		{"a month is no name", "how many Irish counties got an orange warning for Hurricane Lorenzo in October?", answer.FMissingProper, 0},
		{"a shortened name", "how many counties in the ROI got an orange warning for Hurricane Lorenzo?", answer.FMissingProper, 0},
		{"another story's name", "how many Irish counties got an orange warning for Hurricane Ophelia?", answer.FMissingProper, 1},
		{"every word held", "how many Irish counties got an orange warning for Hurricane Lorenzo?", answer.FMissingRare, 0},
		{"another story's name, in lower case", "how many irish counties got an orange warning for hurricane ophelia?", answer.FMissingRare, 1},
		{"the article's year", "how many Irish counties got an orange warning for Hurricane Lorenzo in 2019?", answer.FMissingYear, 0},
		{"another year", "how many Irish counties got an orange warning for Hurricane Lorenzo in 2017?", answer.FMissingYear, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range candidatesStarting(t, lib, tt.question, sentence) {
				if got := c.Features[tt.feature]; got != tt.want {
					t.Errorf("%q: %s = %v, want %v", c.Text, answer.FeatureNames[tt.feature], got, tt.want)
				}
			}
		})
	}
}

// candidatesStarting are the question's candidates whose text starts with
// sentence; the test fails when there is none.
func candidatesStarting(t *testing.T, lib *ingest.Library, question, sentence string) []index.Candidate {
	t.Helper()
	cands, err := lib.Index.AskCandidates(context.Background(), question, index.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	var out []index.Candidate
	for _, c := range cands {
		if strings.HasPrefix(c.Text, sentence) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no candidate of %q starts %q", question, sentence)
	}
	return out
}
