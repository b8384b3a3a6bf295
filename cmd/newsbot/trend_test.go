package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// trendData ingests a few dated articles about a zebra crossing, two of them
// in guild 111 only.
func trendData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	writeFile(t, dir, "global.json", `[
 {"title":"Zebra crossing repainted","text":"\"The zebra crossing is safer now,\" said Ada Quill, the mayor.","published":"2024-06-03","source":"herald"},
 {"title":"Council debates the crossing","text":"A second zebra crossing was proposed.","published":"2024-06-05","source":"herald"},
 {"title":"Zebra crossing wins award","text":"The zebra crossing won an award.","published":"2024-07-01","source":"post"}]`)
	writeFile(t, dir, "guild.json", `[
 {"title":"Lights for the zebra crossing","text":"\"Every zebra crossing needs lights,\" said Ada Quill.","published":"2024-06-11","source":"gazette"},
 {"title":"Crossing works begin","text":"Works on the zebra crossing began.","published":"2024-06-12","source":"gazette"}]`)
	if _, errOut, code := newsbot(t, "", "ingest", "--data", data, filepath.Join(dir, "global.json")); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	if _, errOut, code := newsbot(t, "", "ingest", "--data", data, "--guild", "111", filepath.Join(dir, "guild.json")); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	return data
}

func TestTrendCommand(t *testing.T) {
	data := trendData(t)
	type bucket struct {
		Start string `json:"start"`
		Count int    `json:"count"`
	}
	type count struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	var got struct {
		Topic    string   `json:"topic"`
		By       string   `json:"by"`
		Buckets  []bucket `json:"buckets"`
		Total    int      `json:"total"`
		Sources  []count  `json:"sources"`
		Speakers []count  `json:"speakers"`
	}
	out, errOut, code := newsbot(t, "", "trend", "--data", data, "--guild", "111", "--by", "week", "--json", "zebra", "crossing")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	wantBuckets := []bucket{{"2024-06-03T00:00:00Z", 2}, {"2024-06-10T00:00:00Z", 2}, {"2024-06-17T00:00:00Z", 0}, {"2024-06-24T00:00:00Z", 0}, {"2024-07-01T00:00:00Z", 1}}
	if got.Topic != "zebra crossing" || got.By != "week" || got.Total != 5 || !reflect.DeepEqual(got.Buckets, wantBuckets) {
		t.Errorf("trend %+v", got)
	}
	if want := []count{{"gazette", 2}, {"herald", 2}, {"post", 1}}; !reflect.DeepEqual(got.Sources, want) {
		t.Errorf("sources %+v, want %+v", got.Sources, want)
	}
	if want := []count{{"Ada Quill", 2}}; !reflect.DeepEqual(got.Speakers, want) {
		t.Errorf("speakers %+v, want %+v", got.Speakers, want)
	}

	// Without the guild: the global articles only.
	out, _, _ = newsbot(t, "", "trend", "--data", data, "--by", "week", "--json", "zebra crossing")
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Total != 3 {
		t.Errorf("global total %d (%v)", got.Total, err)
	}

	// The chart to a file, the summary on stdout.
	pngPath := filepath.Join(t.TempDir(), "trend.png")
	out, errOut, code = newsbot(t, "", "trend", "--data", data, "--guild", "111", "--png", pngPath, "zebra crossing")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Peak: 3 Jun 2024, 1 article", "Total: 5 articles from 3 Jun 2024 to 1 Jul 2024, counted by day", "Top sources: gazette — 2 articles", "Trend: zebra crossing"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	raw, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 400 {
		t.Errorf("chart %v", b)
	}

	// Nothing found: a sentence, no file.
	empty := filepath.Join(t.TempDir(), "none.png")
	out, errOut, code = newsbot(t, "", "trend", "--data", data, "--png", empty, "narwhal")
	if code != 0 || !strings.Contains(out, "No articles about “narwhal”.") || !strings.Contains(errOut, "no chart written") {
		t.Errorf("nothing found: %q %q exit %d", out, errOut, code)
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Errorf("a chart of nothing was written (%v)", err)
	}
	out, _, _ = newsbot(t, "", "trend", "--data", data, "--json", "narwhal")
	if strings.TrimSpace(out) != `{
  "topic": "narwhal",
  "by": "",
  "buckets": [],
  "total": 0,
  "sources": [],
  "speakers": []
}` {
		t.Errorf("nothing found, json:\n%s", out)
	}

	// Mistakes are usage errors.
	for _, args := range [][]string{
		{"trend", "--data", data},
		{"trend", "--data", data, "--by", "year", "zebra"},
		{"trend", "--data", data, "--since", "soon", "zebra"},
	} {
		if _, errOut, code := newsbot(t, "", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

func TestSpeakersCommand(t *testing.T) {
	data := trendData(t)
	out, errOut, code := newsbot(t, "", "speakers", "--data", data, "--guild", "111", "--json", "zebra crossing")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Topic    string `json:"topic"`
		Speakers []struct {
			Name  string `json:"name"`
			Count int    `json:"count"`
			Quote *struct {
				Text    string `json:"text"`
				Article struct {
					Title string `json:"title"`
				} `json:"article"`
			} `json:"quote"`
		} `json:"speakers"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(got.Speakers) != 1 || got.Speakers[0].Name != "Ada Quill" || got.Speakers[0].Count != 2 || got.Speakers[0].Quote == nil ||
		!strings.Contains(got.Speakers[0].Quote.Text, "zebra crossing") {
		t.Fatalf("speakers %s", out)
	}
	out, _, _ = newsbot(t, "", "speakers", "--data", data, "zebra crossing")
	if !strings.Contains(out, "1. Ada Quill — 1 quote") || !strings.Contains(out, "— Ada Quill") {
		t.Errorf("terminal:\n%s", out)
	}
}
