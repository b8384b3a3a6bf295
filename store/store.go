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
	"time"

	"github.com/golang/snappy"
	"go.etcd.io/bbolt"

	"github.com/newsbot/newsbot/news"
)

var (
	bucketArticles = []byte("articles")
	// bucketPending holds the ids of articles stored but not yet confirmed in
	// the index: a crash between the two writes leaves them here, and the next
	// open indexes them, so an article is never in the store alone for long.
	bucketPending = []byte("pending")
	bucketMeta    = []byte("meta")
	keyLastIngest = []byte("last_ingest")
)

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
// process's lock, then returns ErrLocked rather than hanging.
func Open(path string, timeout time.Duration) (*Store, error) {
	if timeout <= 0 {
		timeout = time.Second
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: timeout, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		if errors.Is(err, bbolt.ErrTimeout) {
			return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketArticles, bucketPending, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: init %s: %w", path, err)
	}
	return s, nil
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
	err := s.db.Update(func(tx *bbolt.Tx) error {
		res = AddResult{}
		ab, pb := tx.Bucket(bucketArticles), tx.Bucket(bucketPending)
		for _, a := range arts {
			key := []byte(a.ID)
			if ab.Get(key) != nil {
				res.Duplicates = append(res.Duplicates, a)
				continue
			}
			if a.Ingested.IsZero() {
				a.Ingested = now
			}
			data, err := encodeArticle(a)
			if err != nil {
				return fmt.Errorf("encode %s: %w", a.ID, err)
			}
			if err := ab.Put(key, data); err != nil {
				return err
			}
			if err := pb.Put(key, nil); err != nil {
				return err
			}
			res.Added = append(res.Added, a)
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

// PutArticle writes an article whether or not it exists (an updated feed item),
// marking it pending.
func (s *Store) PutArticle(a *news.Article) error {
	data, err := encodeArticle(a)
	if err != nil {
		return fmt.Errorf("store: encode %s: %w", a.ID, err)
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketArticles).Put([]byte(a.ID), data); err != nil {
			return fmt.Errorf("store: put %s: %w", a.ID, err)
		}
		return tx.Bucket(bucketPending).Put([]byte(a.ID), nil)
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
		ab := tx.Bucket(bucketArticles)
		if ab.Get([]byte(id)) == nil {
			return ErrNotFound
		}
		if err := ab.Delete([]byte(id)); err != nil {
			return fmt.Errorf("store: delete %s: %w", id, err)
		}
		return tx.Bucket(bucketPending).Delete([]byte(id))
	})
}

// Article reads one article.
func (s *Store) Article(id string) (*news.Article, error) {
	var a *news.Article
	err := s.db.View(func(tx *bbolt.Tx) error {
		data := tx.Bucket(bucketArticles).Get([]byte(id))
		if data == nil {
			return ErrNotFound
		}
		a = new(news.Article)
		return decodeArticle(data, a)
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
		ab := tx.Bucket(bucketArticles)
		for _, id := range ids {
			data := ab.Get([]byte(id))
			if data == nil {
				continue
			}
			a := new(news.Article)
			if err := decodeArticle(data, a); err != nil {
				return fmt.Errorf("read %s: %w", id, err)
			}
			out[id] = a
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
		return tx.Bucket(bucketArticles).ForEach(func(k, v []byte) error {
			a := new(news.Article)
			if err := decodeArticle(v, a); err != nil {
				return fmt.Errorf("store: read %s: %w", k, err)
			}
			return fn(a)
		})
	})
}

// Count is the number of stored articles.
func (s *Store) Count() int {
	n := 0
	_ = s.db.View(func(tx *bbolt.Tx) error {
		n = tx.Bucket(bucketArticles).Stats().KeyN
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
		if tx.Bucket(bucketArticles) == nil {
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

// Stats counts the articles by guild and source, and their quotes. It reads
// every article (only the fields it counts are decoded), so callers that ask
// often should keep the result a while.
func (s *Store) Stats() (Stats, error) {
	st := Stats{ByGuild: map[string]int{}, BySource: map[string]int{}}
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketArticles).ForEach(func(k, v []byte) error {
			var a struct {
				Guild  string            `json:"guild"`
				Source string            `json:"source"`
				Quotes []json.RawMessage `json:"quotes"`
			}
			if err := decodeArticle(v, &a); err != nil {
				return fmt.Errorf("read %s: %w", k, err)
			}
			st.Articles++
			st.Quotes += len(a.Quotes)
			st.ByGuild[a.Guild]++
			st.BySource[a.Source]++
			return nil
		})
	})
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	return st, nil
}

// Articles are stored as JSON compressed with Snappy, behind a one-byte tag:
// news text compresses about twice, which keeps the store well under the raw
// text's size plus the index. Untagged values are plain JSON.
const tagSnappyJSON = 's'

func encodeArticle(a *news.Article) ([]byte, error) {
	data, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1, 1+snappy.MaxEncodedLen(len(data)))
	out[0] = tagSnappyJSON
	return append(out, snappy.Encode(nil, data)...), nil
}

func decodeArticle(data []byte, a any) error {
	if len(data) > 0 && data[0] == tagSnappyJSON {
		raw, err := snappy.Decode(nil, data[1:])
		if err != nil {
			return fmt.Errorf("decompress: %w", err)
		}
		data = raw
	}
	return json.Unmarshal(data, a)
}
