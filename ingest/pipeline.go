// Package ingest brings articles in: it opens a data folder (store and index
// together), and takes files, folders and standard input through parsing and
// quote extraction into the store and the index.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/ingest/boilerplate"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
	"github.com/newsbot/newsbot/store"
)

// Library is an open data folder: the store (source of truth) and the index
// derived from it.
type Library struct {
	Dir   string
	Store store.Backend
	Index *index.Index
	// Boiler is the boilerplate learned per source: the index and every
	// reply see articles without it (Strip); the store keeps it.
	Boiler *boilerplate.Model
	log    *slog.Logger
	// follow is set when the store is shared by several processes: the
	// index then follows the store's article log.
	follow *follower

	closeMu sync.Mutex
	closed  bool
}

// Paths inside a data folder.
const (
	storeFile   = "newsbot.db"
	indexFolder = "index"
	pidFile     = "newsbot.pid"
)

// ErrInUse is returned when another process holds the data folder.
var ErrInUse = errors.New("data folder in use")

// lockedError names the process that holds the data folder, when it can.
func lockedError(dir string) error {
	if b, err := os.ReadFile(filepath.Join(dir, pidFile)); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			return fmt.Errorf("%w by PID %d (%s): stop it, or point this command at another folder", ErrInUse, pid, dir)
		}
	}
	return fmt.Errorf("%w by another process (%s)", ErrInUse, dir)
}

// Open opens (or creates) a data folder with its embedded store. Articles the
// store holds but the index may not (a crash between the two writes) are
// indexed again; an index that cannot be opened is rebuilt from the store. The
// store is never deleted.
func Open(ctx context.Context, dir string, log *slog.Logger) (*Library, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("ingest: data folder %s: %w", dir, err)
	}
	st, err := store.Open(filepath.Join(dir, storeFile), time.Second)
	if errors.Is(err, store.ErrLocked) {
		return nil, lockedError(dir)
	}
	if err != nil {
		return nil, err
	}
	return OpenStore(ctx, dir, st, log)
}

// OpenStore opens the index in the data folder dir over st, which the
// Library then owns (Close closes it). With a shared store (store.Logged) the
// index is the folder's own: built from the store when it has to be, then
// kept current by following the store's article log (see Follow).
func OpenStore(ctx context.Context, dir string, st store.Backend, log *slog.Logger) (*Library, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		st.Close()
		return nil, fmt.Errorf("ingest: data folder %s: %w", dir, err)
	}
	lib := &Library{Dir: dir, Store: st, log: log}
	boiler, err := boilerplate.Load(st)
	if err != nil {
		st.Close()
		return nil, err
	}
	lib.Boiler = boiler
	idxPath := filepath.Join(dir, indexFolder)
	if logged, ok := st.(store.Logged); ok {
		if err := lib.openFollowing(ctx, logged, idxPath); err != nil {
			if lib.Index != nil {
				lib.Index.Close()
			}
			st.Close()
			return nil, err
		}
		lib.writePID()
		return lib, nil
	}
	lib.writePID()
	ix, err := index.Open(idxPath, lib.view())
	if errors.Is(err, index.ErrLocked) {
		st.Close()
		return nil, lockedError(dir)
	}
	if err != nil {
		log.Warn("index cannot be opened; rebuilding it from the store", "path", idxPath, "err", err)
		if ix, err = lib.rebuild(ctx, idxPath); err != nil {
			st.Close()
			return nil, err
		}
	}
	lib.Index = ix
	if err := lib.reconcile(ctx); err != nil {
		lib.Close()
		return nil, err
	}
	if err := lib.learnStored(ctx); err != nil {
		lib.Close()
		return nil, err
	}
	return lib, nil
}

// writePID records the holder's PID, for the "in use" message of a second
// process. The store's or the index's lock is what excludes; this file only
// names the holder.
func (l *Library) writePID() {
	_ = os.WriteFile(filepath.Join(l.Dir, pidFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
}

// view is the store as readers see it: every article it gives the index
// (and so every reply) has its source's boilerplate stripped.
func (l *Library) view() index.ArticleSource { return strippedSource{l} }

type strippedSource struct{ l *Library }

func (s strippedSource) Articles(ids []string) (map[string]*news.Article, error) {
	arts, err := s.l.Store.Articles(ids)
	if err != nil {
		return nil, err
	}
	for id, a := range arts {
		arts[id] = s.l.Boiler.Strip(a)
	}
	return arts, nil
}

// stripped are the articles as the index holds them.
func (l *Library) stripped(arts []*news.Article) []*news.Article {
	out := make([]*news.Article, len(arts))
	for i, a := range arts {
		out[i] = l.Boiler.Strip(a)
	}
	return out
}

// learnStored learns the boilerplate of a data folder filled before it was
// learned (an upgrade): one pass over the store, then the articles it
// changes are indexed again.
func (l *Library) learnStored(ctx context.Context) error {
	if !l.Boiler.Empty() || l.Store.Count() == 0 {
		return nil
	}
	l.log.Info("learning the boilerplate of the stored articles", "articles", l.Store.Count())
	changes := boilerplate.Changes{}
	err := l.eachBatch(ctx, 1000, func(batch []*news.Article) error {
		c, err := l.Boiler.Learn(batch)
		for k, f := range c {
			if changes[k] == nil {
				changes[k] = map[uint64]bool{}
			}
			for u := range f {
				changes[k][u] = true
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	return l.restrip(ctx, changes, nil)
}

// eachBatch calls fn with every stored article, size at a time.
func (l *Library) eachBatch(ctx context.Context, size int, fn func([]*news.Article) error) error {
	var batch []*news.Article
	err := l.Store.ForEach(func(a *news.Article) error {
		batch = append(batch, a)
		if len(batch) == size {
			err := fn(batch)
			batch = batch[:0]
			return err
		}
		return ctx.Err()
	})
	if err == nil && len(batch) > 0 {
		err = fn(batch)
	}
	return err
}

// restrip indexes again the stored articles that read differently since
// their source's boilerplate changed (skip: those just indexed).
func (l *Library) restrip(ctx context.Context, changes boilerplate.Changes, skip map[string]bool) error {
	if len(changes) == 0 {
		return nil
	}
	n := 0
	err := l.eachBatch(ctx, 500, func(batch []*news.Article) error {
		var again []*news.Article
		for _, a := range batch {
			if skip[a.ID] || !changes.Affected(a) {
				continue
			}
			s := l.Boiler.Strip(a)
			if len(s.Quotes) < len(a.Quotes) {
				// Quote documents are numbered by position: drop the old
				// ones before fewer are indexed.
				if err := l.Index.DeleteArticle(a); err != nil {
					return err
				}
			}
			again = append(again, s)
		}
		n += len(again)
		return l.Index.IndexArticles(ctx, again)
	})
	if err != nil {
		return fmt.Errorf("ingest: indexing articles whose boilerplate changed: %w", err)
	}
	if n > 0 {
		l.log.Info("boilerplate changed; articles indexed again", "articles", n)
	}
	return nil
}

// Close closes the index, then the store. Closing twice is harmless.
func (l *Library) Close() error {
	l.closeMu.Lock()
	defer l.closeMu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	var errs []error
	if l.Index != nil {
		errs = append(errs, l.Index.Close())
	}
	os.Remove(filepath.Join(l.Dir, pidFile))
	errs = append(errs, l.Store.Close())
	return errors.Join(errs...)
}

// reconcile brings the index in line with the store after an interruption:
// with a shared store by catching up with its log; else by indexing the
// articles left pending by an interrupted write, then filling gaps.
func (l *Library) reconcile(ctx context.Context) error {
	if l.follow != nil {
		_, err := l.CatchUp(ctx)
		return err
	}
	if err := l.indexPending(ctx); err != nil {
		return err
	}
	return l.fillGaps(ctx)
}

// fillGaps compares the store's and the index's counts: when they differ (an
// index restored from a backup, a removal cut short, a crash before the index
// wrote what it had been given), every stored article the index lacks is
// indexed again. The store is the truth; it is never changed here.
func (l *Library) fillGaps(ctx context.Context) error {
	n, err := l.Index.DocCount()
	if err != nil || n == l.Store.Count() {
		return err
	}
	l.log.Warn("store and index disagree; indexing what the index lacks", "stored", l.Store.Count(), "indexed", n)
	var batch []*news.Article
	check := func() error {
		ids := make([]string, len(batch))
		for i, a := range batch {
			ids[i] = a.ID
		}
		has, err := l.Index.Has(ids)
		if err != nil {
			return err
		}
		var missing []*news.Article
		for _, a := range batch {
			if !has[a.ID] {
				missing = append(missing, a)
			}
		}
		batch = batch[:0]
		return l.Index.IndexArticles(ctx, l.stripped(missing))
	}
	err = l.Store.ForEach(func(a *news.Article) error {
		batch = append(batch, a)
		if len(batch) == 1000 {
			return check()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = check()
	}
	return err
}

// indexPending indexes the articles left pending by an interrupted write.
func (l *Library) indexPending(ctx context.Context) error {
	ids, err := l.Store.Pending()
	if err != nil || len(ids) == 0 {
		return err
	}
	arts, err := l.Store.Articles(ids)
	if err != nil {
		return err
	}
	list := make([]*news.Article, 0, len(arts))
	for _, a := range arts {
		list = append(list, a)
	}
	l.log.Info("indexing articles an interrupted write left out", "count", len(list))
	if err := l.Index.IndexArticles(ctx, l.stripped(list)); err != nil {
		return err
	}
	return l.Store.MarkIndexed(ids)
}

// buildIndex writes a complete new index of every stored article at tmp,
// and closes it.
func (l *Library) buildIndex(ctx context.Context, tmp string, progress func(done, total int)) error {
	defer raiseGC()()
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("ingest: rebuild: %w", err)
	}
	ix, err := index.Open(tmp, l.view())
	if err != nil {
		return err
	}
	var batch []*news.Article
	done, total := 0, l.Store.Count()
	flush := func() error {
		if err := ix.IndexArticles(ctx, l.stripped(batch)); err != nil {
			return err
		}
		done += len(batch)
		if progress != nil {
			progress(done, total)
		}
		batch = batch[:0]
		return nil
	}
	err = l.Store.ForEach(func(a *news.Article) error {
		batch = append(batch, a)
		if len(batch) == addBatch {
			return flush()
		}
		return ctx.Err()
	})
	if err == nil {
		err = flush()
	}
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("ingest: rebuild index: %w", err)
	}
	return nil
}

// rebuild makes a new index at path from every stored article, when the one
// there cannot be opened.
func (l *Library) rebuild(ctx context.Context, path string) (*index.Index, error) {
	tmp := path + ".new"
	if err := l.buildIndex(ctx, tmp, nil); err != nil {
		return nil, err
	}
	// Put the new index in place only once it is complete.
	old := path + ".old"
	os.RemoveAll(old)
	if _, err := os.Stat(path); err == nil {
		if err := os.Rename(path, old); err != nil {
			return nil, fmt.Errorf("ingest: rebuild: %w", err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("ingest: rebuild: %w", err)
	}
	os.RemoveAll(old)
	if pend, err := l.Store.Pending(); err == nil && len(pend) > 0 {
		if err := l.Store.MarkIndexed(pend); err != nil {
			return nil, err
		}
	}
	return index.Open(path, l.view())
}

// Reindex rebuilds the index from the store (after a mapping change, or to
// compact it) while the current one keeps serving: the new index is built
// beside it, swapped in at once, and articles added meanwhile are indexed into
// it afterwards.
func (l *Library) Reindex(ctx context.Context, progress func(done, total int)) (int, error) {
	path := l.Index.Path()
	tmp := path + ".new"
	var head int64
	if l.follow != nil {
		// Changes committed from here on are applied to the new index from
		// the log once it is in place.
		var err error
		if head, err = l.follow.st.LogHead(ctx); err != nil {
			return 0, err
		}
	}
	if err := l.buildIndex(ctx, tmp, progress); err != nil {
		return 0, err
	}
	// The old index stays open (and serving) from its renamed folder until
	// Swap closes it.
	old := fmt.Sprintf("%s.old-%d", path, time.Now().UnixNano())
	if err := os.Rename(path, old); err != nil {
		os.RemoveAll(tmp)
		return 0, fmt.Errorf("ingest: reindex: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Rename(old, path)
		return 0, fmt.Errorf("ingest: reindex: %w", err)
	}
	if err := l.Index.Swap(path, old); err != nil {
		return 0, err
	}
	if l.follow != nil {
		if err := l.resetFollow(head); err != nil {
			return 0, err
		}
	}
	if err := l.reconcile(ctx); err != nil {
		return 0, err
	}
	return l.Index.DocCount()
}

// Result counts what an Add did.
type Result struct {
	Added      []*news.Article
	Duplicates []*news.Article
}

// Add extracts quotes where an article has none yet, then writes the articles
// to the store and the index. The store marks them pending until the index has
// them, so an interrupted Add is completed at the next Open.
func (l *Library) Add(ctx context.Context, arts []*news.Article) (Result, error) {
	prepare(arts)
	return l.commit(ctx, arts)
}

// prepare extracts the quotes of the articles that have none yet, on every
// core: it is the costliest step of an ingest after indexing.
func prepare(arts []*news.Article) {
	workers := min(runtime.GOMAXPROCS(0), len(arts))
	if workers <= 1 {
		for _, a := range arts {
			extract(a)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan *news.Article)
	for range workers {
		wg.Go(func() {
			for a := range next {
				extract(a)
			}
		})
	}
	for _, a := range arts {
		next <- a
	}
	close(next)
	wg.Wait()
}

func extract(a *news.Article) {
	if a.Quotes == nil {
		a.Quotes = quotes.Extract(a.Paragraphs)
	}
}

// commit writes prepared articles to the store, then the index.
func (l *Library) commit(ctx context.Context, arts []*news.Article) (Result, error) {
	st, err := l.store(arts)
	if err != nil {
		return Result{}, err
	}
	return l.index(ctx, st)
}

// stored is a batch written to the store and waiting for the index: the
// articles as the index is to see them, and the boilerplate they changed.
type stored struct {
	res      store.AddResult
	stripped []*news.Article
	changes  boilerplate.Changes
}

// store writes prepared articles to the store (marked pending until the
// index has them) and learns their sources' boilerplate from them.
func (l *Library) store(arts []*news.Article) (stored, error) {
	res, err := l.Store.AddArticles(arts)
	if err != nil {
		return stored{}, err
	}
	// The new articles teach the boilerplate of their sources first, so
	// they are indexed without it.
	changes, err := l.Boiler.Learn(res.Added)
	if err != nil {
		// The counts are statistics: a batch missing from them is no
		// loss of articles.
		l.log.Warn("boilerplate: not saved", "err", err)
	}
	return stored{res: res, stripped: l.stripped(res.Added), changes: changes}, nil
}

// index indexes a stored batch, marks it indexed, and indexes again the
// stored articles that the boilerplate it taught changes. Batches are indexed
// in the order they were stored.
func (l *Library) index(ctx context.Context, st stored) (Result, error) {
	res, changes := st.res, st.changes
	if err := l.Index.IndexArticles(ctx, st.stripped); err != nil {
		return Result{}, fmt.Errorf("ingest: stored %d articles, indexing failed (they are indexed at the next start): %w", len(res.Added), err)
	}
	ids := make([]string, len(res.Added))
	for i, a := range res.Added {
		ids[i] = a.ID
	}
	if err := l.Store.MarkIndexed(ids); err != nil {
		return Result{}, err
	}
	if len(changes) > 0 {
		skip := make(map[string]bool, len(ids))
		for _, id := range ids {
			skip[id] = true
		}
		if err := l.restrip(ctx, changes, skip); err != nil {
			return Result{}, err
		}
	}
	if l.follow != nil {
		// The log position moves past these articles without indexing
		// them again, and past what others wrote meanwhile.
		l.follow.done(res.LogSeqs)
		if _, err := l.CatchUp(ctx); err != nil {
			l.log.Warn("cannot catch up with the store's article log", "err", err)
		}
	}
	return Result{Added: res.Added, Duplicates: res.Duplicates}, nil
}

// Remove deletes an article from the index, then from the store.
func (l *Library) Remove(id string) (*news.Article, error) {
	a, err := l.Store.Article(id)
	if err != nil {
		return nil, err
	}
	if err := l.Index.DeleteArticle(a); err != nil {
		return nil, err
	}
	return a, l.Store.Delete(id)
}

// bulkGCPercent is the garbage collector's target during a bulk ingest
// (GOGC, 100 by default): a file of articles allocates a great deal of
// short-lived memory (parsed text, analysed tokens, segments), and collecting
// half as often saves about 6% of the ingest's CPU for a larger heap while it
// runs. An operator's own GOGC is left alone.
const bulkGCPercent = 200

var bulkGC struct {
	sync.Mutex
	n    int // bulk ingests running
	prev int
}

// raiseGC sets bulkGCPercent until the returned function is called, once
// for any number of bulk ingests at a time.
func raiseGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	bulkGC.Lock()
	if bulkGC.n == 0 {
		bulkGC.prev = debug.SetGCPercent(bulkGCPercent)
	}
	bulkGC.n++
	bulkGC.Unlock()
	return func() {
		bulkGC.Lock()
		bulkGC.n--
		if bulkGC.n == 0 {
			debug.SetGCPercent(bulkGC.prev)
		}
		bulkGC.Unlock()
	}
}
