package answer

import (
	"encoding/csv"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
)

func TestRefer(t *testing.T) {
	tests := []struct {
		name     string
		question string
		sents    []string
		// alias and coref are the question words credited, per sentence.
		alias, coref [][]string
	}{
		{
			name:     "initials of a name",
			question: "which state had the highest youth suicide rate in the BU gun ownership study?",
			sents: []string{
				"Professor Michael Siegel of Boston University, co-author of a new study published in the American Journal of Preventive Medicine on January 17, declared household gun ownership rates within the United States to be \"the strongest single predictor of a state's youth suicide rate\".",
				"Alaska had the highest rate.",
			},
			alias: [][]string{{"bu"}, nil},
			coref: [][]string{nil, nil},
		},
		{
			name:     "a short form the article defines, and its pronoun",
			question: "What did the NHS say about waiting times?",
			sents: []string{
				"Figures from the National Health Service (NHS) were published on Thursday.",
				"The National Health Service said waiting times had grown.",
				"The organisation blamed the winter.",
			},
			alias: [][]string{nil, {"nhs"}, nil},
			coref: [][]string{nil, nil, {"nhs"}},
		},
		{
			name:     "a first name typed, a surname and a pronoun written",
			question: "what did Boris say about the deal?",
			sents: []string{
				"Prime Minister Boris Johnson met EU leaders on Monday.",
				"Johnson said the deal was a good one.",
				"He added that Parliament would vote on it.",
				"Jo Swinson said she would oppose it.",
				"She called it a bad deal.",
			},
			alias: [][]string{nil, {"boris"}, nil, nil, nil},
			coref: [][]string{nil, nil, {"boris"}, nil, nil},
		},
		{
			name:     "a woman's pronoun does not stand for a man",
			question: "When did Michael Siegel publish?",
			sents: []string{
				"Michael Siegel said he was surprised.",
				"Jane Roe, a colleague, said she was not.",
				"She published her reply in March.",
			},
			alias: [][]string{nil, nil, nil},
			coref: [][]string{nil, nil, nil},
		},
		{
			name:     "a surname typed, a first name written",
			question: "What did Gabriel call the US decision?",
			sents: []string{
				"SDF spokesman Kino Gabriel said, \"The statement was a surprise.\"",
				"Kino called it a stab in the back.",
			},
			alias: [][]string{nil, {"gabriel"}},
			coref: [][]string{nil, nil},
		},
		{
			name:     "a common word typed in lower case is no name",
			question: "which university did the study come from?",
			sents: []string{
				"The study came from Boston University.",
				"BU said it would publish more.",
			},
			alias: [][]string{nil, nil},
			coref: [][]string{nil, nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refs := Refer(tt.question, tt.sents)
			for i := range tt.sents {
				if got := keys(refs.Alias[i]); !slices.Equal(got, tt.alias[i]) {
					t.Errorf("sentence %d alias %v, want %v", i, got, tt.alias[i])
				}
				if got := keys(refs.Coref[i]); !slices.Equal(got, tt.coref[i]) {
					t.Errorf("sentence %d coref %v, want %v", i, got, tt.coref[i])
				}
			}
		})
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// BenchmarkRefer reads the names of the sample's articles, as Ask does for
// each of the articles it ranks.
func BenchmarkRefer(b *testing.B) {
	f, err := sample.FS().Open("wikinews/wikinews_2019.csv")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	var docs [][]string
	for _, row := range rows[1:min(len(rows), 41)] {
		var all []string
		for _, p := range strings.Split(row[3], "\n") {
			for _, sp := range news.Sentences(p) {
				all = append(all, p[sp.Start:sp.End])
			}
		}
		docs = append(docs, all)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Refer("what did Bruce McArthur do for work besides selling socks in the BU study?", docs[i%len(docs)])
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Erdoğan": "Erdogan", "Kīlauea": "Kilauea", "Gdańsk": "Gdansk", "Brudziński": "Brudzinski",
		"Łódź": "Lodz", "ʻAkilisi Pōhiva": "Akilisi Pohiva", "Boston": "Boston", "Zürich": "Zurich",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
