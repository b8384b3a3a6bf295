package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/newsbot/newsbot/ingest/feeds"
	"github.com/newsbot/newsbot/news"
)

// Failure is one input or record that could not be ingested.
type Failure struct {
	Ref string
	Err error
}

func (f Failure) Error() string { return fmt.Sprintf("%s: %v", f.Ref, f.Err) }

// Report sums up an ingest.
type Report struct {
	Ingested   int
	Duplicates int
	Failed     int
	Failures   []Failure
	// Added are the articles stored by this ingest; DuplicateOf the stored
	// articles that inputs duplicated. Only IngestItems (a page, a message:
	// a few articles, which the reply lists) fills them; a file ingest counts
	// them, since holding every article it adds would grow with the files
	// (a million-article file held gigabytes).
	Added       []*news.Article
	DuplicateOf []*news.Article
	// Skipped are table rows with no text: reported, not failed.
	Skipped []Failure
}

// addBatch is how many parsed articles are written in one store transaction
// and index batch: about 4,000 documents with their quotes, one index
// segment (see index.IndexArticles). A variable for tests of many batches.
var addBatch = 2000

// FileOptions apply to every article of an ingest.
type FileOptions struct {
	Defaults news.Defaults
	Stdin    io.Reader // read for the path "-"
	Progress func(done int)
}

// batcher gathers parsed articles and writes them in batches, counting
// failures and duplicates, for every kind of input.
type batcher struct {
	lib     *Library
	opt     FileOptions
	rep     Report
	keep    bool // fill rep.Added and rep.DuplicateOf
	pending []*news.Article
	// seen catches the same article twice in one run, which the store would
	// otherwise see only after the batch.
	seen map[string]bool
	// inflight delivers the result of the batch being written.
	inflight chan batchResult
}

func (b *batcher) fail(ref string, err error) {
	b.rep.Failed++
	b.rep.Failures = append(b.rep.Failures, Failure{Ref: ref, Err: err})
}

func (b *batcher) take(ctx context.Context, items []news.Item) error {
	for _, it := range items {
		if it.Record && errors.Is(it.Err, news.ErrEmpty) {
			// A table row with no text (a placeholder, a deleted
			// article) is no article: said, and not a failure.
			b.rep.Skipped = append(b.rep.Skipped, Failure{Ref: it.Ref, Err: it.Err})
			continue
		}
		if it.Err != nil {
			b.fail(it.Ref, it.Err)
			continue
		}
		if b.seen[it.Article.ID] {
			b.rep.Duplicates++
			continue
		}
		b.seen[it.Article.ID] = true
		b.pending = append(b.pending, it.Article)
		if len(b.pending) >= addBatch {
			if err := b.flush(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush prepares the pending batch (quotes, on every core) and stores it
// while the previous batch is still being indexed, then starts indexing this
// one: parsing, extraction and the store overlap with the index, the longest
// step, so that both cores stay busy. wait collects a batch in flight.
func (b *batcher) flush(ctx context.Context) error {
	if len(b.pending) == 0 {
		return b.wait()
	}
	batch := b.pending
	b.pending = nil
	prepare(batch)
	index := func() (Result, error) { return b.lib.commit(ctx, batch) }
	if b.lib.follow == nil {
		// With a shared store the index follows the store's log, which
		// must not see a batch stored before the one being indexed is
		// done: there the whole commit waits its turn.
		st, err := b.lib.store(batch)
		if err != nil {
			return errors.Join(err, b.wait())
		}
		index = func() (Result, error) { return b.lib.index(ctx, st) }
	}
	if err := b.wait(); err != nil {
		return err
	}
	done := make(chan batchResult, 1)
	b.inflight = done
	go func() {
		res, err := index()
		done <- batchResult{res, err}
	}()
	return nil
}

type batchResult struct {
	res Result
	err error
}

// wait waits for the batch being written, if any, and counts it.
func (b *batcher) wait() error {
	if b.inflight == nil {
		return nil
	}
	r := <-b.inflight
	b.inflight = nil
	if r.err != nil {
		return r.err
	}
	res := r.res
	b.rep.Ingested += len(res.Added)
	b.rep.Duplicates += len(res.Duplicates)
	if b.keep {
		b.rep.Added = append(b.rep.Added, res.Added...)
		b.rep.DuplicateOf = append(b.rep.DuplicateOf, res.Duplicates...)
	}
	if b.opt.Progress != nil {
		b.opt.Progress(b.rep.Ingested + b.rep.Duplicates + b.rep.Failed)
	}
	return nil
}

func (l *Library) newBatcher(opt FileOptions) *batcher {
	return &batcher{lib: l, opt: opt, seen: map[string]bool{}}
}

// IngestPaths ingests files, folders (recursively) and "-" for standard input.
// Each input or record that fails is reported and the rest goes on; nothing is
// left half-written. The error is for the library failing, not an input.
func (l *Library) IngestPaths(ctx context.Context, paths []string, opt FileOptions) (Report, error) {
	defer raiseGC()()
	b := l.newBatcher(opt)
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return b.abort(err)
		}
		if p == "-" {
			data, err := readCapped(opt.Stdin)
			if err != nil {
				b.fail("-", err)
				continue
			}
			if err := b.take(ctx, parseFile("-", data, opt.Defaults)); err != nil {
				return b.abort(err)
			}
			continue
		}
		files, err := listFiles(p)
		if err != nil {
			b.fail(p, err)
			continue
		}
		for _, f := range files {
			if isJSONL(f) {
				// Exports are JSONL and can be far larger than one file
				// may be: read them a line at a time.
				if err := b.takeJSONLFile(ctx, f); err != nil {
					return b.abort(err)
				}
				continue
			}
			data, err := readFile(f)
			if err != nil {
				b.fail(f, err)
				continue
			}
			if err := b.take(ctx, parseFile(f, data, opt.Defaults)); err != nil {
				return b.abort(err)
			}
		}
	}
	return b.finish(ctx)
}

// IngestFS ingests the named files of a file system (the embedded sample).
func (l *Library) IngestFS(ctx context.Context, fsys fs.FS, names []string, opt FileOptions) (Report, error) {
	b := l.newBatcher(opt)
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			b.fail(name, err)
			continue
		}
		data, err := readCapped(f)
		f.Close()
		if err != nil {
			b.fail(name, err)
			continue
		}
		if err := b.take(ctx, news.Parse(name, data, "", opt.Defaults)); err != nil {
			return b.abort(err)
		}
	}
	return b.finish(ctx)
}

// IngestItems ingests articles parsed elsewhere (a fetched page, a message).
func (l *Library) IngestItems(ctx context.Context, items []news.Item) (Report, error) {
	b := l.newBatcher(FileOptions{})
	b.keep = true
	if err := b.take(ctx, items); err != nil {
		return b.abort(err)
	}
	return b.finish(ctx)
}

// parseFile reads one input: a feed document's items, or an article file.
func parseFile(name string, data []byte, def news.Defaults) []news.Item {
	if items, ok := feeds.ParseFile(name, data, def); ok {
		return items
	}
	return news.Parse(name, data, "", def)
}

// listFiles expands a folder into its regular files, sorted, skipping hidden
// ones; a file is itself.
func listFiles(p string) ([]string, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	if !fi.IsDir() {
		return []string{p}, nil
	}
	var out []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if path != p && len(name) > 1 && name[0] == '.' {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			out = append(out, path)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	defer f.Close()
	return readCapped(f)
}

// readCapped reads at most news.MaxInputBytes, refusing larger inputs whole.
func readCapped(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, errors.New("no input")
	}
	data, err := io.ReadAll(io.LimitReader(r, news.MaxInputBytes+1))
	if err != nil {
		return nil, unwrapPathError(err)
	}
	if len(data) > news.MaxInputBytes {
		return nil, fmt.Errorf("over the %d MB size limit", news.MaxInputBytes>>20)
	}
	return data, nil
}

// finish writes what is left and waits for it.
func (b *batcher) finish(ctx context.Context) (Report, error) {
	err := b.flush(ctx)
	if werr := b.wait(); err == nil {
		err = werr
	}
	return b.rep, err
}

// abort stops an ingest on err, once the batch being written is done: the
// caller may close the library next.
func (b *batcher) abort(err error) (Report, error) {
	_ = b.wait()
	return b.rep, err
}

func isJSONL(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return true
	}
	return false
}

// takeJSONLFile ingests a JSONL file line by line: each line is one article
// of at most news.MaxInputBytes, and a bad line fails alone.
func (b *batcher) takeJSONLFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		b.fail(path, unwrapPathError(err))
		return nil
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := readLine(r, news.MaxInputBytes)
		ref := fmt.Sprintf("%s:%d", path, n)
		if errors.Is(err, errLineTooLong) {
			b.fail(ref, err)
			continue
		}
		if len(bytes.TrimSpace(line)) > 0 {
			items := news.Parse(ref, line, news.FormatJSON, b.opt.Defaults)
			for i := range items {
				items[i].Record = true
			}
			if terr := b.take(ctx, items); terr != nil {
				return terr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			b.fail(ref, err)
			return nil
		}
	}
}

var errLineTooLong = fmt.Errorf("line over the %d MB limit", news.MaxInputBytes>>20)

// readLine reads one line without its newline; a line over max is skipped
// to its end and reported.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) <= max+1 {
			line = append(line, chunk...)
		} else {
			line = line[:0]
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err == nil || err == io.EOF {
				return nil, errLineTooLong
			}
			return nil, err
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}
