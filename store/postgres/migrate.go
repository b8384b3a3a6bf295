package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations by version. A file is named
// NNNN_what.sql; versions start at 1 and have no gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var list []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("postgres: migration %s: no version number", base)
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		list = append(list, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	for i, m := range list {
		if m.version != i+1 {
			return nil, fmt.Errorf("postgres: migration %s: want version %d", m.name, i+1)
		}
	}
	return list, nil
}

// SchemaVersion is the schema this newsbot writes and reads.
func SchemaVersion() int {
	list, err := migrations()
	if err != nil {
		panic(err)
	}
	return len(list)
}

// ErrSchemaNewer means the database was migrated by a newer newsbot.
var ErrSchemaNewer = errors.New("postgres: the database schema is newer than this newsbot")

// ErrSchemaOld means the database needs `newsbot migrate`.
var ErrSchemaOld = errors.New("postgres: the database schema is older than this newsbot")

// migrateLock is the advisory lock key migrations hold, so replicas starting
// together apply each migration once.
const migrateLock = 0x6e657773_626f7401 // "newsbot" + 1

// Migrate brings the schema up to SchemaVersion, under an advisory lock so
// that two processes starting together do not race, and returns the versions
// it applied. Running it again applies nothing.
func Migrate(ctx context.Context, pool *pgxpool.Pool) (applied []int, err error) {
	list, err := migrations()
	if err != nil {
		return nil, err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLock)); err != nil {
		return nil, fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrateLock))
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	cur, err := currentVersion(ctx, conn.Conn())
	if err != nil {
		return nil, err
	}
	if cur > len(list) {
		return nil, newerError(cur)
	}
	for _, m := range list[cur:] {
		err := pgx.BeginFunc(ctx, conn.Conn(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("postgres: migration %s: %w", m.name, err)
		}
		applied = append(applied, m.version)
	}
	return applied, nil
}

func newerError(v int) error {
	return fmt.Errorf("%w: it is at version %d, this newsbot knows up to %d; run the newer newsbot, or restore a backup made for this version", ErrSchemaNewer, v, SchemaVersion())
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// currentVersion is the highest applied migration, 0 when none was.
func currentVersion(ctx context.Context, q querier) (int, error) {
	var v int
	err := q.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: schema version: %w", err)
	}
	return v, nil
}

// checkVersion says whether the schema is the one this newsbot uses.
func checkVersion(ctx context.Context, q querier) error {
	v, err := currentVersion(ctx, q)
	if err != nil {
		return err
	}
	switch want := SchemaVersion(); {
	case v > want:
		return newerError(v)
	case v < want:
		return fmt.Errorf("%w: it is at version %d, this newsbot needs %d: run newsbot migrate --config FILE", ErrSchemaOld, v, want)
	}
	return nil
}

// openPool connects without checking the schema, for Migrate.
func openPool(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: store.dsn: %w", err)
	}
	return pool, nil
}

// MigrateDSN connects to the database at dsn and migrates it.
func MigrateDSN(ctx context.Context, dsn string) ([]int, error) {
	pool, err := openPool(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	return Migrate(ctx, pool)
}
