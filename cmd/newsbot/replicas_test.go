package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/discordtest"
	"github.com/newsbot/newsbot/internal/pgtest"
)

const (
	replicaToken   = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789_-AB"
	replicaChannel = "100000000000000010"
	memberPerms    = "2048"  // Send Messages
	moderatorPerms = "10240" // and Manage Messages
)

// replicaSet is N `newsbot serve --no-gateway` over one PostgreSQL database,
// each with its own data folder and HTTP endpoint, behind the fake Discord.
type replicaSet struct {
	t    *testing.T
	f    *discordtest.Fake
	key  ed25519.PrivateKey
	urls []string
	cfgs []string
	logs []*lockedBuffer
	next int
}

func startReplicas(t *testing.T, dsn string, n int) *replicaSet {
	t.Helper()
	f := discordtest.New(t, discordtest.WithToken(replicaToken))
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	rs := &replicaSet{t: t, f: f, key: key}
	// The folder first: cleanups run last registered first, so the
	// replicas stop (below) before it is removed under them.
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var dones []chan int
	t.Cleanup(func() {
		cancel()
		for i, d := range dones {
			select {
			case code := <-d:
				if code != 0 {
					t.Errorf("replica %d exited %d:\n%s", i, code, rs.logs[i])
				}
			case <-time.After(30 * time.Second):
				t.Errorf("replica %d did not stop", i)
			}
		}
	})
	for i := range n {
		addr := freeAddr(t)
		conf := fmt.Sprintf("data_dir: %s\nstore:\n  backend: postgres\n  dsn: %q\n  lease_ttl: 3s\ndiscord:\n  token: %s\n  base_url: %s\n  guild_id: %q\n  application_id: %q\n  public_key: %s\nhttp:\n  listen: %s\nlimits:\n  rate_per_minute: 1000\n",
			filepath.Join(dir, fmt.Sprint("r", i)), dsn, replicaToken, f.URL(), testGuild, f.AppID(), hex.EncodeToString(pub), addr)
		cfg := filepath.Join(dir, fmt.Sprintf("r%d.yaml", i))
		if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		logs := &lockedBuffer{}
		e := &env{stdout: &lockedBuffer{}, stderr: logs, getenv: func(string) string { return "" }}
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, e, []string{"serve", "--config", cfg, "--no-gateway", "--log-format", "json"})
		}()
		dones = append(dones, done)
		rs.urls = append(rs.urls, "http://"+addr+"/interactions")
		rs.cfgs = append(rs.cfgs, cfg)
		rs.logs = append(rs.logs, logs)
		waitFor(t, done, logs, "replica health", func() bool {
			resp, err := http.Get("http://" + addr + "/healthz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	}
	return rs
}

// send delivers an interaction to replica r and returns what the member
// finally sees (the response after its edits), as JSON text, and whether it
// is ephemeral.
func (rs *replicaSet) send(r int, i discordtest.Interaction) (string, bool) {
	rs.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sent, status, err := rs.f.PostInteraction(ctx, rs.urls[r], rs.key, i)
	if err != nil || status != http.StatusOK {
		rs.t.Fatalf("replica %d: delivery: %d %v\n%s", r, status, err, rs.logs[r])
	}
	var out discordtest.Message
	err = rs.f.WaitFor(ctx, func() bool {
		resp, ok := rs.f.Response(sent.ID)
		if !ok || resp.Original == nil {
			return false
		}
		out = *resp.Original
		return out.Flags&128 == 0 // no longer "thinking"
	})
	if err != nil {
		rs.t.Fatalf("replica %d: no final response to %v", r, sent.ID)
	}
	b, _ := json.Marshal(out.Body)
	return string(b), out.Flags&64 != 0
}

// spread sends to the replicas in turn, as a load balancer would.
func (rs *replicaSet) spread(i discordtest.Interaction) (string, bool) {
	r := rs.next % len(rs.urls)
	rs.next++
	return rs.send(r, i)
}

func member() discordtest.Invoker {
	return discordtest.GuildMember(testGuild, replicaChannel, discordtest.User{Username: "reader"}, memberPerms)
}

func moderatorInv() discordtest.Invoker {
	return discordtest.GuildMember(testGuild, replicaChannel, discordtest.User{Username: "mod"}, moderatorPerms)
}

func search(q string) discordtest.Interaction {
	return discordtest.SlashCommand(member(), "search", discordtest.StringOption("query", q))
}

func newsAdd(title, text string) discordtest.Interaction {
	return discordtest.SlashCommand(moderatorInv(), "news", discordtest.Subcommand("add",
		discordtest.StringOption("title", title), discordtest.StringOption("text", text)))
}

// untilFound sends a search to replica r until its answer contains want (or,
// with gone, no longer does), and returns how long that took.
func (rs *replicaSet) untilFound(r int, q, want string, gone bool) time.Duration {
	rs.t.Helper()
	start := time.Now()
	for {
		got, _ := rs.send(r, search(q))
		if strings.Contains(got, want) != gone {
			return time.Since(start)
		}
		if time.Since(start) > 30*time.Second {
			rs.t.Fatalf("replica %d: %q after 30 s: %s", r, q, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var (
	regexpID    = regexp.MustCompile("as `([^`]+)`")
	regexpPager = regexp.MustCompile(`"custom_id":"(pg:[^"]+:1)"`)
)

// TestReplicasBehindALoadBalancer: three replicas in HTTP mode; a moderator
// adds an article through one, members find it through the others, page
// through results on another replica than the one that answered, and a
// removal reaches every replica.
func TestReplicasBehindALoadBalancer(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	rs := startReplicas(t, pgtest.DSN(t), 3)
	got, _ := rs.send(0, newsAdd("Zorblax festival opens in Portvale", "The zorblax festival opened in Portvale on Friday with forty stalls."))
	if !strings.Contains(got, "Added **Zorblax") {
		t.Fatalf("news add: %s", got)
	}
	var id string
	if m := regexpID.FindStringSubmatch(got); m != nil {
		id = m[1]
	}
	for _, r := range []int{1, 2} {
		t.Logf("added through replica 0, found through replica %d after %v", r, rs.untilFound(r, "zorblax festival", "Zorblax festival opens", false).Round(time.Millisecond))
	}

	// Six articles on one subject: more than a page. The search is answered
	// by one replica and paged by the next.
	for i := range 6 {
		rs.spread(newsAdd(fmt.Sprintf("Harbour works, part %d", i+1), fmt.Sprintf("Harbour dredging continued in Portvale, part %d of the works.", i+1)))
	}
	rs.untilFound(0, "dredging", "of 6", false)
	rs.untilFound(1, "dredging", "of 6", false)
	rs.untilFound(2, "dredging", "of 6", false)
	first, _ := rs.send(1, search("dredging"))
	m := regexpPager.FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("no ▶ button on a search with six results: %s", first)
	}
	msg := discordtest.MessageObject("100000000000000099", replicaChannel, discordtest.User{ID: rs.f.BotUserID(), Username: "newsbot", Bot: true}, "")
	page2, eph := rs.send(2, discordtest.Button(member(), m[1], msg))
	if eph || !strings.Contains(page2, "Harbour works") || page2 == first {
		t.Errorf("page 2 through another replica: ephemeral %v\n%s", eph, page2)
	}

	if id == "" {
		t.Fatalf("no article id in the reply to news add: %s", got)
	}
	if got, _ := rs.send(2, discordtest.SlashCommand(moderatorInv(), "news", discordtest.Subcommand("remove", discordtest.StringOption("id", id)))); !strings.Contains(got, "Removed") {
		t.Fatalf("news remove: %s", got)
	}
	for _, r := range []int{0, 1} {
		t.Logf("removed through replica 2, gone from replica %d after %v", r, rs.untilFound(r, "zorblax festival", "Zorblax festival opens", true).Round(time.Millisecond))
	}
	rs.f.AssertNoViolations(t)
}

// TestDatabaseRestartUnderLoad: PostgreSQL goes down while members keep
// searching and a moderator keeps adding; every interaction is answered (a
// clear ephemeral message while the database is away), nothing committed is
// lost, and the replicas carry on once it is back, without a restart.
func TestDatabaseRestartUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	c := pgtest.Start(t)
	rs := startReplicas(t, c.NewDatabase(t), 2)
	if got, _ := rs.send(0, newsAdd("Ferry to Islay resumes", "The ferry to Islay resumed service on Monday after a week of storms.")); !strings.Contains(got, "Added") {
		t.Fatalf("news add: %s", got)
	}
	rs.untilFound(1, "Islay ferry", "Ferry to Islay resumes", false)

	// Load: members search through both replicas the whole time.
	stop := make(chan struct{})
	loadDone := make(chan map[string]int, 1)
	go func() {
		seen := map[string]int{}
		for i := 0; ; i++ {
			select {
			case <-stop:
				loadDone <- seen
				return
			default:
			}
			got, eph := rs.send(i%2, search("Islay ferry"))
			switch {
			case strings.Contains(got, "Ferry to Islay resumes"):
				seen["found"]++
			case eph && strings.Contains(got, "cannot reach its article database"):
				seen["unavailable"]++
			default:
				seen["other: "+got]++
			}
		}
	}()

	c.Stop()
	got, eph := rs.send(1, newsAdd("Harbour reopens in Portvale", "The harbour in Portvale reopened on Tuesday after repairs."))
	if !eph || !strings.Contains(got, "cannot reach its article database") {
		t.Errorf("news add while the database is down: ephemeral %v, %s", eph, got)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	// Back: the same add goes through replica 1 and is found through 0.
	deadline := time.Now().Add(60 * time.Second)
	for {
		got, _ := rs.send(1, newsAdd("Harbour reopens in Portvale", "The harbour in Portvale reopened on Tuesday after repairs."))
		if strings.Contains(got, "Added") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("news add after the restart: %s", got)
		}
		time.Sleep(100 * time.Millisecond)
	}
	rs.untilFound(0, "Portvale harbour", "Harbour reopens in Portvale", false)
	close(stop)
	seen := <-loadDone
	t.Logf("searches during the run: %v", seen)
	for k := range seen {
		if strings.HasPrefix(k, "other") {
			t.Errorf("a search got neither its answer nor the database message: %s", k)
		}
	}
	if seen["found"] == 0 {
		t.Error("no search succeeded")
	}
	rs.untilFound(1, "Islay ferry", "Ferry to Islay resumes", false) // nothing lost
	rs.f.AssertNoViolations(t)
}

// TestShardsOverProcesses: two processes, each one gateway shard of two,
// over one database. Each guild's interactions reach the process of its
// shard, and both answer from the shared articles.
func TestShardsOverProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const guildB = "100000000004194305" // (id >> 22) % 2 == 1; testGuild is on shard 0
	dsn := pgtest.DSN(t)
	f := discordtest.New(t, discordtest.WithToken(replicaToken))
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var dones []chan int
	var cfgs []string
	var logs []*lockedBuffer
	defer func() {
		cancel()
		for i, d := range dones {
			if code := <-d; code != 0 {
				t.Errorf("shard %d exited %d:\n%s", i, code, logs[i])
			}
		}
	}()
	for i := range 2 {
		conf := fmt.Sprintf("data_dir: %s\nstore:\n  backend: postgres\n  dsn: %q\ndiscord:\n  token: %s\n  base_url: %s\n  shard_id: %d\n  shard_count: 2\n",
			filepath.Join(dir, fmt.Sprint("s", i)), dsn, replicaToken, f.URL(), i)
		cfg := filepath.Join(dir, fmt.Sprintf("s%d.yaml", i))
		if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		l := &lockedBuffer{}
		e := &env{stdout: &lockedBuffer{}, stderr: l, getenv: func(string) string { return "" }}
		done := make(chan int, 1)
		go func() { done <- run(ctx, e, []string{"serve", "--config", cfg, "--log-format", "json"}) }()
		dones, cfgs, logs = append(dones, done), append(cfgs, cfg), append(logs, l)
	}
	wctx, wcancel := context.WithTimeout(ctx, 60*time.Second)
	defer wcancel()
	if err := f.WaitFor(wctx, func() bool {
		shards := map[string]bool{}
		for _, s := range f.Sessions() {
			if s.Connected && s.Seq > 0 {
				shards[fmt.Sprint(s.Shard)] = true
			}
		}
		return shards["[0 2]"] && shards["[1 2]"]
	}); err != nil {
		t.Fatalf("the two shards did not connect: %v\n%s\n%s", err, logs[0], logs[1])
	}

	// A global article, from the command line, into the database.
	in := writeFile(t, dir, "in/ferry.md", "# Ferry to Islay resumes\n\nThe ferry to Islay resumed service on Monday after a week of storms.\n")
	if out, errOut, code := newsbot(t, "", "ingest", "--config", cfgs[0], "--data", filepath.Join(dir, "cli"), in); code != 0 {
		t.Fatalf("ingest: %s %s", out, errOut)
	}
	for _, g := range []string{testGuild, guildB} {
		inv := discordtest.GuildMember(g, replicaChannel, discordtest.User{Username: "reader"}, memberPerms)
		deadline := time.Now().Add(30 * time.Second)
		for {
			sent, err := f.SendInteraction(discordtest.SlashCommand(inv, "search", discordtest.StringOption("query", "Islay ferry")))
			if err != nil {
				t.Fatal(err)
			}
			var body string
			if err := f.WaitFor(wctx, func() bool {
				r, ok := f.Response(sent.ID)
				if !ok || r.Original == nil || r.Original.Flags&128 != 0 {
					return false
				}
				b, _ := json.Marshal(r.Original.Body)
				body = string(b)
				return true
			}); err != nil {
				t.Fatalf("guild %s: no answer", g)
			}
			if strings.Contains(body, "Ferry to Islay resumes") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("guild %s: %s", g, body)
			}
		}
	}
	for _, s := range f.Sessions() {
		n := 0
		for _, ev := range s.Dispatched {
			if ev == "INTERACTION_CREATE" {
				n++
			}
		}
		if s.Connected && n == 0 {
			t.Errorf("shard %v got no interaction: %v", s.Shard, s.Dispatched)
		}
	}
	f.AssertNoViolations(t)
}
