package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsbot/newsbot/store"
)

var _ store.Shared = (*Store)(nil)

// sweepEvery is how many writes of shared state pass between two sweeps of
// the expired entries.
const sweepEvery = 200

func (s *Store) maybeSweep(ctx context.Context) {
	if s.writes.Add(1)%sweepEvery == 0 {
		_, _ = s.pool.Exec(ctx, `DELETE FROM shared_state WHERE expires < now()`)
	}
}

// PutTemp keeps value under bucket/key for ttl.
func (s *Store) PutTemp(ctx context.Context, bucket, key string, value []byte, ttl time.Duration) error {
	if value == nil {
		value = []byte{}
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO shared_state (bucket, key, value, expires) VALUES ($1, $2, $3, now() + ($4::float8 * interval '1 second'))
		ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value, expires = excluded.expires`, bucket, key, value, ttl.Seconds())
	if err != nil {
		return fmt.Errorf("postgres: keep %s/%s: %w", bucket, key, unavailable(err))
	}
	s.maybeSweep(ctx)
	return nil
}

// GetTemp reads a live value; store.ErrNotFound when there is none.
func (s *Store) GetTemp(ctx context.Context, bucket, key string) ([]byte, error) {
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM shared_state WHERE bucket = $1 AND key = $2 AND expires > now()`, bucket, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: read %s/%s: %w", bucket, key, unavailable(err))
	}
	return v, nil
}

// Claim marks bucket/key for ttl and reports whether this call made the mark.
func (s *Store) Claim(ctx context.Context, bucket, key string, ttl time.Duration) (bool, error) {
	var one int
	err := s.pool.QueryRow(ctx, `INSERT INTO shared_state (bucket, key, expires) VALUES ($1, $2, now() + ($3::float8 * interval '1 second'))
		ON CONFLICT (bucket, key) DO UPDATE SET expires = excluded.expires WHERE shared_state.expires <= now()
		RETURNING 1`, bucket, key, ttl.Seconds()).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("postgres: claim %s/%s: %w", bucket, key, unavailable(err))
	}
	s.maybeSweep(ctx)
	return true, nil
}

// Hit counts one use by key within a sliding window, under a lock on the key
// so that replicas counting the same member at once do not both slip under
// the limit. A key's old uses are removed as it goes.
func (s *Store) Hit(ctx context.Context, bucket, key string, window time.Duration, limit int) (bool, error) {
	ok := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))`, bucket, key); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM rate_hits WHERE bucket = $1 AND key = $2 AND at <= now() - ($3::float8 * interval '1 second')`, bucket, key, window.Seconds()); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM rate_hits WHERE bucket = $1 AND key = $2`, bucket, key).Scan(&n); err != nil {
			return err
		}
		if ok = n < limit; !ok {
			return nil
		}
		_, err := tx.Exec(ctx, `INSERT INTO rate_hits (bucket, key, at) VALUES ($1, $2, now())`, bucket, key)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("postgres: count %s/%s: %w", bucket, key, unavailable(err))
	}
	return ok, nil
}
