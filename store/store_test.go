package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsbot/newsbot/news"
)

func art(id, title string) *news.Article {
	return &news.Article{ID: id, Title: title, Paragraphs: []string{"body of " + title}}
}

func TestAddReadDelete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.AddArticles([]*news.Article{art("a", "A"), art("b", "B")})
	if err != nil || len(res.Added) != 2 || len(res.Duplicates) != 0 {
		t.Fatalf("add: %+v %v", res, err)
	}
	res, err = s.AddArticles([]*news.Article{art("a", "A again"), art("c", "C")})
	if err != nil || len(res.Added) != 1 || len(res.Duplicates) != 1 || res.Duplicates[0].ID != "a" {
		t.Fatalf("second add: %+v %v", res, err)
	}
	if got, _ := s.Article("a"); got.Title != "A" {
		t.Errorf("duplicate overwrote the stored article: %q", got.Title)
	}
	if s.Count() != 3 {
		t.Errorf("count = %d", s.Count())
	}
	pend, _ := s.Pending()
	if len(pend) != 3 {
		t.Errorf("pending = %v, want all three until indexed", pend)
	}
	if err := s.MarkIndexed([]string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if pend, _ = s.Pending(); len(pend) != 1 || pend[0] != "c" {
		t.Errorf("pending = %v, want [c]", pend)
	}
	if s.LastIngest().IsZero() {
		t.Error("last ingest not recorded")
	}
	if err := s.Delete("b"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Article("b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted article: err = %v", err)
	}
	if err := s.Delete("b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: err = %v", err)
	}
	got, err := s.Articles([]string{"a", "missing", "c"})
	if err != nil || len(got) != 2 {
		t.Errorf("Articles = %v, %v", got, err)
	}
}

func TestSecondOpenFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(path, 100*time.Millisecond)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: err = %v, want ErrLocked", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("second open hung")
	}
}

func TestJSONRecords(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "s.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	type rec struct{ N int }
	var r rec
	if err := s.GetJSON("feeds", "x", &r); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing record: %v", err)
	}
	for i, k := range []string{"g1/a", "g1/b", "g2/a"} {
		if err := s.PutJSON("feeds", k, rec{i}); err != nil {
			t.Fatal(err)
		}
	}
	var keys []string
	_ = s.ListJSON("feeds", "g1/", func(k string, _ []byte) error { keys = append(keys, k); return nil })
	if len(keys) != 2 {
		t.Errorf("prefix list = %v", keys)
	}
	if err := s.GetJSON("feeds", "g2/a", &r); err != nil || r.N != 2 {
		t.Errorf("get = %+v, %v", r, err)
	}
}
