package enfast

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

// analyzers returns bleve's "en" and ours, both built by bleve's registry the
// way a mapping builds them.
func analyzers(tb testing.TB) (want, got analysis.Analyzer) {
	tb.Helper()
	cache := registry.NewCache()
	want, err := cache.AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		tb.Fatal(err)
	}
	got, err = cache.AnalyzerNamed(AnalyzerName)
	if err != nil {
		tb.Fatal(err)
	}
	if _, ok := got.(*Analyzer); !ok {
		tb.Fatalf("registry gave %T for %q", got, AnalyzerName)
	}
	return want, got
}

// same fails unless both analyzers give text the same tokens, field by field.
func same(tb testing.TB, want, got analysis.Analyzer, text []byte) {
	tb.Helper()
	// "en" lowercases its input in place: each analyzer gets its own copy,
	// and ours must leave its copy as it was.
	in := bytes.Clone(text)
	w := want.Analyze(bytes.Clone(text))
	g := got.Analyze(in)
	if !bytes.Equal(in, text) {
		tb.Fatalf("Analyze changed its input %q to %q", text, in)
	}
	if diff := diffStreams(w, g); diff != "" {
		tb.Fatalf("input %q: %s", text, diff)
	}
}

func diffStreams(want, got analysis.TokenStream) string {
	for i := 0; i < len(want) || i < len(got); i++ {
		switch {
		case i >= len(got):
			return fmt.Sprintf("token %d missing, want %s", i, want[i])
		case i >= len(want):
			return fmt.Sprintf("token %d extra: %s", i, got[i])
		}
		w, g := want[i], got[i]
		if !bytes.Equal(w.Term, g.Term) || w.Start != g.Start || w.End != g.End ||
			w.Position != g.Position || w.Type != g.Type || w.KeyWord != g.KeyWord {
			return fmt.Sprintf("token %d:\n got %s (term %q, keyword %v)\nwant %s (term %q, keyword %v)",
				i, g, g.Term, g.KeyWord, w, w.Term, w.KeyWord)
		}
	}
	return ""
}

// tricky holds texts at the edges of the word-break rules, the filters and
// the fallback to the real segmenter.
var tricky = []string{
	"",
	" ",
	"a",
	"The U.S. economy grew 3.5% in 2019, adding 1,000,000 jobs; e.g. 1.000,50 or 12:30.",
	"don't won't o'clock rock'n'roll 'quoted' ''double'' x'",
	"John's dog's JOHN'S James' it's 's s 'S",
	"John’s dog’s don’t ‘single’ ’s James’ x’s",
	"John＇s fullwidth＇S",
	"snake_case __init__ _ __ _1 1_ a_1 1_a a__b 3_000 ___",
	"a:b a::b 12:30 a;b 1;2 a,b 1,2 a.b 1.2 a.1 1.a a'1 1'2 a.'b 1..2 a..b",
	"https://example.com/path?q=1&r=two#frag mailto:someone@example.org user.name+tag@mail.co.uk",
	"state-of-the-art well—known — – - -- e-mail x-ray COVID-19 F-16",
	"\"quoted\" “curly” «guillemets» „low“ (paren) [bracket] {brace}",
	"tab\tnew\nline\r\ncrlf\rcr\vvt\fff  double  space",
	"\r\n\r\n\n\n\r\r",
	"中文分词 日本語のテキスト カタカナ ひらがな 한국어 텍스트 ｶﾀｶﾅ",
	"emoji 👍 👍🏽 👨‍👩‍👧 🇺🇸🇬🇧 flags ☃ ♥",
	"combining: e\u0301 cafe\u0301 a\u0308b \u0301start x \u0301 n\u0303o",
	"soft\u00adhyphen zero\u200bwidth zw\u200djoiner zw\u200cnon bom\ufeffmark",
	"RTL: שלום עולם ג\"ג ג׳ Hebrew's עם'ך مرحبا بالعالم ١٢٣٬٤٥٦",
	"Ⱥ Ⱦ ȺBC ΣΑΣ ΌΣΟΣ İstanbul ǅ ﬁnancial Straße ÀÉÎÕÜ",
	"nbsp\u00a0here narrow\u202fnbsp ideographic\u3000space line\u2028sep para\u2029sep next\u0085line",
	"control \x00\x01\x02\x1b\x7f bytes",
	"invalid \xff\xfe bytes \xc3 lone \x80 continuation",
	"surrogate \xed\xa0\x80 encoded",
	"table quirks \xed\x00 x\xed\x00 y \xe2\x81\x20z \xe2\x80\xc0w",
	"a\xed\x00 b c",
	"ascii then\xff",
	"\xffstart",
	"numbers 1st 2nd 3rd 4th 1990s 80's '80s 5km 10:30pm $5.99 €10 £20 50% 1/2 ½",
	"Mr. Dr. St. U.K. a.m. p.m. i.e. etc... e.g., vs. No.1",
	"ALL CAPS HEADLINE: PRESIDENT SAYS ‘NO’",
	"Mixed ASCII and é: naïve café résumé coöperate Zürich São Paulo Kraków",
	"x\u0301's y\u2019s' z'\u0301s",
	"fractions 1\u20442 ٫ 1٫5 ۱۲۳",
	"fullwidth ＡＢＣ １２３ ，．：；",
	"ideographic . 。、 full stop",
	"generalizations relational conditional rational valenci hesitanci digitizer conformabli radicalli differentli vileli analogousli vietnamization predication operator feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti",
	"caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled sized hopping tanned falling hissing fizzed failing filing happy sky",
	strings.Repeat("word ", 300),
	strings.Repeat("longword", 20) + " " + strings.Repeat("x", 70000),
}

func TestIdentityTricky(t *testing.T) {
	want, got := analyzers(t)
	for _, text := range tricky {
		same(t, want, got, []byte(text))
	}
}

// TestIdentityASCIIExhaustive runs every string of up to four characters over
// one representative of each ASCII word-break class (and the possessive 's),
// then every ASCII byte between letters, between digits and alone.
func TestIdentityASCIIExhaustive(t *testing.T) {
	want, got := analyzers(t)
	const alphabet = "aSs0_:.,;'\"- \r\n"
	var walk func(prefix []byte)
	walk = func(prefix []byte) {
		same(t, want, got, prefix)
		if len(prefix) == 4 {
			return
		}
		for i := range len(alphabet) {
			walk(append(prefix, alphabet[i]))
		}
	}
	walk(nil)
	for c := range 128 {
		b := byte(c)
		for _, ctx := range []string{"a%ca", "0%c0", "%ca", "a%c", "%c", "a's%c", "%c's", "A%cB%cC", "1%c2%c3"} {
			same(t, want, got, []byte(strings.ReplaceAll(ctx, "%c", string(b))))
		}
	}
}

// pieces are what TestIdentityGenerated puts texts together from.
var pieces = []string{
	"a", "B", "s", "S", "z", "0", "7", "_", ":", ".", ",", ";", "'", "\"", "-", "/", "@", "#", "%",
	" ", " ", " ", "\t", "\n", "\r", "\r\n", "\v", "\f", "\x00", "\x7f",
	"the", "and", "of", "said", "running", "Nation's", "U.S.", "3.5", "1,000", "don't", "e-mail",
	"’", "‘", "＇", "“", "”", "—", "–", "…", "\u00a0", "\u00ad", "\u200b", "\u200d", "\ufeff",
	"é", "É", "ß", "Σ", "ς", "Ⱥ", "İ", "ǅ", "\u0301", "\u0308", "\u20dd",
	"中", "文", "カ", "ｶ", "ひ", "한", "א", "ב", "׳", "״", "م", "١", "٬", "٫", "۱", "\u2044",
	"👍", "🏽", "🇺", "🇸", "☃", "\u2028", "\u0085", "\u3000", "。", "・",
	"\xff", "\xc3", "\x80", "\xed\xa0\x80", "\xed\x00", "\xe2\x81", "\xe2\x80\xc0", "\xf0\x9f",
}

func TestIdentityGenerated(t *testing.T) {
	want, got := analyzers(t)
	rng := rand.New(rand.NewPCG(16, 2026))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	var b []byte
	for range n {
		b = b[:0]
		for range rng.IntN(24) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		same(t, want, got, b)
	}
}

// TestIdentityFixtures runs every file under a testdata folder of the
// repository and the bundled sample articles, whole, and the titles,
// bodies, paragraphs and quotes of the articles news.Parse finds in them.
func TestIdentityFixtures(t *testing.T) {
	want, got := analyzers(t)
	files := map[string][]byte{}
	err := fs.WalkDir(sample.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sample.FS(), path)
		files["sample/"+path] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..")
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.Contains(filepath.ToSlash(path), "/testdata/") {
			return nil
		}
		data, err := os.ReadFile(path)
		files[path] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d fixture files", len(files))
	}
	articles := 0
	for name, data := range files {
		same(t, want, got, data)
		for _, it := range news.Parse(name, data, "", news.Defaults{}) {
			if it.Err != nil {
				continue
			}
			a := it.Article
			articles++
			texts := append([]string{a.Title, a.Body()}, a.Paragraphs...)
			for _, q := range quotes.Extract(a.Paragraphs) {
				texts = append(texts, q.Text, q.Speaker)
			}
			for _, text := range texts {
				same(t, want, got, []byte(text))
			}
		}
	}
	if articles < 295 {
		t.Fatalf("parsed only %d articles from the fixtures; the sample alone has 296", articles)
	}
}

// TestIdentityConcurrent analyses the sample on several goroutines at once
// through one analyzer and one stem memo, as bleve's indexing does.
func TestIdentityConcurrent(t *testing.T) {
	want, got := analyzers(t)
	texts := sampleTexts(t)
	wantStreams := make([]analysis.TokenStream, len(texts))
	for i, text := range texts {
		wantStreams[i] = want.Analyze(bytes.Clone(text))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Go(func() {
			for i := range texts {
				i = (i + g*len(texts)/4) % len(texts)
				if d := diffStreams(wantStreams[i], got.Analyze(texts[i])); d != "" {
					errs <- fmt.Sprintf("text %d: %s", i, d)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// sampleTexts returns the titles and bodies of the bundled sample articles.
func sampleTexts(tb testing.TB) [][]byte {
	tb.Helper()
	var texts [][]byte
	for _, name := range sample.Articles() {
		data, err := fs.ReadFile(sample.FS(), name)
		if err != nil {
			tb.Fatal(err)
		}
		for _, it := range news.Parse(name, data, "", news.Defaults{}) {
			if it.Err == nil {
				texts = append(texts, []byte(it.Article.Title), []byte(it.Article.Body()))
			}
		}
	}
	if len(texts) == 0 {
		tb.Fatal("no sample articles")
	}
	return texts
}

func FuzzAnalyzerIdentity(f *testing.F) {
	for _, text := range tricky {
		if len(text) < 1000 { // long seeds slow the fuzzer down for nothing
			f.Add([]byte(text))
		}
	}
	for _, p := range pieces {
		f.Add([]byte("x" + p + "y " + p))
	}
	want, got := analyzers(f)
	f.Fuzz(func(t *testing.T, text []byte) {
		same(t, want, got, text)
	})
}

// TestInAMapping builds an index on disk whose mapping names the analyzer, as
// the index package's mapping would, and finds a document by stems of words
// it does not hold verbatim.
func TestInAMapping(t *testing.T) {
	m := mapping.NewIndexMapping()
	m.DefaultAnalyzer = AnalyzerName
	ix, err := bleve.New(filepath.Join(t.TempDir(), "ix"), m)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, ok := ix.Mapping().AnalyzerNamed(AnalyzerName).(*Analyzer); !ok {
		t.Fatalf("the mapping's %q is %T", AnalyzerName, ix.Mapping().AnalyzerNamed(AnalyzerName))
	}
	docs := map[string]string{
		"a": "The Minister’s runners were training in Zürich’s parks.",
		"b": "Markets fell on Tuesday.",
	}
	for id, body := range docs {
		if err := ix.Index(id, map[string]string{"body": body}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ query, want string }{
		{"minister runner train", "a"},
		{"zürich park", "a"},
		{"marketing tuesdays", "b"},
	} {
		q := bleve.NewMatchQuery(c.query)
		q.SetOperator(query.MatchQueryOperatorAnd)
		res, err := ix.Search(bleve.NewSearchRequest(q))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].ID != c.want {
			t.Errorf("%q found %v, want only %s", c.query, res.Hits, c.want)
		}
	}
}
