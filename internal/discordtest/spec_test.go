package discordtest

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func mustSpec(t *testing.T) *spec {
	t.Helper()
	sp, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func validate(t *testing.T, sp *spec, key, body string) []fieldError {
	t.Helper()
	op := sp.byKey[key]
	if op == nil {
		t.Fatalf("no operation %q", key)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	errs, err := sp.validateBody(op, v)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

// TestHandlersMatchSpec guards against typos in the handler table: every implemented
// route must be an operation of Discord's API, and its body schema must compile.
func TestHandlersMatchSpec(t *testing.T) {
	t.Parallel()
	sp := mustSpec(t)
	start := time.Now()
	for key := range handlers {
		op := sp.byKey[key]
		if op == nil {
			t.Errorf("handler %q is not an operation of the OpenAPI document", key)
			continue
		}
		if len(op.media) > 0 {
			if _, err := sp.validateBody(op, map[string]any{}); err != nil {
				t.Errorf("%s: %v", key, err)
			}
		}
	}
	t.Logf("compiled the request schemas of %d routes in %v", len(handlers), time.Since(start))
}

func TestSpecMatch(t *testing.T) {
	t.Parallel()
	sp := mustSpec(t)
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/users/@me", "GET /users/@me"},
		{"GET", "/users/1", "GET /users/{user_id}"},
		{"PATCH", "/webhooks/1/tok/messages/@original", "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original"},
		{"PATCH", "/webhooks/1/tok/messages/2", "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"},
		{"POST", "/interactions/1/tok/callback", "POST /interactions/{interaction_id}/{interaction_token}/callback"},
		{"PUT", "/applications/1/guilds/2/commands", "PUT /applications/{application_id}/guilds/{guild_id}/commands"},
	} {
		op, _, _ := sp.match(tc.method, tc.path)
		if op == nil || op.key() != tc.want {
			t.Errorf("match(%s %s) = %v, want %s", tc.method, tc.path, op, tc.want)
		}
	}
	if op, _, known := sp.match("DELETE", "/users/@me"); op != nil || !known {
		t.Errorf("DELETE /users/@me should be a known path without that method")
	}
	if op, _, _ := sp.match("POST", "/interactions/1/tok/callback"); !op.authOptional {
		t.Error("interaction callbacks need no Authorization")
	}
	if op, _, _ := sp.match("POST", "/channels/1/messages"); op.authOptional {
		t.Error("channel messages need Authorization")
	}
}

// TestSpecErrorsPickTheMeantBranch checks that errors under anyOf/oneOf come from the
// branch the body was aiming at, not from every alternative.
func TestSpecErrorsPickTheMeantBranch(t *testing.T) {
	t.Parallel()
	sp := mustSpec(t)
	const callback = "POST /interactions/{interaction_id}/{interaction_token}/callback"
	errs := validate(t, sp, callback, `{"type":4,"data":{"content":"x","embeds":[{"title":5}]}}`)
	if len(errs) != 1 || strings.Join(errs[0].path, ".") != "data.embeds.0.title" || errs[0].code != "BASE_TYPE_BAD_TYPE" {
		t.Errorf("callback with a numeric embed title: %v", errs)
	}
	choices := strings.Repeat(`{"name":"n","value":"v"},`, 25) + `{"name":"n","value":"v"}`
	errs = validate(t, sp, callback, `{"type":8,"data":{"choices":[`+choices+`]}}`)
	if len(errs) != 1 || strings.Join(errs[0].path, ".") != "data.choices" || errs[0].code != "BASE_TYPE_MAX_LENGTH" {
		t.Errorf("26 string choices: %v", errs)
	}
	errs = validate(t, sp, "POST /channels/{channel_id}/messages", `{"components":[{"type":1,"components":[{"type":2,"style":1,"label":"`+strings.Repeat("l", 81)+`","custom_id":"a"}]}]}`)
	if len(errs) != 1 || strings.Join(errs[0].path, ".") != "components.0.components.0.label" {
		t.Errorf("button label of 81: %v", errs)
	}
	if errs := validate(t, sp, "PUT /applications/{application_id}/commands", `[{"name":"news","description":"d","default_member_permissions":"2048"}]`); len(errs) > 0 {
		t.Errorf("default_member_permissions as a string (docs) must pass: %v", errs)
	}
	body := formErrorBody([]fieldError{{path: []string{"data", "content"}, code: "BASE_TYPE_MAX_LENGTH", message: "m"}})
	if got := compactJSON(body); got != `{"code":50035,"errors":{"data":{"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"m"}]}}},"message":"Invalid Form Body"}` {
		t.Errorf("form error body = %s", got)
	}
}

func TestSpecIsDiscords(t *testing.T) {
	t.Parallel()
	if !bytes.Contains(openapiJSON[:200], []byte(`"openapi": "3.1`)) && !bytes.Contains(openapiJSON[:200], []byte(`"openapi":"3.1`)) {
		t.Errorf("embedded document does not look like OpenAPI 3.1: %.100s", openapiJSON)
	}
	if n := len(mustSpec(t).ops); n < 200 {
		t.Errorf("only %d operations parsed", n)
	}
}
