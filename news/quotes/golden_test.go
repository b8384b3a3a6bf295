package quotes_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

var update = flag.Bool("update", false, "rewrite testdata/extract-digest.txt from the current extractor")

const digestFile = "extract-digest.txt"

// mixedGroup synthetic articles share a line of the golden file.
const mixedGroup = 25

// goldenInput is one article given to Extract, named for the golden file.
type goldenInput struct {
	name  string
	paras []string
}

// TestExtractDigest runs Extract over every article the package's tests and
// the bundled sample know, plus synthetic articles mixed from the sample's
// sentences the way the ingest benchmark makes them, and compares a digest
// of every field of every quote with testdata/extract-digest.txt. It pins
// the output byte for byte, so that work on the extractor's speed cannot
// change what it finds; a change meant to alter the output rewrites the
// file with -update and shows in review as changed lines.
func TestExtractDigest(t *testing.T) {
	inputs := goldenInputs(t)
	var got bytes.Buffer
	total := sha256.New()
	quotesSeen := 0
	// Consecutive inputs of one name share a line: the synthetic articles
	// go in groups, to keep the file short.
	for i := 0; i < len(inputs); {
		name, h, n := inputs[i].name, sha256.New(), 0
		for ; i < len(inputs) && inputs[i].name == name; i++ {
			qs := quotes.Extract(inputs[i].paras)
			enc, err := json.Marshal(qs)
			if err != nil {
				t.Fatal(err)
			}
			h.Write(enc)
			h.Write([]byte{'\n'})
			n += len(qs)
		}
		sum := h.Sum(nil)
		total.Write(sum)
		quotesSeen += n
		fmt.Fprintf(&got, "%s\t%d\t%s\n", name, n, hex.EncodeToString(sum[:8]))
	}
	fmt.Fprintf(&got, "total\t%d\t%s\n", quotesSeen, hex.EncodeToString(total.Sum(nil)))
	if quotesSeen == 0 {
		t.Fatal("no quotes at all: the inputs did not load")
	}
	path := filepath.Join("testdata", digestFile)
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./news/quotes -run TestExtractDigest -update makes it)", err)
	}
	if bytes.Equal(got.Bytes(), want) {
		return
	}
	gotLines, wantLines := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
	bad := 0
	for i := 0; i < max(len(gotLines), len(wantLines)) && bad < 10; i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Errorf("line %d: got %q, want %q", i+1, g, w)
			bad++
		}
	}
}

// goldenInputs are the articles of the digest, in a fixed order.
func goldenInputs(t *testing.T) []goldenInput {
	var out []goldenInput
	for i, paras := range quotes.DevArticles(t) {
		out = append(out, goldenInput{fmt.Sprintf("dev/%d", i), paras})
	}
	sampled := sampleArticles(t)
	for i, paras := range sampled {
		out = append(out, goldenInput{fmt.Sprintf("sample/%d", i), paras})
	}
	for i, paras := range mixedArticles(sampled, 3000) {
		out = append(out, goldenInput{fmt.Sprintf("mixed/%d", i/mixedGroup), paras})
	}
	names, bad := quotes.BadInputs(25)
	for i, paras := range bad {
		out = append(out, goldenInput{"bad/" + names[i], paras})
	}
	for _, f := range fuzzSeeds(t) {
		out = append(out, f)
	}
	return out
}

// sampleArticles are the bundled sample's articles as ingest reads them.
func sampleArticles(t *testing.T) [][]string {
	var out [][]string
	for _, name := range sample.Articles() {
		data, err := fs.ReadFile(sample.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range news.Parse(name, data, "", news.Defaults{}) {
			if it.Err == nil {
				out = append(out, it.Article.Paragraphs)
			}
		}
	}
	if len(out) < 100 {
		t.Fatalf("only %d sample articles", len(out))
	}
	return out
}

// mixedArticles makes n articles of 3 to 7 paragraphs, each of 2 to 5
// sentences drawn from the sample, as internal/bench builds its corpus: the
// sentences meet neighbours they never had, so pronouns and speakers carry
// across in ways the real articles do not show.
func mixedArticles(sampled [][]string, n int) [][]string {
	var sents []string
	for _, paras := range sampled {
		for _, p := range paras {
			sents = append(sents, news.SentenceTexts(p)...)
		}
	}
	r := rand.New(rand.NewPCG(16, 1))
	out := make([][]string, n)
	for i := range out {
		for range 3 + r.IntN(5) {
			ss := make([]string, 2+r.IntN(4))
			for k := range ss {
				ss[k] = sents[r.IntN(len(sents))]
			}
			out[i] = append(out[i], strings.Join(ss, " "))
		}
	}
	return out
}

// fuzzSeeds are the seed inputs of FuzzExtract, split as the fuzz test
// splits them.
func fuzzSeeds(t *testing.T) []goldenInput {
	dir := filepath.Join("testdata", "fuzz", "FuzzExtract")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenInput
	for _, e := range entries {
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if !strings.HasPrefix(line, "string(") {
				continue
			}
			text, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(line, "string("), ")"))
			if err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			out = append(out, goldenInput{"fuzz/" + e.Name(), strings.Split(text, "\n\n")})
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
