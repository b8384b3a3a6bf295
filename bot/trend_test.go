package bot

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/newsbot/newsbot/internal/discordtest"
)

// checkChart checks that a request carried the chart as a multipart file next
// to payload_json, and returns the embed the payload describes.
func checkChart(t *testing.T, req discordtest.Request, embeds any) map[string]any {
	t.Helper()
	if ct := req.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/form-data") {
		t.Errorf("Content-Type %q, want multipart/form-data", ct)
	}
	if len(req.Attachments) != 1 {
		t.Fatalf("%d files sent, want the chart", len(req.Attachments))
	}
	a := req.Attachments[0]
	if a.Field != "files[0]" || a.Filename != "trend.png" || a.ContentType != "image/png" {
		t.Errorf("file part %q %q %q", a.Field, a.Filename, a.ContentType)
	}
	checkPNG(t, a.Data)
	list, _ := embeds.([]any)
	if len(list) != 1 {
		t.Fatalf("embeds = %v", embeds)
	}
	e := list[0].(map[string]any)
	img, _ := e["image"].(map[string]any)
	if img["url"] != "attachment://trend.png" {
		t.Errorf("embed image %v, want attachment://trend.png", e["image"])
	}
	return e
}

func checkPNG(t *testing.T, data []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the chart is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 400 || len(data) > 200<<10 {
		t.Errorf("chart %dx%d, %d bytes", b.Dx(), b.Dy(), len(data))
	}
}

// TestTrendChartThroughDiscord sends /trend and checks the chart goes out as
// an attachment of the interaction response, shown by the embed; the fake
// checks the payload against Discord's spec and limits (no violations).
func TestTrendChartThroughDiscord(t *testing.T) {
	// Deferral as late as Discord allows, so that even a slow (race
	// detector) run answers directly and exercises the callback's multipart.
	h := start(t, Options{DeferAfter: 2500 * time.Millisecond})
	r := h.send(t, discordtest.SlashCommand(member(guildA), "trend", discordtest.StringOption("topic", "election")))
	var e map[string]any
	switch {
	case r.Type == 4:
		e = checkChart(t, r.Callback, r.Data["embeds"])
	case r.Type == 5 && len(r.Edits) == 1:
		// A machine too loaded to answer in 2.5 s defers: the chart then
		// goes with the edit, which TestTrendChartDeferred checks too.
		t.Log("the bot deferred; checking the edit of @original")
		body, _ := r.Edits[0].JSON.(map[string]any)
		e = checkChart(t, r.Edits[0], body["embeds"])
	default:
		t.Fatalf("type %d with %d edits", r.Type, len(r.Edits))
	}
	if !strings.Contains(e["description"].(string), "**Peak:**") || len(e["fields"].([]any)) != 2 {
		t.Errorf("embed %v", e)
	}
	if r.Original == nil || len(r.Original.Attachments) != 1 || r.Original.Attachments[0].Filename != "trend.png" {
		t.Fatalf("the message holds no chart: %+v", r.Original)
	}
	checkPNG(t, r.Original.Attachments[0].Data)

	// Nothing to chart: a sentence and no file.
	r = h.send(t, discordtest.SlashCommand(member(guildA), "trend", discordtest.StringOption("topic", "zorblax quuxification")))
	if len(r.Callback.Attachments) != 0 || !strings.Contains(text(r), "No articles about") {
		t.Errorf("nothing found: %d files, %s", len(r.Callback.Attachments), text(r))
	}

	// /speakers on the same data.
	r = h.send(t, discordtest.SlashCommand(member(guildA), "speakers", discordtest.StringOption("topic", "coronavirus")))
	if got := text(r); !strings.Contains(got, "Most quoted on") || !strings.Contains(got, "en.wikinews.org") {
		t.Errorf("speakers: %s", got)
	}
}

// TestTrendChartDeferred makes the bot defer: the chart then goes with the
// edit of @original (discordgo's WebhookEdit with Files), again as multipart.
func TestTrendChartDeferred(t *testing.T) {
	h := start(t, Options{DeferAfter: time.Nanosecond})
	r := h.send(t, discordtest.SlashCommand(member(guildA), "trend",
		discordtest.StringOption("topic", "coronavirus"), discordtest.StringOption("by", "month")))
	if r.Type != 5 {
		t.Fatalf("type %d, want 5 (deferred)", r.Type)
	}
	if len(r.Edits) != 1 {
		t.Fatalf("%d edits of @original", len(r.Edits))
	}
	edit := r.Edits[0]
	body, _ := edit.JSON.(map[string]any)
	checkChart(t, edit, body["embeds"])
	if r.Original == nil || len(r.Original.Attachments) != 1 {
		t.Fatalf("@original holds no chart: %+v", r.Original)
	}
	checkPNG(t, r.Original.Attachments[0].Data)
	if !strings.Contains(text(r), "attachment://trend.png") || !strings.Contains(text(r), "counted by month") {
		t.Errorf("@original: %s", text(r))
	}
}
