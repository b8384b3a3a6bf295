package news

import (
	"regexp"
	"strings"
	"time"
)

// dateLayouts are the forms a published date takes in the files and pages we read,
// tried in order. Layouts without a zone are read as UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
	time.RFC822Z,
	time.RFC822,
	"Monday, January 2, 2006",
	"Monday, 2 January 2006",
	"Monday January 2, 2006",
	"January 2, 2006",
	"Jan 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	"2006/01/02",
}

// ParseDate reads a date in any of the forms newsbot accepts (RFC 3339, a plain
// date, an RFC 1123 date, or an English dateline such as "Tuesday, November 19, 2024").
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

var datelineRE = regexp.MustCompile(`^(?i)(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?` +
	`(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2},?\s+\d{4}` +
	`|\d{1,2}\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{4}` +
	`|\d{4}-\d{2}-\d{2})$`)

// parseDateline reports whether a line is nothing but a date, as news sites and
// Wikinews put above or below a headline, and the date it gives.
func parseDateline(line string) (time.Time, bool) {
	line = strings.TrimSpace(strings.ReplaceAll(line, "\u00a0", " "))
	if len(line) > 40 || !datelineRE.MatchString(line) {
		return time.Time{}, false
	}
	line = strings.Replace(line, ",", ", ", 1)
	return ParseDate(normaliseDateline(line))
}

// normaliseDateline turns "Tuesday,November 19 2024" style lines into a layout
// ParseDate knows.
func normaliseDateline(s string) string {
	f := strings.Fields(strings.ReplaceAll(s, ",", " "))
	if len(f) == 4 { // weekday month day year
		f = f[1:]
	}
	if len(f) == 3 {
		if _, err := time.Parse("January", f[0]); err == nil || len(f[0]) > 2 && !isDigits(f[0]) {
			return f[0] + " " + f[1] + ", " + f[2]
		}
		return f[0] + " " + f[1] + " " + f[2]
	}
	return strings.Join(f, " ")
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
