package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
	"github.com/newsbot/newsbot/store"
)

// posFile records, beside the index, how far into a shared store's article
// log the index is: which database, and the last sequence applied.
const posFile = "index.logpos"

type logPos struct {
	Database string `json:"database"`
	Seq      int64  `json:"seq"`
}

// follower is the state of a Library whose store is shared (store.Logged).
type follower struct {
	st store.Logged
	// mu serialises catching up: the follow loop, a command and Reindex.
	mu  sync.Mutex
	pos logPos
	// indexed are log entries this library wrote to its index itself (its
	// own ingests): catching up skips them rather than index them twice.
	indexed map[int64]bool
}

// done notes log entries whose articles the index already holds.
func (f *follower) done(seqs []int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.indexed == nil {
		f.indexed = map[int64]bool{}
	}
	for _, s := range seqs {
		if s > f.pos.Seq {
			f.indexed[s] = true
		}
	}
}

// logBatch is how many log entries one step applies.
const logBatch = 1000

func readPos(dir string) (logPos, error) {
	var p logPos
	b, err := os.ReadFile(filepath.Join(dir, posFile))
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("ingest: %s: %w", posFile, err)
	}
	return p, nil
}

// writePos replaces the position file whole, so a crash leaves the old one.
func writePos(dir string, p logPos) error {
	b, _ := json.Marshal(p)
	tmp := filepath.Join(dir, posFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("ingest: %s: %w", posFile, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, posFile)); err != nil {
		return fmt.Errorf("ingest: %s: %w", posFile, err)
	}
	return nil
}

// openFollowing opens the local index of a shared store: when it is missing,
// unreadable, made from another database, or ahead of the database (restored
// from an older backup), it is rebuilt from the store, never the reverse;
// then it catches up with the article log.
func (l *Library) openFollowing(ctx context.Context, st store.Logged, idxPath string) error {
	l.follow = &follower{st: st}
	head, err := st.LogHead(ctx)
	if err != nil {
		return err
	}
	pos, perr := readPos(l.Dir)
	reason := ""
	switch _, serr := os.Stat(idxPath); {
	case serr != nil:
		reason = "there is no index yet"
	case perr != nil:
		reason = "nothing records which store changes it holds"
	case pos.Database != st.Identity():
		reason = "it was built from another database"
	case pos.Seq > head:
		reason = fmt.Sprintf("it is ahead of the database (log position %d, the database's is %d: restored from an older backup?)", pos.Seq, head)
	}
	var ix *index.Index
	if reason == "" {
		ix, err = index.Open(idxPath, l.view())
		if errors.Is(err, index.ErrLocked) {
			return lockedError(l.Dir)
		}
		if err != nil {
			reason = "it cannot be opened: " + err.Error()
		}
	}
	if reason != "" {
		l.log.Warn("building the local index from the store", "path", idxPath, "reason", reason, "articles", st.Count())
		// The position is taken before the scan: changes committed while
		// it runs are applied again from the log, which is harmless.
		pos = logPos{Database: st.Identity(), Seq: head}
		if ix, err = l.rebuild(ctx, idxPath); err != nil {
			return err
		}
		if err := writePos(l.Dir, pos); err != nil {
			ix.Close()
			return err
		}
	}
	l.Index = ix
	l.follow.pos = pos
	if _, err := l.CatchUp(ctx); err != nil {
		return err
	}
	return l.fillGaps(ctx)
}

// CatchUp applies the shared store's article log to the local index up to its
// head, and returns how many entries it applied. With an embedded store there
// is nothing to follow.
func (l *Library) CatchUp(ctx context.Context) (int, error) {
	f := l.follow
	if f == nil {
		return 0, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for {
		entries, err := f.st.LogAfter(ctx, f.pos.Seq, logBatch)
		if err != nil || len(entries) == 0 {
			return n, err
		}
		todo := entries[:0:0]
		for _, e := range entries {
			if f.indexed[e.Seq] {
				delete(f.indexed, e.Seq)
				continue
			}
			todo = append(todo, e)
		}
		if err := l.apply(ctx, todo); err != nil {
			return n, err
		}
		f.pos.Seq = entries[len(entries)-1].Seq
		if err := writePos(l.Dir, f.pos); err != nil {
			return n, err
		}
		n += len(entries)
	}
}

// apply brings the index in line with the store for the articles the entries
// name: the store's current article is indexed, a removed one deleted. Only
// the last entry of an article counts; a later change has its own entry.
func (l *Library) apply(ctx context.Context, entries []store.LogEntry) error {
	last := make(map[string]store.LogEntry, len(entries))
	for _, e := range entries {
		last[e.ID] = e
	}
	var puts []string
	for id, e := range last {
		if e.Deleted {
			gone := &news.Article{ID: id, Quotes: make([]quotes.Quote, e.Quotes)}
			if err := l.Index.DeleteArticle(gone); err != nil {
				return err
			}
			continue
		}
		puts = append(puts, id)
	}
	arts, err := l.Store.Articles(puts)
	if err != nil {
		return err
	}
	list := make([]*news.Article, 0, len(arts))
	for _, a := range arts {
		list = append(list, a)
	}
	return l.Index.IndexArticles(ctx, l.stripped(list))
}

// Follow keeps the local index current with a shared store until ctx ends:
// woken by the store when its log grows, and at least every second in case a
// wake-up is lost. Errors (the database restarting) are logged and retried.
func (l *Library) Follow(ctx context.Context) {
	f := l.follow
	if f == nil {
		return
	}
	failing := false
	for ctx.Err() == nil {
		if _, err := l.CatchUp(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			if !failing {
				l.log.Warn("cannot follow the store's article log; retrying", "err", err)
			}
			failing = true
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
			continue
		}
		if failing {
			l.log.Info("following the store's article log again")
			failing = false
		}
		f.st.WaitLog(ctx, time.Second)
	}
}

// resetFollow points the follower at head after a rebuild made from a scan
// that started there.
func (l *Library) resetFollow(head int64) error {
	f := l.follow
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pos = logPos{Database: f.st.Identity(), Seq: head}
	return writePos(l.Dir, f.pos)
}
