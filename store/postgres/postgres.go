// Package postgres keeps newsbot's source of truth in a PostgreSQL database
// that several newsbot processes share: the same store.Backend as the bbolt
// file, plus an article log that each process follows to keep its own search
// index current, and leases that pick one process for a singleton job.
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/store"
)

// opTimeout bounds one store call: the Backend methods take no context (the
// bbolt store never waits on a network), so each carries its own deadline and
// a database that stops answering fails the call instead of hanging it.
const opTimeout = 30 * time.Second

// logLock is the advisory lock every writer of article_log holds for its
// transaction: log sequences are then committed in order, so a follower that
// has read up to N never later finds a smaller sequence appear.
const logLock = 0x6e657773_626f7402

// notifyChannel is where writers announce that the article log grew.
const notifyChannel = "newsbot_articles"

// Store is a store.Backend in PostgreSQL.
type Store struct {
	pool   *pgxpool.Pool
	cfg    *pgxpool.Config
	name   string
	id     string
	ctx    context.Context
	cancel context.CancelFunc

	listenMu sync.Mutex
	listen   *pgx.Conn

	writes atomic.Int64 // of shared state, for the sweeps
}

var (
	_ store.Logged = (*Store)(nil)
	_ store.Leaser = (*Store)(nil)
)

// Options control Open.
type Options struct {
	// Migrate applies missing migrations (under a lock); without it a schema
	// that is behind is an error asking for `newsbot migrate`.
	Migrate bool
}

// Open connects to the database at dsn and checks its schema. A wrong DSN,
// a database that does not answer and a schema from a newer newsbot are
// errors that say so; the password never appears in them.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: store.dsn: %w", unavailable(err))
	}
	s := &Store{cfg: cfg, name: describe(cfg.ConnConfig)}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	pool, err := pgxpool.NewWithConfig(s.ctx, cfg)
	if err != nil {
		s.cancel()
		return nil, fmt.Errorf("postgres: %s: %w", s.name, unavailable(err))
	}
	s.pool = pool
	octx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	if err := pool.Ping(octx); err != nil {
		s.Close()
		return nil, fmt.Errorf("postgres: cannot reach the database at %s (is it running, and is store.dsn right?): %w", s.name, unavailable(err))
	}
	if opt.Migrate {
		if _, err := Migrate(octx, pool); err != nil {
			s.Close()
			return nil, err
		}
	} else if err := checkVersion(octx, pool); err != nil {
		s.Close()
		return nil, err
	}
	if err := pool.QueryRow(octx, "SELECT value FROM meta WHERE key = 'database_id'").Scan(&s.id); err != nil {
		s.Close()
		return nil, fmt.Errorf("postgres: %s: database id: %w", s.name, unavailable(err))
	}
	return s, nil
}

// describe names the database without its password.
func describe(c *pgx.ConnConfig) string {
	u := c.User
	if u != "" {
		u += "@"
	}
	return fmt.Sprintf("postgres://%s%s:%d/%s", u, c.Host, c.Port, c.Database)
}

// op is the context of one store call.
func (s *Store) op() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.ctx, opTimeout)
}

// Pool is the connection pool, for the migrate command and tests.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes every connection. Closing twice is harmless.
func (s *Store) Close() error {
	s.cancel()
	s.listenMu.Lock()
	if s.listen != nil {
		s.listen.Close(context.Background())
		s.listen = nil
	}
	s.listenMu.Unlock()
	if s.pool != nil {
		s.pool.Close()
	}
	return nil
}

// Path names the database, without its password.
func (s *Store) Path() string { return s.name }

// Identity is the database's id, made when its schema was created.
func (s *Store) Identity() string { return s.id }

// Size is the database's size in bytes, 0 when it cannot be read.
func (s *Store) Size() int64 {
	ctx, cancel := s.op()
	defer cancel()
	var n int64
	_ = s.pool.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&n)
	return n
}

// Check runs a query, for a health check.
func (s *Store) Check() error {
	if s.ctx.Err() != nil {
		return fmt.Errorf("postgres: check %s: store not open", s.name)
	}
	ctx, cancel := s.op()
	defer cancel()
	var one int
	if err := s.pool.QueryRow(ctx, "SELECT 1 FROM articles LIMIT 1").Scan(&one); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: check %s: %w", s.name, unavailable(err))
	}
	return nil
}

// logTx runs fn in a transaction that may append to the article log: it
// holds logLock and tells followers when it commits.
func (s *Store) logTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(logLock)); err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		// Delivered at commit, not before.
		_, err := tx.Exec(ctx, "SELECT pg_notify($1, '')", notifyChannel)
		return err
	})
}

// AddArticles stores the articles whose id is not there yet, in one
// transaction, marks them pending and logs them; the others are duplicates.
func (s *Store) AddArticles(arts []*news.Article) (store.AddResult, error) {
	var res store.AddResult
	if len(arts) == 0 {
		return res, nil
	}
	now := time.Now().UTC()
	n := len(arts)
	ids, guilds, sources := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	nq, data := make([]int32, 0, n), make([][]byte, 0, n)
	for _, a := range arts {
		if a.Ingested.IsZero() {
			a.Ingested = now
		}
		b, err := json.Marshal(a)
		if err != nil {
			return res, fmt.Errorf("postgres: encode %s: %w", a.ID, unavailable(err))
		}
		ids, guilds, sources = append(ids, a.ID), append(guilds, a.Guild), append(sources, a.Source)
		nq, data = append(nq, int32(len(a.Quotes))), append(data, b)
	}
	ctx, cancel := s.op()
	defer cancel()
	added := map[string]bool{}
	var seqs []int64
	err := s.logTx(ctx, func(tx pgx.Tx) error {
		clear(added)
		seqs = nil
		rows, err := tx.Query(ctx, `INSERT INTO articles (id, guild, source, quotes, data)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bytea[])
			ON CONFLICT (id) DO NOTHING RETURNING id`, ids, guilds, sources, nq, data)
		if err != nil {
			return err
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return nil
		}
		for _, id := range got {
			added[id] = true
		}
		if _, err := tx.Exec(ctx, `INSERT INTO pending (id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, got); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `INSERT INTO article_log (article_id) SELECT unnest($1::text[]) RETURNING seq`, got)
		if err != nil {
			return err
		}
		if seqs, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return err
		}
		ts, _ := now.MarshalText()
		_, err = tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('last_ingest', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, string(ts))
		return err
	})
	if err != nil {
		return store.AddResult{}, fmt.Errorf("postgres: add articles: %w", unavailable(err))
	}
	res.LogSeqs = seqs
	// The first of several articles with one id is the one stored.
	for _, a := range arts {
		if added[a.ID] {
			res.Added = append(res.Added, a)
			delete(added, a.ID)
		} else {
			res.Duplicates = append(res.Duplicates, a)
		}
	}
	return res, nil
}

// PutArticle writes an article whether or not it exists, marks it pending
// and logs it.
func (s *Store) PutArticle(a *news.Article) error {
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("postgres: encode %s: %w", a.ID, unavailable(err))
	}
	ctx, cancel := s.op()
	defer cancel()
	err = s.logTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO articles (id, guild, source, quotes, data) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET guild = excluded.guild, source = excluded.source, quotes = excluded.quotes, data = excluded.data`,
			a.ID, a.Guild, a.Source, len(a.Quotes), b); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO pending (id) VALUES ($1) ON CONFLICT DO NOTHING`, a.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO article_log (article_id) VALUES ($1)`, a.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: put %s: %w", a.ID, unavailable(err))
	}
	return nil
}

// MarkIndexed clears the pending mark of articles the index now holds.
func (s *Store) MarkIndexed(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	ctx, cancel := s.op()
	defer cancel()
	if _, err := s.pool.Exec(ctx, `DELETE FROM pending WHERE id = ANY($1::text[])`, ids); err != nil {
		return fmt.Errorf("postgres: mark indexed: %w", unavailable(err))
	}
	return nil
}

// Pending lists the ids stored but not confirmed in an index, in id order.
func (s *Store) Pending() ([]string, error) {
	ctx, cancel := s.op()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT id FROM pending ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: pending: %w", unavailable(err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: pending: %w", unavailable(err))
	}
	return ids, nil
}

// Delete removes an article and logs the removal. Removing one that is not
// there is store.ErrNotFound.
func (s *Store) Delete(id string) error {
	ctx, cancel := s.op()
	defer cancel()
	err := s.logTx(ctx, func(tx pgx.Tx) error {
		var nq int
		err := tx.QueryRow(ctx, `DELETE FROM articles WHERE id = $1 RETURNING quotes`, id).Scan(&nq)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM pending WHERE id = $1`, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO article_log (article_id, deleted, quotes) VALUES ($1, true, $2)`, id, nq)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("postgres: delete %s: %w", id, unavailable(err))
	}
	return nil
}

// Article reads one article.
func (s *Store) Article(id string) (*news.Article, error) {
	ctx, cancel := s.op()
	defer cancel()
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM articles WHERE id = $1`, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: read %s: %w", id, unavailable(err))
	}
	a := new(news.Article)
	if err := json.Unmarshal(data, a); err != nil {
		return nil, fmt.Errorf("postgres: read %s: %w", id, unavailable(err))
	}
	return a, nil
}

// Articles reads several articles in one query; ids not found are skipped.
func (s *Store) Articles(ids []string) (map[string]*news.Article, error) {
	out := make(map[string]*news.Article, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := s.query(`SELECT id, data FROM articles WHERE id = ANY($1::text[])`, ids)
	for _, a := range list {
		out[a.ID] = a
	}
	return out, err
}

// forEachPage is how many articles ForEach reads per query.
const forEachPage = 500

// ForEach calls fn for every article in id order; an error from fn stops it.
// It reads a page at a time, so fn may call the store, and an article
// committed before ForEach starts is always seen.
func (s *Store) ForEach(fn func(*news.Article) error) error {
	after := ""
	for {
		page, err := s.query(`SELECT id, data FROM articles WHERE id > $1 ORDER BY id LIMIT $2`, after, forEachPage)
		if err != nil {
			return err
		}
		for _, a := range page {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(page) < forEachPage {
			return nil
		}
		after = page[len(page)-1].ID
	}
}

// query reads and decodes the articles a query selects as (id, data).
func (s *Store) query(sql string, args ...any) ([]*news.Article, error) {
	ctx, cancel := s.op()
	defer cancel()
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: read articles: %w", unavailable(err))
	}
	defer rows.Close()
	var out []*news.Article
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("postgres: read articles: %w", unavailable(err))
		}
		a := new(news.Article)
		if err := json.Unmarshal(data, a); err != nil {
			return nil, fmt.Errorf("postgres: read %s: %w", id, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: read articles: %w", unavailable(err))
	}
	return out, nil
}

// Count is the number of stored articles; 0 when the database cannot say.
func (s *Store) Count() int {
	ctx, cancel := s.op()
	defer cancel()
	var n int
	_ = s.pool.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&n)
	return n
}

// LastIngest is when an article was last added, zero if never.
func (s *Store) LastIngest() time.Time {
	ctx, cancel := s.op()
	defer cancel()
	var v string
	var t time.Time
	if err := s.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'last_ingest'`).Scan(&v); err == nil {
		_ = t.UnmarshalText([]byte(v))
	}
	return t
}

// Stats counts the articles by guild and source, and their quotes, from the
// columns that repeat them (no article is decoded).
func (s *Store) Stats() (store.Stats, error) {
	st := store.Stats{ByGuild: map[string]int{}, BySource: map[string]int{}}
	ctx, cancel := s.op()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT guild, source, count(*), coalesce(sum(quotes), 0) FROM articles GROUP BY guild, source`)
	if err != nil {
		return store.Stats{}, fmt.Errorf("postgres: stats: %w", unavailable(err))
	}
	defer rows.Close()
	for rows.Next() {
		var g, src string
		var n, q int
		if err := rows.Scan(&g, &src, &n, &q); err != nil {
			return store.Stats{}, fmt.Errorf("postgres: stats: %w", unavailable(err))
		}
		st.Articles += n
		st.Quotes += q
		st.ByGuild[g] += n
		st.BySource[src] += n
	}
	if err := rows.Err(); err != nil {
		return store.Stats{}, fmt.Errorf("postgres: stats: %w", unavailable(err))
	}
	return st, nil
}

// GetJSON reads a record of another kind into v.
func (s *Store) GetJSON(bucket, key string, v any) error {
	ctx, cancel := s.op()
	defer cancel()
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM records WHERE bucket = $1 AND key = $2`, bucket, key).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("postgres: read %s/%s: %w", bucket, key, unavailable(err))
	}
	return json.Unmarshal(data, v)
}

// PutJSON writes a record of another kind.
func (s *Store) PutJSON(bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("postgres: encode %s/%s: %w", bucket, key, unavailable(err))
	}
	ctx, cancel := s.op()
	defer cancel()
	if _, err := s.pool.Exec(ctx, `INSERT INTO records (bucket, key, value) VALUES ($1, $2, $3)
		ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value`, bucket, key, data); err != nil {
		return fmt.Errorf("postgres: write %s/%s: %w", bucket, key, unavailable(err))
	}
	return nil
}

// DeleteJSON removes a record of another kind; a missing one is no error.
func (s *Store) DeleteJSON(bucket, key string) error {
	ctx, cancel := s.op()
	defer cancel()
	if _, err := s.pool.Exec(ctx, `DELETE FROM records WHERE bucket = $1 AND key = $2`, bucket, key); err != nil {
		return fmt.Errorf("postgres: delete %s/%s: %w", bucket, key, unavailable(err))
	}
	return nil
}

// ListJSON calls fn with each key (in byte order) and raw value of a bucket
// whose keys start with prefix. The records are read first, so fn may write.
func (s *Store) ListJSON(bucket, prefix string, fn func(key string, raw []byte) error) error {
	ctx, cancel := s.op()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT key, value FROM records WHERE bucket = $1 AND starts_with(key, $2) ORDER BY key`, bucket, prefix)
	if err != nil {
		return fmt.Errorf("postgres: list %s: %w", bucket, unavailable(err))
	}
	type kv struct {
		k string
		v []byte
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (kv, error) {
		var e kv
		err := r.Scan(&e.k, &e.v)
		return e, err
	})
	if err != nil {
		return fmt.Errorf("postgres: list %s: %w", bucket, unavailable(err))
	}
	for _, e := range list {
		if err := fn(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

// LogHead is the last committed sequence of the article log, 0 if empty.
func (s *Store) LogHead(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM article_log`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("postgres: log head: %w", unavailable(err))
	}
	return seq, nil
}

// LogAfter lists at most limit log entries after seq, oldest first.
func (s *Store) LogAfter(ctx context.Context, seq int64, limit int) ([]store.LogEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, article_id, deleted, quotes FROM article_log WHERE seq > $1 ORDER BY seq LIMIT $2`, seq, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: read log: %w", unavailable(err))
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.LogEntry, error) {
		var e store.LogEntry
		err := r.Scan(&e.Seq, &e.ID, &e.Deleted, &e.Quotes)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: read log: %w", unavailable(err))
	}
	return list, nil
}

// WaitLog returns when a writer announces that the log grew, or after at
// most d. It listens on a connection of its own, made again after a failure;
// while it cannot listen it just waits d, so a caller that polls after each
// return still follows the log.
func (s *Store) WaitLog(ctx context.Context, d time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	defer context.AfterFunc(s.ctx, cancel)() // Close ends the wait
	s.listenMu.Lock()
	defer s.listenMu.Unlock()
	if s.listen == nil || s.listen.IsClosed() {
		conn, err := pgx.ConnectConfig(ctx, s.cfg.ConnConfig)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
				conn.Close(context.Background())
			}
		}
		if err != nil {
			<-ctx.Done()
			return
		}
		s.listen = conn
	}
	_, err := s.listen.WaitForNotification(ctx)
	if err != nil && ctx.Err() == nil {
		// A broken connection: listen again on the next call.
		s.listen.Close(context.Background())
		s.listen = nil
		<-ctx.Done()
	}
	// Drain notifications that arrived together, so one burst wakes once.
	for s.listen != nil {
		short, c := context.WithTimeout(context.Background(), time.Millisecond)
		_, err := s.listen.WaitForNotification(short)
		c()
		if err != nil {
			if !pgconn.Timeout(err) && s.listen != nil && s.listen.IsClosed() {
				s.listen = nil
			}
			return
		}
	}
}

// TryLease takes the named lease for holder when it is free or expired, or
// renews it when holder has it, until ttl from now (the database's clock, so
// the replicas' clocks do not matter). It reports whether holder has it.
func (s *Store) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	var got string
	err := s.pool.QueryRow(ctx, `INSERT INTO leases (name, holder, expires) VALUES ($1, $2, now() + ($3::float8 * interval '1 second'))
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
		WHERE leases.holder = excluded.holder OR leases.expires < now()
		RETURNING holder`, name, holder, ttl.Seconds()).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("postgres: lease %s: %w", name, unavailable(err))
	}
	return got == holder, nil
}

// ReleaseLease gives the named lease up if holder has it.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder); err != nil {
		return fmt.Errorf("postgres: release lease %s: %w", name, unavailable(err))
	}
	return nil
}

// unavailable marks err with store.ErrUnavailable when it says the database
// could not be reached or went away (not when a query was wrong), so callers
// can tell a member to try again.
func unavailable(err error) error {
	if err == nil || errors.Is(err, store.ErrUnavailable) {
		return err
	}
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), pgconn.SafeToRetry(err),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
	case errors.As(err, &pe) && (strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P")):
		// connection exceptions; administrator or crash shutdown
	default:
		if !strings.Contains(err.Error(), "conn closed") && !strings.Contains(err.Error(), "connection refused") {
			return err
		}
	}
	return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
}
