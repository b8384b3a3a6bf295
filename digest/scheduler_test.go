package digest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/ingest"
)

// clock is a controllable clock: Now stands still until Advance, and After
// fires only when Advance passes its time. Every After call is announced on
// sleeping, so a test knows when the scheduler has finished a round.
type clock struct {
	mu       sync.Mutex
	now      time.Time
	waiters  []waiter
	sleeping chan time.Duration
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

func newClock(t time.Time) *clock { return &clock{now: t, sleeping: make(chan time.Duration, 100)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	c.sleeping <- d
	return ch
}

// Advance moves the clock and fires the timers that are due; it reports
// whether any fired.
func (c *clock) Advance(d time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	fired := false
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			keep = append(keep, w)
			continue
		}
		w.ch <- c.now
		fired = true
	}
	c.waiters = keep
	return fired
}

// runner is a scheduler running its loop on the test clock.
type runner struct {
	t      *testing.T
	clk    *clock
	cancel context.CancelFunc
	done   chan struct{}
}

func run(t *testing.T, s *Scheduler, clk *clock) *runner {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &runner{t: t, clk: clk, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		_ = s.Run(ctx)
	}()
	r.waitSleep()
	t.Cleanup(r.stop)
	return r
}

// waitSleep waits until the loop sleeps again, its round done; it returns
// how long it means to sleep.
func (r *runner) waitSleep() time.Duration {
	r.t.Helper()
	select {
	case d := <-r.clk.sleeping:
		return d
	case <-time.After(10 * time.Second):
		r.t.Fatal("the scheduler did not go back to sleep")
		return 0
	}
}

// advance moves the clock by d and, if that woke the loop, waits for its round.
func (r *runner) advance(d time.Duration) {
	r.t.Helper()
	if r.clk.Advance(d) {
		r.waitSleep()
	}
}

// advanceTo moves the clock to t, stopping at every wake-up on the way, as a
// real clock would.
func (r *runner) advanceTo(t time.Time) {
	r.t.Helper()
	for {
		r.clk.mu.Lock()
		next := t
		for _, w := range r.clk.waiters {
			if w.at.Before(next) {
				next = w.at
			}
		}
		step := next.Sub(r.clk.now)
		r.clk.mu.Unlock()
		if step < 0 {
			return
		}
		r.advance(step)
		if !r.clk.Now().Before(t) {
			return
		}
	}
}

func (r *runner) stop() {
	r.cancel()
	<-r.done
}

// poster is a fake Discord: each body lists the ids of its stories (so a
// test sees which articles went out and in which message), and sends can be
// made to fail.
type poster struct {
	mu      sync.Mutex
	perPart int
	fail    func(n int) error // n counts sends from 1
	sends   int
	posts   []post
}

type post struct {
	Channel string
	Body    body
}

type body struct {
	Guild string    `json:"guild"`
	To    time.Time `json:"to"`
	Part  int       `json:"part"`
	IDs   []string  `json:"ids,omitempty"`
	Line  string    `json:"line,omitempty"`
}

func (p *poster) Render(d Digest) ([]json.RawMessage, error) {
	if d.Empty() {
		if !d.EmptyLine {
			return nil, nil
		}
		raw, _ := json.Marshal(body{Guild: d.Guild, To: d.To, Line: "nothing new"})
		return []json.RawMessage{raw}, nil
	}
	per := p.perPart
	if per == 0 {
		per = 10
	}
	var out []json.RawMessage
	all := ids(d)
	for i := 0; i < len(all); i += per {
		raw, _ := json.Marshal(body{Guild: d.Guild, To: d.To, Part: i / per, IDs: all[i:min(i+per, len(all))]})
		out = append(out, raw)
	}
	return out, nil
}

func (p *poster) Send(_ context.Context, channel string, raw json.RawMessage) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sends++
	if p.fail != nil {
		if err := p.fail(p.sends); err != nil {
			return "", err
		}
	}
	var b body
	if err := json.Unmarshal(raw, &b); err != nil {
		return "", err
	}
	p.posts = append(p.posts, post{channel, b})
	return fmt.Sprintf("m%d", p.sends), nil
}

func (p *poster) sendCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sends
}

func (p *poster) posted() []post {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]post(nil), p.posts...)
}

// postedIDs lists the article ids of every post, in order.
func (p *poster) postedIDs() []string {
	var out []string
	for _, ps := range p.posted() {
		out = append(out, ps.Body.IDs...)
	}
	return out
}

func newScheduler(t *testing.T, lib *ingest.Library, p Poster, clk *clock, cfg ...config.Digest) *Scheduler {
	t.Helper()
	s, err := New(Options{Library: lib, Poster: p, Config: cfg, Now: clk.Now, After: clk.After, Settle: -1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func daily(tz string) config.Digest {
	return config.Digest{GuildID: guild, ChannelID: chanA, Schedule: "0 8 * * *", Timezone: tz, Empty: EmptySkip}
}

func TestScheduleOnTime(t *testing.T) {
	lib := openLib(t, t.TempDir())
	defer lib.Close()
	// 08:00 in Berlin is 07:00 UTC in March.
	clk := newClock(day0.Add(6 * time.Hour))
	add(t, lib,
		article("a", guild, "Night train returns to the coast", day0.Add(5*time.Hour)),
		article("b", "", "Parliament passes the budget", day0.Add(5*time.Hour+30*time.Minute)),
	)
	p := &poster{}
	r := run(t, newScheduler(t, lib, p, clk, daily("Europe/Berlin")), clk)

	r.advanceTo(day0.Add(7*time.Hour - time.Second))
	if n := len(p.posted()); n != 0 {
		t.Fatalf("%d posts a second before 08:00 Berlin", n)
	}
	r.advanceTo(day0.Add(7 * time.Hour))
	got := p.posted()
	if len(got) != 1 || got[0].Channel != chanA || strings.Join(got[0].Body.IDs, " ") != "b a" {
		t.Fatalf("at 08:00 Berlin: %+v, want one post of b and a in %s", got, chanA)
	}
	if !got[0].Body.To.Equal(day0.Add(7 * time.Hour)) {
		t.Errorf("window ends %v, want the slot", got[0].Body.To)
	}

	// The next day's digest holds what came in since, and nothing before.
	add(t, lib, article("c", guild, "Harbour festival draws crowds", day0.Add(12*time.Hour)))
	r.advanceTo(day0.Add(31*time.Hour - time.Minute))
	if n := len(p.posted()); n != 1 {
		t.Fatalf("%d posts before the second slot", n)
	}
	r.advanceTo(day0.Add(31 * time.Hour))
	if got := p.postedIDs(); strings.Join(got, " ") != "b a c" {
		t.Errorf("posted %v, want b a, then c", got)
	}
	w, _, _ := LoadWatermark(lib.Store, guild+"/"+chanA)
	if !w.Through.Equal(day0.Add(31*time.Hour)) || w.Pending != nil || len(w.Messages) != 1 || w.Articles != 1 {
		t.Errorf("watermark %+v", w)
	}
}

func TestCatchUpOnceAfterDowntime(t *testing.T) {
	dir := t.TempDir()
	lib := openLib(t, dir)
	clk := newClock(day0.Add(6 * time.Hour))
	add(t, lib, article("a", guild, "Night train returns to the coast", day0.Add(5*time.Hour)))
	p := &poster{}
	s := newScheduler(t, lib, p, clk, daily("UTC"))
	s.RunDue(context.Background()) // starts the digest at 06:00
	clk.Advance(2 * time.Hour)     // the 08:00 slot
	s.RunDue(context.Background())
	if got := p.postedIDs(); strings.Join(got, " ") != "a" {
		t.Fatalf("first digest: %v", got)
	}
	lib.Close()

	// Down for three days and a half: three slots pass unseen.
	clk.Advance(3*24*time.Hour + 12*time.Hour)
	lib = openLib(t, dir)
	defer lib.Close()
	add(t, lib,
		article("b", guild, "Storm closes the harbour", day0.Add(30*time.Hour)),
		article("c", guild, "Museum opens a new wing", day0.Add(60*time.Hour)),
		article("d", guild, "Library extends its hours", day0.Add(80*time.Hour)),
	)
	s = newScheduler(t, lib, p, clk, daily("UTC"))
	next := s.RunDue(context.Background())
	got := p.posted()
	if len(got) != 2 {
		t.Fatalf("%d posts after coming back, want one catch-up digest", len(got)-1)
	}
	if strings.Join(got[1].Body.IDs, " ") != "d c b" {
		t.Errorf("catch-up holds %v, want everything since the last digest", got[1].Body.IDs)
	}
	if want := day0.Add(4*24*time.Hour + 8*time.Hour); !next.Equal(want) {
		t.Errorf("next digest at %v, want the next slot %v", next, want)
	}
	// Running again at once posts nothing more.
	s.RunDue(context.Background())
	if n := len(p.posted()); n != 2 {
		t.Errorf("%d posts, want 2", n)
	}
}

func TestRestartAfterPostingPostsNothingTwice(t *testing.T) {
	dir := t.TempDir()
	lib := openLib(t, dir)
	clk := newClock(day0.Add(7 * time.Hour))
	add(t, lib, article("a", guild, "Night train returns to the coast", day0.Add(5*time.Hour)))
	p := &poster{}
	newScheduler(t, lib, p, clk, daily("UTC")).RunDue(context.Background())
	clk.Advance(time.Hour)
	newScheduler(t, lib, p, clk, daily("UTC")).RunDue(context.Background())
	if n := len(p.posted()); n != 1 {
		t.Fatalf("%d posts at the slot, want 1", n)
	}
	// Restart right after posting: close the store, open it again.
	for _, after := range []time.Duration{0, time.Second, 10 * time.Hour} {
		lib.Close()
		clk.Advance(after)
		lib = openLib(t, dir)
		newScheduler(t, lib, p, clk, daily("UTC")).RunDue(context.Background())
		if n := len(p.posted()); n != 1 {
			t.Errorf("restart %v after posting: %d posts, want 1", after, n)
		}
	}
	lib.Close()
}

func TestRestartInTheMiddleOfADigest(t *testing.T) {
	dir := t.TempDir()
	lib := openLib(t, dir)
	clk := newClock(day0.Add(7 * time.Hour))
	for i := range 5 {
		add(t, lib, article(fmt.Sprintf("a%d", i), guild, fmt.Sprintf("Story %c of the day", 'A'+i), day0.Add(time.Duration(i)*time.Minute)))
	}
	// Three messages of two stories; the second is refused.
	p := &poster{perPart: 2, fail: func(n int) error {
		if n == 2 {
			return errors.New("502 Bad Gateway")
		}
		return nil
	}}
	s := newScheduler(t, lib, p, clk, daily("UTC"))
	s.RunDue(context.Background())
	clk.Advance(time.Hour)
	s.RunDue(context.Background())
	if got := p.posted(); len(got) != 1 || got[0].Body.Part != 0 {
		t.Fatalf("before the restart: %+v, want part 0 only", got)
	}
	w, _, _ := LoadWatermark(lib.Store, guild+"/"+chanA)
	if w.Pending == nil || len(w.Pending.Sent) != 1 || !w.Through.Before(day0) {
		t.Fatalf("watermark after a partial post: %+v", w)
	}
	lib.Close()

	// New articles came in meanwhile; the interrupted digest is finished
	// over its own window, then they come at the next slot.
	clk.Advance(time.Minute)
	lib = openLib(t, dir)
	defer lib.Close()
	add(t, lib, article("late", guild, "Late news of the evening", clk.Now().Add(-time.Second)))
	s = newScheduler(t, lib, p, clk, daily("UTC"))
	s.RunDue(context.Background())
	got := p.posted()
	if len(got) != 3 || got[1].Body.Part != 1 || got[2].Body.Part != 2 {
		t.Fatalf("after the restart: %+v, want parts 1 and 2", got)
	}
	for _, ps := range got[1:] {
		if !ps.Body.To.Equal(got[0].Body.To) {
			t.Errorf("resumed part ends its window at %v, the digest at %v", ps.Body.To, got[0].Body.To)
		}
	}
	if ids := p.postedIDs(); strings.Join(ids, " ") != "a4 a3 a2 a1 a0" {
		t.Errorf("posted %v: every story once", ids)
	}
	w, _, _ = LoadWatermark(lib.Store, guild+"/"+chanA)
	if w.Pending != nil || len(w.Messages) != 3 {
		t.Errorf("watermark after finishing: %+v", w)
	}
	clk.Advance(24 * time.Hour)
	s.RunDue(context.Background())
	if ids := p.postedIDs(); ids[len(ids)-1] != "late" || len(ids) != 6 {
		t.Errorf("next slot posted %v, want the late article alone", ids)
	}
}

// syncBuffer is a log sink the scheduler's goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestFailedPostIsRetriedWithBackoff(t *testing.T) {
	lib := openLib(t, t.TempDir())
	defer lib.Close()
	clk := newClock(day0.Add(7 * time.Hour))
	add(t, lib, article("a", guild, "Night train returns to the coast", day0.Add(5*time.Hour)))
	p := &poster{fail: func(n int) error {
		if n <= 2 {
			return fmt.Errorf("HTTP 502 Bad Gateway (try %d)", n)
		}
		return nil
	}}
	var logs syncBuffer
	s, err := New(Options{
		Library: lib, Poster: p, Config: []config.Digest{daily("UTC")}, Settle: -1,
		Now: clk.Now, After: clk.After, Log: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, s, clk)
	r.advanceTo(day0.Add(8 * time.Hour))
	key := guild + "/" + chanA
	if w, _, _ := LoadWatermark(lib.Store, key); !w.Through.Before(day0) {
		t.Errorf("the watermark moved though Discord refused the post: %+v", w)
	}
	if got := strings.Count(logs.String(), "digest failed; retrying"); got != 1 {
		t.Fatalf("%d failures logged at the slot, want 1:\n%s", got, logs.String())
	}
	// 30 s later, the second try fails too; 60 s after that, the third
	// goes through.
	r.advance(30*time.Second - time.Millisecond)
	if n := p.sendCount(); n != 1 {
		t.Errorf("retried before the backoff: %d sends", n)
	}
	r.advanceTo(day0.Add(8*time.Hour + 30*time.Second))
	r.advanceTo(day0.Add(8*time.Hour + 90*time.Second - time.Millisecond))
	if n := p.sendCount(); n != 2 {
		t.Errorf("%d sends after 90 s less a moment, want 2", n)
	}
	r.advanceTo(day0.Add(8*time.Hour + 90*time.Second))
	if got := p.postedIDs(); strings.Join(got, " ") != "a" {
		t.Fatalf("posted %v after the retries", got)
	}
	log := logs.String()
	for _, want := range []string{"attempt=1", "retry_in=30s", "attempt=2", "retry_in=1m0s", "try 2", "digest posted"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if w, _, _ := LoadWatermark(lib.Store, key); !w.Through.Equal(day0.Add(8*time.Hour+90*time.Second)) || w.Pending != nil {
		t.Errorf("watermark after the successful retry: %+v", w)
	}
}

func TestEmptyWindow(t *testing.T) {
	for _, mode := range []string{EmptySkip, EmptyLine} {
		t.Run(mode, func(t *testing.T) {
			lib := openLib(t, t.TempDir())
			defer lib.Close()
			clk := newClock(day0.Add(7 * time.Hour))
			cfg := daily("UTC")
			cfg.Empty = mode
			// An article of another guild is not news here.
			add(t, lib, article("x", other, "Another server's news", day0.Add(5*time.Hour)))
			p := &poster{}
			s := newScheduler(t, lib, p, clk, cfg)
			s.RunDue(context.Background())
			clk.Advance(time.Hour)
			s.RunDue(context.Background())
			got := p.posted()
			switch mode {
			case EmptySkip:
				if len(got) != 0 {
					t.Errorf("posted %+v for an empty window", got)
				}
			case EmptyLine:
				if len(got) != 1 || got[0].Body.Line == "" {
					t.Errorf("posted %+v, want one line", got)
				}
			}
			// Either way the window is done with.
			w, _, _ := LoadWatermark(lib.Store, guild+"/"+chanA)
			if !w.Through.Equal(day0.Add(8*time.Hour)) || !w.Slot.Equal(day0.Add(8*time.Hour)) {
				t.Errorf("watermark %+v", w)
			}
		})
	}
}

func TestPostNow(t *testing.T) {
	lib := openLib(t, t.TempDir())
	defer lib.Close()
	clk := newClock(day0.Add(7 * time.Hour))
	add(t, lib, article("a", guild, "Night train returns to the coast", day0.Add(5*time.Hour)))
	p := &poster{}
	s := newScheduler(t, lib, p, clk, daily("UTC"))
	if outs := s.PostNow(context.Background(), other); len(outs) != 0 {
		t.Errorf("a guild without digests: %+v", outs)
	}
	outs := s.PostNow(context.Background(), guild)
	if len(outs) != 1 || outs[0].Err != nil || outs[0].Articles != 1 || len(outs[0].Messages) != 1 {
		t.Fatalf("PostNow: %+v", outs)
	}
	// The 08:00 digest holds only what came in after.
	add(t, lib, article("b", guild, "Storm closes the harbour", day0.Add(7*time.Hour+time.Minute)))
	clk.Advance(time.Hour)
	s.RunDue(context.Background())
	if got := p.postedIDs(); strings.Join(got, " ") != "a b" {
		t.Errorf("posted %v, want a (now), then b (at 08:00)", got)
	}
	// Nothing new: nothing posted.
	outs = s.PostNow(context.Background(), guild)
	if len(outs) != 1 || len(outs[0].Messages) != 0 || !outs[0].Empty {
		t.Errorf("PostNow with nothing new: %+v", outs)
	}
}

// A /digest now that Discord refused is retried before the slot, and the
// slot still comes at its time.
func TestFailedPostNowIsRetriedWithoutSkippingTheSlot(t *testing.T) {
	lib := openLib(t, t.TempDir())
	defer lib.Close()
	clk := newClock(day0.Add(6 * time.Hour))
	add(t, lib, article("a", guild, "Night train returns to the coast", day0.Add(5*time.Hour)))
	p := &poster{fail: func(n int) error {
		if n == 1 {
			return errors.New("HTTP 503 Service Unavailable")
		}
		return nil
	}}
	s := newScheduler(t, lib, p, clk, daily("UTC"))
	if outs := s.PostNow(context.Background(), guild); len(outs) != 1 || outs[0].Err == nil {
		t.Fatalf("PostNow: %+v", outs)
	}
	if next := s.RunDue(context.Background()); !next.Equal(day0.Add(6*time.Hour + 30*time.Second)) {
		t.Errorf("retry due at %v, want after 30 s", next)
	}
	clk.Advance(30 * time.Second)
	if next := s.RunDue(context.Background()); !next.Equal(day0.Add(8 * time.Hour)) {
		t.Errorf("after the retry, next at %v, want the 08:00 slot", next)
	}
	add(t, lib, article("b", guild, "Storm closes the harbour", day0.Add(7*time.Hour)))
	clk.Advance(2 * time.Hour)
	s.RunDue(context.Background())
	if got := p.postedIDs(); strings.Join(got, " ") != "a b" {
		t.Errorf("posted %v, want a (the retry), then b (at 08:00)", got)
	}
}

func TestSchedulesFromConfigAndGuilds(t *testing.T) {
	lib := openLib(t, t.TempDir())
	defer lib.Close()
	g2, g3, g4 := "100000000000000003", "100000000000000004", "100000000000000005"
	cfg := []config.Digest{
		daily("UTC"),
		{GuildID: g2, ChannelID: "200000000000000002", Schedule: "@daily", Timezone: "UTC", Empty: EmptySkip},
		{GuildID: g3, ChannelID: "200000000000000003", Schedule: "@hourly", Timezone: "UTC", Empty: EmptySkip},
	}
	for _, s := range []Settings{
		{Guild: g2, Channel: "300000000000000002", Schedule: "@every 6h", Timezone: "Asia/Tokyo"},
		{Guild: g3, Off: true},
		{Guild: g4, Channel: "300000000000000004", Schedule: "0 99 * * *"}, // saved by some older rule
	} {
		if err := SaveSettings(lib.Store, s); err != nil {
			t.Fatal(err)
		}
	}
	list, err := Schedules(lib.Store, cfg)
	if err == nil || !strings.Contains(err.Error(), g4) {
		t.Errorf("the unusable stored schedule is not reported: %v", err)
	}
	var got []string
	for _, s := range list {
		got = append(got, fmt.Sprintf("%s %s %v", s.Key(), s.Spec, s.FromConfig))
	}
	want := []string{
		guild + "/" + chanA + " 0 8 * * * true",
		g2 + "/300000000000000002 @every 6h false", // the guild's own replaces the file's
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("schedules:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestNewScheduleRefuses(t *testing.T) {
	tests := []struct{ spec, tz, empty, want string }{
		{"every morning", "UTC", "", "five fields"},
		{"0 25 * * *", "UTC", "", "above maximum"},
		{"@every 10s", "UTC", "", "below the minimum"},
		{"0 0 31 4 *", "UTC", "", "never fires"},
		{"", "UTC", "", "empty"},
		{"TZ=Europe/Berlin 0 8 * * *", "UTC", "", "timezone"},
		{"@daily", "Mars/Olympus_Mons", "", "unknown time zone"},
		{"@daily", "Local", "", "depends on the host"},
		{"@daily", "UTC", "sometimes", "empty must be"},
	}
	for _, tt := range tests {
		_, err := NewSchedule(guild, chanA, tt.spec, tt.tz, tt.empty)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewSchedule(%q, %q, %q) = %v, want an error saying %q", tt.spec, tt.tz, tt.empty, err, tt.want)
		}
	}
	for _, spec := range []string{"@daily", "@hourly", "@every 6h", "0 8 * * 1-5", "30 7 * * mon"} {
		s, err := NewSchedule(guild, chanA, spec, "Europe/Berlin", "")
		if err != nil {
			t.Errorf("NewSchedule(%q): %v", spec, err)
			continue
		}
		if s.Empty != EmptySkip || s.Location().String() != "Europe/Berlin" {
			t.Errorf("%q: empty %q, zone %v", spec, s.Empty, s.Location())
		}
	}
}

func TestFirstWindowAndLastSlot(t *testing.T) {
	s, _ := NewSchedule(guild, chanA, "0 8 * * *", "UTC", "")
	now := day0.Add(10 * time.Hour)
	w := firstWatermark(s, now)
	if !w.Through.Equal(day0.Add(8*time.Hour)) || !w.Slot.Equal(now) {
		t.Errorf("first watermark of a daily digest at 10:00: %+v, want a window from 08:00", w)
	}
	if got := lastSlot(s, now, now.Add(72*time.Hour)); !got.Equal(day0.Add(3*24*time.Hour + 8*time.Hour)) {
		t.Errorf("last slot = %v", got)
	}
	// Set on a Friday at 10:00, a weekday digest starts with Friday's news,
	// not Sunday's.
	weekdays, _ := NewSchedule(guild, chanA, "0 8 * * 1-5", "UTC", "")
	friday := day0.Add(4*24*time.Hour + 10*time.Hour)
	if w := firstWatermark(weekdays, friday); !w.Through.Equal(friday.Add(-2 * time.Hour)) {
		t.Errorf("weekday digest set on Friday 10:00: first window from %v", w.Through)
	}
	monthly, _ := NewSchedule(guild, chanA, "0 8 1 * *", "UTC", "")
	if w := firstWatermark(monthly, now); !w.Through.Equal(time.Date(2030, 3, 1, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("monthly digest: first window from %v, want the 1st", w.Through)
	}
	if got := lastSlot(s, now, now.Add(time.Hour)); !got.Equal(now) {
		t.Errorf("no slot since: lastSlot = %v, want its start", got)
	}
	every, _ := NewSchedule(guild, chanA, "@every 6h", "UTC", "")
	if w := firstWatermark(every, now); !w.Through.Equal(now) {
		t.Errorf("@every: first window from %v, want now (it starts its periods now)", w.Through)
	}
}
