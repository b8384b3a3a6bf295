package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// Issue 15's check: 40 articles of one source, each with the same byline and
// newsletter pitch, ingested beside the bundled sample. Neither line shows
// in a search snippet or a digest lead; the export still holds both in every
// article. And the sample's digest over ten years leads with its newest
// story, the NATO article of November 2024.
func TestBoilerplateBesideTheSample(t *testing.T) {
	t.Chdir(t.TempDir())
	digestOf := func() []map[string]any {
		t.Helper()
		out, errOut, code := newsbot(t, "", "digest", "--since", "87600h", "--json")
		if code != 0 {
			t.Fatalf("digest: exit %d: %s", code, errOut)
		}
		var msgs []map[string]any
		if err := json.Unmarshal([]byte(out), &msgs); err != nil {
			t.Fatalf("digest --json: %v", err)
		}
		return msgs
	}
	embeds := func(msgs []map[string]any) []map[string]any {
		var out []map[string]any
		for _, m := range msgs {
			es, _ := m["embeds"].([]any)
			for _, e := range es {
				out = append(out, e.(map[string]any))
			}
		}
		return out
	}

	// The sample alone (the first read command fills the folder).
	es := embeds(digestOf())
	var first []string
	for _, e := range es[:min(5, len(es))] {
		first = append(first, fmt.Sprint(e["title"]))
	}
	if !strings.Contains(strings.Join(first, "\n"), "NATO agrees plan for Ukraine Security Assistance") {
		t.Errorf("the NATO article is not among the first five stories:\n%s", strings.Join(first, "\n"))
	}
	for _, e := range es {
		if d := fmt.Sprint(e["description"]); strings.Contains(d, "pre-publication review") {
			t.Errorf("%s leads with a note about the article: %q", e["title"], d)
		}
	}

	const (
		byline = "By Mara Quill, Harbour Herald staff writer"
		pitch  = "Get the Harbour Herald morning newsletter in your inbox every day, free of charge."
	)
	var lines []string
	for i := range 40 {
		rec := map[string]any{
			"title":     fmt.Sprintf("Harbour works reach stage %d", i+1),
			"url":       fmt.Sprintf("https://herald.example/harbour-%d", i+1),
			"source":    "Harbour Herald",
			"published": fmt.Sprintf("2025-03-%02dT08:00:00Z", i%28+1),
			"text": fmt.Sprintf("%s\n\nThe harbour works at berth %c%c reached a new stage on the %s of the month, the port authority said. Crews moved %c%c cranes to the quay.\n\n%s",
				byline, 'a'+i%26, 'a'+i/26, ordinal(i+1), 'k'+i%10, 'a'+i/10, pitch),
		}
		b, _ := json.Marshal(rec)
		lines = append(lines, string(b))
	}
	if err := os.WriteFile("herald.jsonl", []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := newsbot(t, "", "ingest", "herald.jsonl"); code != 0 || out != "ingested 40, duplicates 0, failed 0\n" {
		t.Fatalf("ingest: %q %s (exit %d)", out, errOut, code)
	}

	for _, q := range []string{"harbour", "Mara Quill", "newsletter inbox", "harbour works berth"} {
		out, errOut, code := newsbot(t, "", "search", "--json", "--limit", "50", q)
		if code != 0 {
			t.Fatalf("search %q: exit %d: %s", q, code, errOut)
		}
		var res struct {
			Hits []struct {
				Article struct{ Source string }
				Snippet string
			}
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		herald := 0
		for _, h := range res.Hits {
			plain := strings.ReplaceAll(h.Snippet, "**", "")
			if strings.Contains(plain, "Mara Quill") || strings.Contains(plain, "morning newsletter") {
				t.Errorf("search %q: snippet with boilerplate: %q", q, h.Snippet)
			}
			if h.Article.Source == "Harbour Herald" {
				herald++
			}
		}
		if q == "harbour works berth" && herald < 40 {
			t.Errorf("search %q found %d of the 40 articles", q, herald)
		}
	}

	es = embeds(digestOf())
	herald := 0
	for _, e := range es {
		d := fmt.Sprint(e["description"])
		if strings.Contains(d, "Mara Quill") || strings.Contains(d, "morning newsletter") {
			t.Errorf("digest lead with boilerplate: %q", d)
		}
		if strings.HasPrefix(fmt.Sprint(e["title"]), "Harbour works") {
			herald++
			if !strings.HasPrefix(d, "The harbour works at berth") {
				t.Errorf("digest lead %q, want the news", d)
			}
		}
	}
	if herald == 0 {
		t.Errorf("no Harbour Herald story in the digest")
	}

	out, errOut, code := newsbot(t, "", "export")
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	kept := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var a struct {
			Source     string
			Paragraphs []string
		}
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatal(err)
		}
		if a.Source != "Harbour Herald" {
			continue
		}
		body := strings.Join(a.Paragraphs, "\n")
		if strings.Contains(body, byline) && strings.Contains(body, pitch) {
			kept++
		}
	}
	if kept != 40 {
		t.Errorf("export holds the byline and the pitch in %d of the 40 articles", kept)
	}
}

func ordinal(n int) string {
	switch {
	case n%10 == 1 && n != 11:
		return fmt.Sprintf("%dst", n)
	case n%10 == 2 && n != 12:
		return fmt.Sprintf("%dnd", n)
	case n%10 == 3 && n != 13:
		return fmt.Sprintf("%drd", n)
	}
	return fmt.Sprintf("%dth", n)
}
