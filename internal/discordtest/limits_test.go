package discordtest

import (
	"encoding/json"
	"strings"
	"testing"
)

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("test JSON %s: %v", s, err)
	}
	return v
}

// hasError reports whether errs has an error at path (dot-joined) with code.
func hasError(errs []fieldError, path, code string) bool {
	for _, e := range errs {
		if strings.Join(e.path, ".") == path && e.code == code {
			return true
		}
	}
	return false
}

func TestCheckMessage(t *testing.T) {
	t.Parallel()
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	button := func(id string) string { return `{"type":2,"style":1,"label":"b","custom_id":"` + id + `"}` }
	row := func(items ...string) string { return `{"type":1,"components":[` + strings.Join(items, ",") + `]}` }
	embedsOf := func(n int) string {
		var e []string
		for range n {
			e = append(e, `{"title":"t"}`)
		}
		return strings.Join(e, ",")
	}
	for _, tc := range []struct {
		name, body, path, code string
	}{
		{"ok", `{"content":"` + rep("é", 2000) + `","embeds":[{"title":"` + rep("t", 256) + `","description":"` + rep("d", 4096) + `"}]}`, "", ""},
		{"content", `{"content":"` + rep("é", 2001) + `"}`, "content", "BASE_TYPE_MAX_LENGTH"},
		{"11 embeds", `{"embeds":[` + embedsOf(11) + `]}`, "embeds", "BASE_TYPE_MAX_LENGTH"},
		{"title", `{"embeds":[{"title":"` + rep("t", 257) + `"}]}`, "embeds.0.title", "BASE_TYPE_MAX_LENGTH"},
		{"description", `{"embeds":[{"description":"` + rep("d", 4097) + `"}]}`, "embeds.0.description", "BASE_TYPE_MAX_LENGTH"},
		{"field name", `{"embeds":[{"fields":[{"name":"` + rep("n", 257) + `","value":"v"}]}]}`, "embeds.0.fields.0.name", "BASE_TYPE_BAD_LENGTH"},
		{"empty field value", `{"embeds":[{"fields":[{"name":"n","value":""}]}]}`, "embeds.0.fields.0.value", "BASE_TYPE_BAD_LENGTH"},
		{"field value", `{"embeds":[{"fields":[{"name":"n","value":"` + rep("v", 1025) + `"}]}]}`, "embeds.0.fields.0.value", "BASE_TYPE_BAD_LENGTH"},
		{"footer", `{"embeds":[{"footer":{"text":"` + rep("f", 2049) + `"}}]}`, "embeds.0.footer.text", "BASE_TYPE_BAD_LENGTH"},
		{"author", `{"embeds":[{"author":{"name":"` + rep("a", 257) + `"}}]}`, "embeds.0.author.name", "BASE_TYPE_BAD_LENGTH"},
		{"total", `{"embeds":[{"description":"` + rep("d", 4000) + `"},{"description":"` + rep("d", 2001) + `"}]}`, "embeds", "MAX_EMBED_SIZE_EXCEEDED"},
		{"6 rows", `{"components":[` + strings.Repeat(row(button("x"))+",", 5) + row(button("y")) + `]}`, "components", "BASE_TYPE_MAX_LENGTH"},
		{"6 buttons", `{"components":[` + row(button("a"), button("b"), button("c"), button("d"), button("e"), button("f")) + `]}`, "components.0.components", "BASE_TYPE_BAD_LENGTH"},
		{"custom_id", `{"components":[` + row(button(rep("c", 101))) + `]}`, "components.0.components.0.custom_id", "BASE_TYPE_BAD_LENGTH"},
		{"duplicate custom_id", `{"components":[` + row(button("a"), button("a")) + `]}`, "components.0.components.1.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED"},
		{"label", `{"components":[` + row(`{"type":2,"style":1,"custom_id":"a","label":"`+rep("l", 81)+`"}`) + `]}`, "components.0.components.0.label", "BASE_TYPE_MAX_LENGTH"},
		{"link button with custom_id", `{"components":[` + row(`{"type":2,"style":5,"url":"https://x","custom_id":"a"}`) + `]}`, "components.0.components.0.custom_id", "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED"},
		{"select beside a button", `{"components":[` + row(button("a"), `{"type":3,"custom_id":"s","options":[{"label":"l","value":"v"}]}`) + `]}`, "components.0.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED"},
		{"26 select options", `{"components":[` + row(`{"type":3,"custom_id":"s","options":[`+strings.Repeat(`{"label":"l","value":"v"},`, 25)+`{"label":"l","value":"v"}]}`) + `]}`, "components.0.components.0.options", "BASE_TYPE_BAD_LENGTH"},
		{"v2 container ok", `{"flags":32768,"components":[{"type":17,"components":[{"type":10,"content":"hi"},` + row(button("a")) + `]}]}`, "", ""},
		{"v2 text over 4000", `{"flags":32768,"components":[{"type":10,"content":"` + rep("x", 4001) + `"}]}`, "components", "BASE_TYPE_MAX_LENGTH"},
		{"11 attachments", `{"attachments":[` + strings.Repeat(`{"id":"1"},`, 10) + `{"id":"1"}]}`, "attachments", "BASE_TYPE_MAX_LENGTH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := checkMessage(obj(mustJSON(t, tc.body)), nil, 0)
			if tc.code == "" {
				if len(errs) > 0 {
					t.Errorf("unexpected errors: %v", errs)
				}
				return
			}
			if !hasError(errs, tc.path, tc.code) {
				t.Errorf("want %s at %s, got %v", tc.code, tc.path, errs)
			}
		})
	}
	if errs := checkMessage(map[string]any{}, []string{"data"}, 11); !hasError(errs, "data.files", "BASE_TYPE_MAX_LENGTH") {
		t.Errorf("11 files: %v", errs)
	}
}

func TestCheckCommands(t *testing.T) {
	t.Parallel()
	opt := func(name string, extra string) string {
		return `{"type":3,"name":"` + name + `","description":"d"` + extra + `}`
	}
	many := func(n int, f func(i int) string) string {
		var out []string
		for i := range n {
			out = append(out, f(i))
		}
		return strings.Join(out, ",")
	}
	letter := func(i int) string { return string(rune('a'+i%26)) + string(rune('a'+i/26)) }
	for _, tc := range []struct {
		name, body, path, code string
	}{
		{"ok", `[{"name":"news","description":"d","options":[` + opt("topic", `,"required":true`) + `,` + opt("lang", "") + `]},{"name":"Summarize It","type":3}]`, "", ""},
		{"ok in Thai and Devanagari", `[{"name":"ข่าว","description":"d"},{"name":"समाचार","description":"d"}]`, "", ""},
		{"upper case", `[{"name":"News","description":"d"}]`, "0.name", "APPLICATION_COMMAND_INVALID_NAME"},
		{"space", `[{"name":"top news","description":"d"}]`, "0.name", "APPLICATION_COMMAND_INVALID_NAME"},
		{"33 characters", `[{"name":"` + strings.Repeat("n", 33) + `","description":"d"}]`, "0.name", "APPLICATION_COMMAND_INVALID_NAME"},
		{"no description", `[{"name":"news"}]`, "0.description", "BASE_TYPE_REQUIRED"},
		{"description 101", `[{"name":"news","description":"` + strings.Repeat("d", 101) + `"}]`, "0.description", "BASE_TYPE_BAD_LENGTH"},
		{"message command with description", `[{"name":"Sum","type":3,"description":"d"}]`, "0.description", "APPLICATION_COMMAND_INVALID_DESCRIPTION"},
		{"duplicate", `[{"name":"news","description":"d"},{"name":"news","description":"d"}]`, "1.name", "APPLICATION_COMMANDS_DUPLICATE_NAME"},
		{"26 options", `[{"name":"news","description":"d","options":[` + many(26, func(i int) string { return opt(letter(i), "") }) + `]}]`, "0.options", "BASE_TYPE_MAX_LENGTH"},
		{"required after optional", `[{"name":"news","description":"d","options":[` + opt("a", "") + `,` + opt("b", `,"required":true`) + `]}]`, "0.options.1.required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"},
		{"26 choices", `[{"name":"news","description":"d","options":[` + opt("a", `,"choices":[`+many(26, func(i int) string { return `{"name":"c","value":"v"}` })+`]`) + `]}]`, "0.options.0.choices", "BASE_TYPE_MAX_LENGTH"},
		{"choice name 101", `[{"name":"news","description":"d","options":[` + opt("a", `,"choices":[{"name":"`+strings.Repeat("c", 101)+`","value":"v"}]`) + `]}]`, "0.options.0.choices.0.name", "BASE_TYPE_BAD_LENGTH"},
		{"choice value 101", `[{"name":"news","description":"d","options":[` + opt("a", `,"choices":[{"name":"c","value":"`+strings.Repeat("v", 101)+`"}]`) + `]}]`, "0.options.0.choices.0.value", "BASE_TYPE_MAX_LENGTH"},
		{"autocomplete with choices", `[{"name":"news","description":"d","options":[` + opt("a", `,"autocomplete":true,"choices":[{"name":"c","value":"v"}]`) + `]}]`, "0.options.0.autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES"},
		{"subcommand beside a value", `[{"name":"news","description":"d","options":[{"type":1,"name":"latest","description":"d"},` + opt("a", "") + `]}]`, "0.options", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID"},
		{"group holding a value", `[{"name":"news","description":"d","options":[{"type":2,"name":"g","description":"d","options":[` + opt("a", "") + `]}]}]`, "0.options.0.options.0.type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID"},
		{"over 4000 characters", `[{"name":"news","description":"d","options":[` + many(25, func(i int) string {
			return opt(letter(i), `,"choices":[`+many(25, func(int) string { return `{"name":"` + strings.Repeat("c", 10) + `","value":"v"}` })+`]`)
		}) + `]}]`, "0", "APPLICATION_COMMAND_TOO_LARGE"},
		{"6 user commands", `[` + many(6, func(i int) string { return `{"name":"U` + letter(i) + `","type":2}` }) + `]`, "", "BASE_TYPE_MAX_LENGTH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := checkCommands(arr(mustJSON(t, tc.body)))
			if tc.code == "" {
				if len(errs) > 0 {
					t.Errorf("unexpected errors: %v", errs)
				}
				return
			}
			if !hasError(errs, tc.path, tc.code) {
				t.Errorf("want %s at %q, got %v", tc.code, tc.path, errs)
			}
		})
	}
}

func TestCheckAutocompleteAndModal(t *testing.T) {
	t.Parallel()
	if errs := checkAutocomplete(obj(mustJSON(t, `{"choices":[{"name":"","value":"v"}]}`))); !hasError(errs, "data.choices.0.name", "BASE_TYPE_BAD_LENGTH") {
		t.Errorf("empty choice name: %v", errs)
	}
	if errs := checkAutocomplete(obj(mustJSON(t, `{"choices":[{"name":"n","value":"`+strings.Repeat("v", 101)+`"}]}`))); !hasError(errs, "data.choices.0.value", "BASE_TYPE_MAX_LENGTH") {
		t.Errorf("long value: %v", errs)
	}
	if errs := checkAutocomplete(obj(mustJSON(t, `{"choices":[{"name":"n","value":123456789}]}`))); len(errs) > 0 {
		t.Errorf("integer value: %v", errs)
	}
	modal := `{"custom_id":"m","title":"` + strings.Repeat("t", 46) + `","components":[{"type":1,"components":[{"type":4,"custom_id":"c","label":"L","style":1}]}]}`
	if errs := checkModal(obj(mustJSON(t, modal))); !hasError(errs, "data.title", "BASE_TYPE_BAD_LENGTH") || len(errs) != 1 {
		t.Errorf("modal title 46: %v", errs)
	}
}

func TestNoPingProblems(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"allowed_mentions":{"parse":[]}}`:                      "",
		`{"allowed_mentions":{"parse":[],"replied_user":false}}`: "",
		`{}`:                                  "missing",
		`{"allowed_mentions":null}`:           "is null",
		`{"allowed_mentions":{"parse":null}}`: "parse is null",
		`{"allowed_mentions":{}}`:             "parse is null",
		`{"allowed_mentions":{"parse":["everyone"]}}`:             `["everyone"]`,
		`{"allowed_mentions":{"parse":[],"users":["1"]}}`:         "users",
		`{"allowed_mentions":{"parse":[],"replied_user":true}}`:   "replied_user",
		`{"allowed_mentions":{"parse":[],"roles":[],"users":[]}}`: "",
	} {
		got := noPingProblems(obj(mustJSON(t, body)), nil)
		switch {
		case want == "" && len(got) > 0:
			t.Errorf("%s: unexpected %v", body, got)
		case want != "" && (len(got) != 1 || !strings.Contains(got[0], want)):
			t.Errorf("%s: got %v, want one problem mentioning %q", body, got, want)
		}
	}
}

func TestBadSurrogates(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]bool{
		`"plain"`:               false,
		`"\ud83d\ude00"`:        false, // a correct pair
		`"\\ud800"`:             false, // an escaped backslash, not an escape
		`"\ud800"`:              true,
		`"\ude00"`:              true,
		`"\ud83d\u0041"`:        true,
		`"\ud83d"`:              true,
		`"a\\\ud83d\ude00b"`:    false,
		`{"a":"\uD800x","b":1}`: true,
	} {
		if got := badSurrogates([]byte(raw)); got != want {
			t.Errorf("badSurrogates(%s) = %v, want %v", raw, got, want)
		}
	}
}
