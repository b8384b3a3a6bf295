package digest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
)

// Poster renders digests and sends them: the bot, on Discord. Rendering and
// sending are apart so the scheduler can record each message Discord
// accepted, and resume a digest after the last one.
type Poster interface {
	// Render turns a digest into the bodies of its messages, in order: none
	// for an empty digest that posts nothing. The same digest must render to
	// the same bodies.
	Render(d Digest) ([]json.RawMessage, error)
	// Send posts one body to a channel and returns the id of the message
	// once Discord accepted it.
	Send(ctx context.Context, channelID string, body json.RawMessage) (string, error)
}

// Options configure a Scheduler. Library and Poster are required.
type Options struct {
	Library *ingest.Library
	Poster  Poster
	// Config are the config file's digests; guilds' own settings come from
	// the store.
	Config []config.Digest
	Log    *slog.Logger
	// OnPosted, when set, is called after each digest Discord accepted
	// (the metrics count them).
	OnPosted func(Outcome)
	// MaxItems caps the articles of one digest; 0 means MaxItems.
	MaxItems int
	// Settle keeps the last moments out of a scheduled digest: an article is
	// stamped with its ingest time just before the index has it, and one
	// stamped inside a window but indexed after the digest read it would
	// never be in any digest. 0 means 30 s; a negative value, none.
	Settle time.Duration

	// Now, After and Backoff are the clock and the retry policy; tests
	// replace them. After is time.After; Backoff gives the wait before the
	// n-th retry (n from 1).
	Now     func() time.Time
	After   func(time.Duration) <-chan time.Time
	Backoff func(n int) time.Duration
}

// Scheduler posts each digest when its schedule says, once: it keeps a
// watermark per digest in the store and moves it only after Discord accepted
// the post, catches up once after downtime, and retries failed posts with
// backoff. Its methods are safe for concurrent use.
type Scheduler struct {
	lib      *ingest.Library
	poster   Poster
	cfg      []config.Digest
	log      *slog.Logger
	onPosted func(Outcome)
	maxItems int
	settle   time.Duration
	now      func() time.Time
	after    func(time.Duration) <-chan time.Time
	backoff  func(int) time.Duration

	// mu lets one digest be built and posted at a time (the schedule's and
	// /digest now's), and guards schedules and retries.
	mu        sync.Mutex
	schedules []Schedule
	retries   map[string]retry
	wake      chan struct{}
}

type retry struct {
	failures int
	at       time.Time
}

// maxSleep bounds one wait of Run: the wall clock can jump (a suspended host,
// a corrected clock) where a timer does not notice.
const maxSleep = 5 * time.Minute

// DefaultBackoff waits 30 s before the first retry and doubles up to an hour.
func DefaultBackoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// New makes a Scheduler and reads the digests to run.
func New(opt Options) (*Scheduler, error) {
	if opt.Library == nil || opt.Poster == nil {
		return nil, errors.New("digest: New needs a library and a poster")
	}
	s := &Scheduler{
		lib: opt.Library, poster: opt.Poster, cfg: opt.Config, log: opt.Log, onPosted: opt.OnPosted,
		maxItems: opt.MaxItems, settle: opt.Settle,
		now: opt.Now, after: opt.After, backoff: opt.Backoff,
		retries: map[string]retry{}, wake: make(chan struct{}, 1),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.settle == 0 {
		s.settle = 30 * time.Second
	}
	s.settle = max(s.settle, 0)
	if s.now == nil {
		s.now = time.Now
	}
	if s.after == nil {
		s.after = time.After
	}
	if s.backoff == nil {
		s.backoff = DefaultBackoff
	}
	if err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload reads the digests again (after /digest set or off) and wakes Run.
// Digests that cannot run are logged and left out.
func (s *Scheduler) Reload() error {
	if err := s.load(); err != nil {
		return err
	}
	s.poke()
	return nil
}

func (s *Scheduler) load() error {
	list, err := Schedules(s.lib.Store, s.cfg)
	if list == nil && err != nil {
		return err
	}
	if err != nil {
		s.log.Warn("some digests cannot run", "err", err)
	}
	s.mu.Lock()
	s.schedules = list
	s.mu.Unlock()
	return nil
}

func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Schedules lists the digests of a guild that run ("" for all).
func (s *Scheduler) Schedules(guild string) []Schedule {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Schedule
	for _, sc := range s.schedules {
		if guild == "" || sc.Guild == guild {
			out = append(out, sc)
		}
	}
	return out
}

// Run posts digests as they fall due until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	s.log.Info("digests scheduled", "count", len(s.Schedules("")))
	for {
		next := s.RunDue(ctx)
		wait := maxSleep
		if !next.IsZero() {
			wait = min(max(next.Sub(s.now()), time.Second), maxSleep)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.after(wait):
		case <-s.wake:
		}
	}
}

// RunDue posts every digest that is due (or due for a retry) and returns when
// one is due next; zero when there are no digests.
func (s *Scheduler) RunDue(ctx context.Context) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	for _, sc := range s.schedules {
		if ctx.Err() != nil {
			break
		}
		at := s.runOne(ctx, sc, s.now())
		if next.IsZero() || (!at.IsZero() && at.Before(next)) {
			next = at
		}
	}
	return next
}

// runOne posts one digest if it is due and returns when to look at it again.
func (s *Scheduler) runOne(ctx context.Context, sc Schedule, now time.Time) time.Time {
	w, err := s.watermark(sc, now)
	if err != nil {
		return s.failed(ctx, sc, now, err)
	}
	if due := sc.Next(w.Slot); w.Pending == nil && due.After(now) {
		return due
	}
	if r, ok := s.retries[sc.Key()]; ok && r.at.After(now) {
		return r.at
	}
	// However many slots passed while newsbot was down, one digest stands
	// for them all.
	out := s.post(ctx, sc, &w, lastSlot(sc, w.Slot, now), now.Add(-s.settle), now)
	if out.Err != nil {
		return s.failed(ctx, sc, now, out.Err)
	}
	delete(s.retries, sc.Key())
	s.logOutcome(out)
	return sc.Next(w.Slot)
}

// Outcome is what one digest run did.
type Outcome struct {
	Schedule Schedule
	From, To time.Time
	// Articles are the stories shown, Total those in the window.
	Articles, Total int
	// Messages are the ids of the messages posted; none for an empty
	// window that posts nothing.
	Messages []string
	Empty    bool
	Err      error
}

// PostNow posts the guild's digests now (/digest now): what came in since the
// last one, whatever the schedule says. A slot that is due is served by this
// post; the next slot comes at its time.
func (s *Scheduler) PostNow(ctx context.Context, guild string) []Outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	var outs []Outcome
	for _, sc := range s.schedules {
		if sc.Guild != guild {
			continue
		}
		now := s.now()
		w, err := s.watermark(sc, now)
		if err != nil {
			outs = append(outs, Outcome{Schedule: sc, Err: err})
			continue
		}
		out := s.post(ctx, sc, &w, lastSlot(sc, w.Slot, now), now, now)
		if out.Err != nil {
			s.failed(ctx, sc, now, out.Err)
			s.poke() // Run must see the retry time
		} else {
			delete(s.retries, sc.Key())
			s.logOutcome(out)
		}
		outs = append(outs, out)
	}
	return outs
}

// watermark reads a digest's watermark, starting one for a digest that never ran.
func (s *Scheduler) watermark(sc Schedule, now time.Time) (Watermark, error) {
	w, ok, err := LoadWatermark(s.lib.Store, sc.Key())
	if err != nil || ok {
		return w, err
	}
	w = firstWatermark(sc, now)
	return w, saveWatermark(s.lib.Store, sc.Key(), w)
}

// post builds the digest of [w.Through, to) and posts it, moving the
// watermark once Discord has accepted every message. A digest interrupted
// after some of its messages is finished first, over its own window.
func (s *Scheduler) post(ctx context.Context, sc Schedule, w *Watermark, slot, to, now time.Time) Outcome {
	key := sc.Key()
	if w.Pending != nil && len(w.Pending.Sent) == 0 {
		// Nothing of it reached the channel: build afresh over the longer
		// window, so a long outage still ends in one digest.
		w.Pending = nil
	}
	if w.Pending != nil {
		to, slot = w.Pending.To, w.Pending.Slot
	}
	// Windows never run backwards, whatever the settle time or the clock.
	to = maxTime(to, w.Through)
	out := Outcome{Schedule: sc, From: w.Through, To: to}
	d, err := Build(ctx, s.lib.Index, Query{
		Guild: sc.Guild, Channel: sc.Channel, From: w.Through, To: to,
		MaxItems: s.maxItems, Location: sc.Location(), EmptyLine: sc.Empty == EmptyLine,
	})
	if err != nil {
		out.Err = err
		return out
	}
	out.Articles, out.Total, out.Empty = len(d.Items), d.Total, d.Empty()
	bodies, err := s.poster.Render(d)
	if err != nil {
		out.Err = fmt.Errorf("digest: render for channel %s: %w", sc.Channel, err)
		return out
	}
	if len(bodies) > 0 {
		if w.Pending == nil {
			// Recorded before the first message goes out, so a crash in
			// the middle resumes this digest rather than repeating it.
			w.Pending = &Pending{To: to, Slot: slot}
			if err := saveWatermark(s.lib.Store, key, *w); err != nil {
				out.Err = err
				return out
			}
		}
		for i := len(w.Pending.Sent); i < len(bodies); i++ {
			id, err := s.poster.Send(ctx, sc.Channel, bodies[i])
			if err != nil {
				out.Messages = w.Pending.Sent
				out.Err = fmt.Errorf("digest: post message %d of %d in channel %s: %w", i+1, len(bodies), sc.Channel, err)
				return out
			}
			w.Pending.Sent = append(w.Pending.Sent, id)
			if err := saveWatermark(s.lib.Store, key, *w); err != nil {
				out.Err = err
				return out
			}
		}
		out.Messages = w.Pending.Sent
		w.PostedAt, w.Messages, w.Articles = now, out.Messages, len(d.Items)
	}
	w.Through, w.Slot, w.Pending = to, maxTime(w.Slot, slot), nil
	if err := saveWatermark(s.lib.Store, key, *w); err != nil {
		// Discord has the digest but the store does not know: the next
		// run would post this window again. Say so loudly.
		s.log.Error("digest posted but its watermark could not be saved; it may be posted again", "guild", sc.Guild, "channel", sc.Channel, "err", err)
		out.Err = err
	}
	return out
}

// failed records a failed run and returns when to retry it.
func (s *Scheduler) failed(ctx context.Context, sc Schedule, now time.Time, err error) time.Time {
	if ctx.Err() != nil {
		// Shutting down: not a failure to count. The watermark says where
		// the digest stands, and the next start goes on from there.
		s.log.Info("digest interrupted; it goes on at the next start", "guild", sc.Guild, "channel", sc.Channel, "err", err)
		return now
	}
	r := s.retries[sc.Key()]
	r.failures++
	wait := s.backoff(r.failures)
	r.at = now.Add(wait)
	s.retries[sc.Key()] = r
	level := slog.LevelWarn
	if r.failures >= 5 {
		level = slog.LevelError
	}
	s.log.Log(ctx, level, "digest failed; retrying", "guild", sc.Guild, "channel", sc.Channel,
		"attempt", r.failures, "retry_in", wait, "err", err)
	return r.at
}

func (s *Scheduler) logOutcome(out Outcome) {
	if len(out.Messages) == 0 {
		s.log.Info("digest: nothing new", "guild", out.Schedule.Guild, "channel", out.Schedule.Channel, "since", out.From)
		return
	}
	if s.onPosted != nil {
		s.onPosted(out)
	}
	s.log.Info("digest posted", "guild", out.Schedule.Guild, "channel", out.Schedule.Channel,
		"articles", out.Articles, "total", out.Total, "messages", len(out.Messages), "from", out.From, "to", out.To)
}

// Status is where a digest stands, for /digest show.
type Status struct {
	Schedule Schedule
	// Next is when it is due next; in the past when it is due now.
	Next time.Time
	// Watermark is its record; Started is false before its first run.
	Watermark Watermark
	Started   bool
	// Failures counts the failed tries since the last success; RetryAt is
	// when the next one is.
	Failures int
	RetryAt  time.Time
}

// Status tells where each of a guild's digests stands.
func (s *Scheduler) Status(guild string) ([]Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Status
	for _, sc := range s.schedules {
		if sc.Guild != guild {
			continue
		}
		st, err := StatusOf(s.lib, sc, s.now())
		if err != nil {
			return nil, err
		}
		if r, ok := s.retries[sc.Key()]; ok {
			st.Failures, st.RetryAt = r.failures, r.at
		}
		out = append(out, st)
	}
	return out, nil
}

// StatusOf tells where a digest stands from its watermark alone (where no
// scheduler runs, as on the command line).
func StatusOf(lib *ingest.Library, sc Schedule, now time.Time) (Status, error) {
	w, ok, err := LoadWatermark(lib.Store, sc.Key())
	if err != nil {
		return Status{}, err
	}
	st := Status{Schedule: sc, Watermark: w, Started: ok}
	if ok {
		st.Next = sc.Next(w.Slot)
	} else {
		st.Next = sc.Next(now)
	}
	return st, nil
}
