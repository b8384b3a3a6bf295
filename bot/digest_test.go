package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsbot/newsbot/digest"
	"github.com/newsbot/newsbot/ingest"
	"github.com/newsbot/newsbot/internal/discordtest"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

// payload is a digest message as the tests read it back.
type payload struct {
	Content string `json:"content"`
	Embeds  []struct {
		Title       string `json:"title"`
		URL         string `json:"url"`
		Description string `json:"description"`
		Fields      []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"fields"`
		Footer *struct {
			Text string `json:"text"`
		} `json:"footer"`
	} `json:"embeds"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
	Nonce        string `json:"nonce"`
	EnforceNonce bool   `json:"enforce_nonce"`
}

func decodePayloads(t *testing.T, raws []json.RawMessage) []payload {
	t.Helper()
	out := make([]payload, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			t.Fatalf("payload %d: %v", i, err)
		}
	}
	return out
}

// checkLimits checks one message against Discord's limits and the no-ping rule.
func checkLimits(t *testing.T, i int, p payload) {
	t.Helper()
	if n := utf8.RuneCountInString(p.Content); n > maxContent {
		t.Errorf("message %d: content of %d characters", i, n)
	}
	if len(p.Embeds) > maxEmbeds {
		t.Errorf("message %d: %d embeds", i, len(p.Embeds))
	}
	total := 0
	for _, e := range p.Embeds {
		total += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		for _, f := range e.Fields {
			total += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
		if e.Footer != nil {
			total += utf8.RuneCountInString(e.Footer.Text)
		}
	}
	if total > maxEmbedTotal {
		t.Errorf("message %d: embeds of %d characters in all", i, total)
	}
	if p.AllowedMentions == nil || p.AllowedMentions.Parse == nil || len(p.AllowedMentions.Parse) != 0 {
		t.Errorf("message %d: allowed_mentions %+v, want parse: []", i, p.AllowedMentions)
	}
	if n := len(p.Nonce); n == 0 || n > 25 || !p.EnforceNonce {
		t.Errorf("message %d: nonce %q (enforced %v)", i, p.Nonce, p.EnforceNonce)
	}
}

// bigDigest is a digest of n stories, each as long as an article gets.
func bigDigest(n int) digest.Digest {
	when := time.Date(2030, 3, 4, 7, 0, 0, 0, time.UTC)
	d := digest.Digest{Guild: guildA, Channel: channel, From: when.Add(-24 * time.Hour), To: when, Location: time.UTC, Total: n + 12}
	for i := range n {
		a := &news.Article{ID: fmt.Sprintf("a%02d", i), Title: fmt.Sprintf("Story %d: %s", i, strings.Repeat("long title ", 30)),
			URL: fmt.Sprintf("https://news.example/%d", i), Source: "Source " + strings.Repeat("s", 40), Published: when.Add(-time.Duration(i) * time.Minute)}
		also := []*news.Article{{ID: "x", Source: "Other Paper"}, {ID: "y", Source: "Third Radio"}}
		q := &quotes.Quote{Text: strings.Repeat("Quoted words go on. ", 40), Speaker: "Ana Lind", Title: "mayor", Kind: quotes.Direct}
		d.Items = append(d.Items, digest.Item{Article: a, Lead: strings.Repeat("The lead sentence is long ", 30) + fmt.Sprint(i), Quote: q, Also: also})
	}
	return d
}

func TestDigestSplitsWithinLimits(t *testing.T) {
	for _, n := range []int{1, 10, 11, 30} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			d := bigDigest(n)
			raws, err := DigestPayloads(d)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := DigestPayloads(d)
			for i := range raws {
				if !bytes.Equal(raws[i], again[i]) {
					t.Fatalf("message %d renders differently twice: a resumed digest would not match", i)
				}
			}
			ps := decodePayloads(t, raws)
			var titles []string
			nonces := map[string]bool{}
			for i, p := range ps {
				checkLimits(t, i, p)
				nonces[p.Nonce] = true
				for _, e := range p.Embeds {
					titles = append(titles, e.Title)
					if !strings.Contains(e.Description, "— **Ana Lind**, mayor") || len(e.Fields) != 1 || e.Fields[0].Value != "Other Paper, Third Radio" {
						t.Fatalf("story lost its quote or sources: %+v", e)
					}
				}
				if i > 0 && p.Content != fmt.Sprintf("*News digest, continued (%d of %d)*", i+1, len(ps)) {
					t.Errorf("message %d content %q", i, p.Content)
				}
			}
			if len(titles) != n {
				t.Fatalf("%d stories posted, want %d", len(titles), n)
			}
			for i, title := range titles {
				if !strings.HasPrefix(title, fmt.Sprintf("Story %d:", i)) {
					t.Errorf("story %d is %q: out of order", i, title)
				}
			}
			if len(nonces) != len(ps) {
				t.Errorf("%d distinct nonces for %d messages", len(nonces), len(ps))
			}
			if !strings.Contains(ps[0].Content, fmt.Sprintf("%d new articles", n+12)) || !strings.Contains(ps[0].Content, "12 more are not shown (`/search` finds them)") {
				t.Errorf("first message %q", ps[0].Content)
			}
			if n == 30 && len(ps) < 4 {
				t.Errorf("30 long stories in %d messages: the 6000-character total must split them further than by ten", len(ps))
			}
		})
	}
}

func TestDigestEmptyWindow(t *testing.T) {
	d := digest.Digest{Guild: guildA, From: time.Date(2030, 3, 3, 7, 0, 0, 0, time.UTC), To: time.Date(2030, 3, 4, 7, 0, 0, 0, time.UTC), Location: time.UTC}
	raws, err := DigestPayloads(d)
	if err != nil || len(raws) != 0 {
		t.Errorf("empty window, skip: %d messages (%v), want none", len(raws), err)
	}
	out, _ := json.Marshal(raws)
	if string(out) != "[]" {
		t.Errorf("empty window encodes as %s, want []", out)
	}
	d.EmptyLine = true
	raws, _ = DigestPayloads(d)
	ps := decodePayloads(t, raws)
	if len(ps) != 1 || ps[0].Content != "Nothing new since Sun 3 Mar 07:00 UTC." || len(ps[0].Embeds) != 0 {
		t.Errorf("empty window, line: %+v", ps)
	}
	checkLimits(t, 0, ps[0])
}

// TestDigestGolden pins a small digest as posted (go test ./bot -update).
func TestDigestGolden(t *testing.T) {
	when := time.Date(2024, 11, 19, 8, 0, 0, 0, time.UTC)
	d := digest.Digest{Guild: guildA, Channel: channel, From: when.Add(-24 * time.Hour), To: when, Location: time.UTC, Total: 2, Items: []digest.Item{
		{
			Article: &news.Article{ID: "n1", Title: "NATO agrees plan for Ukraine *Security* Assistance", URL: "https://example.org/nato", Source: "example.org", Published: when.Add(-2 * time.Hour)},
			Lead:    "NATO defence ministers agreed a plan on Tuesday.",
			Quote:   &quotes.Quote{Text: "Russia’s campaign will not deter us", Speaker: "Jens Stoltenberg", Title: "NATO Secretary General", Kind: quotes.Direct},
			Also:    []*news.Article{{ID: "n2", Source: "Radio @everyone"}},
		},
		{Article: &news.Article{ID: "n3", Title: "Measles outbreak in Samoa", Ingested: when.Add(-time.Hour)}, Lead: "Samoa declared an emergency."},
	}}
	raws, err := DigestPayloads(d)
	if err != nil {
		t.Fatal(err)
	}
	var pretty []any
	for _, raw := range raws {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		pretty = append(pretty, v)
	}
	got, _ := json.MarshalIndent(pretty, "", "  ")
	path := filepath.Join("testdata", "digest.golden.json")
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -update)", err)
	}
	if strings.TrimSpace(string(want)) != strings.TrimSpace(string(got)) {
		t.Errorf("the digest changed:\n%s\nwant:\n%s", got, want)
	}
}

// testClock is the digest scheduler's clock in the scenario: it moves only
// when the test says.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// TestDigestPostedThroughDiscord is the scenario end to end: a moderator sets
// a digest in a channel, the scheduler posts it at 08:00 in Berlin through the
// fake Discord, split over messages within every limit; a post that Discord
// refuses is retried; nothing pings, nothing of another guild shows.
func TestDigestPostedThroughDiscord(t *testing.T) {
	const (
		guildD        = "100000000000000004"
		digestChannel = "100000000000000040"
	)
	// A library of its own: the digest's watermark stays in it.
	lib, err := ingest.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	ctx := context.Background()
	// 06:00 UTC is 07:00 in Berlin, an hour before the digest is due. The
	// articles are from 2030.
	base := time.Date(2030, 3, 4, 6, 0, 0, 0, time.UTC)
	words := strings.Fields("harbour bridge museum library tram ferry airport stadium council budget school hospital " +
		"festival election storm flood forest river market theatre orchestra marathon vaccine satellite " +
		"telescope railway glacier volcano earthquake drought harvest parliament orchard vineyard")
	var arts []*news.Article
	for i, w := range words {
		a := &news.Article{Guild: guildD, Title: "News about the " + w, Source: "Local Paper",
			URL:        "https://news.example/" + w,
			Paragraphs: []string{fmt.Sprintf("The %s story broke this morning. \"It is remarkable news about the %s,\" spokeswoman Ada Quill said.", w, w)},
			Ingested:   base.Add(-time.Duration(i+1) * time.Minute)}
		a.ComputeID()
		arts = append(arts, a)
	}
	evil := &news.Article{Title: "Party @everyone **now** in D", Guild: guildD, Source: "prank", Ingested: base.Add(-time.Hour),
		Paragraphs: []string{"Come to the party @everyone and @here, ||spoiler|| [click](https://evil.example) <@123> *now*."}}
	evil.ComputeID()
	secret := &news.Article{Title: "Secret of guild A", Guild: guildA, Ingested: base.Add(-time.Minute), Paragraphs: []string{"Only guild A may read this."}}
	secret.ComputeID()
	if _, err := lib.Add(ctx, append(arts, evil, secret)); err != nil {
		t.Fatal(err)
	}

	h := startWith(t, lib, Options{})
	clk := &testClock{now: base}
	sched, err := digest.New(digest.Options{Library: lib, Poster: h.b.DigestPoster(), Now: clk.Now, Settle: -1,
		Backoff: func(int) time.Duration { return 30 * time.Second }})
	if err != nil {
		t.Fatal(err)
	}
	h.svc.SetDigests(sched)

	r := h.send(t, discordtest.SlashCommand(moderator(guildD), "digest", discordtest.Subcommand("set",
		discordtest.CommandOption{Name: "channel", Type: 7, Value: digestChannel},
		discordtest.StringOption("schedule", "0 8 * * *"), discordtest.StringOption("timezone", "Europe/Berlin"))))
	if !strings.Contains(text(r), "Digest set") || !isEphemeral(r) {
		t.Fatalf("/digest set: %s", text(r))
	}
	sched.RunDue(ctx)
	if n := len(h.f.Messages(digestChannel)); n != 0 {
		t.Fatalf("%d messages an hour before the digest is due", n)
	}

	clk.Set(base.Add(time.Hour))
	sched.RunDue(ctx)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	msgs, err := h.f.WaitMessages(wctx, digestChannel, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 {
		t.Fatalf("%d messages, want 3 (30 stories, 10 a message)", len(msgs))
	}
	stories := len(words) + 1
	if c := msgs[0].Content; !strings.Contains(c, fmt.Sprintf("%d new articles since Sun 3 Mar 08:00 CET", stories)) ||
		!strings.Contains(c, fmt.Sprintf("%d more are not shown", stories-30)) {
		t.Errorf("first message: %q", c)
	}
	var all strings.Builder
	embeds := 0
	for i, m := range msgs {
		raw, _ := json.Marshal(m.Body)
		all.Write(raw)
		var p payload
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		checkLimits(t, i, p)
		embeds += len(p.Embeds)
	}
	if embeds != 30 {
		t.Errorf("%d stories posted, want 30", embeds)
	}
	got := all.String()
	for _, bad := range []string{"@everyone", "@here", "||spoiler||", "[click](", "<@123>", "Secret of guild A"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q reached the channel", bad)
		}
	}
	if !strings.Contains(got, "Ada Quill") {
		t.Error("no quote with its speaker in the digest")
	}

	// /digest now, while Discord answers 502 to every try discordgo makes:
	// the moderator is told, and the scheduler retries after its backoff.
	extra := &news.Article{Title: "Late news from the ferry", Guild: guildD, Ingested: base.Add(time.Hour + time.Minute), Paragraphs: []string{"The ferry was late."}}
	extra.ComputeID()
	if _, err := lib.Add(ctx, []*news.Article{extra}); err != nil {
		t.Fatal(err)
	}
	clk.Set(base.Add(2 * time.Hour))
	h.f.InjectFault(discordtest.Fault{Route: "POST /channels/{channel_id}/messages", Count: 4, Status: 502})
	r = h.send(t, discordtest.SlashCommand(moderator(guildD), "digest", discordtest.Subcommand("now")))
	if !strings.Contains(text(r), "Could not post") {
		t.Fatalf("/digest now while Discord fails: %s", text(r))
	}
	if n := len(h.f.Messages(digestChannel)); n != 3 {
		t.Fatalf("%d messages after a refused post", n)
	}
	clk.Set(base.Add(2*time.Hour + 30*time.Second))
	sched.RunDue(ctx)
	msgs = h.f.Messages(digestChannel)
	if len(msgs) != 4 || !strings.Contains(msgs[3].Content, "1 new article since") {
		t.Fatalf("after the retry: %d messages, last %q", len(msgs), msgs[len(msgs)-1].Content)
	}
	raw, _ := json.Marshal(msgs[3].Body)
	if !strings.Contains(string(raw), "Late news from the ferry") {
		t.Errorf("the retried digest lacks the late article: %s", raw)
	}

	r = h.send(t, discordtest.SlashCommand(moderator(guildD), "digest", discordtest.Subcommand("show")))
	if s := text(r); !strings.Contains(s, digestChannel) || !strings.Contains(s, "last posted") {
		t.Errorf("/digest show: %s", s)
	}
	// Members cannot change the digest.
	r = h.send(t, discordtest.SlashCommand(member(guildD), "digest", discordtest.Subcommand("off")))
	if !strings.Contains(text(r), "Only moderators") {
		t.Errorf("/digest off by a member: %s", text(r))
	}
}
