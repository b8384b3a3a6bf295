package discordtest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	textmessage "golang.org/x/text/message"
)

// openapiJSON is Discord's official OpenAPI 3.1 description of API v10 (see testdata/LICENSE).
// It is embedded so that tests of other packages, which run in their own directories, find it.
//
//go:embed testdata/openapi.json
var openapiJSON []byte

// specBase is the URI the document is registered under in the schema compiler; it is never fetched.
const specBase = "https://discord.com/api/v10/openapi.json"

// specOp is one operation (method + path template) of the OpenAPI document.
type specOp struct {
	method   string   // upper case
	template string   // e.g. /channels/{channel_id}/messages
	segs     []string // template split on "/"
	literals int      // number of literal segments, to prefer /users/@me over /users/{user_id}
	id       string   // operationId
	// authOptional is true when the operation's security list contains the empty
	// requirement, i.e. it works without Authorization (webhooks, interaction callbacks, /gateway).
	authOptional bool
	bodyRequired bool
	media        []string // request body media types the operation accepts
}

func (o *specOp) key() string { return o.method + " " + o.template }

// spec is the parsed OpenAPI document with a lazily filled cache of compiled request-body schemas.
type spec struct {
	ops   []*specOp
	byKey map[string]*specOp

	mu       sync.Mutex // guards compiler (not safe for concurrent use) and schemas
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
}

// loadSpec parses the document once per process: it is 1.2 MB and every Fake shares it.
var loadSpec = sync.OnceValues(func() (*spec, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openapiJSON))
	if err != nil {
		return nil, fmt.Errorf("discordtest: parse openapi.json: %w", err)
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return nil, errors.New("discordtest: openapi.json is not an object")
	}
	applyDocOverrides(root)
	s := &spec{byKey: map[string]*specOp{}, schemas: map[string]*jsonschema.Schema{}}
	paths, _ := root["paths"].(map[string]any)
	for tmpl, item := range paths {
		methods, _ := item.(map[string]any)
		for m, raw := range methods {
			opObj, ok := raw.(map[string]any)
			if !ok || m == "parameters" {
				continue
			}
			op := &specOp{method: strings.ToUpper(m), template: tmpl, segs: strings.Split(tmpl, "/")}
			op.id, _ = opObj["operationId"].(string)
			for _, seg := range op.segs {
				if !strings.HasPrefix(seg, "{") {
					op.literals++
				}
			}
			secs, _ := opObj["security"].([]any)
			for _, sec := range secs {
				if m, ok := sec.(map[string]any); ok && len(m) == 0 {
					op.authOptional = true
				}
			}
			if rb, ok := opObj["requestBody"].(map[string]any); ok {
				op.bodyRequired, _ = rb["required"].(bool)
				content, _ := rb["content"].(map[string]any)
				for mt := range content {
					op.media = append(op.media, mt)
				}
				sort.Strings(op.media)
			}
			s.ops = append(s.ops, op)
			s.byKey[op.key()] = op
		}
	}
	// Most specific first, so the first match wins.
	sort.Slice(s.ops, func(i, j int) bool {
		if s.ops[i].literals != s.ops[j].literals {
			return s.ops[i].literals > s.ops[j].literals
		}
		return s.ops[i].key() < s.ops[j].key()
	})
	s.compiler = jsonschema.NewCompiler()
	s.compiler.DefaultDraft(jsonschema.Draft2020)
	if err := s.compiler.AddResource(specBase, doc); err != nil {
		return nil, fmt.Errorf("discordtest: register openapi.json with the schema compiler: %w", err)
	}
	return s, nil
})

// applyDocOverrides patches places where Discord's documentation, which describes what the
// API really accepts, is looser than the OpenAPI document; the docs win.
func applyDocOverrides(root map[string]any) {
	walkJSON(root, func(obj map[string]any) {
		props, _ := obj["properties"].(map[string]any)
		// Docs: default_member_permissions is "?string", a permission bit set; the spec only
		// says integer, but every library (discordgo included) sends a decimal string.
		if p, ok := props["default_member_permissions"].(map[string]any); ok {
			p["type"] = []any{"string", "integer", "null"}
			p["pattern"] = "^[0-9]+$"
		}
	})
	schemas := obj(obj(root["components"])["schemas"])
	// Docs ("Uploading Files") give attachment ids as the integer index of files[n], e.g.
	// "attachments": [{"id": 0, ...}]; the spec only allows a snowflake string.
	if id := obj(obj(schemas["MessageAttachmentRequest"])["properties"])["id"]; id != nil {
		obj(obj(schemas["MessageAttachmentRequest"])["properties"])["id"] = map[string]any{
			"anyOf": []any{id, map[string]any{"type": "integer", "minimum": json.Number("0")}},
		}
	}
}

// walkJSON calls fn for every object in v, depth first.
func walkJSON(v any, fn func(map[string]any)) {
	switch t := v.(type) {
	case map[string]any:
		fn(t)
		for _, c := range t {
			walkJSON(c, fn)
		}
	case []any:
		for _, c := range t {
			walkJSON(c, fn)
		}
	}
}

// match finds the operation for a path relative to /api/vN. It also reports whether some
// operation exists for the path under another method, to answer 405 rather than 404.
func (s *spec) match(method, path string) (op *specOp, params map[string]string, pathKnown bool) {
	segs := strings.Split(path, "/")
	for _, cand := range s.ops {
		if len(cand.segs) != len(segs) {
			continue
		}
		p, ok := matchSegs(cand.segs, segs)
		if !ok {
			continue
		}
		pathKnown = true
		if cand.method == method {
			return cand, p, true
		}
	}
	return nil, nil, pathKnown
}

func matchSegs(tmpl, segs []string) (map[string]string, bool) {
	params := map[string]string{}
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if segs[i] == "" {
				return nil, false
			}
			params[t[1:len(t)-1]] = segs[i]
			continue
		}
		if t != segs[i] {
			return nil, false
		}
	}
	return params, true
}

// schema returns the compiled request-body schema of op for a media type, compiling it on
// first use: compiling all 150 paths up front would cost seconds per test binary.
func (s *spec) schema(op *specOp, media string) (*jsonschema.Schema, error) {
	key := op.key() + " " + media
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.schemas[key]; ok {
		return sch, nil
	}
	loc := specBase + "#/paths/" + escapePointer(op.template) + "/" + strings.ToLower(op.method) +
		"/requestBody/content/" + escapePointer(media) + "/schema"
	sch, err := s.compiler.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("discordtest: compile request schema of %s (%s): %w", op.key(), media, err)
	}
	s.schemas[key] = sch
	return sch, nil
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// validateBody checks a decoded JSON body (decoded with jsonschema.UnmarshalJSON so numbers
// keep their precision) against op's schema. Multipart bodies are checked through their
// payload_json part against the application/json schema, which the multipart schema extends
// only with the binary files[n] parts.
func (s *spec) validateBody(op *specOp, value any) ([]fieldError, error) {
	media := ""
	for _, m := range op.media {
		if m == "application/json" {
			media = m
		}
	}
	if media == "" {
		if len(op.media) == 0 {
			return nil, nil
		}
		media = op.media[0]
	}
	sch, err := s.schema(op, media)
	if err != nil {
		return nil, err
	}
	err = sch.Validate(value)
	if err == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, fmt.Errorf("discordtest: validate %s: %w", op.key(), err)
	}
	var out []fieldError
	for _, leaf := range leafErrors(ve) {
		out = append(out, fieldError{
			path:    leaf.InstanceLocation,
			code:    schemaErrorCode(leaf.ErrorKind),
			message: leaf.ErrorKind.LocalizedString(englishPrinter),
		})
	}
	return out, nil
}

var englishPrinter = textmessage.NewPrinter(language.English)

// leafErrors flattens a validation error tree into the errors worth reporting. For anyOf and
// oneOf only the branch the sender most likely meant is kept, since listing why every other
// branch failed would bury the real problem: branches the instance's JSON type does not fit
// rank last, then branches failing on a discriminator such as "type", then fewer errors,
// then errors deeper in the instance.
func leafErrors(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	switch e.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		base := len(e.InstanceLocation)
		var best []*jsonschema.ValidationError
		bestRank, bestDepth := 0, 0
		for _, c := range e.Causes {
			leaves := leafErrors(c)
			rank, depth := 0, 0
			for _, l := range leaves {
				depth = max(depth, len(l.InstanceLocation))
				switch l.ErrorKind.(type) {
				case *kind.Type:
					if len(l.InstanceLocation) == base {
						rank = max(rank, 2)
					}
				case *kind.Const, *kind.Enum:
					if len(l.InstanceLocation) == base+1 {
						rank = max(rank, 1)
					}
				}
			}
			if best == nil || rank < bestRank ||
				rank == bestRank && (len(leaves) < len(best) || len(leaves) == len(best) && depth > bestDepth) {
				best, bestRank, bestDepth = leaves, rank, depth
			}
		}
		if best == nil {
			return []*jsonschema.ValidationError{e}
		}
		return best
	}
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leafErrors(c)...)
	}
	return out
}

// schemaErrorCode maps a JSON Schema failure to the closest code Discord uses in
// Invalid Form Body errors.
func schemaErrorCode(k jsonschema.ErrorKind) string {
	switch k.(type) {
	case *kind.Required:
		return "BASE_TYPE_REQUIRED"
	case *kind.MaxLength, *kind.MaxItems, *kind.MaxProperties:
		return "BASE_TYPE_MAX_LENGTH"
	case *kind.MinLength, *kind.MinItems, *kind.MinProperties:
		return "BASE_TYPE_MIN_LENGTH"
	case *kind.Enum, *kind.Const:
		return "BASE_TYPE_CHOICES"
	case *kind.Maximum, *kind.ExclusiveMaximum:
		return "NUMBER_TYPE_MAX"
	case *kind.Minimum, *kind.ExclusiveMinimum:
		return "NUMBER_TYPE_MIN"
	case *kind.Type:
		return "BASE_TYPE_BAD_TYPE"
	case *kind.Pattern:
		return "STRING_TYPE_REGEX"
	default:
		return "BASE_TYPE_INVALID"
	}
}
