package ingest

import (
	"context"
	"errors"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest/feeds"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
	"github.com/newsbot/newsbot/store"
)

// IngestURL fetches a page or a feed and ingests what it holds: a page
// becomes an article, a feed (by its content type, or RSS, Atom or JSON Feed
// found in the bytes) has its items become articles. The fetcher refuses
// non-public addresses unless fetch.allow_hosts lists them; the error then
// names the address and why.
func (l *Library) IngestURL(ctx context.Context, f *fetch.Fetcher, rawURL string, def news.Defaults) (Report, error) {
	resp, err := f.Get(ctx, rawURL)
	if err != nil {
		return Report{}, err
	}
	var items []news.Item
	if feeds.IsFeed(resp.ContentType, resp.Body) {
		def.URL = resp.URL // relative item links resolve against the feed's address
		items, _ = feeds.ParseFile(resp.URL, resp.Body, def)
	} else {
		if items, err = resp.Items(def); err != nil {
			return Report{}, err
		}
	}
	return l.IngestItems(ctx, items)
}

// IngestFeedFile ingests a local RSS, Atom or JSON Feed document. isFeed is
// false (and nothing is done) when the data is not a feed, so the caller can
// ingest it as an ordinary file instead.
func (l *Library) IngestFeedFile(ctx context.Context, name string, data []byte, def news.Defaults) (rep Report, isFeed bool, err error) {
	items, ok := feeds.ParseFile(name, data, def)
	if !ok {
		return Report{}, false, nil
	}
	rep, err = l.IngestItems(ctx, items)
	return rep, true, err
}

// NewPoller makes a feed poller that stores into this library. opt's Store,
// Sink, Fetcher and Feeds are set from the arguments.
func (l *Library) NewPoller(f *fetch.Fetcher, cfgFeeds []config.Feed, opt feeds.Options) (*feeds.Poller, error) {
	opt.Store, opt.Sink, opt.Fetcher, opt.Feeds = l.Store, l.FeedSink(), f, cfgFeeds
	if opt.Log == nil {
		opt.Log = l.log
	}
	return feeds.New(opt)
}

// FeedSink is the library as the feed poller's destination.
func (l *Library) FeedSink() feeds.Sink { return feedSink{l} }

type feedSink struct{ l *Library }

func (s feedSink) AddArticles(ctx context.Context, arts []*news.Article) ([]*news.Article, error) {
	res, err := s.l.Add(ctx, arts)
	return res.Added, err
}

func (s feedSink) UpdateArticle(ctx context.Context, a *news.Article) error {
	return s.l.UpdateArticle(ctx, a)
}

// UpdateArticle replaces a stored article with a new version of it (an
// edited feed item), keeping when it was first ingested, and re-indexes it.
// An article that is not stored is added.
func (l *Library) UpdateArticle(ctx context.Context, a *news.Article) error {
	old, err := l.Store.Article(a.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		old = nil
	case err != nil:
		return err
	}
	if old != nil && a.Ingested.IsZero() {
		a.Ingested = old.Ingested
	}
	if a.Ingested.IsZero() {
		a.Ingested = time.Now().UTC()
	}
	// The text changed, so its quotes may have too.
	a.Quotes = quotes.Extract(a.Paragraphs)
	// Stored first, marked pending: if indexing fails or we crash, the next
	// Open indexes it.
	if err := l.Store.PutArticle(a); err != nil {
		return err
	}
	if old != nil {
		// Drop the old version's quote documents, which a shorter quote
		// list would otherwise leave behind.
		if err := l.Index.DeleteArticle(old); err != nil {
			return err
		}
	}
	if err := l.Index.IndexArticles(ctx, []*news.Article{l.Boiler.Strip(a)}); err != nil {
		return err
	}
	return l.Store.MarkIndexed([]string{a.ID})
}
