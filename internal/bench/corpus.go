// Package bench measures newsbot at scale: it builds a deterministic synthetic
// corpus from the real sentences of the bundled Wikinews articles, ingests it
// through the real pipeline, and times the queries members make.
package bench

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
)

// material is what synthetic articles are made of: real sentences, split into
// plain ones and ones that carry a quote, and real title words.
type material struct {
	plain, quoted []string
	titleWords    []string
	names         []string // speakers found in the sample, for queries
	questions     []string
}

func loadMaterial() (*material, error) {
	m := &material{}
	seenName := map[string]bool{}
	for _, name := range sample.Articles() {
		data, err := fs.ReadFile(sample.FS(), name)
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		for _, it := range news.Parse(name, data, "", news.Defaults{}) {
			if it.Err != nil {
				continue
			}
			for _, w := range strings.Fields(it.Article.Title) {
				if len(w) > 3 {
					m.titleWords = append(m.titleWords, strings.Trim(w, ",.:;'\""))
				}
			}
			for _, p := range it.Article.Paragraphs {
				for _, s := range news.SentenceTexts(p) {
					if strings.ContainsAny(s, "\"“") {
						m.quoted = append(m.quoted, s)
					} else {
						m.plain = append(m.plain, s)
					}
				}
			}
		}
	}
	if len(m.plain) == 0 {
		return nil, fmt.Errorf("bench: the sample has no sentences")
	}
	m.questions = []string{
		"Where will NATO coordinate security assistance for Ukraine from?",
		"How old was oceanographer Walter Munk when he died?",
		"Who won the men's race at the Chicago Marathon?",
		"What did Stoltenberg say about Russia?",
		"How many people died in the explosion?",
		"When did the protests begin?",
		"Which company was fined by the regulator?",
		"What caused the fire at the factory?",
	}
	_ = seenName
	return m, nil
}

// sources are the synthetic sites articles come from.
var sources = []string{"Daily Ledger", "Evening Post", "Harbour Times", "Metro Wire", "North Gazette", "Civic Review",
	"Coastal Herald", "Valley News", "Capital Courier", "Global Dispatch", "Morning Star", "Weekly Observer"}

// article makes the i-th synthetic article: a distinct title, a source, a date
// within two years, 3 to 7 paragraphs of 2 to 5 real sentences, a quote in
// most articles.
func (m *material) article(r *rand.Rand, i int, start time.Time) map[string]any {
	tw := make([]string, 0, 6)
	for range 4 + r.IntN(3) {
		tw = append(tw, m.titleWords[r.IntN(len(m.titleWords))])
	}
	title := fmt.Sprintf("%s (%d)", strings.Join(tw, " "), i)
	var paras []string
	for p := range 3 + r.IntN(5) {
		var ss []string
		for range 2 + r.IntN(4) {
			ss = append(ss, m.plain[r.IntN(len(m.plain))])
		}
		if p == 1 && len(m.quoted) > 0 && r.IntN(4) != 0 {
			ss = append(ss, m.quoted[r.IntN(len(m.quoted))])
		}
		paras = append(paras, strings.Join(ss, " "))
	}
	published := start.Add(time.Duration(r.Int64N(int64(2 * 365 * 24 * time.Hour))))
	return map[string]any{
		"title":     title,
		"text":      strings.Join(paras, "\n\n"),
		"url":       fmt.Sprintf("https://news.example/%d", i),
		"source":    sources[r.IntN(len(sources))],
		"published": published.UTC().Format(time.RFC3339),
	}
}

// corpusJSONL writes articles [from, to) as JSONL, the way an operator would
// feed an export to newsbot ingest.
func (m *material) corpusJSONL(seed uint64, from, to int) ([]byte, int) {
	var b strings.Builder
	raw := 0
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := from; i < to; i++ {
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		a := m.article(r, i, start)
		raw += len(a["title"].(string)) + len(a["text"].(string))
		line, _ := json.Marshal(a)
		b.Write(line)
		b.WriteByte('\n')
	}
	return []byte(b.String()), raw
}

// WriteCorpus writes n synthetic articles as JSONL: the input of a bulk ingest
// for tests and benchmarks.
func WriteCorpus(seed uint64, n int) ([]byte, error) {
	m, err := loadMaterial()
	if err != nil {
		return nil, err
	}
	data, _ := m.corpusJSONL(seed, 0, n)
	return data, nil
}
