package main

// The operator's commands: stats, export, check-config, version, and the
// /healthz checks of a data folder for serve.

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

// Keys of the stats maps for articles without a guild (seen everywhere) and
// without a source. Guild ids are numbers, so "global" cannot be one.
const (
	globalKey   = "global"
	noSourceKey = "unknown"
)

// registerData registers --config and --data (and --json), without --guild,
// whose usual meaning (a guild's articles plus the global ones) these
// commands do not have.
func (d *dataFlags) registerData(fs *flag.FlagSet, withJSON bool) {
	fs.StringVar(&d.configPath, "config", "", "config `file` (YAML); its data_dir sets the data folder")
	fs.StringVar(&d.data, "data", "", "data `folder` (default ./data or the config's data_dir)")
	if withJSON {
		fs.BoolVar(&d.jsonOut, "json", false, "print JSON")
	}
}

// openExisting opens the data folder for a command that only reads it: a
// mistyped --data must not create an empty folder and report nothing in it.
func (d *dataFlags) openExisting(ctx context.Context, e *env) (*ingest.Library, error) {
	if _, err := os.Stat(d.data); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no data folder at %s", absPath(d.data))
	}
	return d.open(ctx, e, false)
}

// stats is what `newsbot stats --json` prints; the keys are a contract.
type stats struct {
	Articles   int            `json:"articles"`
	Indexed    int            `json:"indexed"`
	Quotes     int            `json:"quotes"`
	ByGuild    map[string]int `json:"by_guild"`
	BySource   map[string]int `json:"by_source"`
	StoreBytes int64          `json:"store_bytes"`
	IndexBytes int64          `json:"index_bytes"`
	LastIngest *string        `json:"last_ingest"` // RFC 3339; null if nothing was ever ingested
}

func runStats(ctx context.Context, e *env, args []string) error {
	c, err := prepareStats(e, args)
	if err != nil {
		return err
	}
	return c.run(ctx, e, "stats", args)
}

func prepareStats(e *env, args []string) (*libCommand, error) {
	c := &libCommand{existing: true}
	fs := newFlagSet("stats", e)
	c.d.registerData(fs, true)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) > 0 {
		return nil, usageErr("unexpected argument %q", pos[0])
	}
	c.work = func(_ context.Context, e *env, lib *ingest.Library) error {
		return printStats(e, lib, c.d.jsonOut)
	}
	return c, nil
}

func printStats(e *env, lib *ingest.Library, jsonOut bool) error {
	s, err := libraryStats(lib)
	if err != nil {
		return err
	}
	if jsonOut {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(s)
	}
	_, err = fmt.Fprint(e.stdout, renderStats(s, lib))
	return err
}

func libraryStats(lib *ingest.Library) (stats, error) {
	st, err := lib.Store.Stats()
	if err != nil {
		return stats{}, err
	}
	indexed, err := lib.Index.DocCount()
	if err != nil {
		return stats{}, err
	}
	s := stats{
		Articles: st.Articles, Indexed: indexed, Quotes: st.Quotes,
		ByGuild: renameKey(st.ByGuild, globalKey), BySource: renameKey(st.BySource, noSourceKey),
		StoreBytes: lib.Store.Size(), IndexBytes: lib.Index.Size(),
	}
	if t := lib.Store.LastIngest(); !t.IsZero() {
		v := t.UTC().Format(time.RFC3339)
		s.LastIngest = &v
	}
	return s, nil
}

// renameKey gives the empty key a readable name.
func renameKey(m map[string]int, empty string) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		if k == "" {
			k = empty
		}
		out[k] += v
	}
	return out
}

func renderStats(s stats, lib *ingest.Library) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "articles\t%s stored, %s indexed\n", thousands(s.Articles), thousands(s.Indexed))
	fmt.Fprintf(w, "quotes\t%s\n", thousands(s.Quotes))
	last := "never"
	if s.LastIngest != nil {
		t, _ := time.Parse(time.RFC3339, *s.LastIngest)
		last = t.Format("2006-01-02 15:04 MST")
	}
	fmt.Fprintf(w, "last ingest\t%s\n", last)
	fmt.Fprintf(w, "store\t%s\t%s\n", bytesize(s.StoreBytes), absPath(lib.Store.Path()))
	fmt.Fprintf(w, "index\t%s\t%s\n", bytesize(s.IndexBytes), absPath(lib.Index.Path()))
	w.Flush()
	if s.Articles != s.Indexed {
		fmt.Fprintf(&b, "\nThe index holds %d articles, the store %d: run newsbot reindex.\n", s.Indexed, s.Articles)
	}
	for _, t := range []struct {
		head string
		m    map[string]int
	}{{"GUILD", s.ByGuild}, {"SOURCE", s.BySource}} {
		if len(t.m) > 0 {
			b.WriteString("\n")
			countTable(&b, t.head, t.m)
		}
	}
	return b.String()
}

// countTable writes names flush left and counts flush right, largest first.
func countTable(b *strings.Builder, head string, m map[string]int) {
	const countHead = "ARTICLES"
	keys := byCount(m)
	nameW, countW := utf8.RuneCountInString(head), len(countHead)
	for _, k := range keys {
		nameW = max(nameW, utf8.RuneCountInString(k))
		countW = max(countW, len(thousands(m[k])))
	}
	fmt.Fprintf(b, "%-*s  %*s\n", nameW, head, countW, countHead)
	for _, k := range keys {
		fmt.Fprintf(b, "%-*s  %*s\n", nameW, k, countW, thousands(m[k]))
	}
}

// byCount orders keys by count, largest first, then by name.
func byCount(m map[string]int) []string {
	return slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b))
	})
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func bytesize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// exportRecord is an article as export writes it: the stored model, with the
// quotes always present. An empty list tells ingest the article has none; a
// missing one would have them extracted again, perhaps differently.
type exportRecord struct {
	*news.Article
	Quotes []quotes.Quote `json:"quotes"`
}

func runExport(ctx context.Context, e *env, args []string) error {
	c, err := prepareExport(e, args)
	if err != nil {
		return err
	}
	return c.run(ctx, e, "export", args)
}

func prepareExport(e *env, args []string) (*libCommand, error) {
	c := &libCommand{existing: true}
	var guild string
	fs := newFlagSet("export", e)
	c.d.registerData(fs, false)
	fs.StringVar(&guild, "guild", "", "only the articles of guild `id` (\"global\": only those seen everywhere)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) > 0 {
		return nil, usageErr("unexpected argument %q (export writes to standard output)", pos[0])
	}
	c.work = func(ctx context.Context, e *env, lib *ingest.Library) error {
		return export(ctx, e, lib, guild)
	}
	return c, nil
}

func export(ctx context.Context, e *env, lib *ingest.Library, guild string) error {
	w := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	err := lib.Store.ForEach(func(a *news.Article) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if guild != "" && a.Guild != guild && !(guild == globalKey && a.Guild == "") {
			return nil
		}
		r := exportRecord{Article: a, Quotes: a.Quotes}
		if r.Quotes == nil {
			r.Quotes = []quotes.Quote{}
		}
		n++
		return enc.Encode(r)
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("export after %d articles: %w", n, err)
	}
	fmt.Fprintf(e.stderr, "newsbot: exported %d articles\n", n)
	return nil
}

func runCheckConfig(_ context.Context, e *env, args []string) error {
	var path string
	fs := newFlagSet("check-config", e)
	fs.StringVar(&path, "config", "", "config `file` to check (or give it as the argument)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 1:
		return usageErr("give one config file, not %d", len(pos))
	case len(pos) == 1 && path != "" && pos[0] != path:
		return usageErr("two config files: %s and %s", path, pos[0])
	case len(pos) == 1:
		path = pos[0]
	case path == "":
		return usageErr("give the config file: newsbot check-config --config FILE")
	}
	cfg, problems := config.Inspect(path, e.getenv)
	for _, w := range cfg.Warnings {
		fmt.Fprintf(e.stdout, "warning: %s\n", w)
	}
	if len(problems) == 0 {
		// serve needs a token; other commands do not, so this warns only:
		// the token may come from an environment this shell lacks.
		if err := cfg.RequireToken(); err != nil {
			fmt.Fprintf(e.stdout, "warning: %v (newsbot serve needs it)\n", err)
		}
		fmt.Fprintf(e.stdout, "%s: OK\n", path)
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(e.stdout, p.String())
	}
	noun := "problems"
	if len(problems) == 1 {
		noun = "problem"
	}
	return &exitError{code: 1, err: fmt.Errorf("%s: %d %s", path, len(problems), noun)}
}

// versionModules are the dependencies whose versions matter in a bug report.
var versionModules = []string{"github.com/blevesearch/bleve/v2", "github.com/bwmarrin/discordgo"}

func runVersion(_ context.Context, e *env, _ []string) error {
	fmt.Fprintf(e.stdout, "newsbot %s\n", version)
	fmt.Fprintf(e.stdout, "go: %s\n", runtime.Version())
	bi, ok := debug.ReadBuildInfo()
	if ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				fmt.Fprintf(e.stdout, "commit: %s\n", s.Value)
			}
		}
	}
	for _, path := range versionModules {
		v := "unknown"
		if ok {
			v = moduleVersion(bi, path)
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", path, v)
	}
	return nil
}

// moduleVersion is a dependency's version as built, replacements included.
func moduleVersion(bi *debug.BuildInfo, path string) string {
	for _, m := range bi.Deps {
		if m.Path != path {
			continue
		}
		if m.Replace != nil {
			if m.Replace.Version != "" {
				return m.Replace.Version + " (replaced by " + m.Replace.Path + ")"
			}
			return "replaced by " + m.Replace.Path
		}
		return m.Version
	}
	return "not linked"
}

// libraryChecks are the data folder's parts of /healthz.
func libraryChecks(lib *ingest.Library) []bot.HealthCheck {
	return []bot.HealthCheck{
		{Name: "store", Probe: func(context.Context) error { return lib.Store.Check() }},
		{Name: "index", Probe: func(context.Context) error {
			if lib.Index == nil {
				return fmt.Errorf("index: not open")
			}
			_, err := lib.Index.DocCount()
			return err
		}},
	}
}
