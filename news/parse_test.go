package news

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/internal/sample"
)

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := fs.ReadFile(sample.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseSeedText(t *testing.T) {
	items := Parse("nato.txt", readSample(t, "seed/nato-ukraine-security-assistance.txt"), "", Defaults{})
	if len(items) != 1 || items[0].Err != nil {
		t.Fatalf("items = %+v", items)
	}
	a := items[0].Article
	if a.Title != "NATO agrees plan for Ukraine Security Assistance" {
		t.Errorf("title = %q", a.Title)
	}
	if want := time.Date(2024, 11, 19, 0, 0, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("published = %v, want %v", a.Published, want)
	}
	for _, p := range a.Paragraphs {
		if p == "Must read" || p == "Latest article" {
			t.Errorf("boilerplate kept: %q", p)
		}
	}
	if len(a.Paragraphs) != 12 {
		t.Errorf("got %d paragraphs, want 12", len(a.Paragraphs))
	}
	if !strings.HasPrefix(a.Paragraphs[0], "NATO Defence Ministers concluded") {
		t.Errorf("first paragraph = %q", a.Paragraphs[0])
	}
	if a.ID == "" || a.URL != "" {
		t.Errorf("id %q url %q: want a content-hash id and no url", a.ID, a.URL)
	}
}

func TestParseWikinewsCSV(t *testing.T) {
	items := Parse("wikinews_2019.csv", readSample(t, "wikinews/wikinews_2019.csv"), "", Defaults{})
	if len(items) != 171 {
		t.Fatalf("got %d items, want 171", len(items))
	}
	first := items[0].Article
	if first == nil {
		t.Fatal(items[0].Err)
	}
	if !strings.HasPrefix(first.Title, "Magnitogorsk") && first.Title == "" {
		t.Errorf("title = %q", first.Title)
	}
	if first.Published.Format("2006-01-02") != "2019-01-04" {
		t.Errorf("published = %v", first.Published)
	}
	if strings.Contains(first.Paragraphs[0], "Friday, January 4, 2019") {
		t.Errorf("dateline left in the body: %q", first.Paragraphs[0])
	}
	if first.Source != "en.wikinews.org" {
		t.Errorf("source = %q, want the site name", first.Source)
	}
	ids := map[string]bool{}
	for _, it := range items {
		if it.Err != nil {
			continue
		}
		if ids[it.Article.ID] {
			t.Errorf("duplicate id %s", it.Article.ID)
		}
		ids[it.Article.ID] = true
	}
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name, file, data string
		wantTitle        string
		wantDate         string
		wantSource       string
		wantParas        int
	}{
		{
			name: "markdown with front matter", file: "a.md",
			data:      "---\ntitle: Front matter title\ndate: 2024-05-01\nsource: Example News\n---\n# Heading\n\nFirst **bold** paragraph with a [link](https://x.y).\n\n- item one\n- item two\n",
			wantTitle: "Front matter title", wantDate: "2024-05-01", wantSource: "Example News", wantParas: 4,
		},
		{
			name: "markdown heading title", file: "b.md",
			data:      "# The title\n\nBody text here.\n",
			wantTitle: "The title", wantParas: 1,
		},
		{
			name: "html meta tags", file: "page.html",
			data: `<html><head><meta property="og:title" content="OG Title"><meta property="og:site_name" content="Daily Example">` +
				`<meta property="article:published_time" content="2024-03-02T10:00:00Z"><link rel="canonical" href="https://example.com/a?utm_source=x">` +
				`</head><body><nav>Home | News</nav><article><h1>OG Title</h1><p>` + strings.Repeat("The council met on Tuesday to discuss the budget. ", 8) +
				`</p><p>` + strings.Repeat("Members voted to approve the plan after a long debate. ", 8) + `</p></article></body></html>`,
			wantTitle: "OG Title", wantDate: "2024-03-02", wantSource: "Daily Example", wantParas: 2,
		},
		{
			name: "json object", file: "a.json",
			data:      `{"title":"J","body":"Para one.\n\nPara two.","url":"https://e.com/j","published":"2023-01-02T03:04:05Z","source":"E"}`,
			wantTitle: "J", wantDate: "2023-01-02", wantSource: "E", wantParas: 2,
		},
		{
			name: "plain date field", file: "a.json",
			data:      `[{"title":"K","text":"Only one.","date":"2022-12-31"}]`,
			wantTitle: "K", wantDate: "2022-12-31", wantParas: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := Parse(tt.file, []byte(tt.data), "", Defaults{})
			if len(items) != 1 || items[0].Err != nil {
				t.Fatalf("items = %+v", items)
			}
			a := items[0].Article
			if a.Title != tt.wantTitle {
				t.Errorf("title = %q, want %q", a.Title, tt.wantTitle)
			}
			if tt.wantDate != "" && a.Published.Format("2006-01-02") != tt.wantDate {
				t.Errorf("published = %v, want %s", a.Published, tt.wantDate)
			}
			if tt.wantSource != "" && a.Source != tt.wantSource {
				t.Errorf("source = %q, want %q", a.Source, tt.wantSource)
			}
			if len(a.Paragraphs) != tt.wantParas {
				t.Errorf("paragraphs = %q, want %d", a.Paragraphs, tt.wantParas)
			}
			for _, p := range a.Paragraphs {
				if strings.ContainsAny(p, "*[]") {
					t.Errorf("markup left in %q", p)
				}
			}
		})
	}
}

func TestParseBadInput(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		wantOK     int
		wantFailed int
	}{
		{"binary", "x.bin", []byte{0x89, 'P', 'N', 'G', 0, 0, 0, 13, 1, 2}, 0, 1},
		{"empty", "e.txt", []byte("   \n\n"), 0, 1},
		{"over the cap", "big.txt", bytes.Repeat([]byte("a "), MaxInputBytes/2+1), 0, 1},
		{"invalid utf8 kept", "u.txt", []byte("Title\n\nCaf\xe9 au lait is \xff served."), 1, 0},
		{"csv broken row", "t.csv", []byte("title,text\nA,Fine text.\nB,\"broken \" quote\" here\nC,Also fine.\n"), 2, 1},
		{"csv wrong field count", "t.csv", []byte("title,text\nA,Fine.\nB\nC,Fine too.\n"), 2, 1},
		{"jsonl bad line", "t.jsonl", []byte("{\"title\":\"A\",\"text\":\"x y\"}\n{oops\n{\"title\":\"B\",\"text\":\"z\"}\n"), 2, 1},
		{"json not object", "t.json", []byte(`[1, {"title":"A","text":"B"}]`), 1, 1},
		{"bad date", "t.json", []byte(`{"title":"A","text":"B","published":"yesterday-ish"}`), 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, failed := 0, 0
			for _, it := range Parse(tt.file, tt.data, "", Defaults{}) {
				if it.Err != nil {
					failed++
					if it.Article != nil {
						t.Errorf("failed item carries an article")
					}
					continue
				}
				ok++
				for _, p := range it.Article.Paragraphs {
					if !utf8.ValidString(p) {
						t.Errorf("invalid UTF-8 kept: %q", p)
					}
				}
			}
			if ok != tt.wantOK || failed != tt.wantFailed {
				t.Errorf("ok %d failed %d, want %d and %d", ok, failed, tt.wantOK, tt.wantFailed)
			}
		})
	}
	if items := Parse("e.txt", []byte(""), "", Defaults{}); !errors.Is(items[0].Err, ErrEmpty) {
		t.Errorf("empty input: err = %v, want ErrEmpty", items[0].Err)
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"One. Two? Three!", []string{"One.", "Two?", "Three!"}},
		{"Dr. Smith met Mr. Jones. They talked.", []string{"Dr. Smith met Mr. Jones.", "They talked."}},
		{"His time was 1 hour 59 minutes 40.2 seconds. Kipchoge ran.", []string{"His time was 1 hour 59 minutes 40.2 seconds.", "Kipchoge ran."}},
		{"The U.S. Senate voted. It passed.", []string{"The U.S. Senate voted.", "It passed."}},
		{`He said "It is over." Then he left.`, []string{`He said "It is over."`, "Then he left."}},
		{"John F. Kennedy spoke.", []string{"John F. Kennedy spoke."}},
		{"no punctuation at all", []string{"no punctuation at all"}},
	}
	for _, tt := range tests {
		got := SentenceTexts(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Sentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDateline(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Tuesday, November 19, 2024", "2024-11-19"},
		{"Friday, January 4, 2019\u00a0", "2019-01-04"},
		{"November 19, 2024", "2024-11-19"},
		{"19 November 2024", "2024-11-19"},
		{"2024-11-19", "2024-11-19"},
		{"NATO agrees plan", ""},
		{"Tuesday, November 19, 2024 was a day", ""},
	}
	for _, tt := range tests {
		got, ok := parseDateline(tt.in)
		if (tt.want == "") == ok || (ok && got.Format("2006-01-02") != tt.want) {
			t.Errorf("parseDateline(%q) = %v, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTPS://Example.COM/a?utm_source=x&b=2&a=1#frag", "https://example.com/a?a=1&b=2"},
		{"http://example.com:80", "http://example.com/"},
		{"ftp://example.com/x", ""},
		{"not a url", ""},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIDStable(t *testing.T) {
	a := &Article{URL: "https://example.com/x?utm_medium=y", Title: "T", Paragraphs: []string{"p"}}
	b := &Article{URL: "https://EXAMPLE.com/x#top", Title: "Other", Paragraphs: []string{"q"}}
	a.ComputeID()
	b.ComputeID()
	if a.ID != b.ID {
		t.Errorf("same canonical URL, different ids: %s %s", a.ID, b.ID)
	}
	c := &Article{URL: a.URL, Guild: "123", Title: "T", Paragraphs: []string{"p"}}
	c.ComputeID()
	if c.ID == a.ID {
		t.Error("a guild's copy shares the global article's id")
	}
}
