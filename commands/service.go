package commands

import (
	"context"
	"errors"
	"fmt"
	"github.com/newsbot/newsbot/store"
	"strconv"
	"strings"
	"time"

	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/ingest/feeds"
	"github.com/newsbot/newsbot/news"
)

// Service runs the commands over one data folder.
type Service struct {
	Lib *ingest.Library
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Fetch turns a link into articles (the safe fetcher); nil when links
	// cannot be fetched.
	Fetch func(ctx context.Context, url string, def news.Defaults) ([]news.Item, error)

	// Feeds is the feed poller, nil when feeds are off.
	Feeds *feeds.Poller

	pages   pageStore
	sources sourceCache
}

// New makes a Service over an open library.
func New(lib *ingest.Library) *Service {
	return &Service{Lib: lib, Now: time.Now}
}

// ParseSince reads a start date given as an age ("7d", "12h", "2w") or a date
// ("2024-11-01", RFC 3339).
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if n := len(s); n >= 2 {
		if v, err := strconv.Atoi(s[:n-1]); err == nil && v >= 0 {
			switch s[n-1] {
			case 'd':
				return now.AddDate(0, 0, -v), nil
			case 'w':
				return now.AddDate(0, 0, -7*v), nil
			case 'm':
				return now.AddDate(0, -v, 0), nil
			case 'y':
				return now.AddDate(-v, 0, 0), nil
			}
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	if t, ok := news.ParseDate(s); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date or an age (try 7d, 24h or 2024-11-01)", s)
}

// ErrUser marks errors caused by the request, shown to the member as they are.
var ErrUser = errors.New("bad request")

func userErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUser, fmt.Sprintf(format, args...))
}

// UserMessage is the text a member sees for an error from a handler.
func UserMessage(err error) string {
	if errors.Is(err, ErrUser) {
		return strings.TrimPrefix(err.Error(), ErrUser.Error()+": ")
	}
	if errors.Is(err, store.ErrUnavailable) {
		return "newsbot cannot reach its article database right now; nothing was changed. Try again in a minute."
	}
	return "Something went wrong on our side; the moderators can find it in the logs."
}
