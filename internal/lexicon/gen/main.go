// Command gen compiles WordNet 3.0 (Debian's wordnet-base, /usr/share/wordnet)
// into the compact table package lexicon embeds: one line a word with its parts
// of speech, the semantic field of its first noun sense, the classes of the
// proper names it spells, and its synonyms, derivations (with adjectives'
// pertainyms) and hypernyms; phrasal verbs ("step down") with their synonyms.
//
//	go run ./internal/lexicon/gen -wordnet /usr/share/wordnet -out internal/lexicon/wordnet.tsv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The parts of speech, as bits of the table's second column.
const (
	noun = 1 << iota
	verb
	adj
	adv
)

// Classes of proper names, as bits of the table's fourth column; the class of
// the name's most frequent proper sense is the same bits shifted by usualShift
// ("France" the country before Anatole France).
const (
	person = 1 << iota
	place
	organization
)

const usualShift = 4

// sensesKept is how many of a word's senses (WordNet orders them by
// frequency) lend it synonyms: rarer senses mostly add noise.
const sensesKept = 2

type synset struct {
	lexfile int
	pos     int
	words   []string // as written, underscores for spaces
	ptrs    []pointer
}

type pointer struct {
	sym    string
	target string // pos letter + offset
	src    int    // 0 for the whole synset, else the 1-based word
	dst    int
}

func main() {
	dir := flag.String("wordnet", "/usr/share/wordnet", "WordNet 3.0 dict folder")
	out := flag.String("out", "wordnet.tsv", "table to write")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		log.Fatal(err)
	}
}

func run(dir, out string) error {
	synsets := map[string]*synset{}
	for _, p := range []struct {
		file string
		pos  int
	}{{"data.noun", noun}, {"data.verb", verb}, {"data.adj", adj}, {"data.adv", adv}} {
		if err := readData(filepath.Join(dir, p.file), p.pos, synsets); err != nil {
			return err
		}
	}
	type entry struct {
		pos, proper, usual  int
		field               string
		syn, der, hyp, base []string
	}
	entries := map[string]*entry{}
	get := func(k string) *entry {
		e := entries[k]
		if e == nil {
			e = &entry{}
			entries[k] = e
		}
		return e
	}
	// The index files list each lemma's synsets, most frequent sense first.
	for _, p := range []struct {
		file   string
		letter string
	}{{"index.noun", "n"}, {"index.verb", "v"}, {"index.adj", "a"}, {"index.adv", "r"}} {
		err := eachLine(filepath.Join(dir, p.file), func(line string) {
			fs := strings.Fields(line)
			lemma := fs[0]
			nptr, _ := strconv.Atoi(fs[3])
			offsets := fs[4+nptr+2:]
			var common []*synset
			var commonIdx []int   // the lemma's place among the synset's words
			proper, usual := 0, 0 // usual: the class of the first (most frequent) proper sense
			for _, off := range offsets {
				s := synsets[p.letter+off]
				if s == nil {
					continue
				}
				for wi, w := range s.words {
					if strings.ToLower(w) != lemma {
						continue
					}
					if w != strings.ToLower(w) && p.letter == "n" && s.proper() {
						proper |= classOf(s.lexfile)
						if usual == 0 {
							usual = classOf(s.lexfile)
						}
					} else {
						common = append(common, s)
						commonIdx = append(commonIdx, wi+1)
					}
					break
				}
			}
			key := strings.ReplaceAll(lemma, "_", " ")
			multi := strings.Contains(key, " ")
			phrasal := p.letter == "v" && phrasalVerb(key)
			if multi && proper == 0 && !phrasal {
				return
			}
			if strings.ContainsAny(key, "0123456789") && !multi && proper == 0 && len(common) == 0 {
				return
			}
			e := get(key)
			e.proper |= proper
			if e.usual == 0 {
				e.usual = usual
			}
			if len(common) == 0 || (multi && !phrasal) {
				return
			}
			e.pos |= common[0].pos
			if p.letter == "n" && e.field == "" {
				e.field = lexnames[common[0].lexfile]
			}
			for i, s := range common {
				if i >= sensesKept {
					break
				}
				for _, w := range s.words {
					if lw := strings.ToLower(w); lw != lemma && single(lw) && lw == w {
						e.syn = append(e.syn, lw)
					}
				}
				for _, ptr := range s.ptrs {
					if ptr.sym == "+" && ptr.src == commonIdx[i] {
						if t := synsets[ptr.target]; t != nil && ptr.dst <= len(t.words) {
							if lw := t.words[ptr.dst-1]; single(lw) && lw == strings.ToLower(lw) && lw != lemma {
								e.der = append(e.der, lw)
							}
						}
					}
					// A pertainym: the noun an adjective is "of or
					// relating to" ("Irish", "Ireland"; "Polish",
					// "Poland"), a derivation both ways, names too.
					if ptr.sym == "\\" && p.letter == "a" && ptr.src == commonIdx[i] {
						if t := synsets[ptr.target]; t != nil && ptr.dst <= len(t.words) {
							if lw := strings.ToLower(t.words[ptr.dst-1]); single(lw) && lw != lemma {
								e.der = append(e.der, lw)
								get(lw).der = append(get(lw).der, lemma)
							}
						}
					}
					if i == 0 && p.letter == "n" && (ptr.sym == "@" || ptr.sym == "@i") {
						if t := synsets[ptr.target]; t != nil {
							for _, w := range t.words {
								if lw := strings.ToLower(w); single(lw) && lw == w {
									e.hyp = append(e.hyp, lw)
								}
							}
						}
					}
				}
			}
		})
		if err != nil {
			return err
		}
	}
	for _, exc := range []string{"noun.exc", "verb.exc", "adj.exc", "adv.exc"} {
		err := eachLine(filepath.Join(dir, exc), func(line string) {
			fs := strings.Fields(line)
			if len(fs) < 2 || !single(fs[0]) {
				return
			}
			e := get(fs[0])
			for _, b := range fs[1:] {
				if single(b) {
					e.base = append(e.base, b)
				}
			}
		})
		if err != nil {
			return err
		}
	}
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "# WordNet 3.0 (c) 2006 Princeton University, see LICENSE.wordnet; made by internal/lexicon/gen")
	for _, k := range keys {
		e := entries[k]
		fmt.Fprintf(w, "%s\t%x\t%s\t%x\t%s\t%s\t%s\t%s\n", k, e.pos, e.field, e.proper|e.usual<<usualShift,
			list(e.syn), list(e.der), list(e.hyp), list(e.base))
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	return f.Close()
}

// proper reports a capitalised synset that names one particular person,
// place or organisation (Paris, Einstein, NATO), not a kind: "Muslim" and
// "American" are capitalised kinds of person. WordNet marks most particulars
// as instances; organisations and regions it often files as kinds.
func (s *synset) proper() bool {
	if f := lexnames[s.lexfile]; f == "group" || f == "location" {
		return true
	}
	for _, p := range s.ptrs {
		if p.sym == "@i" {
			return true
		}
	}
	return false
}

// phrasalVerb says whether a verb lemma is a verb and its particle ("bring
// up", "move into"): a member's words for the article's one-word verb
// ("cite", "enter"), kept with its synonyms.
func phrasalVerb(key string) bool {
	fs := strings.Fields(key)
	return len(fs) == 2 && particles[fs[1]]
}

var particles = map[string]bool{
	"up": true, "down": true, "out": true, "off": true, "in": true, "into": true, "on": true, "onto": true,
	"over": true, "back": true, "away": true, "after": true, "through": true, "around": true,
}

func single(w string) bool { return w != "" && !strings.ContainsAny(w, "_ \t,") }

func list(ws []string) string {
	slices.Sort(ws)
	return strings.Join(slices.Compact(ws), ",")
}

func classOf(lexfile int) int {
	switch lexnames[lexfile] {
	case "person":
		return person
	case "location":
		return place
	case "group":
		return organization
	}
	return 0
}

func readData(path string, pos int, into map[string]*synset) error {
	letter := map[int]string{noun: "n", verb: "v", adj: "a", adv: "r"}[pos]
	return eachLine(path, func(line string) {
		if i := strings.Index(line, " | "); i >= 0 {
			line = line[:i]
		}
		fs := strings.Fields(line)
		lex, _ := strconv.Atoi(fs[1])
		n, _ := strconv.ParseInt(fs[3], 16, 32)
		s := &synset{lexfile: lex, pos: pos}
		i := 4
		for k := 0; k < int(n); k++ {
			w := fs[i]
			if j := strings.IndexByte(w, '('); j > 0 { // adjective markers: "(a)", "(p)"
				w = w[:j]
			}
			s.words = append(s.words, w)
			i += 2
		}
		np, _ := strconv.Atoi(fs[i])
		i++
		for k := 0; k < np; k++ {
			st := fs[i+3]
			src, _ := strconv.ParseInt(st[:2], 16, 32)
			dst, _ := strconv.ParseInt(st[2:], 16, 32)
			tl := fs[i+2]
			if tl == "s" {
				tl = "a"
			}
			s.ptrs = append(s.ptrs, pointer{sym: fs[i], target: tl + fs[i+1], src: int(src), dst: int(dst)})
			i += 4
		}
		into[letter+fs[0]] = s
	})
}

// eachLine calls fn with every line of a WordNet file but the licence lines
// that open the data and index files (they start with a space).
func eachLine(path string, fn func(line string)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, " ") {
			fn(line)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("gen: %s: %w", path, err)
	}
	return nil
}

// lexnames are WordNet's lexicographer files, by number (lexnames(5WN)),
// without their part-of-speech prefix.
var lexnames = []string{
	"all", "pert", "all", "tops", "act", "animal", "artifact", "attribute", "body", "cognition",
	"communication", "event", "feeling", "food", "group", "location", "motive", "object", "person",
	"phenomenon", "plant", "possession", "process", "quantity", "relation", "shape", "state",
	"substance", "time", "body", "change", "cognition", "communication", "competition",
	"consumption", "contact", "creation", "emotion", "motion", "perception", "possession", "social",
	"stative", "weather", "ppl",
}
