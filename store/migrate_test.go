package store

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"
	"go.etcd.io/bbolt"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

// writeFormat1 writes a store file the way newsbot wrote it before the
// sequential keys: articles under their ids, Snappy-compressed JSON behind
// an 's' (or plain JSON, the earliest values), pending marks by id, and no
// format mark. It returns the articles.
func writeFormat1(t *testing.T, path string, n int) []*news.Article {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ingested := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	var arts []*news.Article
	for i := range n {
		a := &news.Article{
			Title: fmt.Sprintf("Story %d", i), URL: fmt.Sprintf("https://example.com/%d", i),
			Source: []string{"Wire", "Herald", ""}[i%3], Guild: []string{"", "42"}[i%2],
			Paragraphs: []string{fmt.Sprintf("Paragraph one of story %d.", i), `"We will," said Jane Roe.`},
			Ingested:   ingested,
		}
		if i%4 == 0 {
			a.Quotes = []quotes.Quote{{Text: "We will,", Speaker: "Jane Roe", Kind: quotes.Direct, Cue: "said", Paragraph: 1}}
		}
		a.ComputeID()
		arts = append(arts, a)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		ab, err := tx.CreateBucket([]byte("articles"))
		if err != nil {
			return err
		}
		pb, _ := tx.CreateBucket([]byte("pending"))
		meta, _ := tx.CreateBucket([]byte("meta"))
		feeds, _ := tx.CreateBucket([]byte("feeds"))
		for i, a := range arts {
			data, _ := json.Marshal(a)
			if i%5 != 0 {
				data = append([]byte{'s'}, snappy.Encode(nil, data)...)
			}
			if err := ab.Put([]byte(a.ID), data); err != nil {
				return err
			}
		}
		ts, _ := ingested.MarshalText()
		for _, err := range []error{
			pb.Put([]byte(arts[0].ID), nil),
			meta.Put([]byte("last_ingest"), ts),
			feeds.Put([]byte("https://example.com/feed.xml"), []byte(`{"etag":"x"}`)),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

func TestMigrateFormat1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newsbot.db")
	// More articles than one migration transaction takes.
	arts := writeFormat1(t, path, migrateBatch+321)
	s, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()

	if got := s.Count(); got != len(arts) {
		t.Errorf("Count() = %d, want %d", got, len(arts))
	}
	for _, a := range arts {
		got, err := s.Article(a.ID)
		if err != nil {
			t.Fatalf("article %s after migration: %v", a.ID, err)
		}
		if !reflect.DeepEqual(got, a) {
			t.Fatalf("article %s read back\n%+v\nwant\n%+v", a.ID, got, a)
		}
	}
	var ids []string
	if err := s.ForEach(func(a *news.Article) error { ids = append(ids, a.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(arts) || !sort.StringsAreSorted(ids) {
		t.Errorf("ForEach gave %d ids, sorted %v", len(ids), sort.StringsAreSorted(ids))
	}
	if pend, err := s.Pending(); err != nil || !reflect.DeepEqual(pend, []string{arts[0].ID}) {
		t.Errorf("pending = %v, %v; want the one pending mark kept", pend, err)
	}
	var feed struct{ ETag string }
	if err := s.GetJSON("feeds", "https://example.com/feed.xml", &feed); err != nil || feed.ETag != "x" {
		t.Errorf("feed state after migration = %+v, %v", feed, err)
	}
	if li := s.LastIngest(); !li.Equal(time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)) {
		t.Errorf("last ingest = %v", li)
	}
	want := Stats{ByGuild: map[string]int{}, BySource: map[string]int{}}
	for _, a := range arts {
		want.Articles++
		want.Quotes += len(a.Quotes)
		want.ByGuild[a.Guild]++
		want.BySource[a.Source]++
	}
	if st, err := s.Stats(); err != nil || !reflect.DeepEqual(st, want) {
		t.Errorf("Stats() = %+v, %v; want %+v", st, err, want)
	}
	err = s.db.View(func(tx *bbolt.Tx) error {
		// What is left of the format-1 bucket is the guard alone, which
		// a format-1 reader fails to decode.
		old := tx.Bucket(bucketLegacyArticles)
		if n := old.Stats().KeyN; n != 1 || old.Get([]byte(format1Guard)) == nil {
			t.Errorf("the format-1 bucket holds %d records, want the guard alone", n)
		}
		var a news.Article
		if err := decodeArticle(old.Get([]byte(format1Guard)), &a); err == nil {
			t.Error("the guard decodes as an article")
		}
		if v := tx.Bucket(bucketMeta).Get(keyFormat); string(v) != format {
			t.Errorf("format = %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".migrating"); !os.IsNotExist(err) {
		t.Errorf("the migration's file is left behind: %v", err)
	}

	// A migrated store is an ordinary one: removed and added again, an
	// article is found, and reopening migrates nothing.
	if err := s.Delete(arts[7].ID); err != nil {
		t.Fatal(err)
	}
	if res, err := s.AddArticles([]*news.Article{arts[7]}); err != nil || len(res.Added) != 1 {
		t.Fatalf("add again: %+v, %v", res, err)
	}
	s.Close()
	if s, err = Open(path, time.Second); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Article(arts[7].ID); err != nil || got.Title != arts[7].Title {
		t.Errorf("re-added article after reopening = %+v, %v", got, err)
	}
	if s.Count() != len(arts) {
		t.Errorf("Count() after reopening = %d", s.Count())
	}
}

// An interrupted migration leaves the old file as it was, and the next open
// migrates it.
func TestMigrateInterrupted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newsbot.db")
	arts := writeFormat1(t, path, 50)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A migration file that cannot be removed stands for one that cannot
	// be written: Open fails and names the migration.
	if err := os.MkdirAll(filepath.Join(path+".migrating", "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(path, time.Second); err == nil || !strings.Contains(err.Error(), "migrat") {
		if s != nil {
			s.Close()
		}
		t.Fatalf("open with the migration blocked: err = %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Fatal("a failed migration changed the old file")
	}
	os.RemoveAll(path + ".migrating")
	// A half-written migration file from a crash is thrown away.
	if err := os.WriteFile(path+".migrating", []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Articles([]string{arts[0].ID, arts[49].ID}); err != nil || len(got) != 2 {
		t.Errorf("articles after the migration = %v, %v", got, err)
	}
}

// Articles appended in bulk fill their pages: the file is not much larger
// than what it holds. (Keyed by their ids, random text, it was about twice.)
func TestBulkAppendFillsPages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the a minister said on Tuesday that talks would resume after the summit in Brussels while officials warned of delays over funding and security")
	var held int
	for b := range 20 {
		var batch []*news.Article
		for i := range 200 {
			var para []string
			for range 6 {
				var sb strings.Builder
				for range 40 {
					sb.WriteString(words[r.IntN(len(words))] + " ")
				}
				para = append(para, sb.String())
			}
			a := &news.Article{Title: fmt.Sprintf("t %d %d", b, i), Paragraphs: para}
			a.ComputeID()
			data, err := encodeArticle(a)
			if err != nil {
				t.Fatal(err)
			}
			held += len(data) + len(a.ID) + 8
			batch = append(batch, a)
		}
		res, err := s.AddArticles(batch)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range res.Added {
			ids = append(ids, a.ID)
		}
		if err := s.MarkIndexed(ids); err != nil {
			t.Fatal(err)
		}
	}
	var inuse, alloc int
	var used int64
	err = s.db.View(func(tx *bbolt.Tx) error {
		st := tx.Bucket(bucketDocs).Stats()
		inuse, alloc = st.LeafInuse, st.LeafAlloc
		used = tx.Size() // the file is grown ahead of need, in steps
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fill := float64(inuse) / float64(alloc); fill < 0.85 {
		t.Errorf("article pages are %.0f%% full (%d of %d bytes), want at least 85%%", 100*fill, inuse, alloc)
	}
	// A file this small carries pages of fixed cost (the id index, free
	// pages the last transactions left): at half-full pages it is 2.5×.
	if float64(used) > 1.6*float64(held) {
		t.Errorf("the file uses %d bytes for %d bytes of articles and ids", used, held)
	}
}
