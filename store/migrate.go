package store

import (
	"errors"
	"fmt"
	"os"
	"time"

	"go.etcd.io/bbolt"

	"github.com/newsbot/newsbot/news"
)

// Format 1 kept the articles in one bucket under their ids, and had no
// format mark.
var bucketLegacyArticles = []byte("articles")

// format1Guard is the one record of the format-1 bucket in a newer file.
// A newsbot from before format 2 would otherwise see an empty store (and
// write new articles where no newer one looks): it reads this record when
// the index and the store disagree, fails to decode it, and names it.
const format1Guard = "this store is in a newer format (see the meta bucket): use the newsbot that wrote it"

// guardFormat1 writes the format-1 bucket with format1Guard alone.
func guardFormat1(tx *bbolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists(bucketLegacyArticles)
	if err != nil {
		return err
	}
	return b.Put([]byte(format1Guard), []byte("-"))
}

// migrateBatch is how many articles one transaction of the migration
// writes: bbolt holds a transaction's pages in memory until it commits.
const migrateBatch = 5000

// legacy reports whether db is in format 1.
func legacy(db *bbolt.DB) (bool, error) {
	old := false
	err := db.View(func(tx *bbolt.Tx) error {
		if m := tx.Bucket(bucketMeta); m != nil && m.Get(keyFormat) != nil {
			return nil // format 2 or later; its format-1 bucket is a guard
		}
		old = tx.Bucket(bucketLegacyArticles) != nil
		return nil
	})
	return old, err
}

// migrate rewrites a format-1 file (db, open at path) in the current format.
// The new file is written beside it and renamed over it once complete, so
// the old one is never half-converted: an interrupted migration leaves it
// as it was, and the next open starts again. On success the returned handle
// is the new file's (db is closed); on failure db is returned still open.
func migrate(db *bbolt.DB, path string, timeout time.Duration) (*bbolt.DB, error) {
	tmp := path + ".migrating"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return db, fmt.Errorf("migrate: %w", err)
	}
	dst, err := bbolt.Open(tmp, 0o600, &bbolt.Options{Timeout: timeout, FreelistType: bbolt.FreelistMapType, PageSize: pageSize})
	if err != nil {
		return db, fmt.Errorf("migrate: %w", err)
	}
	err = copyInto(dst, db)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// The old file stays locked (db is open) until the new one has
		// its name.
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return db, fmt.Errorf("migrate %s to store format %s: %w", path, format, err)
	}
	db.Close()
	return openDB(path, timeout)
}

// copyInto writes every bucket of src into the empty dst, the articles in
// the current layout.
func copyInto(dst, src *bbolt.DB) error {
	if err := initDB(dst); err != nil {
		return err
	}
	return src.View(func(stx *bbolt.Tx) error {
		err := stx.ForEach(func(name []byte, sb *bbolt.Bucket) error {
			if string(name) == string(bucketLegacyArticles) {
				return nil
			}
			return dst.Update(func(dtx *bbolt.Tx) error {
				db, err := dtx.CreateBucketIfNotExists(name)
				if err != nil {
					return err
				}
				return copyBucket(db, sb)
			})
		})
		if err != nil {
			return err
		}
		return copyArticles(dst, stx.Bucket(bucketLegacyArticles))
	})
}

// copyBucket copies the keys and nested buckets of src into dst.
func copyBucket(dst, src *bbolt.Bucket) error {
	if err := dst.SetSequence(src.Sequence()); err != nil {
		return err
	}
	return src.ForEach(func(k, v []byte) error {
		if v == nil {
			nd, err := dst.CreateBucketIfNotExists(k)
			if err != nil {
				return err
			}
			return copyBucket(nd, src.Bucket(k))
		}
		return dst.Put(k, v)
	})
}

// copyArticles stores the articles of a format-1 bucket, in id order,
// migrateBatch to a transaction. Their pending marks were copied with the
// pending bucket.
func copyArticles(dst *bbolt.DB, src *bbolt.Bucket) error {
	c := src.Cursor()
	k, v := c.First()
	for k != nil {
		err := dst.Update(func(tx *bbolt.Tx) error {
			t := tablesOf(tx)
			for n := 0; k != nil && n < migrateBatch; n++ {
				a := new(news.Article)
				if err := decodeArticle(v, a); err != nil {
					return fmt.Errorf("read %s: %w", k, err)
				}
				// Format 1 was read by key: the key is the id.
				a.ID = string(k)
				if err := t.store(a); err != nil {
					return err
				}
				k, v = c.Next()
			}
			return t.counts.flush()
		})
		if err != nil {
			return err
		}
	}
	return nil
}
