package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/store/postgres"
)

// runMigrate brings a PostgreSQL store's schema up to this newsbot's version.
// serve does the same at start; this is for doing it ahead of a rollout.
func runMigrate(ctx context.Context, e *env, args []string) error {
	var d dataFlags
	fs := newFlagSet("migrate", e)
	d.register(fs, false)
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if d.configPath == "" {
		return usageErr("give --config FILE (its store.dsn names the database)")
	}
	if err := d.load(e); err != nil {
		return err
	}
	if d.cfg.Store.Backend != config.BackendPostgres {
		fmt.Fprintf(e.stdout, "store.backend is %s: its file needs no migration\n", d.cfg.Store.Backend)
		return nil
	}
	st, err := postgres.Open(ctx, d.cfg.Store.DSN.Reveal(), postgres.Options{})
	switch {
	case err == nil:
		st.Close()
		fmt.Fprintf(e.stdout, "schema at version %d: nothing to do\n", postgres.SchemaVersion())
		return nil
	case !errors.Is(err, postgres.ErrSchemaOld):
		return err
	}
	applied, err := postgres.MigrateDSN(ctx, d.cfg.Store.DSN.Reveal())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "schema at version %d: applied %v\n", postgres.SchemaVersion(), applied)
	return nil
}
