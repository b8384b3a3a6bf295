// Package store keeps newsbot's source of truth in one bbolt file: the articles,
// and the small state other parts need to survive a restart (feed state, digest
// watermarks, guild settings). The search index is derived from it.
package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"

	"github.com/newsbot/newsbot/news"
)

// The layout of the file (format 2). Articles live under sequential keys,
// so a bulk ingest appends to the end of one B+tree and fills its pages; the
// article ids (hashes, in no useful order) only key a small index beside it.
// Format 1 kept the articles under their ids: pages split half full and the
// file was about twice its content. Open migrates it (migrate.go).
var (
	// bucketDocs maps a sequence number (big-endian uint64) to an encoded
	// article.
	bucketDocs = []byte("article_docs")
	// bucketIDs maps an article id to its sequence number.
	bucketIDs = []byte("article_ids")
	// bucketCounts holds the counts Stats and Count give (counts.go), kept
	// with every change so that neither reads the articles.
	bucketCounts = []byte("article_counts")
	// bucketPending holds the ids of articles stored but not yet confirmed in
	// the index: a crash between the two writes leaves them here, and the next
	// open indexes them, so an article is never in the store alone for long.
	bucketPending = []byte("pending")
	bucketMeta    = []byte("meta")
	keyLastIngest = []byte("last_ingest")
	keyFormat     = []byte("format")
)

// format is the layout this code writes; see migrate.go for the others.
const format = "2"

// pageSize is the B+tree page size of a file this code creates. Encoded
// articles are around 1.5 KB and a page holds whole values: bbolt's 4 KB
// pages hold two and waste a third of the file, 16 KB pages hold ten and
// waste a few percent. An existing file keeps its page size.
const pageSize = 16 << 10

// docsFill is how full the article pages are written. Articles are
// appended at the end of the key space, where bbolt's default (half full,
// room for inserts in between) would leave every page half empty.
const docsFill = 1.0

// ErrNotFound is returned when an article or record does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrLocked means another process holds the store open.
var ErrLocked = errors.New("store: data folder in use by another process")

// Store is the embedded article database.
type Store struct {
	db   *bbolt.DB
	path string
}

// Open opens or creates the store file. It waits at most timeout for another
// process's lock, then returns ErrLocked rather than hanging. A file in an
// older format is migrated first (see migrate.go).
func Open(path string, timeout time.Duration) (*Store, error) {
	if timeout <= 0 {
		timeout = time.Second
	}
	db, err := openDB(path, timeout)
	if err != nil {
		return nil, err
	}
	old, err := legacy(db)
	if err == nil && old {
		db, err = migrate(db, path, timeout)
	}
	if err == nil {
		err = initDB(db)
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		return nil, fmt.Errorf("store: init %s: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

func openDB(path string, timeout time.Duration) (*bbolt.DB, error) {
	// A process that waited for the lock while another migrated the file
	// gets the lock of the old file once the migration has renamed the new
	// one over it: it would then work on a file with no name. It opens
	// again until the file it holds is the one the path names.
	for range 3 {
		var f *os.File
		opt := &bbolt.Options{Timeout: timeout, FreelistType: bbolt.FreelistMapType, PageSize: pageSize,
			OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
				var err error
				f, err = os.OpenFile(name, flag, perm)
				return f, err
			}}
		db, err := bbolt.Open(path, 0o600, opt)
		if err != nil {
			if errors.Is(err, bbolt.ErrTimeout) {
				return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
			}
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		held, herr := f.Stat()
		named, nerr := os.Stat(path)
		if herr != nil || nerr != nil || os.SameFile(held, named) {
			return db, nil
		}
		db.Close()
	}
	return nil, fmt.Errorf("store: open %s: the file kept being replaced while it was opened", path)
}

// initDB creates the buckets of a new file and marks its format.
func initDB(db *bbolt.DB) error {
	return db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketDocs, bucketIDs, bucketCounts, bucketPending, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyFormat); v != nil && string(v) != format {
			return fmt.Errorf("written by a newer newsbot (store format %q, this one reads %q)", v, format)
		}
		if err := meta.Put(keyFormat, []byte(format)); err != nil {
			return err
		}
		return guardFormat1(tx)
	})
}

// Close closes the database file.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Size is the database file's size in bytes.
func (s *Store) Size() int64 {
	fi, err := os.Stat(s.path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// AddResult tells what AddArticles did with each article.
type AddResult struct {
	Added      []*news.Article
	Duplicates []*news.Article
	// LogSeqs are the article-log entries of the added articles, for a store
	// that keeps a log (store.Logged); nil otherwise.
	LogSeqs []int64
}

// AddArticles stores the articles that are not there yet, in one transaction,
// and marks them pending until MarkIndexed. Articles whose id is already stored
// are returned as duplicates and left untouched.
func (s *Store) AddArticles(arts []*news.Article) (AddResult, error) {
	var res AddResult
	now := time.Now().UTC()
	encoded, err := encodeAll(arts, now)
	if err != nil {
		return AddResult{}, fmt.Errorf("store: add articles: %w", err)
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		res = AddResult{}
		t := tablesOf(tx)
		for i, a := range arts {
			if t.ids.Get([]byte(a.ID)) != nil {
				res.Duplicates = append(res.Duplicates, a)
				continue
			}
			if a.Ingested.IsZero() {
				a.Ingested = now
			}
			if err := t.storeEncoded(a, encoded[i]); err != nil {
				return err
			}
			if err := t.pending.Put([]byte(a.ID), nil); err != nil {
				return err
			}
			res.Added = append(res.Added, a)
		}
		if err := t.counts.flush(); err != nil {
			return err
		}
		if len(res.Added) > 0 {
			ts, _ := now.MarshalText()
			return tx.Bucket(bucketMeta).Put(keyLastIngest, ts)
		}
		return nil
	})
	if err != nil {
		return AddResult{}, fmt.Errorf("store: add articles: %w", err)
	}
	return res, nil
}

// encodeAll encodes the articles on every core, before the transaction that
// writes them (which runs on one): compressing is most of a store write's
// cost. An article without an ingest time is encoded with now, which
// AddArticles gives it if it is added (a duplicate is left untouched).
func encodeAll(arts []*news.Article, now time.Time) ([][]byte, error) {
	out := make([][]byte, len(arts))
	errs := make([]error, len(arts))
	encode := func(i int) {
		a := arts[i]
		if a.Ingested.IsZero() {
			c := *a
			c.Ingested = now
			a = &c
		}
		if out[i], errs[i] = encodeArticle(a); errs[i] != nil {
			errs[i] = fmt.Errorf("encode %s: %w", a.ID, errs[i])
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(arts)/16)
	if workers <= 1 {
		for i := range arts {
			encode(i)
		}
		return out, errors.Join(errs...)
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(arts); i = int(next.Add(1)) - 1 {
				encode(i)
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// PutArticle writes an article whether or not it exists (an updated feed item),
// marking it pending.
func (s *Store) PutArticle(a *news.Article) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		t := tablesOf(tx)
		if err := t.put(a); err != nil {
			return fmt.Errorf("store: put %s: %w", a.ID, err)
		}
		return t.counts.flush()
	})
}

// MarkIndexed clears the pending mark of articles the index now holds.
func (s *Store) MarkIndexed(ids []string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		pb := tx.Bucket(bucketPending)
		for _, id := range ids {
			if err := pb.Delete([]byte(id)); err != nil {
				return fmt.Errorf("store: mark indexed %s: %w", id, err)
			}
		}
		return nil
	})
}

// Pending lists the ids stored but not confirmed in the index.
func (s *Store) Pending() ([]string, error) {
	var ids []string
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketPending).ForEach(func(k, _ []byte) error {
			ids = append(ids, string(k))
			return nil
		})
	})
	return ids, err
}

// Delete removes an article. Removing one that is not there is ErrNotFound.
func (s *Store) Delete(id string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		t := tablesOf(tx)
		found, err := t.remove(id)
		if err != nil {
			return fmt.Errorf("store: delete %s: %w", id, err)
		}
		if !found {
			return ErrNotFound
		}
		return t.counts.flush()
	})
}

// Article reads one article.
func (s *Store) Article(id string) (*news.Article, error) {
	var a *news.Article
	err := s.db.View(func(tx *bbolt.Tx) error {
		a = new(news.Article)
		found, err := tablesOf(tx).read(tx, id, a)
		if err == nil && !found {
			return ErrNotFound
		}
		return err
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("store: read %s: %w", id, err)
	}
	return a, nil
}

// Articles reads several articles in one transaction; ids not found are skipped.
func (s *Store) Articles(ids []string) (map[string]*news.Article, error) {
	out := make(map[string]*news.Article, len(ids))
	err := s.db.View(func(tx *bbolt.Tx) error {
		t := tablesOf(tx)
		for _, id := range ids {
			a := new(news.Article)
			found, err := t.read(tx, id, a)
			if err != nil {
				return fmt.Errorf("read %s: %w", id, err)
			}
			if found {
				out[id] = a
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}

// ForEach calls fn for every article in id order; an error from fn stops it.
func (s *Store) ForEach(fn func(*news.Article) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		t := tablesOf(tx)
		return t.ids.ForEach(func(id, seq []byte) error {
			data := t.docs.Get(seq)
			if data == nil {
				return fmt.Errorf("store: %s is in the id index but not stored", id)
			}
			a := new(news.Article)
			if err := decodeArticle(data, a); err != nil {
				return fmt.Errorf("store: read %s: %w", id, err)
			}
			return fn(a)
		})
	})
}

// Count is the number of stored articles.
func (s *Store) Count() int {
	n := 0
	_ = s.db.View(func(tx *bbolt.Tx) error {
		n = int(readCount(tx.Bucket(bucketCounts), keyCountArticles))
		return nil
	})
	return n
}

// LastIngest is when an article was last added, zero if never.
func (s *Store) LastIngest() time.Time {
	var t time.Time
	_ = s.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyLastIngest); v != nil {
			_ = t.UnmarshalText(v)
		}
		return nil
	})
	return t
}

// GetJSON reads a record of another kind (feed state, a digest watermark) into v.
func (s *Store) GetJSON(bucket, key string, v any) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return ErrNotFound
		}
		data := b.Get([]byte(key))
		if data == nil {
			return ErrNotFound
		}
		return json.Unmarshal(data, v)
	})
}

// PutJSON writes a record of another kind.
func (s *Store) PutJSON(bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%s: %w", bucket, key, err)
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return fmt.Errorf("store: bucket %s: %w", bucket, err)
		}
		return b.Put([]byte(key), data)
	})
}

// DeleteJSON removes a record of another kind.
func (s *Store) DeleteJSON(bucket, key string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return nil
		}
		return b.Delete([]byte(key))
	})
}

// ListJSON calls fn with each key and raw value of a bucket whose keys start
// with prefix.
func (s *Store) ListJSON(bucket, prefix string, fn func(key string, raw []byte) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		p := []byte(prefix)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if err := fn(string(k), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Check reads from the database, for a health check: it fails once the store
// is closed or its file is unusable.
func (s *Store) Check() error {
	err := s.db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketDocs) == nil {
			return errors.New("articles bucket missing")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: check %s: %w", s.path, err)
	}
	return nil
}

// Stats are counts over the stored articles.
type Stats struct {
	Articles int
	Quotes   int
	// ByGuild and BySource count articles; the empty key holds the global
	// articles and those without a source.
	ByGuild  map[string]int
	BySource map[string]int
}

// Stats counts the articles by guild and source, and their quotes, from the
// counts every change keeps up to date: it reads no article.
func (s *Store) Stats() (Stats, error) {
	var st Stats
	err := s.db.View(func(tx *bbolt.Tx) error {
		st = readStats(tx.Bucket(bucketCounts))
		return nil
	})
	return st, err
}
