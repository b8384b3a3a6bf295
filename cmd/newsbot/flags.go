package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/sample"
	"github.com/newsbot/newsbot/store/postgres"
)

// dataFlags are the flags every command that opens a data folder takes.
type dataFlags struct {
	configPath string
	data       string
	guild      string
	jsonOut    bool
	cfg        *config.Config
	// explicit is set when the operator named the data folder (flag, config
	// or environment): such a folder is never filled with the sample.
	explicit bool
	// migrate lets open bring a PostgreSQL schema up to date (serve does;
	// other commands ask for `newsbot migrate`).
	migrate bool
}

func newFlagSet(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("newsbot "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

func (d *dataFlags) register(fs *flag.FlagSet, withJSON bool) {
	fs.StringVar(&d.configPath, "config", "", "config `file` (YAML); its data_dir sets the data folder")
	fs.StringVar(&d.data, "data", "", "data `folder` (default ./data or the config's data_dir)")
	fs.StringVar(&d.guild, "guild", "", "guild `id`: its own articles plus the global ones")
	if withJSON {
		fs.BoolVar(&d.jsonOut, "json", false, "print JSON")
	}
}

// parseArgs parses flags wherever they stand among the positional arguments, so
// `newsbot ask "question" --json` works like `newsbot ask --json "question"`.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &exitError{code: 0, err: errors.New("")}
			}
			return nil, &exitError{code: 2, err: errors.New("")}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// load reads the config (when given) and settles the data folder.
func (d *dataFlags) load(e *env) error {
	cfg := config.Default()
	if d.configPath != "" {
		c, err := config.Load(d.configPath)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		cfg = c
		for _, w := range cfg.Warnings {
			fmt.Fprintf(e.stderr, "newsbot: warning: %s\n", w)
		}
	}
	d.cfg = cfg
	d.explicit = d.data != "" || d.configPath != "" || e.getenv("NEWSBOT_DATA_DIR") != ""
	if d.data == "" {
		if v := e.getenv("NEWSBOT_DATA_DIR"); v != "" && d.configPath == "" {
			d.data = v
		} else if cfg.DataDir != "" {
			d.data = cfg.DataDir
		} else {
			d.data = "data"
		}
	}
	return nil
}

// open opens the data folder. For commands that read, an empty default data
// folder is filled with the bundled sample articles first, so the quick start
// works with nothing set up.
func (d *dataFlags) open(ctx context.Context, e *env, seedWhenEmpty bool) (*ingest.Library, error) {
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return d.openLogged(ctx, e, log, seedWhenEmpty)
}

// openLogged is open with the caller's logger (serve's).
func (d *dataFlags) openLogged(ctx context.Context, e *env, log *slog.Logger, seedWhenEmpty bool) (*ingest.Library, error) {
	var lib *ingest.Library
	var err error
	if d.cfg != nil && d.cfg.Store.Backend == config.BackendPostgres {
		// The articles are in PostgreSQL; the data folder holds this
		// process's own index, brought up to date with the store's log.
		st, serr := postgres.Open(ctx, d.cfg.Store.DSN.Reveal(), postgres.Options{Migrate: d.migrate})
		if serr != nil {
			return nil, serr
		}
		lib, err = ingest.OpenStore(ctx, d.data, st, log)
	} else {
		lib, err = ingest.Open(ctx, d.data, log)
	}
	if err != nil {
		return nil, err
	}
	if seedWhenEmpty && !d.explicit && lib.Store.Count() == 0 {
		fmt.Fprintf(e.stderr, "newsbot: %s is empty: ingesting the bundled sample articles (Wikinews, CC BY 2.5) first\n", absPath(d.data))
		rep, err := lib.IngestFS(ctx, sample.FS(), sample.Articles(), ingest.FileOptions{})
		if err != nil {
			lib.Close()
			return nil, err
		}
		fmt.Fprintf(e.stderr, "newsbot: ingested %d sample articles\n", rep.Ingested)
	}
	return lib, nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func oneArg(pos []string, what string) (string, error) {
	if len(pos) == 0 {
		return "", usageErr("give the %s", what)
	}
	return strings.Join(pos, " "), nil
}

// isTerminal reports whether w is a character device (a terminal), or stands
// for one: a handed-over command's stderr is the client's.
func isTerminal(w io.Writer) bool {
	if t, ok := w.(interface{ Terminal() bool }); ok {
		return t.Terminal()
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
