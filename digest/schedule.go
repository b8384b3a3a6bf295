package digest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/store"
)

// What a digest does when nothing is new (the config file's values).
const (
	EmptySkip = config.EmptySkip
	EmptyLine = config.EmptyLine
)

// Store buckets. The keys are a contract with existing data folders.
const (
	bucketSettings   = "digest_settings"   // guild id -> Settings
	bucketWatermarks = "digest_watermarks" // guild/channel -> Watermark
)

// Schedule is one digest as the scheduler runs it: a guild's news, posted to
// a channel at the times of a cron schedule.
type Schedule struct {
	Guild    string
	Channel  string
	Spec     string // cron expression or descriptor: "0 8 * * *", "@daily", "@every 6h"
	Timezone string
	Empty    string // EmptySkip or EmptyLine
	// FromConfig is set for the config file's digests, unset for those a
	// guild's moderators set with /digest set.
	FromConfig bool

	cron cron.Schedule
	loc  *time.Location
}

// Key names the digest in the store: a guild posts one digest per channel.
func (s Schedule) Key() string { return s.Guild + "/" + s.Channel }

// Next is the first time after t the digest is due.
func (s Schedule) Next(t time.Time) time.Time { return s.cron.Next(t) }

// Location is the time zone of the schedule and of the dates in the digest.
func (s Schedule) Location() *time.Location { return s.loc }

// NewSchedule checks a digest's settings and readies its schedule. The errors
// say what is wrong in words a moderator can act on.
func NewSchedule(guild, channel, spec, timezone, empty string) (Schedule, error) {
	spec = strings.TrimSpace(spec)
	if timezone = strings.TrimSpace(timezone); timezone == "" {
		timezone = "UTC"
	}
	if empty == "" {
		empty = EmptySkip
	}
	if empty != EmptySkip && empty != EmptyLine {
		return Schedule{}, fmt.Errorf("empty must be %q (post nothing) or %q (post one line), not %q", EmptySkip, EmptyLine, empty)
	}
	loc, err := loadZone(timezone)
	if err != nil {
		return Schedule{}, err
	}
	if spec == "" {
		return Schedule{}, errors.New(`the schedule is empty: give a cron expression such as "0 8 * * *" or @daily, @every 6h`)
	}
	// The config package owns the schedule syntax (and its minimum
	// interval), so the file and /digest set accept the same schedules.
	c, err := config.Digest{Schedule: spec, Timezone: timezone}.CronSchedule()
	if err != nil {
		return Schedule{}, err
	}
	return Schedule{Guild: guild, Channel: channel, Spec: spec, Timezone: timezone, Empty: empty, cron: c, loc: loc}, nil
}

// loadZone loads an IANA time zone. "Local" is refused: it would make the
// schedule depend on the host, which moderators cannot see.
func loadZone(name string) (*time.Location, error) {
	if strings.EqualFold(name, "local") {
		return nil, errors.New(`time zone "Local" depends on the host; use an IANA name such as "Europe/Berlin" or "UTC"`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		if len(name) > 64 {
			name = name[:64] + "…"
		}
		return nil, fmt.Errorf("unknown time zone %q: want an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"", name)
	}
	return loc, nil
}

// Settings are a guild's digest as its moderators set it (/digest set, /digest
// off). A guild's settings replace the config file's digests for that guild,
// so that moderators, not the file, have the last word in their server.
type Settings struct {
	Guild    string `json:"guild_id"`
	Channel  string `json:"channel_id,omitempty"`
	Schedule string `json:"schedule,omitempty"`
	Timezone string `json:"timezone,omitempty"`
	Empty    string `json:"empty,omitempty"`
	// Off records /digest off: no digest in the guild, the file's included.
	Off bool      `json:"off,omitempty"`
	By  string    `json:"by,omitempty"` // the moderator's user id
	At  time.Time `json:"at"`
}

// LoadSettings reads a guild's settings; ok is false when it has none.
func LoadSettings(st store.Backend, guild string) (s Settings, ok bool, err error) {
	err = st.GetJSON(bucketSettings, guild, &s)
	if errors.Is(err, store.ErrNotFound) {
		return Settings{}, false, nil
	}
	if err != nil {
		return Settings{}, false, fmt.Errorf("digest: read the settings of guild %s: %w", guild, err)
	}
	return s, true, nil
}

// SaveSettings writes a guild's settings.
func SaveSettings(st store.Backend, s Settings) error {
	if s.Guild == "" {
		return errors.New("digest: settings without a guild")
	}
	if err := st.PutJSON(bucketSettings, s.Guild, s); err != nil {
		return fmt.Errorf("digest: save the settings of guild %s: %w", s.Guild, err)
	}
	return nil
}

// Schedules merges the config file's digests with the guilds' own settings
// into the digests to run, ordered by guild and channel. Entries that cannot
// run (a stored schedule a newer rule refuses) are left out and reported in
// err next to the digests that can, in a list that is never nil; a nil list
// means the store could not be read.
func Schedules(st store.Backend, cfg []config.Digest) ([]Schedule, error) {
	var problems []error
	guilds := map[string]Settings{}
	err := st.ListJSON(bucketSettings, "", func(k string, raw []byte) error {
		var s Settings
		if err := json.Unmarshal(raw, &s); err != nil {
			problems = append(problems, fmt.Errorf("digest: settings of guild %s are unreadable: %w", k, err))
			return nil
		}
		s.Guild = k
		guilds[k] = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("digest: read the guilds' settings: %w", err)
	}
	out := []Schedule{}
	seen := map[string]bool{}
	for i, c := range cfg {
		if _, own := guilds[c.GuildID]; own {
			continue
		}
		s, err := NewSchedule(c.GuildID, c.ChannelID, c.Schedule, c.Timezone, c.Empty)
		if err != nil {
			problems = append(problems, fmt.Errorf("digest: digests[%d]: %w", i, err))
			continue
		}
		if seen[s.Key()] {
			continue // the same channel twice would post twice
		}
		seen[s.Key()] = true
		s.FromConfig = true
		out = append(out, s)
	}
	for g, set := range guilds {
		if set.Off || set.Channel == "" {
			continue
		}
		s, err := NewSchedule(g, set.Channel, set.Schedule, set.Timezone, set.Empty)
		if err != nil {
			problems = append(problems, fmt.Errorf("digest: guild %s: %w", g, err))
			continue
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out, errors.Join(problems...)
}

// Watermark is where a digest stands, kept in the store so that a restart
// neither loses nor repeats a digest.
type Watermark struct {
	// Through is the end of the last window handled: the next digest holds
	// the articles ingested from here on. It moves only once Discord has
	// accepted the whole digest (or the window was empty).
	Through time.Time `json:"through"`
	// Slot is the last scheduled time handled; the next is the schedule's
	// first time after it. A catch-up handles every missed slot at once.
	Slot     time.Time `json:"slot"`
	PostedAt time.Time `json:"posted_at,omitzero"`
	// Messages and Articles describe the last digest posted.
	Messages []string `json:"messages,omitempty"`
	Articles int      `json:"articles,omitempty"`
	// Pending is a digest being posted. A retry or a restart posts the rest
	// of the same window rather than starting over, so the parts Discord
	// already accepted are not posted again.
	Pending *Pending `json:"pending,omitempty"`
}

// Pending is a digest started but not yet wholly accepted by Discord.
type Pending struct {
	To   time.Time `json:"to"`
	Slot time.Time `json:"slot"`
	// Sent are the ids of the messages Discord accepted, in order.
	Sent []string `json:"sent,omitempty"`
}

// LoadWatermark reads a digest's watermark; ok is false when it has none yet.
func LoadWatermark(st store.Backend, key string) (w Watermark, ok bool, err error) {
	err = st.GetJSON(bucketWatermarks, key, &w)
	if errors.Is(err, store.ErrNotFound) {
		return Watermark{}, false, nil
	}
	if err != nil {
		return Watermark{}, false, fmt.Errorf("digest: read the watermark of %s: %w", key, err)
	}
	return w, true, nil
}

func saveWatermark(st store.Backend, key string, w Watermark) error {
	if err := st.PutJSON(bucketWatermarks, key, w); err != nil {
		return fmt.Errorf("digest: save the watermark of %s: %w", key, err)
	}
	return nil
}

// ForgetWatermark drops a digest's watermark, so that it starts afresh (a
// digest set again after it was off must not catch up on the months between).
func ForgetWatermark(st store.Backend, key string) error {
	if err := st.DeleteJSON(bucketWatermarks, key); err != nil {
		return fmt.Errorf("digest: forget the watermark of %s: %w", key, err)
	}
	return nil
}

// firstWatermark starts a digest that has never run: its slots count from
// now, and its first window reaches back to the schedule's previous slot, as
// if a digest had been posted then (a daily digest set at 10:00 starts with
// the news since 08:00). A digest "@every" so long has no previous slot: its
// periods start now.
func firstWatermark(s Schedule, now time.Time) Watermark {
	from := now
	if _, every := s.cron.(cron.ConstantDelaySchedule); !every {
		// Look back a day first, then further for weekly, monthly and
		// yearly schedules, without stepping minute by minute over a year.
		for _, back := range []time.Duration{24 * time.Hour, 8 * 24 * time.Hour, 32 * 24 * time.Hour, 367 * 24 * time.Hour} {
			if first := s.Next(now.Add(-back)); !first.IsZero() && !first.After(now) {
				from = lastSlot(s, now.Add(-back), now)
				break
			}
		}
	}
	return Watermark{Through: from, Slot: now}
}

// lastSlot is the latest slot after after and at or before now: the one slot
// a catch-up stands for, however many were missed. It is after itself when no
// slot has come since.
func lastSlot(s Schedule, after, now time.Time) time.Time {
	slot := s.Next(after)
	if slot.IsZero() || slot.After(now) {
		return after
	}
	// Bounded, so a year-long outage of an every-minute digest cannot spin.
	for range 1_000_000 {
		n := s.Next(slot)
		if n.IsZero() || n.After(now) {
			break
		}
		slot = n
	}
	return slot
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
