package store

import (
	"context"
	"errors"
	"time"

	"github.com/newsbot/newsbot/news"
)

// Backend is the source of truth as the rest of newsbot sees it: the articles
// with their pending marks, and small JSON records of other kinds (feed state,
// digest watermarks, guild settings). Store (bbolt, one file) and the
// PostgreSQL store in store/postgres implement it; storetest holds the
// conformance suite both pass.
type Backend interface {
	AddArticles(arts []*news.Article) (AddResult, error)
	PutArticle(a *news.Article) error
	MarkIndexed(ids []string) error
	Pending() ([]string, error)
	Delete(id string) error
	Article(id string) (*news.Article, error)
	Articles(ids []string) (map[string]*news.Article, error)
	ForEach(fn func(*news.Article) error) error
	Count() int
	LastIngest() time.Time
	Stats() (Stats, error)

	GetJSON(bucket, key string, v any) error
	PutJSON(bucket, key string, v any) error
	DeleteJSON(bucket, key string) error
	ListJSON(bucket, prefix string, fn func(key string, raw []byte) error) error

	// Check fails once the store is closed or unusable (health checks).
	Check() error
	// Path names the store for people: a file, or a DSN without password.
	Path() string
	// Size is the bytes the store takes, 0 when unknown.
	Size() int64
	Close() error
}

var _ Backend = (*Store)(nil)

// ErrUnavailable marks an error of a shared store that could not be reached
// (the database is down or restarting): the request may be tried again, and
// nothing was changed.
var ErrUnavailable = errors.New("store: database unavailable")

// LogEntry is one change to the articles, in the order the store committed it.
type LogEntry struct {
	Seq     int64
	ID      string
	Deleted bool
	// Quotes is the number of quotes a deleted article had, so a follower can
	// remove their index documents without the article.
	Quotes int
}

// Logged is a Backend shared by several processes: every change to the
// articles is appended to a log with a sequence that only grows, so each
// process can keep its own index current by following it.
type Logged interface {
	Backend
	// Identity names the database, so an index built from another one (a
	// restored or replaced database) is noticed.
	Identity() string
	// LogHead is the last sequence committed, 0 for an empty log.
	LogHead(ctx context.Context) (int64, error)
	// LogAfter lists at most limit entries after seq, oldest first.
	LogAfter(ctx context.Context, seq int64, limit int) ([]LogEntry, error)
	// WaitLog returns when the log may have grown, or after at most d.
	WaitLog(ctx context.Context, d time.Duration)
}

// Leaser grants named leases with an expiry, so one process among several
// runs a job (feed polling, digest posting) at a time.
type Leaser interface {
	// TryLease takes or renews the lease for holder until ttl from now, and
	// reports whether holder has it.
	TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// ReleaseLease gives the lease up if holder has it.
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Shared is short-lived state that replicas behind one load balancer share,
// so a later interaction finds what an earlier one left on another replica.
// Entries expire; an expired one is as good as absent.
type Shared interface {
	// PutTemp keeps value under bucket/key for ttl.
	PutTemp(ctx context.Context, bucket, key string, value []byte, ttl time.Duration) error
	// GetTemp reads a live value; ErrNotFound when there is none.
	GetTemp(ctx context.Context, bucket, key string) ([]byte, error)
	// Claim marks bucket/key for ttl and reports whether this call made the
	// mark (false: a live mark was there already).
	Claim(ctx context.Context, bucket, key string, ttl time.Duration) (bool, error)
	// Hit counts one use by key and reports whether it is within limit uses
	// in the sliding window ending now; a use over the limit is not counted.
	Hit(ctx context.Context, bucket, key string, window time.Duration, limit int) (bool, error)
}
