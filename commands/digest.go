package commands

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/digest"
	"github.com/newsbot/newsbot/internal/markdown"
)

// DigestRunner is the running digest scheduler as /digest sees it
// (*digest.Scheduler).
type DigestRunner interface {
	Schedules(guild string) []digest.Schedule
	Status(guild string) ([]digest.Status, error)
	PostNow(ctx context.Context, guild string) []digest.Outcome
	Reload() error
}

// digestRunners connects services to their scheduler. It sits beside
// Service rather than in it so that the digest feature lives in this file,
// as every command's does.
var digestRunners sync.Map // *Service -> DigestRunner

// SetDigests connects /digest to the scheduler that posts the digests: /digest
// now posts through it, and set and off make it read the settings again.
func (s *Service) SetDigests(r DigestRunner) { digestRunners.Store(s, r) }

func (s *Service) digestRunner() DigestRunner {
	r, _ := digestRunners.Load(s)
	dr, _ := r.(DigestRunner)
	return dr
}

func init() {
	register(Command{order: 75, Name: "digest", Description: "Scheduled digests of what is new (moderators)", Kind: SlashCommand, Moderator: true, Subcommands: []Command{
		{Name: "set", Description: "Post a digest of what is new in a channel, on a schedule", Options: []Option{
			{Name: "channel", Description: "Where to post it", Type: OptChannel, Required: true},
			{Name: "schedule", Description: "Cron (0 8 * * 1-5) or @daily, @hourly, @every 6h", Type: OptString, Required: true, MaxLength: 100},
			{Name: "timezone", Description: "IANA time zone of the schedule, e.g. Europe/Berlin (default UTC)", Type: OptString, Autocomplete: true, MaxLength: 64},
			{Name: "empty", Description: "When nothing is new: post nothing (default) or one line", Type: OptString, Choices: []Choice{
				{Name: "post nothing", Value: digest.EmptySkip}, {Name: "post one line", Value: digest.EmptyLine},
			}},
		}},
		{Name: "now", Description: "Post the digest now: what is new since the last one"},
		{Name: "off", Description: "Stop posting digests in this server"},
		{Name: "show", Description: "Show this server's digests"},
	}}, map[string]handlerFunc{
		"digest set":  (*Service).DigestSet,
		"digest now":  (*Service).DigestNow,
		"digest off":  (*Service).DigestOff,
		"digest show": (*Service).DigestShow,
	})
	registerAutocomplete("digest set/timezone", func(_ *Service, _ context.Context, _ Request, typed string) ([]Choice, error) {
		return suggestZones(typed), nil
	})
}

var snowflakeRE = regexp.MustCompile(`^[0-9]{15,21}$`)

// DigestSet sets (or changes) the guild's digest. It replaces the config
// file's digests for the guild.
func (s *Service) DigestSet(_ context.Context, req Request) (*Reply, error) {
	channel := req.String("channel")
	if !snowflakeRE.MatchString(channel) {
		return nil, userErr("Pick the channel to post the digest in.")
	}
	st := s.Lib.Store
	prev, had, err := digest.LoadSettings(st, req.Guild)
	if err != nil {
		return nil, err
	}
	tz, empty := req.String("timezone"), req.String("empty")
	if had && !prev.Off {
		// Changing the time keeps the zone and the empty-window choice.
		tz, empty = cmp.Or(tz, prev.Timezone), cmp.Or(empty, prev.Empty)
	}
	sc, err := digest.NewSchedule(req.Guild, channel, req.String("schedule"), tz, empty)
	if err != nil {
		return nil, userErr("%s", markdown.Escape(err.Error()))
	}
	before, err := s.digestSchedules(req.Guild)
	if err != nil {
		return nil, err
	}
	continues, replaced := false, false
	for _, b := range before {
		continues = continues || b.Channel == channel
		replaced = replaced || b.FromConfig
	}
	if !continues {
		// A channel that had no running digest starts afresh: a digest set
		// again after months off must not catch up on the months.
		if err := digest.ForgetWatermark(st, sc.Key()); err != nil {
			return nil, err
		}
	}
	now := s.Now()
	set := digest.Settings{Guild: req.Guild, Channel: channel, Schedule: sc.Spec, Timezone: sc.Timezone, Empty: sc.Empty, By: req.User, At: now.UTC()}
	if err := digest.SaveSettings(st, set); err != nil {
		return nil, err
	}
	if r := s.digestRunner(); r != nil {
		if err := r.Reload(); err != nil {
			return nil, err
		}
	}
	status, err := digest.StatusOf(s.Lib, sc, now)
	if err != nil {
		return nil, err
	}
	lines := []string{fmt.Sprintf("Digest set: <#%s>, `%s` (%s). Next: %s.", channel, sc.Spec, markdown.Escape(sc.Timezone), stamp(status.Next, "f"))}
	if sc.Empty == digest.EmptyLine {
		lines = append(lines, "When nothing is new, it posts one line.")
	}
	if replaced {
		lines = append(lines, "This replaces the config file's digests for this server.")
	}
	lines = append(lines, "newsbot needs *Send Messages* and *Embed Links* in that channel.")
	if s.digestRunner() == nil {
		lines = append(lines, "(Digests are posted by `newsbot serve`; it reads this setting when it starts.)")
	}
	return &Reply{Ephemeral: true, Text: strings.Join(lines, "\n"), Data: map[string]any{
		"guild_id": req.Guild, "channel_id": channel, "schedule": sc.Spec, "timezone": sc.Timezone, "empty": sc.Empty, "next": status.Next.UTC(),
	}}, nil
}

// DigestNow posts the guild's digests now.
func (s *Service) DigestNow(ctx context.Context, req Request) (*Reply, error) {
	r := s.digestRunner()
	if r == nil {
		return nil, userErr("Digests are posted by `newsbot serve`, and this newsbot is not running them.")
	}
	outs := r.PostNow(ctx, req.Guild)
	if len(outs) == 0 {
		return nil, userErr("No digest is set for this server: start one with `/digest set`.")
	}
	var lines []string
	posted := 0
	for _, o := range outs {
		ch := "<#" + o.Schedule.Channel + ">"
		switch {
		case o.Err != nil:
			lines = append(lines, fmt.Sprintf("Could not post in %s: %s. newsbot tries again shortly; the logs have the details.", ch, markdown.Escape(cutRunes(o.Err.Error(), 300))))
		case len(o.Messages) == 0:
			lines = append(lines, fmt.Sprintf("Nothing new for %s since %s: nothing posted.", ch, stamp(o.From, "f")))
		case o.Empty:
			lines = append(lines, fmt.Sprintf("Nothing new for %s since %s: posted that in one line.", ch, stamp(o.From, "f")))
		default:
			posted++
			line := fmt.Sprintf("Posted %s in %s (%s).", plural(o.Articles, "article"), ch, plural(len(o.Messages), "message"))
			if more := o.Total - o.Articles; more > 0 {
				line += fmt.Sprintf(" %d more were left out.", more)
			}
			lines = append(lines, line)
		}
	}
	return &Reply{Ephemeral: true, Text: strings.Join(lines, "\n"), Data: map[string]any{"posted": posted}}, nil
}

// DigestOff stops the guild's digests, the config file's included.
func (s *Service) DigestOff(_ context.Context, req Request) (*Reply, error) {
	before, err := s.digestSchedules(req.Guild)
	if err != nil {
		return nil, err
	}
	if len(before) == 0 {
		return &Reply{Ephemeral: true, Text: "No digest is posted in this server; nothing to stop.", Data: map[string]any{"off": true}}, nil
	}
	if err := digest.SaveSettings(s.Lib.Store, digest.Settings{Guild: req.Guild, Off: true, By: req.User, At: s.Now().UTC()}); err != nil {
		return nil, err
	}
	if r := s.digestRunner(); r != nil {
		if err := r.Reload(); err != nil {
			return nil, err
		}
	}
	var chans []string
	for _, b := range before {
		chans = append(chans, "<#"+b.Channel+">")
	}
	return &Reply{Ephemeral: true, Text: fmt.Sprintf("Digests are off in this server (they were posted in %s). `/digest set` starts them again.", strings.Join(chans, ", ")),
		Data: map[string]any{"off": true}}, nil
}

// DigestShow shows the guild's digests and where each stands.
func (s *Service) DigestShow(_ context.Context, req Request) (*Reply, error) {
	var statuses []digest.Status
	if r := s.digestRunner(); r != nil {
		var err error
		if statuses, err = r.Status(req.Guild); err != nil {
			return nil, err
		}
	} else {
		list, err := s.digestSchedules(req.Guild)
		if err != nil {
			return nil, err
		}
		for _, sc := range list {
			st, err := digest.StatusOf(s.Lib, sc, s.Now())
			if err != nil {
				return nil, err
			}
			statuses = append(statuses, st)
		}
	}
	if len(statuses) == 0 {
		set, had, err := digest.LoadSettings(s.Lib.Store, req.Guild)
		if err != nil {
			return nil, err
		}
		text := "No digest is set for this server. Moderators: `/digest set channel: schedule:`."
		if had && set.Off {
			text = fmt.Sprintf("Digests are off in this server (since %s). `/digest set` starts them again.", stamp(set.At, "f"))
		}
		return &Reply{Ephemeral: true, Text: text, Data: map[string]any{"digests": []any{}}}, nil
	}
	set, _, err := digest.LoadSettings(s.Lib.Store, req.Guild)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	var lines []string
	var data []map[string]any
	for _, st := range statuses {
		sc := st.Schedule
		line := fmt.Sprintf("• <#%s>: `%s` (%s)", sc.Channel, sc.Spec, markdown.Escape(sc.Timezone))
		if st.Next.After(now) {
			line += ", next " + stamp(st.Next, "f")
		} else {
			line += ", due now"
		}
		if w := st.Watermark; !w.PostedAt.IsZero() {
			line += fmt.Sprintf("; last posted %s (%s)", stamp(w.PostedAt, "R"), plural(w.Articles, "article"))
		}
		if sc.Empty == digest.EmptyLine {
			line += "; one line when nothing is new"
		}
		switch {
		case sc.FromConfig:
			line += "; from the config file"
		case set.By != "":
			line += fmt.Sprintf("; set by <@%s> %s", set.By, stamp(set.At, "R"))
		}
		if st.Failures > 0 {
			line += fmt.Sprintf("; the last %s failed, next try %s", plural(st.Failures, "try"), stamp(st.RetryAt, "R"))
		}
		lines = append(lines, line+".")
		data = append(data, map[string]any{
			"channel_id": sc.Channel, "schedule": sc.Spec, "timezone": sc.Timezone, "empty": sc.Empty,
			"from_config": sc.FromConfig, "next": st.Next.UTC(), "failures": st.Failures,
		})
	}
	return &Reply{Ephemeral: true, Text: "Digests in this server:\n" + strings.Join(lines, "\n"), Data: map[string]any{"digests": data}}, nil
}

// digestSchedules lists the guild's running digests: the scheduler's view
// when one runs, else the store's and nothing of the config file.
func (s *Service) digestSchedules(guild string) ([]digest.Schedule, error) {
	if r := s.digestRunner(); r != nil {
		return r.Schedules(guild), nil
	}
	all, err := digest.Schedules(s.Lib.Store, nil)
	if all == nil && err != nil {
		return nil, err
	}
	var out []digest.Schedule
	for _, sc := range all {
		if sc.Guild == guild {
			out = append(out, sc)
		}
	}
	return out, nil
}

// stamp is a Discord timestamp: each reader sees it in their own time zone.
func stamp(t time.Time, style string) string {
	if t.IsZero() {
		return "the start"
	}
	return fmt.Sprintf("<t:%d:%s>", t.Unix(), style)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y"))
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// zones are the time zones suggested while a moderator types one; any other
// IANA name is accepted too.
var zones = []string{
	"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
	"Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Brussels", "Europe/Zurich",
	"Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Helsinki", "Europe/Warsaw",
	"Europe/Prague", "Europe/Vienna", "Europe/Athens", "Europe/Bucharest", "Europe/Kyiv",
	"Europe/Istanbul", "Europe/Moscow", "Africa/Cairo", "Africa/Lagos", "Africa/Johannesburg",
	"Africa/Nairobi", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok",
	"Asia/Jakarta", "Asia/Singapore", "Asia/Hong_Kong", "Asia/Shanghai", "Asia/Taipei",
	"Asia/Seoul", "Asia/Tokyo", "Australia/Perth", "Australia/Adelaide", "Australia/Brisbane",
	"Australia/Sydney", "Pacific/Auckland", "Pacific/Honolulu", "America/Anchorage",
	"America/Los_Angeles", "America/Denver", "America/Phoenix", "America/Chicago",
	"America/Mexico_City", "America/New_York", "America/Toronto", "America/Bogota",
	"America/Lima", "America/Santiago", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
}

// suggestZones lists the zones whose name holds what was typed; a valid zone
// typed in full comes first even when the list lacks it.
func suggestZones(typed string) []Choice {
	typed = strings.TrimSpace(typed)
	var out []Choice
	if _, err := digest.NewSchedule("", "", "@daily", typed, ""); typed != "" && err == nil && utf8.RuneCountInString(typed) <= 100 {
		out = append(out, Choice{Name: typed, Value: typed})
	}
	low := strings.ToLower(strings.ReplaceAll(typed, " ", "_"))
	for _, z := range zones {
		if strings.Contains(strings.ToLower(z), low) && !slices.ContainsFunc(out, func(c Choice) bool { return strings.EqualFold(c.Value, z) }) {
			out = append(out, Choice{Name: z, Value: z})
		}
	}
	return out
}

// DigestReply is a digest as a reply: the one model that Discord (split into
// as many messages as it takes), the terminal and the preview render.
func DigestReply(d digest.Digest) *Reply {
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	since := ""
	if !d.From.IsZero() {
		// The year is said when it is not the digest's own.
		now := d.To
		if now.IsZero() {
			now = time.Now()
		}
		layout := "Mon 2 Jan 15:04 MST"
		if d.From.In(loc).Year() != now.In(loc).Year() {
			layout = "Mon 2 Jan 2006 15:04 MST"
		}
		since = " since " + d.From.In(loc).Format(layout)
	}
	if d.Empty() {
		return &Reply{Text: "Nothing new" + since + "."}
	}
	text := fmt.Sprintf("**News digest**: %s%s.", plural(d.Total, "new article"), since)
	if more := d.More(); more > 0 {
		text += fmt.Sprintf("\nThe %d most notable are below; %d more are not shown (`/search` finds them).", len(d.Items), more)
	}
	r := &Reply{Text: text}
	for _, it := range d.Items {
		a := it.Article
		body := it.Lead
		if q := it.Quote; q != nil {
			if body != "" {
				body += "\n\n"
			}
			body += "“" + markdown.Escape(cutRunes(strings.Join(strings.Fields(q.Text), " "), maxDigestQuote)) + "”"
		}
		c := Card{Title: a.Title, URL: a.URL, Body: body, Source: a.Source, Published: digest.Date(a), ArticleID: a.ID}
		if q := it.Quote; q != nil {
			c.Speaker, c.SpeakerTitle = q.Speaker, q.Title
		}
		if also := alsoReported(it); also != "" {
			c.Fields = append(c.Fields, Field{Name: "Also reported by", Value: also})
		}
		r.Cards = append(r.Cards, c)
	}
	return r
}

// maxDigestQuote keeps a quote to a few lines, so that ten stories fit a
// message and the quote does not drown the lead.
const maxDigestQuote = 300

// alsoReported names the other sources of a story told several times
// (escaped Markdown), or says how many other articles tell it.
func alsoReported(it digest.Item) string {
	if len(it.Also) == 0 {
		return ""
	}
	own := strings.ToLower(strings.TrimSpace(it.Article.Source))
	var names []string
	unnamed := 0
	for _, src := range it.Sources() {
		if strings.ToLower(strings.TrimSpace(src)) != own {
			names = append(names, markdown.Escape(src))
		}
	}
	for _, a := range it.Also {
		if strings.TrimSpace(a.Source) == "" {
			unnamed++
		}
	}
	if len(names) == 0 {
		return plural(len(it.Also), "other article")
	}
	out := strings.Join(names, ", ")
	if unnamed > 0 {
		out += fmt.Sprintf(" and %s", plural(unnamed, "other article"))
	}
	return cutRunes(out, 1000)
}
