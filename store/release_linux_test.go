package store

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/news"
)

// mappedKB is how much of the file at path this process has mapped in (the
// Rss of its mappings in /proc/self/smaps).
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	defer f.Close()
	kb, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			in = len(fields) >= 6 && fields[5] == path
		case in && len(fields) >= 2 && fields[0] == "Rss:":
			n, _ := strconv.Atoi(fields[1])
			kb += n
		}
	}
	return kb
}

// Reading articles leaves the pages they were read from unmapped: after
// reading half of a store's articles, scattered, a small part of the file is
// in the process's RSS rather than most of it (without release: 3.4 of
// 4 MB), and every article reads the same the second time.
func TestReadsReleaseMappedPages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("harbour council mayor bridge river election budget storm school rail " +
		"minister court union strike museum festival vaccine hospital airport market")
	const n = 3000
	for batch := 0; batch < n; batch += 500 {
		var arts []*news.Article
		for i := batch; i < batch+500; i++ {
			var p []string
			for range 4 {
				var w []string
				for range 60 {
					w = append(w, words[r.IntN(len(words))]+strconv.Itoa(r.IntN(1000)))
				}
				p = append(p, strings.Join(w, " ")+".")
			}
			arts = append(arts, &news.Article{ID: fmt.Sprintf("a%05d", i), Title: fmt.Sprintf("Article %d", i), Paragraphs: p})
		}
		if _, err := s.AddArticles(arts); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	read := func() map[string]string {
		got := map[string]string{}
		for i := 0; i < n; i += 10 {
			var ids []string
			for j := i; j < i+10; j += 2 {
				ids = append(ids, fmt.Sprintf("a%05d", (j*7919)%n))
			}
			arts, err := s.Articles(ids)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				a := arts[id]
				num, _ := strconv.Atoi(id[1:])
				if a == nil || a.Title != fmt.Sprintf("Article %d", num) {
					t.Fatalf("%s read as %+v", id, a)
				}
				got[id] = strings.Join(a.Paragraphs, "\n")
			}
		}
		return got
	}
	first := read()
	mapped := mappedKB(t, path)
	if size := int(fi.Size() >> 10); mapped > size/4 {
		t.Errorf("after reading %d of %d articles, %d KB of the %d KB store are mapped in", len(first), n, mapped, size)
	}
	for id, text := range read() {
		if first[id] != text {
			t.Fatalf("%s reads differently the second time", id)
		}
	}
	a, err := s.Article("a00042")
	if err != nil || a.Title != "Article 42" {
		t.Fatalf("Article: %+v, %v", a, err)
	}
}
