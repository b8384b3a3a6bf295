package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsbot/newsbot/digest"
	"github.com/newsbot/newsbot/internal/discordtest"
	"github.com/newsbot/newsbot/internal/pgtest"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/store/postgres"
)

// TestLeaseHolderKilledMidDigest: two replicas in their own processes; the
// one holding the digest lease is SIGKILLed after the first message of a
// three-message digest, while Discord holds back the second. The other takes
// the lease over and finishes the digest: every message is in the channel
// once, in order.
func TestLeaseHolderKilledMidDigest(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const channel = "100000000000000020"
	const route = "POST /channels/{channel_id}/messages"
	dsn := pgtest.DSN(t)
	ctx := context.Background()

	// A due digest of 30 articles: the watermark says the last slot passed
	// two minutes ago.
	st, err := postgres.Open(ctx, dsn, postgres.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var arts []*news.Article
	for i := range 30 {
		a := &news.Article{Title: fmt.Sprintf("Harbour works, part %d", i+1), Guild: testGuild, Ingested: now.Add(-10 * time.Minute),
			Paragraphs: []string{fmt.Sprintf("Dredging of the Portvale harbour went on, part %d.", i+1)}}
		a.ComputeID()
		arts = append(arts, a)
	}
	if _, err := st.AddArticles(arts); err != nil {
		t.Fatal(err)
	}
	key := testGuild + "/" + channel
	if err := st.PutJSON("digest_watermarks", key, digest.Watermark{Through: now.Add(-time.Hour), Slot: now.Add(-2 * time.Minute)}); err != nil {
		t.Fatal(err)
	}

	f := discordtest.New(t, discordtest.WithToken(replicaToken))
	// The first message goes through; the second is held back (429, retry
	// after 2 s) long enough to kill its sender.
	f.InjectFault(discordtest.Fault{Route: route, Skip: 1, Count: 2, Status: 429, RetryAfter: 2 * time.Second})
	pub, _, _ := ed25519.GenerateKey(nil)
	dir := t.TempDir()
	procs := map[int]*exec.Cmd{}
	logs := map[int]*lockedBuffer{}
	for i := range 2 {
		conf := fmt.Sprintf("data_dir: %s\nstore:\n  backend: postgres\n  dsn: %q\n  lease_ttl: 3s\ndiscord:\n  token: %s\n  base_url: %s\n  guild_id: %q\n  application_id: %q\n  public_key: %s\nhttp:\n  listen: %s\ndigests:\n  - guild_id: %q\n    channel_id: %q\n    schedule: \"@every 1m\"\n",
			filepath.Join(dir, fmt.Sprint("r", i)), dsn, replicaToken, f.URL(), testGuild, f.AppID(), hex.EncodeToString(pub), freeAddr(t), testGuild, channel)
		cfg := filepath.Join(dir, fmt.Sprintf("r%d.yaml", i))
		if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), "NEWSBOT_CRASH_ARGS="+strings.Join([]string{"serve", "--config", cfg, "--no-gateway", "--log-format", "json"}, "\x1f"))
		out := &lockedBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs[cmd.Process.Pid], logs[cmd.Process.Pid] = cmd, out
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	}
	dump := func() string {
		var b strings.Builder
		for pid, l := range logs {
			fmt.Fprintf(&b, "--- replica %d\n%s\n", pid, l)
		}
		return b.String()
	}
	wctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	// The second message was tried and held back: the digest is half out.
	if err := f.WaitFor(wctx, func() bool {
		n := 0
		for _, r := range f.Requests() {
			if r.Route == route && r.Fault == "429" {
				n++
			}
		}
		return n > 0 && len(f.Messages(channel)) == 1
	}); err != nil {
		t.Fatalf("the digest did not start: %v\n%s", err, dump())
	}
	holder := leaseHolderPID(t, st, "digests")
	victim := procs[holder]
	if victim == nil {
		t.Fatalf("the digest lease is held by %d, not a replica", holder)
	}
	if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	_ = victim.Wait()

	// The other replica finishes it.
	// (The watermark is in the database, so this polls: the fake's WaitFor
	// looks again only when the fake changes.)
	var w digest.Watermark
	for {
		w = digest.Watermark{} // absent fields must read as zero
		if st.GetJSON("digest_watermarks", key, &w) == nil && w.Pending == nil && len(w.Messages) > 1 {
			break
		}
		if wctx.Err() != nil {
			t.Fatalf("the digest was not finished after the kill:\n%s", dump())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("replica %d killed mid-digest; the digest was finished %v later by the other", holder, time.Since(killed).Round(time.Millisecond))
	msgs := f.Messages(channel)
	if len(msgs) != len(w.Messages) {
		t.Fatalf("%d messages in the channel for a digest of %d", len(msgs), len(w.Messages))
	}
	nonces := map[string]bool{}
	for i, m := range msgs {
		if m.ID != w.Messages[i] {
			t.Errorf("message %d is %s, the watermark says %s", i, m.ID, w.Messages[i])
		}
		n := fmt.Sprint(m.Body["nonce"])
		if nonces[n] {
			t.Errorf("nonce %s posted twice", n)
		}
		nonces[n] = true
	}
	if !strings.Contains(fmt.Sprint(msgs[0].Body), "Harbour works") {
		t.Errorf("first message: %v", msgs[0].Body)
	}
	f.AssertNoViolations(t)
}

// leaseHolderPID reads the process id from the holder of a lease
// ("host/pid/random").
func leaseHolderPID(t *testing.T, st *postgres.Store, name string) int {
	t.Helper()
	var h string
	if err := st.Pool().QueryRow(context.Background(), "SELECT holder FROM leases WHERE name = $1", name).Scan(&h); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(h, "/")
	if len(parts) != 3 {
		t.Fatalf("holder %q", h)
	}
	pid, _ := strconv.Atoi(parts[1])
	return pid
}
