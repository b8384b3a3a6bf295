package discordtest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fieldError is one entry of Discord's Invalid Form Body error tree.
type fieldError struct {
	path    []string // location in the JSON body, e.g. ["data", "embeds", "0", "title"]
	code    string   // Discord's error code, e.g. BASE_TYPE_MAX_LENGTH
	message string
}

func (e fieldError) String() string {
	p := strings.Join(e.path, ".")
	if p == "" {
		p = "(body)"
	}
	return fmt.Sprintf("%s: %s (%s)", p, e.message, e.code)
}

// formErrorBody builds Discord's 50035 answer, e.g.
// {"code":50035,"message":"Invalid Form Body","errors":{"content":{"_errors":[{...}]}}}.
func formErrorBody(errs []fieldError) map[string]any {
	root := map[string]any{}
	for _, e := range errs {
		node := root
		for _, p := range e.path {
			child, ok := node[p].(map[string]any)
			if !ok {
				child = map[string]any{}
				node[p] = child
			}
			node = child
		}
		list, _ := node["_errors"].([]any)
		node["_errors"] = append(list, map[string]any{"code": e.code, "message": e.message})
	}
	return map[string]any{"code": 50035, "message": "Invalid Form Body", "errors": root}
}

// Documented limits (https://discord.com/developers/docs/resources/message,
// .../interactions/application-commands, .../components/reference). Where the OpenAPI
// document is looser (it allows 4000-character channel messages, which only Nitro users
// may send), the documented bot limits apply.
const (
	maxContent          = 2000
	maxEmbeds           = 10
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooterText       = 2048
	maxAuthorName       = 256
	maxEmbedTotal       = 6000
	maxCustomID         = 100
	maxActionRows       = 5
	maxRowButtons       = 5
	maxButtonLabel      = 80
	maxSelectOptions    = 25
	maxSelectText       = 100
	maxPlaceholder      = 150
	maxV2Components     = 40
	maxV2Text           = 4000
	maxFiles            = 10
	maxChoices          = 25
	maxChoiceName       = 100
	maxChoiceString     = 100
	maxCommandName      = 32
	maxCommandDesc      = 100
	maxOptions          = 25
	maxCommandTotal     = 4000
	maxChatCommands     = 100
	maxUserCommands     = 5
	maxMessageCommands  = 5
	maxModalTitle       = 45
	maxModalRows        = 5
	maxTextInputLabel   = 45
	maxTextInputValue   = 4000
	flagComponentsV2    = 1 << 15
	msgFlagEphemeral    = 1 << 6
)

// checker collects field errors while walking a body.
type checker struct{ errs []fieldError }

// at returns a fresh path so callers can extend paths without aliasing each other's slices.
func at(base []string, elems ...string) []string {
	p := make([]string, 0, len(base)+len(elems))
	return append(append(p, base...), elems...)
}

func (c *checker) add(path []string, code, format string, args ...any) {
	c.errs = append(c.errs, fieldError{path: path, code: code, message: fmt.Sprintf(format, args...)})
}

// length checks a string's length in characters (runes, as Discord counts them). It returns
// the length so callers can sum embed text.
func (c *checker) length(path []string, v any, minN, maxN int) int {
	s, ok := v.(string)
	if !ok {
		if v == nil && minN > 0 {
			c.add(path, "BASE_TYPE_REQUIRED", "This field is required")
		}
		return 0
	}
	n := utf8.RuneCountInString(s)
	switch {
	case minN > 0 && n < minN || n > maxN:
		if minN > 0 {
			c.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between %d and %d in length.", minN, maxN)
		} else {
			c.add(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", maxN)
		}
	}
	return n
}

func (c *checker) count(path []string, n, minN, maxN int) {
	if n < minN || n > maxN {
		if minN > 0 {
			c.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between %d and %d in length.", minN, maxN)
		} else {
			c.add(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", maxN)
		}
	}
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func arr(v any) []any          { a, _ := v.([]any); return a }
func str(v any) string         { s, _ := v.(string); return s }

// num reads a number: float64 from decoded JSON, or an int from the fake's own builders.
// ok is false when v is absent or not a number.
func num(v any) (int, bool) {
	switch n := v.(type) {
	case float64:
		return int(n), true
	case int:
		return n, true
	case int64:
		return int(n), true
	}
	return 0, false
}

// checkMessage applies the documented message limits to a message-creating or -editing
// body m found at base (nil for channel messages and webhooks, ["data"] for callbacks).
func checkMessage(m map[string]any, base []string, files int) []fieldError {
	c := &checker{}
	c.length(at(base, "content"), m["content"], 0, maxContent)
	embeds := arr(m["embeds"])
	c.count(at(base, "embeds"), len(embeds), 0, maxEmbeds)
	total := 0
	for i, e := range embeds {
		total += checkEmbed(c, obj(e), at(base, "embeds", strconv.Itoa(i)))
	}
	if total > maxEmbedTotal {
		c.add(at(base, "embeds"), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of %d", maxEmbedTotal)
	}
	flags, _ := num(m["flags"])
	checkMessageComponents(c, arr(m["components"]), at(base, "components"), flags&flagComponentsV2 != 0)
	c.count(at(base, "attachments"), len(arr(m["attachments"])), 0, maxFiles)
	if files > maxFiles {
		c.add(at(base, "files"), "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", maxFiles)
	}
	return c.errs
}

// checkEmbed returns the embed's characters that count against the 6000 total.
func checkEmbed(c *checker, e map[string]any, path []string) int {
	if e == nil {
		return 0
	}
	n := c.length(at(path, "title"), e["title"], 0, maxEmbedTitle)
	n += c.length(at(path, "description"), e["description"], 0, maxEmbedDescription)
	fields := arr(e["fields"])
	c.count(at(path, "fields"), len(fields), 0, maxEmbedFields)
	for i, f := range fields {
		fp := at(path, "fields", strconv.Itoa(i))
		n += c.length(at(fp, "name"), obj(f)["name"], 1, maxFieldName)
		n += c.length(at(fp, "value"), obj(f)["value"], 1, maxFieldValue)
	}
	if footer := obj(e["footer"]); footer != nil {
		n += c.length(at(path, "footer", "text"), footer["text"], 1, maxFooterText)
	}
	if author := obj(e["author"]); author != nil {
		n += c.length(at(path, "author", "name"), author["name"], 1, maxAuthorName)
	}
	return n
}

// checkMessageComponents applies the component limits. Classic messages hold at most five
// action rows of five buttons or one select; messages flagged IS_COMPONENTS_V2 hold a tree
// of at most 40 components.
func checkMessageComponents(c *checker, comps []any, path []string, v2 bool) {
	ids := map[string]bool{}
	if !v2 {
		c.count(path, len(comps), 0, maxActionRows)
		for i, row := range comps {
			rp := at(path, strconv.Itoa(i))
			r := obj(row)
			if t, _ := num(r["type"]); t != 1 {
				c.add(at(rp, "type"), "BASE_TYPE_CHOICES", "Value must be one of (1,): messages without the IS_COMPONENTS_V2 flag take only action rows at the top level.")
				continue
			}
			checkActionRow(c, r, rp, ids)
		}
		return
	}
	total, text := 0, 0
	var walk func(list []any, p []string)
	walk = func(list []any, p []string) {
		for i, raw := range list {
			cp := at(p, strconv.Itoa(i))
			comp := obj(raw)
			total++
			t, _ := num(comp["type"])
			switch t {
			case 1:
				checkActionRow(c, comp, cp, ids)
				total += len(arr(comp["components"]))
				continue
			case 2, 3, 5, 6, 7, 8:
				checkInteractive(c, comp, cp, ids)
			case 10:
				text += utf8.RuneCountInString(str(comp["content"]))
			}
			walk(arr(comp["components"]), at(cp, "components"))
			if acc := obj(comp["accessory"]); acc != nil {
				walk([]any{acc}, at(cp, "accessory"))
			}
		}
	}
	walk(comps, path)
	if total > maxV2Components {
		c.add(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer components in total (found %d).", maxV2Components, total)
	}
	if text > maxV2Text {
		c.add(path, "BASE_TYPE_MAX_LENGTH", "Text display content must be %d or fewer characters in total.", maxV2Text)
	}
}

func checkActionRow(c *checker, row map[string]any, path []string, ids map[string]bool) {
	children := arr(row["components"])
	cp := at(path, "components")
	c.count(cp, len(children), 1, maxRowButtons)
	selects := 0
	for j, child := range children {
		comp := obj(child)
		t, _ := num(comp["type"])
		if t != 2 {
			selects++
		}
		checkInteractive(c, comp, at(cp, strconv.Itoa(j)), ids)
	}
	if selects > 0 && len(children) > 1 {
		c.add(cp, "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width: a select menu must be alone in its action row.")
	}
}

// checkInteractive checks a button or select menu.
func checkInteractive(c *checker, comp map[string]any, path []string, ids map[string]bool) {
	t, _ := num(comp["type"])
	style, _ := num(comp["style"])
	id, hasID := comp["custom_id"].(string)
	switch {
	case t == 2 && style == 5: // link button
		if hasID {
			c.add(at(path, "custom_id"), "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", "A link button cannot have a custom_id.")
		}
		if str(comp["url"]) == "" {
			c.add(at(path, "url"), "BASE_TYPE_REQUIRED", "This field is required")
		}
	case t == 2 && style == 6: // premium button, identified by sku_id
	case t == 4:
		c.add(at(path, "type"), "BASE_TYPE_CHOICES", "Text inputs are only allowed in modals.")
	default:
		if !hasID {
			c.add(at(path, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
		}
	}
	if hasID {
		c.length(at(path, "custom_id"), id, 1, maxCustomID)
		if ids[id] {
			c.add(at(path, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
		}
		ids[id] = true
	}
	if t == 2 {
		c.length(at(path, "label"), comp["label"], 0, maxButtonLabel)
		return
	}
	c.length(at(path, "placeholder"), comp["placeholder"], 0, maxPlaceholder)
	if v, ok := num(comp["min_values"]); ok && (v < 0 || v > maxSelectOptions) {
		c.add(at(path, "min_values"), "NUMBER_TYPE_MAX", "min_values must be between 0 and %d.", maxSelectOptions)
	}
	if v, ok := num(comp["max_values"]); ok && (v < 1 || v > maxSelectOptions) {
		c.add(at(path, "max_values"), "NUMBER_TYPE_MAX", "max_values must be between 1 and %d.", maxSelectOptions)
	}
	if t == 3 {
		opts := arr(comp["options"])
		c.count(at(path, "options"), len(opts), 1, maxSelectOptions)
		for k, o := range opts {
			op := at(path, "options", strconv.Itoa(k))
			c.length(at(op, "label"), obj(o)["label"], 1, maxSelectText)
			c.length(at(op, "value"), obj(o)["value"], 1, maxSelectText)
			c.length(at(op, "description"), obj(o)["description"], 0, maxSelectText)
		}
	}
}

// emptyMessage reports whether a message-creating body would produce a message with
// nothing in it, which Discord refuses with 50006.
func emptyMessage(m map[string]any, files int) bool {
	if files > 0 || str(m["content"]) != "" || m["poll"] != nil {
		return false
	}
	for _, k := range []string{"embeds", "components", "sticker_ids", "attachments"} {
		if len(arr(m[k])) > 0 {
			return false
		}
	}
	return true
}

// checkAutocomplete applies the limits of an autocomplete result (callback type 8).
func checkAutocomplete(data map[string]any) []fieldError {
	c := &checker{}
	// choices may be omitted or null ("no options match"); only its size is limited.
	choices := arr(data["choices"])
	c.count([]string{"data", "choices"}, len(choices), 0, maxChoices)
	for i, ch := range choices {
		checkChoice(c, obj(ch), []string{"data", "choices", strconv.Itoa(i)})
	}
	return c.errs
}

func checkChoice(c *checker, ch map[string]any, path []string) {
	c.length(at(path, "name"), ch["name"], 1, maxChoiceName)
	if s, ok := ch["value"].(string); ok {
		c.length(at(path, "value"), s, 0, maxChoiceString)
	} else if ch["value"] == nil {
		c.add(at(path, "value"), "BASE_TYPE_REQUIRED", "This field is required")
	}
}

// checkModal applies the limits of a modal (callback type 9).
func checkModal(data map[string]any) []fieldError {
	c := &checker{}
	base := []string{"data"}
	c.length(at(base, "custom_id"), data["custom_id"], 1, maxCustomID)
	c.length(at(base, "title"), data["title"], 1, maxModalTitle)
	rows := arr(data["components"])
	c.count(at(base, "components"), len(rows), 1, maxModalRows)
	for i, row := range rows {
		rp := at(base, "components", strconv.Itoa(i))
		r := obj(row)
		t, _ := num(r["type"])
		var input map[string]any
		switch t {
		case 1: // action row holding exactly one text input
			kids := arr(r["components"])
			c.count(at(rp, "components"), len(kids), 1, 1)
			if len(kids) > 0 {
				input = obj(kids[0])
				c.length(at(rp, "components", "0", "label"), input["label"], 1, maxTextInputLabel)
				rp = at(rp, "components", "0")
			}
		case 18: // label wrapping one component
			c.length(at(rp, "label"), r["label"], 1, maxTextInputLabel)
			input = obj(r["component"])
			rp = at(rp, "component")
		case 10: // text display
			continue
		default:
			c.add(at(rp, "type"), "BASE_TYPE_CHOICES", "Modals take action rows, labels or text displays.")
			continue
		}
		if input == nil {
			continue
		}
		c.length(at(rp, "custom_id"), input["custom_id"], 1, maxCustomID)
		c.length(at(rp, "value"), input["value"], 0, maxTextInputValue)
		c.length(at(rp, "placeholder"), input["placeholder"], 0, maxSelectText)
	}
	return c.errs
}

// commandNameRE is the documented rule for CHAT_INPUT command and option names.
var commandNameRE = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// checkCommands applies the documented limits to a bulk overwrite body.
func checkCommands(cmds []any) []fieldError {
	c := &checker{}
	perType := map[int]int{}
	names := map[string]bool{}
	for i, raw := range cmds {
		cmd := obj(raw)
		p := []string{strconv.Itoa(i)}
		typ, ok := num(cmd["type"])
		if !ok {
			typ = 1
		}
		perType[typ]++
		name := str(cmd["name"])
		if key := strconv.Itoa(typ) + "/" + name; names[key] {
			c.add(at(p, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		} else {
			names[key] = true
		}
		total := 0
		if typ == 1 {
			checkName(c, at(p, "name"), cmd["name"])
			total += utf8.RuneCountInString(name)
			total += c.length(at(p, "description"), cmd["description"], 1, maxCommandDesc)
			total += checkOptions(c, arr(cmd["options"]), at(p, "options"), 0)
		} else {
			total += c.length(at(p, "name"), cmd["name"], 1, maxCommandName)
			if str(cmd["description"]) != "" {
				c.add(at(p, "description"), "APPLICATION_COMMAND_INVALID_DESCRIPTION", "User and message commands must have an empty description.")
			}
			if len(arr(cmd["options"])) > 0 {
				c.add(at(p, "options"), "APPLICATION_COMMAND_OPTIONS_INVALID", "User and message commands cannot have options.")
			}
		}
		if total > maxCommandTotal {
			c.add(p, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (%d)", maxCommandTotal)
		}
	}
	if perType[1] > maxChatCommands {
		c.add(nil, "BASE_TYPE_MAX_LENGTH", "At most %d chat input commands (got %d).", maxChatCommands, perType[1])
	}
	if perType[2] > maxUserCommands {
		c.add(nil, "BASE_TYPE_MAX_LENGTH", "At most %d user commands (got %d).", maxUserCommands, perType[2])
	}
	if perType[3] > maxMessageCommands {
		c.add(nil, "BASE_TYPE_MAX_LENGTH", "At most %d message commands (got %d).", maxMessageCommands, perType[3])
	}
	return c.errs
}

// checkName applies the CHAT_INPUT naming rule: the regex, and lower case wherever a
// letter has a lower-case form.
func checkName(c *checker, path []string, v any) {
	name, _ := v.(string)
	if !commandNameRE.MatchString(name) || strings.ToLower(name) != name {
		c.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid: %q must match %s and be lower case.", name, commandNameRE)
	}
}

// checkOptions checks one level of command options; depth 0 is the command itself, 1 a
// subcommand or group, 2 a subcommand inside a group. It returns the characters that
// count against the command's 4000 total.
func checkOptions(c *checker, opts []any, path []string, depth int) int {
	c.count(path, len(opts), 0, maxOptions)
	total := 0
	seen := map[string]bool{}
	subs, others, optionalSeen := 0, 0, false
	for i, raw := range opts {
		o := obj(raw)
		op := at(path, strconv.Itoa(i))
		t, _ := num(o["type"])
		name := str(o["name"])
		checkName(c, at(op, "name"), o["name"])
		if seen[name] {
			c.add(at(op, "name"), "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", "Option names must be unique.")
		}
		seen[name] = true
		total += utf8.RuneCountInString(name)
		total += c.length(at(op, "description"), o["description"], 1, maxCommandDesc)
		switch t {
		case 1, 2:
			subs++
			if t == 2 && depth > 0 {
				c.add(at(op, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommand groups can only be at the top level.")
			}
			if t == 1 && depth > 1 {
				c.add(at(op, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommands cannot be nested deeper than a group.")
			}
			kids := arr(o["options"])
			if t == 2 {
				for k, kid := range kids {
					if kt, _ := num(obj(kid)["type"]); kt != 1 {
						c.add(at(op, "options", strconv.Itoa(k), "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommand groups may only contain subcommands.")
					}
				}
			}
			total += checkOptions(c, kids, at(op, "options"), depth+1)
			continue
		}
		others++
		if req, _ := o["required"].(bool); req && optionalSeen {
			c.add(at(op, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
		} else if !req {
			optionalSeen = true
		}
		choices := arr(o["choices"])
		c.count(at(op, "choices"), len(choices), 0, maxChoices)
		for k, ch := range choices {
			cp := at(op, "choices", strconv.Itoa(k))
			checkChoice(c, obj(ch), cp)
			total += utf8.RuneCountInString(str(obj(ch)["name"]))
			total += utf8.RuneCountInString(fmt.Sprint(obj(ch)["value"]))
		}
		if ac, _ := o["autocomplete"].(bool); ac && len(choices) > 0 {
			c.add(at(op, "autocomplete"), "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES", "Autocomplete cannot be enabled on an option that has choices.")
		}
		if v, ok := num(o["min_length"]); ok && (v < 0 || v > 6000) {
			c.add(at(op, "min_length"), "NUMBER_TYPE_MAX", "min_length must be between 0 and 6000.")
		}
		if v, ok := num(o["max_length"]); ok && (v < 1 || v > 6000) {
			c.add(at(op, "max_length"), "NUMBER_TYPE_MAX", "max_length must be between 1 and 6000.")
		}
	}
	if subs > 0 && others > 0 {
		c.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command and sub-command group option types are mutually exclusive to all other types")
	}
	return total
}

// noPingProblems returns why a message body could ping someone. The product promises never
// to ping, so every message-creating or -editing body must carry allowed_mentions
// {"parse":[]} with no users, roles or replied_user. Discord itself would accept the body.
func noPingProblems(m map[string]any, base []string) []string {
	where := strings.Join(at(base, "allowed_mentions"), ".")
	raw, present := m["allowed_mentions"]
	if !present {
		return []string{where + ` is missing, so Discord parses every mention; send {"parse":[]}`}
	}
	am, ok := raw.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf(`%s is %s, not {"parse":[]}`, where, compactJSON(raw))}
	}
	var out []string
	parse, isList := am["parse"].([]any)
	switch {
	case !isList:
		out = append(out, fmt.Sprintf(`%s.parse is %s, must be [] (a nil Go slice marshals as null)`, where, compactJSON(am["parse"])))
	case len(parse) > 0:
		out = append(out, fmt.Sprintf(`%s.parse is %s, must be []`, where, compactJSON(parse)))
	}
	for _, k := range []string{"users", "roles"} {
		if len(arr(am[k])) > 0 {
			out = append(out, fmt.Sprintf("%s.%s lists %s, which would be pinged", where, k, compactJSON(am[k])))
		}
	}
	if rep, _ := am["replied_user"].(bool); rep {
		out = append(out, where+".replied_user is true, which pings the replied-to author")
	}
	return out
}

// replacementChars finds strings containing U+FFFD. encoding/json silently turns invalid
// UTF-8 (typically a multi-byte character cut in half by byte slicing) into U+FFFD, so the
// bytes on the wire are valid while the text is broken.
func replacementChars(v any, path []string, out *[]string) {
	switch t := v.(type) {
	case string:
		if strings.ContainsRune(t, utf8.RuneError) {
			*out = append(*out, strings.Join(path, ".")+" contains U+FFFD (invalid UTF-8 replaced, e.g. a character cut in half)")
		}
	case map[string]any:
		for k, c := range t {
			replacementChars(c, at(path, k), out)
		}
	case []any:
		for i, c := range t {
			replacementChars(c, at(path, strconv.Itoa(i)), out)
		}
	}
}

// badSurrogates reports a \u escape of a lone UTF-16 surrogate in raw JSON: valid JSON
// syntax, but not representable in UTF-8, so the text cannot be valid content.
func badSurrogates(raw []byte) bool {
	hex4 := func(b []byte) (rune, bool) {
		if len(b) < 4 {
			return 0, false
		}
		v, err := strconv.ParseUint(string(b[:4]), 16, 32)
		return rune(v), err == nil
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // skip the escaped character, which may itself be a backslash
			continue
		}
		r, ok := hex4(raw[i+2:])
		if !ok {
			continue
		}
		i += 5
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		case r >= 0xD800 && r <= 0xDBFF:
			if i+2 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' {
				return true
			}
			lo, ok := hex4(raw[i+3:])
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 6
		}
	}
	return false
}
