package feeds

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newsbot/newsbot/config"
	"github.com/newsbot/newsbot/news"
)

// Limits of the poller.
const (
	// DefaultEvery is the polling interval of a feed that names none.
	DefaultEvery = 15 * time.Minute
	// MinEvery is the shortest interval; shorter ones are raised to it.
	MinEvery = config.MinFeedInterval
	// DefaultAnnounceMax is how many new items one poll announces by default.
	DefaultAnnounceMax = 5
	// MaxFailures is how many failed polls in a row pause a feed.
	MaxFailures = 10
	// MaxSeen bounds the item identities remembered per feed. It is larger
	// than MaxItems so that every item of the current document is remembered.
	MaxSeen = 2000
	// MaxItems is how many items of one document are read; a feed of
	// thousands of items is an archive, and its oldest are left out.
	MaxItems = 1000
	// MaxFullText bounds the article pages fetched in one poll of one feed;
	// the rest wait for the next poll.
	MaxFullText = 20
	// maxBackoff and maxHold bound the wait after failures and the wait a
	// server may ask for with Retry-After.
	maxBackoff = 12 * time.Hour
	maxHold    = 24 * time.Hour
)

// bucket is the store bucket of feed state.
const bucket = "feeds"

// Feed is one subscription: a feed's address and what to do with its items.
type Feed struct {
	URL string
	// Guild owns the feed's articles; "" (config feeds only) means every
	// guild.
	Guild string
	// Channel, when set, is where new items are announced.
	Channel     string
	Every       time.Duration
	FullText    bool
	AnnounceMax int
}

// FromConfig turns a feeds[] entry of the configuration into a Feed.
func FromConfig(c config.Feed) Feed {
	return Feed{URL: c.URL, Guild: c.GuildID, Channel: c.Channel, Every: c.Every, FullText: c.FullText, AnnounceMax: c.AnnounceMax}
}

// normalize checks a Feed and fills its defaults.
func (f Feed) normalize() (Feed, error) {
	f.URL = strings.TrimSpace(f.URL)
	u, err := url.Parse(f.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return f, fmt.Errorf("feeds: %q is not an http or https URL", truncate(f.URL, 100))
	}
	switch {
	case f.Every == 0:
		f.Every = DefaultEvery
	case f.Every < MinEvery:
		f.Every = MinEvery
	}
	switch {
	case f.AnnounceMax <= 0:
		f.AnnounceMax = DefaultAnnounceMax
	case f.AnnounceMax > config.MaxAnnounce:
		f.AnnounceMax = config.MaxAnnounce
	}
	return f, nil
}

// key identifies a feed in the poller and the store: one guild follows one
// address once, whatever channels it announces in.
func key(guild, rawURL string) string {
	if guild == "" {
		guild = "*"
	}
	u := news.CanonicalURL(rawURL)
	if u == "" {
		u = strings.TrimSpace(rawURL)
	}
	return guild + " " + u
}

// State is a feed with everything the poller knows of it. It is kept in the
// store (bucket "feeds"), so a restart resumes where the poller stopped, and
// a failing feed keeps it.
type State struct {
	URL         string        `json:"url"`
	Guild       string        `json:"guild,omitempty"`
	Channels    []string      `json:"channels,omitempty"`
	Every       time.Duration `json:"every"`
	FullText    bool          `json:"full_text,omitempty"`
	AnnounceMax int           `json:"announce_max"`
	// FromConfig marks a feed of the configuration file, which moderators
	// cannot remove; the others were added with AddFeed.
	FromConfig bool `json:"from_config,omitempty"`
	Added      bool `json:"added,omitempty"`

	Title        string `json:"title,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Failures counts failed polls in a row; MaxFailures pause the feed.
	Failures  int    `json:"failures,omitempty"`
	LastError string `json:"last_error,omitempty"`
	// Paused, when set, says why the feed is no longer polled.
	Paused      string    `json:"paused,omitempty"`
	PausedAt    time.Time `json:"paused_at,omitzero"`
	LastPoll    time.Time `json:"last_poll,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	NextPoll    time.Time `json:"next_poll,omitzero"`
	// RetryAt is the time a server's Retry-After asked us to wait for.
	RetryAt time.Time `json:"retry_at,omitzero"`

	// Seen remembers the items of recent documents, newest first, at most
	// MaxSeen, so that a restart neither adds nor announces them again.
	Seen []Seen `json:"seen,omitempty"`
	// SeenCount is len(Seen); ListFeeds leaves Seen out and sets this.
	SeenCount int `json:"-"`
}

// Seen is one item a feed has carried. The keys are short hashes so that the
// state stays small.
type Seen struct {
	Key  string `json:"k"`           // hash of the item's identity in its feed (GUID, else link, else text)
	URL  string `json:"u,omitempty"` // hash of its canonical link
	Hash string `json:"h,omitempty"` // hash of its text
	ID   string `json:"id,omitempty"`
	FP   string `json:"fp"` // fingerprint of its content and dates
}

func (s *State) clone() State {
	c := *s
	c.Channels = slices.Clone(s.Channels)
	c.Seen = slices.Clone(s.Seen)
	return c
}

// apply sets a feed's definition on its state.
func (s *State) apply(f Feed) {
	s.URL, s.Guild, s.Every, s.FullText, s.AnnounceMax = f.URL, f.Guild, f.Every, f.FullText, f.AnnounceMax
	if f.Channel != "" && !slices.Contains(s.Channels, f.Channel) {
		s.Channels = append(s.Channels, f.Channel)
	}
}

// merge folds a second config entry for the same guild and address into the
// first: one poll serves both channels.
func (s *State) merge(f Feed) {
	if f.Channel != "" && !slices.Contains(s.Channels, f.Channel) {
		s.Channels = append(s.Channels, f.Channel)
	}
	s.Every = min(s.Every, f.Every)
	s.FullText = s.FullText || f.FullText
	s.AnnounceMax = max(s.AnnounceMax, f.AnnounceMax)
}

// remember puts the items of this document first in Seen, then the older
// ones it no longer carries, up to MaxSeen.
func (s *State) remember(current []Seen) {
	inDoc := make(map[string]bool, len(current))
	out := make([]Seen, 0, min(len(current)+len(s.Seen), MaxSeen))
	for _, c := range current {
		if !inDoc[c.Key] {
			inDoc[c.Key] = true
			out = append(out, c)
		}
	}
	for _, o := range s.Seen {
		if len(out) >= MaxSeen {
			break
		}
		if !inDoc[o.Key] {
			out = append(out, o)
		}
	}
	s.Seen = out[:min(len(out), MaxSeen)]
}

// ErrNoFeed is returned for a feed the poller does not follow.
var ErrNoFeed = errors.New("feeds: no such feed")

// ErrExists is returned by AddFeed for a feed already followed.
var ErrExists = errors.New("feeds: feed already followed")
