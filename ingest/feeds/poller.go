// Package feeds follows RSS, Atom and JSON Feed subscriptions: it polls them
// politely (conditional requests, backoff, Retry-After), turns new and changed
// items into articles without duplicates across feeds, and announces what is new.
package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest/fetch"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/store"
)

// Sink is where the poller puts articles: the library (store and index).
// ingest.Library provides one with FeedSink.
type Sink interface {
	// AddArticles stores and indexes the articles whose id is not stored
	// yet and returns those.
	AddArticles(ctx context.Context, arts []*news.Article) (added []*news.Article, err error)
	// UpdateArticle replaces a stored article (same id) and re-indexes it.
	UpdateArticle(ctx context.Context, a *news.Article) error
}

// AnnounceFunc posts new articles to a channel. The bot sets it.
type AnnounceFunc func(ctx context.Context, channelID string, arts []*news.Article) error

// Options configure a Poller. Store, Sink and Fetcher are required.
type Options struct {
	Store   store.Backend
	Sink    Sink
	Fetcher *fetch.Fetcher
	// Feeds are the feeds of the configuration file.
	Feeds []config.Feed
	Log   *slog.Logger
	// Announce, when set, is called with each poll's new articles for each
	// of the feed's channels.
	Announce AnnounceFunc
	// OnPoll, when set, is called after every feed poll of Run.
	OnPoll func(Result)

	// Now, After and Jitter are the clock and the randomness; tests replace
	// them. After is time.After; Jitter returns a random duration in [0, d).
	Now    func() time.Time
	After  func(d time.Duration) <-chan time.Time
	Jitter func(d time.Duration) time.Duration
}

// Poller polls feeds and keeps their state in the store. Its methods are safe
// for concurrent use; polls themselves run one at a time.
type Poller struct {
	store   store.Backend
	sink    Sink
	fetcher *fetch.Fetcher
	log     *slog.Logger
	onPoll  func(Result)
	now     func() time.Time
	after   func(time.Duration) <-chan time.Time
	jitter  func(time.Duration) time.Duration

	mu       sync.Mutex // guards feeds, order, config and announce
	feeds    map[string]*State
	order    []string
	config   []config.Feed
	announce AnnounceFunc

	// pollMu lets one poll run at a time, so the dedupe index and the
	// library see one writer.
	pollMu sync.Mutex
	wake   chan struct{}
}

// load reads the feeds' state from the store and applies the configured
// feeds over it. New does it; Run does it again when it starts, because with
// a shared store another process may have polled the feeds (or added and
// removed some) while this one was not the poller.
func (p *Poller) load(cfg []config.Feed) error {
	stored := map[string]*State{}
	var storedKeys []string
	err := p.store.ListJSON(bucket, "", func(k string, raw []byte) error {
		st := new(State)
		if err := json.Unmarshal(raw, st); err != nil {
			// Keep the record (it is not overwritten unless the feed is
			// configured again) and go on with the other feeds.
			p.log.Warn("unreadable feed state; the feed starts afresh", "key", k, "err", err)
			return nil
		}
		stored[k] = st
		storedKeys = append(storedKeys, k)
		return nil
	})
	if err != nil {
		return fmt.Errorf("feeds: reading feed state: %w", err)
	}

	feeds := map[string]*State{}
	var order []string
	for i, c := range cfg {
		f, err := FromConfig(c).normalize()
		if err != nil {
			return fmt.Errorf("feeds[%d]: %w", i, err)
		}
		k := key(f.Guild, f.URL)
		if st, ok := feeds[k]; ok {
			st.merge(f)
			continue
		}
		st := stored[k]
		if st == nil {
			st = &State{}
		}
		st.Channels = nil // the file decides a config feed's channels
		st.apply(f)
		st.FromConfig = true
		feeds[k] = st
		order = append(order, k)
	}
	slices.Sort(storedKeys)
	for _, k := range storedKeys {
		st := stored[k]
		if _, ok := feeds[k]; ok || !st.Added {
			continue // configured (done above), or a config feed no longer in the file
		}
		st.FromConfig = false
		feeds[k] = st
		order = append(order, k)
	}

	p.mu.Lock()
	p.feeds, p.order, p.config = feeds, order, cfg
	p.mu.Unlock()
	return nil
}

// ItemError is an item that could not become an article.
type ItemError struct {
	Ref string
	Err error
}

func (e ItemError) Error() string { return fmt.Sprintf("%s: %v", e.Ref, e.Err) }

// Result is what one poll of one feed did.
type Result struct {
	URL   string
	Guild string
	Title string
	// New items became articles; Updated items changed and updated theirs;
	// Unchanged were known; Duplicates are articles another feed or an
	// ingest already brought; Failed items could not be read (see Items).
	New, Updated, Unchanged, Duplicates, Failed int
	// NotModified is set when the server answered 304.
	NotModified bool
	// Err is why the feed could not be polled.
	Err error
	// Skipped, when set, says why the feed was not polled (paused, or the
	// server asked us to wait).
	Skipped  string
	Items    []ItemError
	Warnings []string
	// Added are the new articles.
	Added []*news.Article
	// Announced counts the articles announced (per channel).
	Announced   int
	AnnounceErr error
	// Next is when the feed is polled next.
	Next time.Time
}

// New makes a Poller with the configured feeds and those added earlier,
// restoring their state from the store.
func New(opt Options) (*Poller, error) {
	if opt.Store == nil || opt.Sink == nil || opt.Fetcher == nil {
		return nil, errors.New("feeds: New needs a store, a sink and a fetcher")
	}
	p := &Poller{
		store: opt.Store, sink: opt.Sink, fetcher: opt.Fetcher, log: opt.Log, onPoll: opt.OnPoll,
		now: opt.Now, after: opt.After, jitter: opt.Jitter, announce: opt.Announce,
		feeds: map[string]*State{}, wake: make(chan struct{}, 1),
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.after == nil {
		p.after = time.After
	}
	if p.jitter == nil {
		p.jitter = func(d time.Duration) time.Duration {
			if d <= 0 {
				return 0
			}
			return rand.N(d)
		}
	}

	if err := p.load(opt.Feeds); err != nil {
		return nil, err
	}
	// Feeds that are due (or were never polled) are polled as soon as Run
	// starts: one after another, so a restart does not hit them all at
	// once, and the jitter of each next poll spreads them from then on.
	return p, nil
}

// SetAnnounce sets the announcement callback, for a bot that connects after
// the poller is made.
func (p *Poller) SetAnnounce(fn AnnounceFunc) {
	p.mu.Lock()
	p.announce = fn
	p.mu.Unlock()
}

// AddFeed follows a feed, or adds a channel to one the guild follows. A feed
// of the configuration file cannot be changed this way.
func (p *Poller) AddFeed(ctx context.Context, f Feed) error {
	f, err := f.normalize()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	k := key(f.Guild, f.URL)
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.feeds[k]; ok {
		if st.FromConfig {
			return fmt.Errorf("%w: %s is in the configuration file", ErrExists, f.URL)
		}
		if f.Channel == "" || slices.Contains(st.Channels, f.Channel) {
			return fmt.Errorf("%w: %s", ErrExists, f.URL)
		}
		st.Channels = append(st.Channels, f.Channel)
		return p.save(k, st)
	}
	st := &State{Added: true, NextPoll: p.now()}
	st.apply(f)
	if err := p.save(k, st); err != nil {
		return err
	}
	p.feeds[k] = st
	p.order = append(p.order, k)
	p.poke()
	return nil
}

// RemoveFeed stops following a feed and forgets its state. Its articles
// stay.
func (p *Poller) RemoveFeed(guild, rawURL string) error {
	k := key(guild, rawURL)
	p.mu.Lock()
	defer p.mu.Unlock()
	st, ok := p.feeds[k]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoFeed, rawURL)
	}
	if st.FromConfig {
		return fmt.Errorf("feeds: %s is in the configuration file; remove it there", rawURL)
	}
	if err := p.store.DeleteJSON(bucket, k); err != nil {
		return fmt.Errorf("feeds: removing %s: %w", rawURL, err)
	}
	delete(p.feeds, k)
	p.order = slices.DeleteFunc(p.order, func(o string) bool { return o == k })
	return nil
}

// Resume polls a paused feed again, from a clean failure count.
func (p *Poller) Resume(guild, rawURL string) error {
	k := key(guild, rawURL)
	p.mu.Lock()
	defer p.mu.Unlock()
	st, ok := p.feeds[k]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoFeed, rawURL)
	}
	st.Paused, st.PausedAt, st.Failures, st.RetryAt = "", time.Time{}, 0, time.Time{}
	st.NextPoll = p.now()
	if err := p.save(k, st); err != nil {
		return err
	}
	p.poke()
	return nil
}

// ListFeeds returns the feeds a guild sees: its own and the global ones.
// The empty guild lists every feed. Seen is left out (SeenCount says how
// many items are remembered).
func (p *Poller) ListFeeds(guild string) []State {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []State
	for _, k := range p.order {
		st := p.feeds[k]
		if guild != "" && st.Guild != guild && st.Guild != "" {
			continue
		}
		c := st.clone()
		c.SeenCount, c.Seen = len(c.Seen), nil
		out = append(out, c)
	}
	return out
}

// save writes a feed's state; the caller holds p.mu.
func (p *Poller) save(k string, st *State) error {
	if err := p.store.PutJSON(bucket, k, st); err != nil {
		return fmt.Errorf("feeds: saving the state of %s: %w", st.URL, err)
	}
	return nil
}

// poke wakes Run to look at the schedule again.
func (p *Poller) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// PollOnce polls every feed now, whatever its schedule, except paused feeds
// and those whose server asked us to wait. The error is for the poller
// failing (the store, a cancelled context); a feed's failure is in its
// Result.
func (p *Poller) PollOnce(ctx context.Context) ([]Result, error) {
	p.pollMu.Lock()
	defer p.pollMu.Unlock()
	p.mu.Lock()
	keys := slices.Clone(p.order)
	p.mu.Unlock()
	idx := p.buildIndex()
	var results []Result
	var errs []error
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		res, err := p.pollKey(ctx, k, idx)
		if err != nil {
			errs = append(errs, err)
		}
		if res.URL != "" {
			results = append(results, res)
		}
	}
	return results, errors.Join(errs...)
}

// Run polls each feed when it is due until ctx is done, then returns nil.
// Failures are logged and reported through OnPoll; they do not stop it.
func (p *Poller) Run(ctx context.Context) error {
	const idle = time.Hour // with no feed to wait for, look again now and then
	p.pollMu.Lock()
	p.mu.Lock()
	cfg := p.config
	p.mu.Unlock()
	if err := p.load(cfg); err != nil {
		p.log.Warn("cannot read the feed state again; going on with what this process knows", "err", err)
	}
	p.pollMu.Unlock()
	for {
		if ctx.Err() != nil {
			return nil
		}
		now := p.now()
		due, next := p.schedule(now)
		if len(due) > 0 {
			p.pollDue(ctx, due)
			continue
		}
		wait := idle
		if !next.IsZero() {
			wait = max(next.Sub(now), 0)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-p.wake:
		case <-p.after(wait):
		}
	}
}

func (p *Poller) pollDue(ctx context.Context, due []string) {
	p.pollMu.Lock()
	defer p.pollMu.Unlock()
	idx := p.buildIndex()
	for _, k := range due {
		if ctx.Err() != nil {
			return
		}
		res, err := p.pollKey(ctx, k, idx)
		if err != nil {
			p.log.Error("feed poll", "url", res.URL, "err", err)
		}
		if res.URL == "" || res.Skipped != "" {
			continue
		}
		switch {
		case errors.Is(res.Err, context.Canceled):
		case res.Err != nil:
			p.log.Warn("feed failed", "url", res.URL, "guild", res.Guild, "err", res.Err, "next", res.Next)
		default:
			p.log.Info("feed polled", "url", res.URL, "guild", res.Guild, "new", res.New, "updated", res.Updated,
				"unchanged", res.Unchanged+res.Duplicates, "failed", res.Failed, "announced", res.Announced)
		}
		for _, w := range res.Warnings {
			p.log.Warn("feed item", "url", res.URL, "warning", w)
		}
		for _, it := range res.Items {
			p.log.Warn("feed item failed", "url", res.URL, "item", it.Ref, "err", it.Err)
		}
		if p.onPoll != nil {
			p.onPoll(res)
		}
	}
}

// schedule lists the feeds due at now, and when the next one is due.
func (p *Poller) schedule(now time.Time) (due []string, next time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, k := range p.order {
		st := p.feeds[k]
		if st.Paused != "" {
			continue
		}
		at := st.NextPoll
		if st.RetryAt.After(at) {
			at = st.RetryAt
		}
		if !at.After(now) {
			due = append(due, k)
		} else if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	return due, next
}

// pollKey polls one feed and stores its new state. The error is the
// poller's own (saving the state); the feed's are in the Result.
func (p *Poller) pollKey(ctx context.Context, k string, idx *dedupe) (Result, error) {
	p.mu.Lock()
	cur, ok := p.feeds[k]
	if !ok {
		p.mu.Unlock()
		return Result{}, nil // removed meanwhile
	}
	now := p.now()
	res := Result{URL: cur.URL, Guild: cur.Guild, Title: cur.Title, Next: cur.NextPoll}
	switch {
	case cur.Paused != "":
		res.Skipped = "paused: " + cur.Paused
	case cur.RetryAt.After(now):
		res.Skipped = fmt.Sprintf("the server asked us to wait until %s", cur.RetryAt.UTC().Format(time.RFC3339))
	}
	if res.Skipped != "" {
		p.mu.Unlock()
		return res, nil
	}
	st := cur.clone()
	p.mu.Unlock()

	res = p.poll(ctx, &st, idx, now)
	if res.Err != nil && ctx.Err() != nil {
		// Shutting down is not the feed's failure: keep the state as it
		// was. (A poll that got as far as storing its articles is saved
		// below, so its items are not taken for new ones next time.)
		return res, nil
	}

	p.mu.Lock()
	cur, ok = p.feeds[k]
	if !ok {
		p.mu.Unlock()
		return res, nil
	}
	// Copy only what the poll decides: AddFeed may have changed the
	// channels meanwhile.
	cur.Title, cur.ETag, cur.LastModified = st.Title, st.ETag, st.LastModified
	cur.Failures, cur.LastError, cur.Paused, cur.PausedAt = st.Failures, st.LastError, st.Paused, st.PausedAt
	cur.LastPoll, cur.LastSuccess, cur.NextPoll, cur.RetryAt = st.LastPoll, st.LastSuccess, st.NextPoll, st.RetryAt
	cur.Seen = st.Seen
	channels, limit, announce := slices.Clone(cur.Channels), cur.AnnounceMax, p.announce
	err := p.save(k, cur)
	p.mu.Unlock()
	res.Next = st.NextPoll
	if err != nil {
		// Not announced: the state that would stop a second announcement
		// is not stored.
		return res, err
	}
	// Announce after the state is stored: a crash in between loses an
	// announcement rather than repeating one.
	res.Announced, res.AnnounceErr = announceNew(ctx, announce, channels, limit, res.Added)
	if res.AnnounceErr != nil {
		p.log.Warn("announcing new articles", "url", res.URL, "err", res.AnnounceErr)
	}
	return res, nil
}

// poll fetches a feed and takes its items, updating st.
func (p *Poller) poll(ctx context.Context, st *State, idx *dedupe, now time.Time) Result {
	res := Result{URL: st.URL, Guild: st.Guild, Title: st.Title}
	st.LastPoll = now
	resp, err := p.fetcher.Do(ctx, fetch.Request{URL: st.URL, Accept: fetch.FeedTypes, ETag: st.ETag, LastModified: st.LastModified})
	var feed *gofeed.Feed
	if err == nil && !resp.NotModified {
		feed, err = parseResponse(resp)
	}
	if err != nil {
		if ctx.Err() == nil {
			p.fail(st, err, now)
		}
		res.Err = err
		return res
	}
	if resp.NotModified {
		res.NotModified = true
		p.succeed(st, now)
		return res
	}
	if t := oneLine(textOf(feed.Title)); t != "" {
		st.Title, res.Title = t, t
	}
	complete, err := p.take(ctx, st, feed, resp.URL, idx, &res)
	if err != nil {
		// The library failed, not the feed: try again at the usual time,
		// with the validators and items as they were, so nothing is missed.
		res.Err = err
		st.NextPoll = now.Add(st.Every + p.jitter(st.Every/10))
		return res
	}
	p.succeed(st, now)
	if complete {
		st.ETag, st.LastModified = resp.ETag, resp.LastModified
	} else {
		// Items were left for the next poll: it must get the whole document
		// again, not a 304, and soon.
		st.ETag, st.LastModified = "", ""
		st.NextPoll = now.Add(MinEvery + p.jitter(MinEvery/10))
	}
	return res
}

// parseResponse parses a fetched feed, with a clear word for the usual
// mistake of giving a site's page instead of its feed.
func parseResponse(resp *fetch.Response) (*gofeed.Feed, error) {
	if !IsFeed(resp.ContentType, resp.Body) {
		if resp.Format() == news.FormatHTML {
			msg := fmt.Sprintf("served an HTML page (%s), not a feed", resp.ContentType)
			if links := feedLinks(resp.Body, resp.URL); len(links) > 0 {
				msg += "; the page names its feed: " + links[0]
			}
			return nil, fmt.Errorf("feeds: %s: %s", resp.URL, msg)
		}
		return nil, fmt.Errorf("feeds: %s: not RSS, Atom or JSON Feed (%s)", resp.URL, resp.ContentType)
	}
	feed, err := parseFeed(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("feeds: %s: %w", resp.URL, err)
	}
	return feed, nil
}

var errDeferred = errors.New("left for the next poll")

// take turns a document's items into new and updated articles. complete is
// false when some items were left for the next poll.
func (p *Poller) take(ctx context.Context, st *State, feed *gofeed.Feed, base string, idx *dedupe, res *Result) (complete bool, err error) {
	def := news.Defaults{Guild: st.Guild}
	if n := len(feed.Items); n > MaxItems {
		// Feeds list the newest first; the tail of a huge feed is archive.
		res.Warnings = append(res.Warnings, fmt.Sprintf("the feed has %d items; only the first %d are read", n, MaxItems))
		feed.Items = feed.Items[:MaxItems]
	}
	ents := entries(feed, st.URL, base)
	known := make(map[string]Seen, len(st.Seen))
	for _, s := range st.Seen {
		known[s.Key] = s
	}
	current := make([]Seen, 0, len(ents))
	inDoc := map[string]bool{}
	var adds, updates []*news.Article
	budget := MaxFullText
	complete = true
	for i := range ents {
		e := &ents[i]
		if err := ctx.Err(); err != nil {
			return false, err
		}
		s := Seen{Key: shortHash(e.Key), Hash: e.Hash, FP: e.FP}
		if e.URL != "" {
			s.URL = shortHash(e.URL)
		}
		if inDoc[s.Key] {
			res.Unchanged++ // the same item twice in one document
			continue
		}
		inDoc[s.Key] = true
		if e.Warning != "" {
			res.Warnings = append(res.Warnings, e.Ref+": "+e.Warning)
		}
		prev, seen := known[s.Key]
		if seen && prev.FP == s.FP {
			res.Unchanged++
			current = append(current, prev)
			continue
		}
		if !seen {
			if id := idx.find(st.Guild, s.URL, s.Hash); id != "" {
				// Another feed (or this one under another GUID) brought it.
				res.Duplicates++
				s.ID = id
				current = append(current, s)
				continue
			}
		}
		art, err := p.build(ctx, e, st.FullText, def, &budget, res)
		if errors.Is(err, errDeferred) {
			complete = false
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			res.Failed++
			res.Items = append(res.Items, ItemError{Ref: e.Ref, Err: err})
			// Remembered without an id: reported once, tried again when
			// the item changes.
			current = append(current, s)
			continue
		}
		pageURL := ""
		if c := news.CanonicalURL(art.URL); c != "" && c != e.URL {
			pageURL = shortHash(c)
		}
		switch {
		case seen && prev.ID != "":
			art.ID = prev.ID
			updates = append(updates, art)
		case pageURL != "" && idx.find(st.Guild, pageURL, "") != "":
			// The page's canonical address names an article we have.
			res.Duplicates++
			art.ID = idx.find(st.Guild, pageURL, "")
		default:
			adds = append(adds, art)
		}
		s.ID = art.ID
		current = append(current, s)
		idx.add(st.Guild, s.URL, s.Hash, s.ID)
		idx.add(st.Guild, pageURL, "", s.ID)
	}

	if len(adds) > 0 {
		added, err := p.sink.AddArticles(ctx, adds)
		if err != nil {
			return false, fmt.Errorf("feeds: %s: storing %d articles: %w", st.URL, len(adds), err)
		}
		res.New += len(added)
		res.Duplicates += len(adds) - len(added)
		res.Added = added
	}
	for _, a := range updates {
		if err := p.sink.UpdateArticle(ctx, a); err != nil {
			return false, fmt.Errorf("feeds: %s: updating article %s: %w", st.URL, a.ID, err)
		}
		res.Updated++
	}
	st.remember(current)
	return complete, nil
}

// build makes an item's article: from the feed's text, or, for a teaser of a
// full_text feed, from the page it links to.
func (p *Poller) build(ctx context.Context, e *entry, fullText bool, def news.Defaults, budget *int, res *Result) (*news.Article, error) {
	base, baseErr := e.article(def)
	if !fullText || !e.Teaser || e.Link == "" {
		return base, baseErr
	}
	if *budget <= 0 {
		return nil, errDeferred
	}
	*budget--
	var page *news.Article
	items, err := p.fetcher.Article(ctx, e.Link, def)
	for _, it := range items {
		if it.Article != nil {
			page = it.Article
			break
		}
		if err == nil {
			err = it.Err
		}
	}
	if page == nil && err == nil {
		err = news.ErrEmpty
	}
	if page == nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if baseErr != nil {
			return nil, fmt.Errorf("no text in the feed, and its page gave none: %w", err)
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: full text not fetched, the feed's summary is kept: %v", e.Ref, err))
		return base, nil
	}
	if base != nil && len(page.Body()) < len(base.Body()) {
		return base, nil // the extraction found less than the feed gave
	}
	if e.Title != "" {
		page.Title = e.Title
	}
	if !e.Published.IsZero() {
		page.Published = e.Published
	}
	if page.Author == "" {
		page.Author = e.Author
	}
	if e.Source != "" && (page.Source == "" || page.Source == news.SiteName(page.URL)) {
		// The page named no site (news fell back to its host name): the
		// feed's title names the publication better.
		page.Source = e.Source
	}
	page.ID = ""
	page.ComputeID()
	return page, nil
}

func (p *Poller) succeed(st *State, now time.Time) {
	st.Failures, st.LastError, st.RetryAt = 0, "", time.Time{}
	st.LastSuccess = now
	st.NextPoll = now.Add(st.Every + p.jitter(st.Every/10))
}

// fail counts a failed poll and backs off: the interval doubles with each
// failure in a row, a Retry-After is honoured, and MaxFailures pause the feed.
func (p *Poller) fail(st *State, err error, now time.Time) {
	st.Failures++
	st.LastError = err.Error()
	delay := backoff(st.Every, st.Failures)
	var ra *fetch.RetryAfterError
	if errors.As(err, &ra) && ra.Delay > 0 {
		hold := min(ra.Delay, maxHold)
		st.RetryAt = now.Add(hold)
		delay = max(delay, hold)
	}
	st.NextPoll = now.Add(delay + p.jitter(delay/10))
	if st.Failures >= MaxFailures {
		st.Paused = fmt.Sprintf("%d failed polls in a row; last error: %s", st.Failures, st.LastError)
		st.PausedAt = now
	}
}

func backoff(every time.Duration, failures int) time.Duration {
	d := max(every, MinEvery)
	for i := 1; i < failures && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// announceNew posts the newest of a poll's new articles, at most limit,
// oldest first so the channel reads in order.
func announceNew(ctx context.Context, fn AnnounceFunc, channels []string, limit int, added []*news.Article) (int, error) {
	if fn == nil || len(channels) == 0 || len(added) == 0 || limit <= 0 {
		return 0, nil
	}
	arts := slices.Clone(added)
	slices.SortStableFunc(arts, func(a, b *news.Article) int { return b.Published.Compare(a.Published) })
	arts = arts[:min(len(arts), limit)]
	slices.Reverse(arts)
	var errs []error
	for _, ch := range channels {
		if err := fn(ctx, ch, arts); err != nil {
			errs = append(errs, fmt.Errorf("channel %s: %w", ch, err))
		}
	}
	return len(arts), errors.Join(errs...)
}

// dedupe finds an article by the hash of its canonical link or of its text,
// across every feed of a guild (scope).
type dedupe struct {
	byURL, byHash map[string]string
}

// buildIndex gathers the items every feed remembers.
func (p *Poller) buildIndex() *dedupe {
	d := &dedupe{byURL: map[string]string{}, byHash: map[string]string{}}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, st := range p.feeds {
		for _, s := range st.Seen {
			d.add(st.Guild, s.URL, s.Hash, s.ID)
		}
	}
	return d
}

func (d *dedupe) add(guild, urlHash, textHash, id string) {
	if id == "" {
		return
	}
	if urlHash != "" {
		d.byURL[guild+" "+urlHash] = id
	}
	if textHash != "" {
		d.byHash[guild+" "+textHash] = id
	}
}

func (d *dedupe) find(guild, urlHash, textHash string) string {
	if urlHash != "" {
		if id := d.byURL[guild+" "+urlHash]; id != "" {
			return id
		}
	}
	if textHash != "" {
		return d.byHash[guild+" "+textHash]
	}
	return ""
}
