package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/digest"
	"github.com/newsbot/newsbot/ingest"
)

func TestDigestPreview(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	const g = "100000000000000001"
	writeFile(t, dir, "a.txt", "Tuesday, November 19, 2024\n\nHarbour *reopens* after storm\n\nThe harbour in Portvale reopened on Tuesday. \"We are back, @everyone,\" harbour master Ines Gale said.\n")
	writeFile(t, dir, "b.txt", "Council approves the budget\n\nThe council approved the budget on Monday.\n")
	writeFile(t, dir, "c.txt", "Guild news only\n\nOnly this server reads this.\n")
	if _, errOut, code := newsbot(t, "", "ingest", "--data", data, "--source", "Portvale Post", filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	if _, errOut, code := newsbot(t, "", "ingest", "--data", data, "--guild", g, filepath.Join(dir, "c.txt")); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}

	out, errOut, code := newsbot(t, "", "digest", "--data", data, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var msgs []map[string]any
	if err := json.Unmarshal([]byte(out), &msgs); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1:\n%s", len(msgs), out)
	}
	m := msgs[0]
	if am, _ := m["allowed_mentions"].(map[string]any); am == nil || fmt.Sprint(am["parse"]) != "[]" {
		t.Errorf("allowed_mentions = %v", m["allowed_mentions"])
	}
	if c, _ := m["content"].(string); !strings.HasPrefix(c, "**News digest**: 2 new articles since ") {
		t.Errorf("content %q", c)
	}
	embeds, _ := m["embeds"].([]any)
	if len(embeds) != 2 {
		t.Fatalf("%d embeds, want the 2 global articles", len(embeds))
	}
	raw := out
	for _, want := range []string{`Harbour \\*reopens\\* after storm`, "— **Ines Gale**", "Portvale Post · 19 Nov 2024", "@\u200beveryone"} {
		if !strings.Contains(raw, want) {
			t.Errorf("payload lacks %q:\n%s", want, raw)
		}
	}
	if strings.Contains(raw, "Guild news only") {
		t.Error("a guild's article in the global digest")
	}
	// Every line between the brackets is one payload, byte for byte.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "[" || lines[len(lines)-1] != "]" || !json.Valid([]byte(strings.TrimSpace(lines[1]))) {
		t.Errorf("layout:\n%s", out)
	}

	// The guild sees its own articles and the global ones; as text.
	out, _, code = newsbot(t, "", "digest", "--data", data, "--guild", g)
	if code != 0 || !strings.Contains(out, "News digest: 3 new articles") || !strings.Contains(out, "Guild news only") || !strings.Contains(out, "— Ines Gale") {
		t.Errorf("terminal digest (exit %d):\n%s", code, out)
	}

	// A window with nothing in it posts nothing.
	out, _, code = newsbot(t, "", "digest", "--data", data, "--json", "--since", "2099-01-01")
	if code != 0 || out != "[]\n" {
		t.Errorf("empty window: %q (exit %d)", out, code)
	}
	out, _, _ = newsbot(t, "", "digest", "--data", data, "--since", "2099-01-01")
	if !strings.HasPrefix(out, "Nothing new since ") {
		t.Errorf("empty window as text: %q", out)
	}

	for _, args := range [][]string{
		{"digest", "--data", data, "--since", "yesterday-ish"},
		{"digest", "--data", data, "stray"},
	} {
		if _, errOut, code := newsbot(t, "", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

func TestDigestPreviewFollowsTheGuildsDigest(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	const g, ch = "100000000000000001", "100000000000000010"
	writeFile(t, dir, "a.txt", "Harbour reopens after storm\n\nThe harbour in Portvale reopened on Tuesday.\n")
	if _, errOut, code := newsbot(t, "", "ingest", "--data", data, "--guild", g, filepath.Join(dir, "a.txt")); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	cfg := writeFile(t, dir, "config.yaml", fmt.Sprintf("data_dir: %s\ndigests:\n  - guild_id: %q\n    channel_id: %q\n    schedule: \"0 8 * * *\"\n    timezone: Asia/Tokyo\n    empty: line\n", data, g, ch))

	// Without --since, the preview starts where the guild's last digest ended.
	lib, err := ingest.Open(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Store.PutJSON("digest_watermarks", g+"/"+ch, digest.Watermark{Through: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	lib.Close()
	out, errOut, code := newsbot(t, "", "digest", "--config", cfg, "--guild", g, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var msgs []map[string]any
	if err := json.Unmarshal([]byte(out), &msgs); err != nil || len(msgs) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	// The digest says "one line" when nothing is new, in its own time zone.
	if c, _ := msgs[0]["content"].(string); !strings.HasPrefix(c, "Nothing new since ") || !strings.HasSuffix(c, " JST.") {
		t.Errorf("content %q", c)
	}
	out, _, _ = newsbot(t, "", "digest", "--config", cfg, "--guild", g, "--since", "48h")
	if !strings.Contains(out, "Harbour reopens after storm") {
		t.Errorf("--since overrides the watermark:\n%s", out)
	}
}
