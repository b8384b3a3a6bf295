package quotes

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// This test reproduces score_quotes of the project's scorer (score.py) on the
// dev gold set in testdata, so that the figures can be checked without the
// command line or the shared corpus.

// Targets from the issue.
const (
	minDirectF1       = 0.95
	minSpeakerAcc     = 0.92
	minIndirectRecall = 0.60

	// The extra set guards against losing what carried over to new prose.
	minExtraDirectF1       = 0.95
	minExtraSpeakerAcc     = 0.85
	minExtraIndirectRecall = 0.40
)

type goldQuote struct {
	Text    string   `json:"text"`
	Speaker *string  `json:"speaker"`
	Aliases []string `json:"aliases"`
	Kind    string   `json:"kind"`
}

type goldArticle struct {
	URL    *string     `json:"url"`
	Title  string      `json:"title"`
	Quotes []goldQuote `json:"quotes"`
}

type devArticle struct {
	URL   string `json:"url"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

var blankLines = regexp.MustCompile(`\n\s*\n`)

// wikinewsParagraphs drops the dateline line and splits on blank lines.
func wikinewsParagraphs(text string) []string {
	_, body, _ := strings.Cut(text, "\n")
	return splitParagraphs(body)
}

func splitParagraphs(body string) []string {
	var out []string
	for _, p := range blankLines.Split(body, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// seedParagraphs drops the dateline, the title and the site's "Must read" and
// "Latest article" lines.
func seedParagraphs(t testing.TB) (title string, paras []string) {
	raw, err := os.ReadFile(filepath.Join("testdata", "nato-ukraine-security-assistance.txt"))
	if err != nil {
		t.Fatal(err)
	}
	all := splitParagraphs(string(raw))
	title = all[1]
	for _, p := range all[2:] {
		if p == "Must read" || strings.HasPrefix(p, "Latest article") {
			continue
		}
		paras = append(paras, p)
	}
	return title, paras
}

type evalArticle struct {
	url, title string
	paras      []string
}

func loadDevArticles(t testing.TB) []evalArticle {
	raw, err := os.ReadFile(filepath.Join("testdata", "wikinews-dev.json"))
	if err != nil {
		t.Fatal(err)
	}
	var wn []devArticle
	if err := json.Unmarshal(raw, &wn); err != nil {
		t.Fatal(err)
	}
	title, paras := seedParagraphs(t)
	out := []evalArticle{{title: title, paras: paras}}
	for _, a := range wn {
		out = append(out, evalArticle{url: a.URL, title: a.Title, paras: wikinewsParagraphs(a.Text)})
	}
	return out
}

func loadGold(t testing.TB, file string) []goldArticle {
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []goldArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var g goldArticle
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	mdEscape = regexp.MustCompile(`\\([*_~` + "`" + `|>\\])`)
	spaces   = regexp.MustCompile(`\s+`)
)

// normText is score.py's norm. NFKC is approximated by the replacements the
// scorer makes itself; the dev texts need no more.
func normText(s string) string {
	r := strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`,
		"\u2013", "-", "\u2014", "-", "**", "", "__", "", "\u00a0", " ")
	s = r.Replace(s)
	s = mdEscape.ReplaceAllString(s, "$1")
	return strings.ToLower(strings.TrimSpace(spaces.ReplaceAllString(s, " ")))
}

// overlap is score.py's: shared distinct words over the larger word set.
func overlap(a, b string) float64 {
	sa, sb := wordBag(normText(a)), wordBag(normText(b))
	if len(sa) == 0 || len(sb) == 0 {
		return 0
	}
	n := 0
	for w := range sa {
		if sb[w] {
			n++
		}
	}
	return float64(n) / float64(max(len(sa), len(sb)))
}

func wordBag(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func speakerOK(pred string, g goldQuote) bool {
	p := normText(pred)
	if p == "" {
		return false
	}
	names := []string{}
	if g.Speaker != nil {
		names = append(names, normText(*g.Speaker))
	}
	for _, a := range g.Aliases {
		names = append(names, normText(a))
	}
	for _, n := range names {
		if n != "" && (p == n || strings.Contains(p, n)) {
			return true
		}
	}
	return false
}

type evalScore struct {
	tp, fp, fn, spk, named, indGold, indHit int
	indPred                                 int // indirect quotes predicted
	notes                                   []string
}

// indPrecision is the share of predicted indirect quotes that match a gold
// one; score.py does not report it, but a rule that floods shows here.
func (s evalScore) indPrecision() float64 {
	if s.indPred == 0 {
		return 1
	}
	return float64(s.indHit) / float64(s.indPred)
}

func (s evalScore) figures() (p, r, f1, sacc, ir float64) {
	if s.tp+s.fp > 0 {
		p = float64(s.tp) / float64(s.tp+s.fp)
	}
	if s.tp+s.fn > 0 {
		r = float64(s.tp) / float64(s.tp+s.fn)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	if s.named > 0 {
		sacc = float64(s.spk) / float64(s.named)
	}
	ir = 1
	if s.indGold > 0 {
		ir = float64(s.indHit) / float64(s.indGold)
	}
	return
}

// scoreArticle matches one article's predictions to its gold quotes the way
// score.py does: per kind, each gold quote in order takes the best unused
// prediction with word overlap of at least 0.8.
func (s *evalScore) scoreArticle(g goldArticle, preds []Quote) {
	for _, kind := range []Kind{Direct, Indirect} {
		var gq []goldQuote
		for _, q := range g.Quotes {
			k := q.Kind
			if k == "" {
				k = string(Direct)
			}
			if Kind(k) == kind {
				gq = append(gq, q)
			}
		}
		var pq []Quote
		for _, q := range preds {
			if q.Kind == kind || (q.Kind == "" && kind == Direct) {
				pq = append(pq, q)
			}
		}
		if kind == Indirect {
			s.indPred += len(pq)
		}
		used := map[int]bool{}
		for _, x := range gq {
			best, bi := 0.0, -1
			for i, p := range pq {
				if used[i] {
					continue
				}
				if o := overlap(p.Text, x.Text); o > best {
					best, bi = o, i
				}
			}
			matched := best >= 0.8
			if matched {
				used[bi] = true
			}
			if kind == Indirect {
				s.indGold++
				if matched {
					s.indHit++
				} else {
					s.notes = append(s.notes, fmt.Sprintf("missed indirect: %.90s", x.Text))
				}
				continue
			}
			if !matched {
				s.fn++
				s.notes = append(s.notes, fmt.Sprintf("missed: %.90s", x.Text))
				continue
			}
			s.tp++
			if x.Speaker != nil && *x.Speaker != "" {
				s.named++
				if speakerOK(pq[bi].Speaker, x) {
					s.spk++
				} else {
					s.notes = append(s.notes, fmt.Sprintf("speaker %q != %q: %.70s", pq[bi].Speaker, *x.Speaker, x.Text))
				}
			}
		}
		for i, p := range pq {
			switch {
			case used[i]:
			case kind == Direct:
				s.fp++
				s.notes = append(s.notes, fmt.Sprintf("extra: %.90s", p.Text))
			default:
				s.notes = append(s.notes, fmt.Sprintf("extra indirect (%s): %.90s", p.Cue, p.Text))
			}
		}
	}
}

var (
	repeatedSlashes = regexp.MustCompile(`/+`)
	urlScheme       = regexp.MustCompile(`^https?://`)
)

// urlKey is score.py's url_key.
func urlKey(u string) string {
	u = repeatedSlashes.ReplaceAllString(strings.TrimSpace(u), "/")
	return strings.ToLower(strings.TrimRight(urlScheme.ReplaceAllString(u, ""), "/"))
}

// sameArticle is score.py's same_article: by url, or else by title.
func sameArticle(a evalArticle, g goldArticle) bool {
	if g.URL != nil && *g.URL != "" && a.url != "" && urlKey(a.url) == urlKey(*g.URL) {
		return true
	}
	return g.Title != "" && normText(a.title) == normText(g.Title)
}

// TestEvalDevSet scores the dev set, which the extractor was built on, and
// the extra set, articles annotated later by the same guidelines, which
// says how well that carries over to prose it was not built on.
func TestEvalDevSet(t *testing.T) {
	arts := loadDevArticles(t)
	for _, set := range []struct {
		file                 string
		minF1, minSpk, minIR float64
	}{
		{"quotes-dev.jsonl", minDirectF1, minSpeakerAcc, minIndirectRecall},
		{"quotes-extra.jsonl", minExtraDirectF1, minExtraSpeakerAcc, minExtraIndirectRecall},
	} {
		t.Run(set.file, func(t *testing.T) {
			var s evalScore
			for _, g := range loadGold(t, set.file) {
				var preds []Quote
				found := false
				for _, a := range arts {
					if sameArticle(a, g) {
						preds, found = Extract(a.paras), true
						break
					}
				}
				if !found {
					t.Fatalf("no article for gold %q", g.Title)
				}
				s.scoreArticle(g, preds)
			}
			for _, n := range s.notes {
				t.Log(n)
			}
			p, r, f1, sacc, ir := s.figures()
			t.Logf("quotes: direct P %.3f R %.3f F1 %.3f; speaker accuracy %.3f on %d of %d matched with a known speaker; indirect recall %.3f (%d/%d), precision %.3f (%d/%d)",
				p, r, f1, sacc, s.named, s.tp, ir, s.indHit, s.indGold, s.indPrecision(), s.indHit, s.indPred)
			if f1 < set.minF1 || sacc < set.minSpk || ir < set.minIR {
				t.Errorf("below target: F1 %.3f (want ≥ %.2f), speaker accuracy %.3f (want ≥ %.2f), indirect recall %.3f (want ≥ %.2f)",
					f1, set.minF1, sacc, set.minSpk, ir, set.minIR)
			}
		})
	}
}
