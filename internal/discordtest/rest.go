package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

const (
	// maxRequestBytes is Discord's documented maximum request size for uploads.
	maxRequestBytes     = 25 << 20
	interactionDeadline = 3 * time.Second
	tokenLifetime       = 15 * time.Minute
)

// call is one REST request on its way through the fake.
type call struct {
	f      *Fake
	r      *http.Request
	req    *Request
	op     *specOp
	params map[string]string
	body   any // parsed JSON, numbers as float64
	files  []Attachment
	vios   []Violation
}

func (c *call) violate(rule, format string, args ...any) {
	c.vios = append(c.vios, Violation{
		Time: c.req.Time, Method: c.req.Method, Path: c.req.Path, Rule: rule, Detail: fmt.Sprintf(format, args...),
	})
}

// reply is an answer to a REST request.
type reply struct {
	status int
	body   any // marshalled as JSON unless raw is set
	raw    []byte
	ctype  string
	header http.Header
}

// apiError is Discord's plain error shape, e.g. {"message":"Unknown Webhook","code":10015}.
func apiError(status, code int, msg string) reply {
	return reply{status: status, body: map[string]any{"message": msg, "code": code}}
}

func formError(errs []fieldError) reply {
	return reply{status: http.StatusBadRequest, body: formErrorBody(errs)}
}

type handler func(f *Fake, c *call) reply

// handlers are the operations the fake implements, keyed by OpenAPI method and template.
var handlers = map[string]handler{
	"GET /gateway":          hGateway,
	"GET /gateway/bot":      hGatewayBot,
	"GET /users/@me":        hMe,
	"GET /applications/@me": hApplication,
	"GET /applications/{application_id}/commands":                         hListCommands,
	"PUT /applications/{application_id}/commands":                         hBulkCommands,
	"GET /applications/{application_id}/guilds/{guild_id}/commands":       hListCommands,
	"PUT /applications/{application_id}/guilds/{guild_id}/commands":       hBulkCommands,
	"POST /interactions/{interaction_id}/{interaction_token}/callback":    hCallback,
	"GET /webhooks/{webhook_id}/{webhook_token}/messages/@original":       hGetOriginal,
	"PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original":     hEditOriginal,
	"DELETE /webhooks/{webhook_id}/{webhook_token}/messages/@original":    hDeleteOriginal,
	"POST /webhooks/{webhook_id}/{webhook_token}":                         hFollowup,
	"GET /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}":    hGetFollowup,
	"PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}":  hEditFollowup,
	"DELETE /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}": hDeleteFollowup,
	"POST /channels/{channel_id}/messages":                                hCreateMessage,
}

var userAgentRE = regexp.MustCompile(`^DiscordBot \(\S+, \S+\)`)

// ServeHTTP serves REST under /api/v9 and /api/v10, the gateway websocket under /ws and
// /ws-resume, and uploaded files under /attachments/.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if websocket.IsWebSocketUpgrade(r) {
		f.serveGateway(w, r)
		return
	}
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/attachments/") {
		f.serveAttachment(w, r)
		return
	}
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	c := &call{f: f, r: r, req: &Request{
		Time: f.now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body,
	}}
	var rep *reply
	var h handler
	if readErr != nil {
		rep = &reply{status: http.StatusBadRequest, body: map[string]any{"message": "could not read body", "code": 0}}
		c.violate(RuleBadRequest, "read body: %v", readErr)
	} else {
		h, rep = f.prepare(c)
	}
	f.mu.Lock()
	if rep == nil {
		r := h(f, c)
		rep = &r
	}
	out := f.finishLocked(c, rep)
	f.mu.Unlock()
	for k, v := range rep.header {
		w.Header()[k] = v
	}
	if len(out) > 0 {
		w.Header().Set("Content-Type", rep.ctype)
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(out)
}

// finishLocked records the request with its answer and wakes waiters, before the answer
// is written, so a bot that sees success always finds its request recorded.
func (f *Fake) finishLocked(c *call, rep *reply) []byte {
	out := rep.raw
	if out == nil && rep.body != nil {
		b, err := json.Marshal(rep.body)
		if err != nil {
			b = []byte(fmt.Sprintf(`{"message":"discordtest: marshal reply: %v","code":0}`, err))
		}
		out = b
		rep.ctype = "application/json"
	}
	if rep.header == nil {
		rep.header = http.Header{}
	}
	if c.req.Fault == "" && c.op != nil {
		// Discord sends bucket headers on every answer; a comfortable budget keeps
		// discordgo's limiter from waiting while still exercising its header parsing.
		setRateHeaders(rep.header, c.op, 50, 49, time.Second, false)
	}
	rep.header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	c.req.Status = rep.status
	c.req.Response = out
	c.req.Seq = len(f.requests) + 1
	f.requests = append(f.requests, c.req)
	f.violations = append(f.violations, c.vios...)
	f.notifyLocked()
	return out
}

func setRateHeaders(h http.Header, op *specOp, limit, remaining int, resetAfter time.Duration, global bool) {
	secs := resetAfter.Seconds()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(resetAfter).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", fmt.Sprintf("%08x", hashString(op.key())))
	if global {
		// discordgo treats any non-empty X-RateLimit-Global as global, so it is only sent when true.
		h.Set("X-RateLimit-Global", "true")
		h.Set("X-RateLimit-Scope", "global")
	} else {
		h.Set("X-RateLimit-Scope", "user")
	}
}

func hashString(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// prepare runs the checks that need no shared state: routing, faults, authentication,
// parsing and schema validation. It returns either the handler to run or a final reply.
func (f *Fake) prepare(c *call) (handler, *reply) {
	fail := func(r reply) (handler, *reply) { return nil, &r }
	rest, version, ok := splitAPIPath(c.r.URL.Path)
	if !ok {
		c.violate(RuleUnknownRoute, "not an API v9/v10 path")
		return fail(apiError(http.StatusNotFound, 0, "404: Not Found"))
	}
	c.req.APIVersion = version
	op, params, pathKnown := f.spec.match(c.r.Method, rest)
	if op == nil {
		if pathKnown {
			c.violate(RuleUnknownRoute, "method %s not allowed on %s", c.r.Method, rest)
			return fail(apiError(http.StatusMethodNotAllowed, 0, "405: Method Not Allowed"))
		}
		c.violate(RuleUnknownRoute, "no route %s %s in Discord's API", c.r.Method, rest)
		return fail(apiError(http.StatusNotFound, 0, "404: Not Found"))
	}
	c.op, c.params = op, params
	c.req.Route, c.req.Params = op.key(), params
	if r := f.takeFault(c); r != nil {
		return nil, r
	}
	if r := f.checkAuth(c); r != nil {
		return nil, r
	}
	if ua := c.r.Header.Get("User-Agent"); !userAgentRE.MatchString(ua) {
		c.violate(RuleUserAgent, "User-Agent %q is not of the form \"DiscordBot ($url, $version)\"", ua)
	}
	for name, v := range params {
		if strings.HasSuffix(name, "_id") && !isSnowflake(v) && !(name == "application_id" && v == "@me") {
			c.violate(RuleBadRequest, "path parameter %s=%q is not a snowflake", name, v)
			return fail(formError([]fieldError{{path: []string{name}, code: "NUMBER_TYPE_COERCE", message: fmt.Sprintf("Value %q is not snowflake.", v)}}))
		}
	}
	if len(c.req.Body) > maxRequestBytes {
		c.violate(RuleLimit, "request body exceeds %d bytes", maxRequestBytes)
		return fail(apiError(http.StatusRequestEntityTooLarge, 40005, "Request entity too large"))
	}
	if r := f.parseBody(c); r != nil {
		return nil, r
	}
	h := handlers[op.key()]
	if h == nil {
		c.violate(RuleUnimplemented, "%s is a real Discord route, but discordtest does not serve it yet", op.key())
		return fail(apiError(http.StatusNotFound, 0, "404: Not Found"))
	}
	return h, nil
}

// splitAPIPath turns /api/v10/users/@me into (/users/@me, "10").
func splitAPIPath(p string) (rest, version string, ok bool) {
	for _, v := range []string{"10", "9"} {
		prefix := "/api/v" + v
		if strings.HasPrefix(p, prefix+"/") {
			return strings.TrimSuffix(p[len(prefix):], "/"), v, true
		}
	}
	return "", "", false
}

func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// checkAuth enforces "Authorization: Bot <token>" except where the OpenAPI document allows
// no authorization (webhook and interaction routes, which carry a token in the URL). A
// header that is present must be right even there.
func (f *Fake) checkAuth(c *call) *reply {
	got := c.r.Header.Get("Authorization")
	if got == "" && c.op.authOptional {
		return nil
	}
	if got == "Bot "+f.cfg.token {
		return nil
	}
	switch {
	case got == "":
		c.violate(RuleAuth, "no Authorization header")
	case got == f.cfg.token:
		c.violate(RuleAuth, `Authorization lacks the "Bot " prefix`)
	default:
		c.violate(RuleAuth, "Authorization header does not carry the fake's bot token")
	}
	r := apiError(http.StatusUnauthorized, 0, "401: Unauthorized")
	return &r
}

// parseBody decodes JSON or multipart/form-data (payload_json + files[n]) and validates
// the JSON against the operation's OpenAPI schema.
func (f *Fake) parseBody(c *call) *reply {
	fail := func(r reply) *reply { return &r }
	body := c.req.Body
	if len(body) == 0 {
		if c.op.bodyRequired {
			c.violate(RuleOpenAPI, "request body is required")
			return fail(formError([]fieldError{{code: "BASE_TYPE_REQUIRED", message: "This field is required"}}))
		}
		return nil
	}
	if len(c.op.media) == 0 {
		c.violate(RuleBadRequest, "%s takes no request body, got %d bytes", c.op.key(), len(body))
		return nil
	}
	media, mparams, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil {
		c.violate(RuleBadRequest, "Content-Type %q: %v", c.r.Header.Get("Content-Type"), err)
		return fail(apiError(http.StatusBadRequest, 50035, "Invalid Form Body"))
	}
	accepted := false
	for _, m := range c.op.media {
		accepted = accepted || m == media
	}
	if !accepted {
		c.violate(RuleBadRequest, "Content-Type %s not accepted by %s (accepts %s)", media, c.op.key(), strings.Join(c.op.media, ", "))
		return fail(apiError(http.StatusBadRequest, 50035, "Invalid Form Body"))
	}
	raw := body
	if media == "multipart/form-data" {
		raw, err = c.readMultipart(mparams["boundary"])
		if err != nil {
			c.violate(RuleBadRequest, "multipart body: %v", err)
			return fail(apiError(http.StatusBadRequest, 50035, "Invalid Form Body"))
		}
		c.req.Attachments = c.files
		if raw == nil {
			// Files alone are a valid message; the message rules still apply.
			return f.checkDocumented(c, nil)
		}
	} else if media != "application/json" {
		c.violate(RuleUnimplemented, "discordtest only parses JSON and multipart bodies, got %s", media)
		return fail(apiError(http.StatusBadRequest, 50035, "Invalid Form Body"))
	}
	if !utf8.Valid(raw) {
		c.violate(RuleUTF8, "body is not valid UTF-8")
		return fail(apiError(http.StatusBadRequest, 50109, "The request body contains invalid JSON."))
	}
	if badSurrogates(raw) {
		c.violate(RuleUTF8, "body escapes a lone UTF-16 surrogate (\\uD800-\\uDFFF), which is not valid text")
		return fail(apiError(http.StatusBadRequest, 50109, "The request body contains invalid JSON."))
	}
	if err := json.Unmarshal(raw, &c.body); err != nil {
		c.violate(RuleBadRequest, "body is not JSON: %v", err)
		return fail(apiError(http.StatusBadRequest, 50109, "The request body contains invalid JSON."))
	}
	c.req.JSON = c.body
	var fffd []string
	replacementChars(c.body, nil, &fffd)
	for _, d := range fffd {
		c.violate(RuleUTF8, "%s", d)
	}
	precise, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		c.violate(RuleBadRequest, "body is not JSON: %v", err)
		return fail(apiError(http.StatusBadRequest, 50109, "The request body contains invalid JSON."))
	}
	errs, err := f.spec.validateBody(c.op, precise)
	if err != nil {
		// A schema the validator cannot compile is the fake's problem, not the bot's.
		f.t.Errorf("discordtest: %v", err)
		return nil
	}
	for _, e := range errs {
		c.violate(RuleOpenAPI, "%s", e)
	}
	return f.checkDocumented(c, errs)
}

// checkDocumented applies the documented limits, which Discord enforces beyond the OpenAPI
// document, and answers with every form error at once as Discord does. Bodies that pass
// are then checked for empty messages and for the no-ping promise.
func (f *Fake) checkDocumented(c *call, specErrs []fieldError) *reply {
	body := obj(c.body)
	var msg map[string]any // the message-creating or -editing part of the body, if any
	var base []string
	create := false
	var errs []fieldError
	switch c.op.key() {
	case "POST /channels/{channel_id}/messages", "POST /webhooks/{webhook_id}/{webhook_token}":
		msg, create = body, true
	case "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original",
		"PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}":
		msg = body
	case "PUT /applications/{application_id}/commands", "PUT /applications/{application_id}/guilds/{guild_id}/commands":
		errs = checkCommands(arr(c.body))
	case "POST /interactions/{interaction_id}/{interaction_token}/callback":
		typ, _ := num(body["type"])
		data := obj(body["data"])
		switch typ {
		case 4:
			msg, base, create = data, []string{"data"}, true
		case 7:
			if data != nil {
				msg, base = data, []string{"data"}
			}
		case 8:
			errs = checkAutocomplete(data)
		case 9:
			errs = checkModal(data)
		}
	}
	if msg == nil && create {
		msg = map[string]any{}
	}
	if msg != nil {
		errs = append(errs, checkMessage(msg, base, len(c.files))...)
	}
	for _, e := range errs {
		c.violate(RuleLimit, "%s", e)
	}
	if all := mergeErrors(specErrs, errs); len(all) > 0 {
		r := formError(all)
		return &r
	}
	if msg == nil {
		return nil
	}
	if create && emptyMessage(msg, len(c.files)) {
		c.violate(RuleEmptyMessage, "message has no content, embeds, components, stickers, poll or files")
		r := apiError(http.StatusBadRequest, 50006, "Cannot send an empty message")
		return &r
	}
	for _, p := range noPingProblems(msg, base) {
		c.violate(RuleAllowedMentions, "%s", p)
	}
	return nil
}

// mergeErrors joins schema and limit errors, dropping exact repeats.
func mergeErrors(a, b []fieldError) []fieldError {
	seen := map[string]bool{}
	var out []fieldError
	for _, e := range append(append([]fieldError(nil), a...), b...) {
		k := strings.Join(e.path, "\x00") + "\x00" + e.code
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// readMultipart returns payload_json and collects files[n] parts into c.files.
func (c *call) readMultipart(boundary string) ([]byte, error) {
	if boundary == "" {
		return nil, fmt.Errorf("no boundary in Content-Type")
	}
	mr := multipart.NewReader(bytes.NewReader(c.req.Body), boundary)
	var payload []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return payload, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read part: %w", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, fmt.Errorf("read part %q: %w", part.FormName(), err)
		}
		name := part.FormName()
		switch {
		case name == "payload_json":
			payload = data
		case strings.HasPrefix(name, "files[") && strings.HasSuffix(name, "]"):
			if _, err := strconv.Atoi(name[len("files[") : len(name)-1]); err != nil {
				return nil, fmt.Errorf("file field %q is not files[n]", name)
			}
			c.files = append(c.files, Attachment{
				Field: name, Filename: part.FileName(), ContentType: part.Header.Get("Content-Type"), Data: data,
			})
		default:
			c.violate(RuleUnimplemented, "multipart field %q is ignored: discordtest reads payload_json and files[n]", name)
		}
	}
}

// Fault is an injected REST failure.
type Fault struct {
	// Route limits the fault to one operation, written as in the OpenAPI document, e.g.
	// "POST /channels/{channel_id}/messages"; empty matches every REST request.
	Route      string
	Count      int           // how many requests fail; at least 1
	Status     int           // 429, 502 or another error status
	RetryAfter time.Duration // 429 only; default 50 ms
	Global     bool          // 429 only: a global rate limit
	// Skip lets this many matching requests through before the fault
	// starts: a failure in the middle of a sequence, such as the second
	// message of a digest.
	Skip int
}

// InjectFault makes the next Count matching REST requests fail. A fault answers before
// authentication and validation, as Discord's edge does, and is not a violation.
func (f *Fake) InjectFault(ft Fault) {
	if ft.Route != "" {
		if _, ok := f.spec.byKey[ft.Route]; !ok {
			f.t.Errorf("discordtest: InjectFault: %q is not an operation of Discord's API (write it like %q)", ft.Route, "POST /channels/{channel_id}/messages")
			return
		}
	}
	if ft.Count < 1 {
		ft.Count = 1
	}
	if ft.Status == http.StatusTooManyRequests && ft.RetryAfter <= 0 {
		ft.RetryAfter = 50 * time.Millisecond
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, &ft)
}

// RateLimitNext answers the next n REST requests with 429.
func (f *Fake) RateLimitNext(n int, retryAfter time.Duration) {
	f.InjectFault(Fault{Count: n, Status: http.StatusTooManyRequests, RetryAfter: retryAfter})
}

// RateLimitRoute answers the next n requests of one route with 429.
func (f *Fake) RateLimitRoute(route string, n int, retryAfter time.Duration) {
	f.InjectFault(Fault{Route: route, Count: n, Status: http.StatusTooManyRequests, RetryAfter: retryAfter})
}

// BadGatewayNext answers the next n REST requests with 502, as Cloudflare does.
func (f *Fake) BadGatewayNext(n int) {
	f.InjectFault(Fault{Count: n, Status: http.StatusBadGateway})
}

func (f *Fake) takeFault(c *call) *reply {
	f.mu.Lock()
	var ft *Fault
	for i, cand := range f.faults {
		if cand.Route == "" || cand.Route == c.op.key() {
			if cand.Skip > 0 {
				cand.Skip--
				break
			}
			ft = cand
			if cand.Count--; cand.Count == 0 {
				f.faults = append(f.faults[:i:i], f.faults[i+1:]...)
			}
			break
		}
	}
	f.mu.Unlock()
	if ft == nil {
		return nil
	}
	c.req.Fault = strconv.Itoa(ft.Status)
	switch ft.Status {
	case http.StatusTooManyRequests:
		h := http.Header{}
		setRateHeaders(h, c.op, 5, 0, ft.RetryAfter, ft.Global)
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(ft.RetryAfter.Seconds()))))
		return &reply{status: ft.Status, header: h, body: map[string]any{
			"message": "You are being rate limited.", "retry_after": ft.RetryAfter.Seconds(), "global": ft.Global,
		}}
	case http.StatusBadGateway:
		return &reply{status: ft.Status, ctype: "text/html", raw: []byte("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>\n")}
	default:
		r := apiError(ft.Status, 0, fmt.Sprintf("%d: %s", ft.Status, http.StatusText(ft.Status)))
		return &r
	}
}

func (f *Fake) serveAttachment(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	a, ok := f.files[r.URL.Path]
	f.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ContentType)
	_, _ = w.Write(a.Data)
}

func (f *Fake) botUserJSON() map[string]any {
	return map[string]any{
		"id": f.cfg.botID, "username": f.cfg.botName, "discriminator": "0", "global_name": nil,
		"avatar": nil, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0, "public_flags": 0,
	}
}

func hGateway(f *Fake, c *call) reply {
	return reply{status: http.StatusOK, body: map[string]any{"url": f.GatewayURL()}}
}

func hGatewayBot(f *Fake, c *call) reply {
	return reply{status: http.StatusOK, body: map[string]any{
		"url": f.GatewayURL(), "shards": 1,
		"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
	}}
}

func hMe(f *Fake, c *call) reply { return reply{status: http.StatusOK, body: f.botUserJSON()} }

func hApplication(f *Fake, c *call) reply {
	return reply{status: http.StatusOK, body: map[string]any{
		"id": f.cfg.appID, "name": f.cfg.botName, "icon": nil, "description": "", "bot_public": false,
		"bot_require_code_grant": false, "verify_key": strings.Repeat("0", 64), "flags": 0, "bot": f.botUserJSON(),
	}}
}

func (f *Fake) checkApp(c *call) *reply {
	if c.params["application_id"] == f.cfg.appID {
		return nil
	}
	c.violate(RuleBadRequest, "application_id %s is not the fake's application %s", c.params["application_id"], f.cfg.appID)
	r := apiError(http.StatusForbidden, 50001, "Missing Access")
	return &r
}

func hListCommands(f *Fake, c *call) reply {
	if r := f.checkApp(c); r != nil {
		return *r
	}
	out := []any{}
	for _, cmd := range f.commands[c.params["guild_id"]] {
		out = append(out, f.commandJSON(cmd))
	}
	return reply{status: http.StatusOK, body: out}
}

func hBulkCommands(f *Fake, c *call) reply {
	if r := f.checkApp(c); r != nil {
		return *r
	}
	list := arr(c.body)
	if errs := checkCommands(list); len(errs) > 0 {
		for _, e := range errs {
			c.violate(RuleLimit, "%s", e)
		}
		return formError(errs)
	}
	guild := c.params["guild_id"]
	prev := map[string]string{}
	for _, old := range f.commands[guild] {
		prev[fmt.Sprint(old.Type, "/", old.Name)] = old.ID
	}
	var cmds []Command
	out := []any{}
	for _, raw := range list {
		body := obj(raw)
		typ, ok := num(body["type"])
		if !ok {
			typ = 1
		}
		cmd := Command{GuildID: guild, Type: typ, Name: str(body["name"]), Body: body}
		// Discord keeps the ID of a command that is overwritten under the same name and type.
		if id, ok := prev[fmt.Sprint(typ, "/", cmd.Name)]; ok {
			cmd.ID = id
		} else {
			cmd.ID = f.newIDLocked()
		}
		cmds = append(cmds, cmd)
		out = append(out, f.commandJSON(cmd))
	}
	f.commands[guild] = cmds
	f.overwrites[guild]++
	return reply{status: http.StatusOK, body: out}
}

func (f *Fake) commandJSON(cmd Command) map[string]any {
	out := map[string]any{}
	for k, v := range cmd.Body {
		out[k] = v
	}
	out["id"] = cmd.ID
	out["application_id"] = f.cfg.appID
	out["version"] = cmd.ID
	out["type"] = cmd.Type
	if cmd.GuildID != "" {
		out["guild_id"] = cmd.GuildID
	}
	if _, ok := out["description"]; !ok {
		out["description"] = ""
	}
	if _, ok := out["nsfw"]; !ok {
		out["nsfw"] = false
	}
	return out
}

func hCreateMessage(f *Fake, c *call) reply {
	body := obj(c.body)
	// enforce_nonce: a message with the same nonce in the channel within a
	// few minutes is not created again; Discord answers with the first.
	nonce := fmt.Sprint(body["nonce"])
	enforce, _ := body["enforce_nonce"].(bool)
	if enforce && body["nonce"] != nil {
		for _, old := range f.channelMsgs[c.params["channel_id"]] {
			if old.Body != nil && fmt.Sprint(old.Body["nonce"]) == nonce && f.now().Sub(old.CreatedAt) < nonceWindow {
				return reply{status: http.StatusOK, body: f.messageJSON(old)}
			}
		}
	}
	m := f.createMessageLocked(c.params["channel_id"], "channel", "", body, c.files)
	return reply{status: http.StatusOK, body: f.messageJSON(m)}
}

// nonceWindow is how long Discord remembers an enforced nonce ("the past few
// minutes"); the fake keeps it for five.
const nonceWindow = 5 * time.Minute

// createMessageLocked stores a new message; f.mu must be held.
func (f *Fake) createMessageLocked(channelID, kind, interactionID string, body map[string]any, files []Attachment) *message {
	if body == nil {
		body = map[string]any{}
	}
	m := &message{Message: Message{
		ID: f.newIDLocked(), ChannelID: channelID, Kind: kind, InteractionID: interactionID, CreatedAt: f.now(),
	}}
	m.setBody(body)
	m.Attachments = f.storeFilesLocked(m, nil, files)
	f.messages[m.ID] = m
	if channelID != "" {
		f.channelMsgs[channelID] = append(f.channelMsgs[channelID], m)
	}
	return m
}

func (m *message) setBody(body map[string]any) {
	m.Body = body
	m.Content = str(body["content"])
	m.Flags, _ = num(body["flags"])
}

// editMessageLocked applies a PATCH: fields present in patch replace the message's.
// Existing files are kept unless patch lists "attachments", which names the ones to keep.
func (f *Fake) editMessageLocked(m *message, patch map[string]any, files []Attachment) {
	merged := map[string]any{}
	for k, v := range m.Body {
		merged[k] = v
	}
	for k, v := range patch {
		merged[k] = v
	}
	if _, ok := patch["flags"]; !ok && m.Flags&msgFlagLoading != 0 {
		// The first edit of a deferred response ends its "thinking" state.
		merged["flags"] = float64(m.Flags &^ msgFlagLoading)
	}
	m.setBody(merged)
	keep := m.Attachments
	if list, ok := patch["attachments"].([]any); ok {
		ids := map[string]bool{}
		for _, a := range list {
			ids[fmt.Sprint(obj(a)["id"])] = true
		}
		keep = nil
		for _, a := range m.Attachments {
			if ids[a.ID] {
				keep = append(keep, a)
			}
		}
	}
	m.Attachments = f.storeFilesLocked(m, keep, files)
	m.Edits++
	m.editedAt = f.now()
}

const msgFlagLoading = 1 << 7

func (f *Fake) storeFilesLocked(m *message, keep, files []Attachment) []Attachment {
	out := append([]Attachment(nil), keep...)
	for _, a := range files {
		a.ID = f.newIDLocked()
		path := fmt.Sprintf("/attachments/%s/%s/%s", m.ChannelID, a.ID, a.Filename)
		a.URL = f.srv.URL + path
		f.files[path] = a
		out = append(out, a)
	}
	return out
}

func (f *Fake) messageJSON(m *message) map[string]any {
	list := func(k string) any {
		if v, ok := m.Body[k].([]any); ok {
			return v
		}
		return []any{}
	}
	atts := []any{}
	for _, a := range m.Attachments {
		atts = append(atts, map[string]any{
			"id": a.ID, "filename": a.Filename, "size": len(a.Data), "url": a.URL, "proxy_url": a.URL, "content_type": a.ContentType,
		})
	}
	out := map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "type": 0, "content": m.Content, "author": f.botUserJSON(),
		"timestamp": m.CreatedAt.UTC().Format(time.RFC3339Nano), "edited_timestamp": nil, "tts": false,
		"mention_everyone": false, "mentions": []any{}, "mention_roles": []any{}, "pinned": false,
		"embeds": list("embeds"), "components": list("components"), "attachments": atts, "flags": m.Flags,
	}
	if !m.editedAt.IsZero() {
		out["edited_timestamp"] = m.editedAt.UTC().Format(time.RFC3339Nano)
	}
	if m.InteractionID != "" {
		out["webhook_id"] = f.cfg.appID
		out["application_id"] = f.cfg.appID
		if m.Kind == "original" {
			out["type"] = 20 // CHAT_INPUT_COMMAND
		}
	}
	return out
}

// allowedCallbacks lists the callback types Discord accepts per interaction type.
var allowedCallbacks = map[int][]int{
	2: {4, 5, 9, 12},       // APPLICATION_COMMAND
	3: {4, 5, 6, 7, 9, 12}, // MESSAGE_COMPONENT
	4: {8},                 // APPLICATION_COMMAND_AUTOCOMPLETE
	5: {4, 5, 6, 7},        // MODAL_SUBMIT
}

func hCallback(f *Fake, c *call) reply {
	it := f.interacts[c.params["interaction_id"]]
	if it == nil || it.sent.Token != c.params["interaction_token"] {
		c.violate(RuleUnknownInteraction, "interaction %s with this token was never sent", c.params["interaction_id"])
		return apiError(http.StatusNotFound, 10062, "Unknown interaction")
	}
	if it.callback != nil {
		c.violate(RuleInteractionTwice, "interaction %s was already acknowledged (callback type %d)", it.sent.ID, it.cbType)
		return apiError(http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
	}
	start := it.deliveredAt
	if start.IsZero() {
		start = it.sentAt
	}
	if late := c.req.Time.Sub(start); late > interactionDeadline {
		it.flagged = true // reported here, not again as unanswered
		c.violate(RuleInteractionLate, "callback for interaction %s came %v after delivery; Discord allows %v", it.sent.ID, late.Round(time.Millisecond), interactionDeadline)
		return apiError(http.StatusNotFound, 10062, "Unknown interaction")
	}
	body := obj(c.body)
	typ, _ := num(body["type"])
	allowed := false
	for _, t := range allowedCallbacks[it.typ] {
		allowed = allowed || t == typ
	}
	if !allowed {
		c.violate(RuleCallbackType, "callback type %d is not allowed for interaction type %d (allowed: %v)", typ, it.typ, allowedCallbacks[it.typ])
		return formError([]fieldError{{path: []string{"type"}, code: "INTERACTION_CALLBACK_TYPE_INVALID", message: fmt.Sprintf("Interaction callback type %d is not valid for this interaction.", typ)}})
	}
	data := obj(body["data"])
	it.callback, it.cbType, it.cbData = c.req, typ, data
	switch typ {
	case 4:
		it.original = f.createMessageLocked(it.channelID, "original", it.sent.ID, data, c.files)
	case 5:
		flags, _ := num(data["flags"])
		it.original = f.createMessageLocked(it.channelID, "original", it.sent.ID, map[string]any{"flags": float64(flags | msgFlagLoading)}, nil)
	case 6, 7:
		it.original = f.componentMessageLocked(it)
		if typ == 7 && data != nil {
			f.editMessageLocked(it.original, data, c.files)
		}
	}
	if c.req.Query.Get("with_response") != "true" {
		return reply{status: http.StatusNoContent}
	}
	res := map[string]any{"type": typ}
	inter := map[string]any{"id": it.sent.ID, "type": it.typ, "activity_instance_id": nil}
	if it.original != nil {
		res["message"] = f.messageJSON(it.original)
		inter["response_message_id"] = it.original.ID
		inter["response_message_loading"] = typ == 5
		inter["response_message_ephemeral"] = it.original.Flags&msgFlagEphemeral != 0
	}
	return reply{status: http.StatusOK, body: map[string]any{"interaction": inter, "resource": res}}
}

// componentMessageLocked returns the message a component interaction came from, which
// DEFERRED_UPDATE_MESSAGE and UPDATE_MESSAGE make the interaction's @original.
func (f *Fake) componentMessageLocked(it *interaction) *message {
	src := obj(it.sent.Payload["message"])
	id := str(src["id"])
	if m, ok := f.messages[id]; ok {
		return m
	}
	if id == "" {
		id = f.newIDLocked()
	}
	m := &message{Message: Message{ID: id, ChannelID: it.channelID, Kind: "channel", CreatedAt: f.now()}}
	m.setBody(src)
	f.messages[id] = m
	return m
}

// webhookInteraction resolves /webhooks/{app}/{token}: interaction tokens are the only
// webhooks the fake knows.
func (f *Fake) webhookInteraction(c *call) (*interaction, *reply) {
	it := f.byToken[c.params["webhook_token"]]
	if it == nil || c.params["webhook_id"] != f.cfg.appID {
		c.violate(RuleUnknownWebhook, "no interaction with this token for application %s", c.params["webhook_id"])
		r := apiError(http.StatusNotFound, 10015, "Unknown Webhook")
		return nil, &r
	}
	if age := c.req.Time.Sub(it.sentAt); age > tokenLifetime {
		c.violate(RuleInteractionExpired, "token of interaction %s used %v after it was created; tokens live %v", it.sent.ID, age.Round(time.Second), tokenLifetime)
		r := apiError(http.StatusUnauthorized, 50027, "Invalid Webhook Token")
		return nil, &r
	}
	return it, nil
}

// originalMessage resolves @original, which exists only once a callback created or
// adopted a message.
func (f *Fake) originalMessage(c *call) (*interaction, *reply) {
	it, r := f.webhookInteraction(c)
	if r != nil {
		return nil, r
	}
	if it.callback == nil {
		c.violate(RuleUnknownWebhook, "@original of interaction %s used before its callback", it.sent.ID)
		r := apiError(http.StatusNotFound, 10015, "Unknown Webhook")
		return nil, &r
	}
	if it.original == nil || it.original.Deleted {
		c.violate(RuleUnknownWebhook, "interaction %s has no @original message (callback type %d, or deleted)", it.sent.ID, it.cbType)
		r := apiError(http.StatusNotFound, 10008, "Unknown Message")
		return nil, &r
	}
	return it, nil
}

func hGetOriginal(f *Fake, c *call) reply {
	it, r := f.originalMessage(c)
	if r != nil {
		return *r
	}
	return reply{status: http.StatusOK, body: f.messageJSON(it.original)}
}

func hEditOriginal(f *Fake, c *call) reply {
	it, r := f.originalMessage(c)
	if r != nil {
		return *r
	}
	f.editMessageLocked(it.original, obj(c.body), c.files)
	it.edits = append(it.edits, c.req)
	return reply{status: http.StatusOK, body: f.messageJSON(it.original)}
}

func hDeleteOriginal(f *Fake, c *call) reply {
	it, r := f.originalMessage(c)
	if r != nil {
		return *r
	}
	it.original.Deleted = true
	return reply{status: http.StatusNoContent}
}

func hFollowup(f *Fake, c *call) reply {
	it, r := f.webhookInteraction(c)
	if r != nil {
		return *r
	}
	if it.callback == nil {
		c.violate(RuleUnknownWebhook, "follow-up for interaction %s before its callback", it.sent.ID)
		return apiError(http.StatusNotFound, 10015, "Unknown Webhook")
	}
	m := f.createMessageLocked(it.channelID, "followup", it.sent.ID, obj(c.body), c.files)
	it.followups = append(it.followups, m)
	if c.req.Query.Get("wait") != "true" {
		return reply{status: http.StatusNoContent}
	}
	return reply{status: http.StatusOK, body: f.messageJSON(m)}
}

// followupMessage resolves /messages/{message_id} to a message of this interaction.
func (f *Fake) followupMessage(c *call) (*message, *reply) {
	it, r := f.webhookInteraction(c)
	if r != nil {
		return nil, r
	}
	id := c.params["message_id"]
	var found *message
	if it.original != nil && it.original.ID == id {
		found = it.original
	}
	for _, m := range it.followups {
		if m.ID == id {
			found = m
		}
	}
	if found == nil || found.Deleted {
		c.violate(RuleUnknownWebhook, "message %s is not a live message of interaction %s", id, it.sent.ID)
		r := apiError(http.StatusNotFound, 10008, "Unknown Message")
		return nil, &r
	}
	return found, nil
}

func hGetFollowup(f *Fake, c *call) reply {
	m, r := f.followupMessage(c)
	if r != nil {
		return *r
	}
	return reply{status: http.StatusOK, body: f.messageJSON(m)}
}

func hEditFollowup(f *Fake, c *call) reply {
	m, r := f.followupMessage(c)
	if r != nil {
		return *r
	}
	f.editMessageLocked(m, obj(c.body), c.files)
	return reply{status: http.StatusOK, body: f.messageJSON(m)}
}

func hDeleteFollowup(f *Fake, c *call) reply {
	m, r := f.followupMessage(c)
	if r != nil {
		return *r
	}
	m.Deleted = true
	return reply{status: http.StatusNoContent}
}
