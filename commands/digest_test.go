package commands

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/digest"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

const (
	digestGuild   = "100000000000000001"
	digestChannel = "100000000000000010"
)

// emptyService is a service over an empty data folder: the digest commands
// need settings, not articles.
func emptyService(t *testing.T) *Service {
	t.Helper()
	lib, err := ingest.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	s := New(lib)
	now := time.Date(2030, 3, 4, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	return s
}

func digestReq(sub string, opts map[string]any) Request {
	return Request{Command: "digest " + sub, Guild: digestGuild, User: "200000000000000001", Moderator: true, Options: opts}
}

// fakeRunner stands in for the scheduler.
type fakeRunner struct {
	s       *Service
	reloads int
	outs    []digest.Outcome
}

func (f *fakeRunner) Schedules(guild string) []digest.Schedule {
	list, _ := digest.Schedules(f.s.Lib.Store, nil)
	var out []digest.Schedule
	for _, sc := range list {
		if sc.Guild == guild {
			out = append(out, sc)
		}
	}
	return out
}

func (f *fakeRunner) Status(guild string) ([]digest.Status, error) {
	var out []digest.Status
	for _, sc := range f.Schedules(guild) {
		st, err := digest.StatusOf(f.s.Lib, sc, f.s.Now())
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (f *fakeRunner) PostNow(context.Context, string) []digest.Outcome { return f.outs }
func (f *fakeRunner) Reload() error                                    { f.reloads++; return nil }

func TestDigestSetShowOff(t *testing.T) {
	s := emptyService(t)
	ctx := context.Background()
	run := func(r Request) *Reply {
		t.Helper()
		rep, err := s.Handle(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Ephemeral {
			t.Errorf("%s: reply is not ephemeral", r.Command)
		}
		return rep
	}
	set := func(schedule, tz string) map[string]any {
		o := map[string]any{"channel": digestChannel, "schedule": schedule}
		if tz != "" {
			o["timezone"] = tz
		}
		return o
	}
	tests := []struct {
		name string
		req  Request
		want string
	}{
		{"member refused", Request{Command: "digest set", Guild: digestGuild, Options: set("@daily", "")}, "Only moderators"},
		{"DM refused", Request{Command: "digest show", Moderator: true}, "in a server"},
		{"nothing to show", digestReq("show", nil), "No digest is set"},
		{"nothing to stop", digestReq("off", nil), "nothing to stop"},
		{"bad schedule", digestReq("set", set("every morning", "")), "five fields"},
		{"too often", digestReq("set", set("@every 5s", "")), "below the minimum"},
		{"bad zone", digestReq("set", set("@daily", "Mars/Olympus_Mons")), "unknown time zone"},
		{"host zone", digestReq("set", set("@daily", "Local")), "depends on the host"},
		{"no channel", digestReq("set", map[string]any{"schedule": "@daily"}), "Pick the channel"},
		{"now without a scheduler", digestReq("now", nil), "not running them"},
		{"set", digestReq("set", set("0 8 * * 1-5", "Europe/Berlin")), "Digest set: <#" + digestChannel + ">, `0 8 * * 1-5` (Europe/Berlin). Next: <t:1898924400:f>."},
		{"show", digestReq("show", nil), "`0 8 * * 1-5` (Europe/Berlin), next <t:1898924400:f>; set by <@200000000000000001>"},
		{"change the time, keep the zone", digestReq("set", set("30 7 * * *", "")), "(Europe/Berlin)"},
		{"off", digestReq("off", nil), "Digests are off"},
		{"show when off", digestReq("show", nil), "Digests are off in this server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := run(tt.req).Text; !strings.Contains(got, tt.want) {
				t.Errorf("reply %q, want %q", got, tt.want)
			}
		})
	}
	set2, ok, err := digest.LoadSettings(s.Lib.Store, digestGuild)
	if err != nil || !ok || !set2.Off {
		t.Errorf("stored settings after off: %+v %v %v", set2, ok, err)
	}
}

func TestDigestSetStartsAfreshAfterOff(t *testing.T) {
	s := emptyService(t)
	ctx := context.Background()
	r := &fakeRunner{s: s}
	s.SetDigests(r)
	opts := map[string]any{"channel": digestChannel, "schedule": "@daily"}
	if _, err := s.Handle(ctx, digestReq("set", opts)); err != nil {
		t.Fatal(err)
	}
	if r.reloads != 1 {
		t.Errorf("%d reloads after set, want 1", r.reloads)
	}
	// The digest ran once, a month ago.
	key := digestGuild + "/" + digestChannel
	if err := s.Lib.Store.PutJSON("digest_watermarks", key, digest.Watermark{Through: s.Now().AddDate(0, -1, 0)}); err != nil {
		t.Fatal(err)
	}
	// Changing the schedule keeps where the digest stands...
	if _, err := s.Handle(ctx, digestReq("set", map[string]any{"channel": digestChannel, "schedule": "@hourly"})); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := digest.LoadWatermark(s.Lib.Store, key); !ok {
		t.Error("changing the schedule lost the watermark")
	}
	// ...but a digest set again after it was off does not catch up on the
	// month between.
	for _, sub := range []string{"off", "set"} {
		if _, err := s.Handle(ctx, digestReq(sub, opts)); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, _ := digest.LoadWatermark(s.Lib.Store, key); ok {
		t.Error("the old watermark survived off and set")
	}
	if r.reloads != 4 {
		t.Errorf("%d reloads, want 4", r.reloads)
	}
}

func TestDigestNowReports(t *testing.T) {
	s := emptyService(t)
	r := &fakeRunner{s: s}
	s.SetDigests(r)
	sc, err := digest.NewSchedule(digestGuild, digestChannel, "@daily", "UTC", "")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2030, 3, 3, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		outs []digest.Outcome
		want string
	}{
		{"none", nil, "No digest is set"},
		{"posted", []digest.Outcome{{Schedule: sc, From: from, Articles: 30, Total: 42, Messages: []string{"1", "2", "3"}}},
			"Posted 30 articles in <#" + digestChannel + "> (3 messages). 12 more were left out."},
		{"nothing new", []digest.Outcome{{Schedule: sc, From: from, Empty: true}}, "Nothing new for <#" + digestChannel + "> since <t:1898726400:f>: nothing posted."},
		{"failed", []digest.Outcome{{Schedule: sc, Err: errors.New("bot: post in channel: HTTP 403 Forbidden, Missing **Access**")}},
			`Could not post in <#` + digestChannel + `>: bot: post in channel: HTTP 403 Forbidden, Missing \*\*Access\*\*. newsbot tries again`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.outs = tt.outs
			rep, err := s.Handle(context.Background(), digestReq("now", nil))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(rep.Text, tt.want) || !rep.Ephemeral {
				t.Errorf("reply %q, want %q", rep.Text, tt.want)
			}
		})
	}
}

func TestDigestReply(t *testing.T) {
	when := time.Date(2030, 3, 4, 7, 0, 0, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	a := &news.Article{ID: "a1", Title: "Harbour *reopens*", URL: "https://news.example/a1", Source: "Portvale Post", Published: when.Add(-time.Hour)}
	b := &news.Article{ID: "a2", Title: "Harbour reopens", Source: "Coast Radio", Ingested: when}
	c := &news.Article{ID: "a3", Title: "Harbour reopens!", Ingested: when}
	q := &quotes.Quote{Text: "We are   back, and @everyone is welcome.", Speaker: "Ines Gale", Title: "harbour master", Kind: quotes.Direct}
	d := digest.Digest{
		Guild: digestGuild, From: when.Add(-24 * time.Hour), To: when, Location: berlin, Total: 33,
		Items: []digest.Item{
			{Article: a, Lead: "The harbour reopened on Tuesday.", Quote: q, Also: []*news.Article{b, c}},
			{Article: b, Lead: "Radio lead."},
		},
	}
	r := DigestReply(d)
	wantText := "**News digest**: 33 new articles since Sun 3 Mar 08:00 CET.\nThe 2 most notable are below; 31 more are not shown (`/search` finds them)."
	if r.Text != wantText {
		t.Errorf("text %q\nwant %q", r.Text, wantText)
	}
	if len(r.Cards) != 2 {
		t.Fatalf("%d cards", len(r.Cards))
	}
	c0 := r.Cards[0]
	if c0.Title != a.Title || c0.URL != a.URL || c0.Source != "Portvale Post" || !c0.Published.Equal(a.Published) {
		t.Errorf("card %+v", c0)
	}
	if want := "The harbour reopened on Tuesday.\n\n“We are back, and @\u200beveryone is welcome.”"; c0.Body != want {
		t.Errorf("body %q\nwant %q", c0.Body, want)
	}
	if c0.Speaker != "Ines Gale" || c0.SpeakerTitle != "harbour master" {
		t.Errorf("speaker %q, %q", c0.Speaker, c0.SpeakerTitle)
	}
	if len(c0.Fields) != 1 || c0.Fields[0].Value != "Coast Radio and 1 other article" {
		t.Errorf("fields %+v", c0.Fields)
	}
	if c1 := r.Cards[1]; !c1.Published.Equal(when) || len(c1.Fields) != 0 || c1.Speaker != "" {
		t.Errorf("an article without a date shows when it came in, and no quote: %+v", c1)
	}
	empty := DigestReply(digest.Digest{From: when.Add(-24 * time.Hour), To: when, Location: berlin})
	if empty.Text != "Nothing new since Sun 3 Mar 08:00 CET." || len(empty.Cards) != 0 {
		t.Errorf("empty digest: %+v", empty)
	}
	// A window that starts in another year says which.
	for _, c := range []struct {
		from time.Time
		want string
	}{
		{when.AddDate(-10, 0, 0), "Nothing new since Wed 4 Mar 2020 08:00 CET."},
		{time.Date(2029, 12, 31, 12, 0, 0, 0, time.UTC), "Nothing new since Mon 31 Dec 2029 13:00 CET."},
	} {
		if got := DigestReply(digest.Digest{From: c.from, To: when, Location: berlin}).Text; got != c.want {
			t.Errorf("since %v: %q, want %q", c.from, got, c.want)
		}
	}
}

func TestTimezoneAutocomplete(t *testing.T) {
	s := emptyService(t)
	ch, err := s.Autocomplete(context.Background(), Request{Command: "digest set", Focused: "timezone", Options: map[string]any{"timezone": "berl"}})
	if err != nil || len(ch) != 1 || ch[0].Value != "Europe/Berlin" {
		t.Errorf("berl -> %+v %v", ch, err)
	}
	ch, _ = s.Autocomplete(context.Background(), Request{Command: "digest set", Focused: "timezone", Options: map[string]any{"timezone": "Pacific/Fiji"}})
	if len(ch) != 1 || ch[0].Value != "Pacific/Fiji" {
		t.Errorf("a valid zone not in the list -> %+v", ch)
	}
	ch, _ = s.Autocomplete(context.Background(), Request{Command: "digest set", Focused: "timezone", Options: map[string]any{"timezone": "new york"}})
	if len(ch) != 1 || ch[0].Value != "America/New_York" {
		t.Errorf("new york -> %+v", ch)
	}
}
