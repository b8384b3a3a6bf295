package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/newsbot/newsbot/news"
)

// tables are the buckets of the articles in one transaction, and the
// changes to their counts, written by flush.
type tables struct {
	docs, ids, pending *bbolt.Bucket
	counts             *counter
}

func tablesOf(tx *bbolt.Tx) *tables {
	t := &tables{
		docs:    tx.Bucket(bucketDocs),
		ids:     tx.Bucket(bucketIDs),
		pending: tx.Bucket(bucketPending),
		counts:  &counter{b: tx.Bucket(bucketCounts)},
	}
	if tx.Writable() {
		// FillPercent lasts one transaction: every writer sets it.
		t.docs.FillPercent = docsFill
	}
	return t
}

// read decodes the article of id into a, and releases the mapped pages it
// was read from (release); found is false when there is none. Only for
// read-only transactions.
func (t *tables) read(tx *bbolt.Tx, id string, a *news.Article) (found bool, err error) {
	seq := t.ids.Get([]byte(id))
	if seq == nil {
		return false, nil
	}
	defer release(tx, seq)
	data := t.docs.Get(seq)
	if data == nil {
		return false, nil
	}
	defer release(tx, data)
	return true, decodeArticle(data, a)
}

// put stores a, under its own key when its id is stored already, else under
// the next sequence number, and marks it pending.
func (t *tables) put(a *news.Article) error {
	if err := t.store(a); err != nil {
		return err
	}
	return t.pending.Put([]byte(a.ID), nil)
}

// store is put without the pending mark.
func (t *tables) store(a *news.Article) error {
	data, err := encodeArticle(a)
	if err != nil {
		return fmt.Errorf("encode %s: %w", a.ID, err)
	}
	return t.storeEncoded(a, data)
}

// storeEncoded is store with a's encoding made already.
func (t *tables) storeEncoded(a *news.Article, data []byte) error {
	id := []byte(a.ID)
	var key [8]byte
	if seq := t.ids.Get(id); seq != nil {
		copy(key[:], seq)
		if err := t.counts.article(t.docs.Get(key[:]), -1); err != nil {
			return err
		}
	} else {
		n, err := t.docs.NextSequence()
		if err != nil {
			return err
		}
		binary.BigEndian.PutUint64(key[:], n)
		if err := t.ids.Put(id, key[:]); err != nil {
			return err
		}
	}
	if err := t.docs.Put(key[:], data); err != nil {
		return err
	}
	t.counts.add(a.Guild, a.Source, len(a.Quotes), 1)
	return nil
}

// remove deletes the article id and its pending mark, and reports whether
// it was there.
func (t *tables) remove(id string) (bool, error) {
	seq := t.ids.Get([]byte(id))
	if seq == nil {
		return false, nil
	}
	var key [8]byte
	copy(key[:], seq)
	if err := t.counts.article(t.docs.Get(key[:]), -1); err != nil {
		return true, err
	}
	for _, err := range []error{
		t.docs.Delete(key[:]),
		t.ids.Delete([]byte(id)),
		t.pending.Delete([]byte(id)),
	} {
		if err != nil {
			return true, err
		}
	}
	return true, nil
}

// The counts bucket: the number of articles and of quotes, and the articles
// of each guild and each source under a prefix, as big-endian uint64.
var (
	keyCountArticles = []byte("articles")
	keyCountQuotes   = []byte("quotes")
)

const (
	prefixGuild  = "g/"
	prefixSource = "s/"
)

// counter gathers the changes of one transaction to the counts.
type counter struct {
	b     *bbolt.Bucket
	delta map[string]int64
}

// counted is what the counts need of an article.
type counted struct {
	Guild  string            `json:"guild"`
	Source string            `json:"source"`
	Quotes []json.RawMessage `json:"quotes"`
}

// article counts an encoded article (data) sign times.
func (c *counter) article(data []byte, sign int64) error {
	if data == nil {
		return nil
	}
	var a counted
	if err := decodeArticle(data, &a); err != nil {
		return err
	}
	c.add(a.Guild, a.Source, len(a.Quotes), sign)
	return nil
}

func (c *counter) add(guild, source string, quotes int, sign int64) {
	if c.delta == nil {
		c.delta = map[string]int64{}
	}
	c.delta[string(keyCountArticles)] += sign
	c.delta[string(keyCountQuotes)] += sign * int64(quotes)
	c.delta[prefixGuild+guild] += sign
	c.delta[prefixSource+source] += sign
}

// flush writes the gathered changes; a count that reaches zero is removed.
func (c *counter) flush() error {
	for k, d := range c.delta {
		if d == 0 {
			continue
		}
		n := int64(readCount(c.b, []byte(k))) + d
		var err error
		if n <= 0 {
			err = c.b.Delete([]byte(k))
		} else {
			var v [8]byte
			binary.BigEndian.PutUint64(v[:], uint64(n))
			err = c.b.Put([]byte(k), v[:])
		}
		if err != nil {
			return fmt.Errorf("counts: %w", err)
		}
	}
	clear(c.delta)
	return nil
}

func readCount(b *bbolt.Bucket, key []byte) uint64 {
	v := b.Get(key)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// readStats gives the counts as Stats.
func readStats(b *bbolt.Bucket) Stats {
	st := Stats{
		Articles: int(readCount(b, keyCountArticles)),
		Quotes:   int(readCount(b, keyCountQuotes)),
		ByGuild:  map[string]int{},
		BySource: map[string]int{},
	}
	_ = b.ForEach(func(k, v []byte) error {
		if len(v) != 8 {
			return nil
		}
		n := int(binary.BigEndian.Uint64(v))
		if g, ok := bytes.CutPrefix(k, []byte(prefixGuild)); ok {
			st.ByGuild[string(g)] = n
		} else if src, ok := bytes.CutPrefix(k, []byte(prefixSource)); ok {
			st.BySource[string(src)] = n
		}
		return nil
	})
	return st
}
