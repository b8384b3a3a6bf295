// Package fetch makes every outgoing request newsbot makes for content: the
// pages and feeds that moderators and feeds point at, and members'
// attachments. Safely: one address policy (public addresses only, checked on
// the address actually dialed, after every DNS answer and redirect), bounded
// in time and size; pages and feeds in text types only, decoded to UTF-8.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsbot/newsbot/config"
)

// MaxRedirects is how many redirects one request follows.
const MaxRedirects = 5

// Media types to pass to Get as accept, for the Accept header.
var (
	// FeedTypes asks for a feed.
	FeedTypes = []string{"application/rss+xml", "application/atom+xml", "application/feed+json", "application/xml;q=0.9", "text/xml;q=0.9"}
	// PageTypes asks for an article page.
	PageTypes = []string{"text/html", "application/xhtml+xml", "text/markdown;q=0.9", "text/plain;q=0.8"}
)

// Fetcher makes requests for feeds, article pages and attachments. It is
// safe for concurrent use.
type Fetcher struct {
	client    *http.Client
	allow     map[string]bool
	timeout   time.Duration
	maxBytes  int64
	userAgent string
	log       *slog.Logger

	resolver Resolver

	// The hooks below are replaced by tests (export_test.go) to route
	// made-up public addresses to a local server; the policy still applies to
	// what they are given.
	dial func(ctx context.Context, network, host, addr string) (net.Conn, error)
	now  func() time.Time
}

// New makes a Fetcher from the fetch section of the configuration. Zero
// values take the defaults of config.Default.
func New(cfg config.Fetch) *Fetcher {
	def := config.Default().Fetch
	f := &Fetcher{
		allow:     map[string]bool{},
		timeout:   cfg.Timeout,
		maxBytes:  cfg.MaxBytes,
		userAgent: cfg.UserAgent,
		log:       slog.New(slog.DiscardHandler),
		resolver:  net.DefaultResolver,
		now:       time.Now,
	}
	if f.timeout <= 0 {
		f.timeout = def.Timeout
	}
	if f.maxBytes <= 0 {
		f.maxBytes = def.MaxBytes
	}
	if f.userAgent == "" {
		f.userAgent = def.UserAgent
	}
	for _, h := range cfg.AllowHosts {
		f.allow[normHost(h)] = true
	}
	f.dial = f.dialIP
	tr := &http.Transport{
		// Never through a proxy: the proxy would do the dialing and our
		// address checks would see only the proxy.
		Proxy:                  nil,
		DialContext:            f.dialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  f.timeout,
		MaxIdleConns:           16,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 256 << 10,
		// We ask for gzip ourselves so the size cap applies to the
		// decompressed stream and a server that compresses unasked is
		// handled the same way.
		DisableCompression: true,
	}
	f.client = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f
}

// SetLogger sets where the fetcher logs its requests (at debug level).
func (f *Fetcher) SetLogger(l *slog.Logger) {
	if l != nil {
		f.log = l
	}
}

// Request is one GET with its conditional headers.
type Request struct {
	URL string
	// Accept lists media types for the Accept header (FeedTypes, PageTypes).
	Accept []string
	// ETag and LastModified are the validators of an earlier response; the
	// server answers 304 Not Modified when nothing changed.
	ETag         string
	LastModified string
	// Hosts, when set, are the only hosts the request and its redirects may
	// reach, besides those fetch.allow_hosts lists; their addresses must
	// still be public.
	Hosts []string
}

// Response is a fetched document.
type Response struct {
	// URL is the final address, after redirects.
	URL    string
	Status int
	Header http.Header
	// NotModified is set for a 304 answer to a conditional request; Body is
	// then empty.
	NotModified bool
	// ContentType is the media type without parameters, lower case (sniffed
	// when the server sent none or application/octet-stream).
	ContentType string
	// Charset is the encoding Body was decoded from.
	Charset string
	// Body is the decoded document in UTF-8.
	Body []byte
	// ETag and LastModified are the validators to send next time.
	ETag         string
	LastModified string
}

// Get fetches a URL. accept lists the media types to ask for; see Do.
func (f *Fetcher) Get(ctx context.Context, rawURL string, accept ...string) (*Response, error) {
	return f.Do(ctx, Request{URL: rawURL, Accept: accept})
}

// StatusError is an HTTP answer other than success, 304 or a Retry-After.
type StatusError struct {
	URL    string
	Status int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fetch: %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// RetryAfterError is a 429 Too Many Requests, or a 503 Service Unavailable
// with a Retry-After header: the server asked us to come back later. Delay is
// zero when a 429 did not say how long to wait.
type RetryAfterError struct {
	URL    string
	Status int
	Delay  time.Duration
}

func (e *RetryAfterError) Error() string {
	if e.Delay <= 0 {
		return fmt.Sprintf("fetch: %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("fetch: %s: HTTP %d %s, retry after %s", e.URL, e.Status, http.StatusText(e.Status), e.Delay)
}

// Errors a request can end with, besides RefusedError, StatusError and
// RetryAfterError. Test with errors.Is.
var (
	ErrTooLarge         = errors.New("response is over the size limit (fetch.max_bytes)")
	ErrTimeout          = errors.New("no complete response within the time limit")
	ErrTooManyRedirects = fmt.Errorf("stopped after %d redirects", MaxRedirects)
	ErrRedirectLoop     = errors.New("redirect loop")
	ErrContentType      = errors.New("not a page or a feed")
)

// Do fetches one document. Every address it connects to, the first and each
// redirect's, must pass the policy (public, unless fetch.allow_hosts lists
// the host); the whole exchange, body included, must finish within
// fetch.timeout, and the body (decompressed) must fit in fetch.max_bytes.
func (f *Fetcher) Do(ctx context.Context, r Request) (*Response, error) {
	resp, tctx, cancel, err := f.send(ctx, r)
	if err != nil {
		return nil, err
	}
	defer cancel()
	defer resp.Body.Close()
	final := resp.Request.URL.String()

	out := &Response{
		URL:          final,
		Status:       resp.StatusCode,
		Header:       resp.Header,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		if out.ETag == "" {
			out.ETag = r.ETag
		}
		if out.LastModified == "" {
			out.LastModified = r.LastModified
		}
		return out, nil
	case resp.StatusCode == http.StatusTooManyRequests,
		resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
		return nil, &RetryAfterError{URL: final, Status: resp.StatusCode, Delay: retryAfter(resp.Header.Get("Retry-After"), f.now())}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, &StatusError{URL: final, Status: resp.StatusCode}
	}
	if err := f.readBody(resp, out); err != nil {
		return nil, f.bodyError(ctx, tctx, final, err)
	}
	return out, nil
}

// File downloads a file as it is, of any type and undecoded (a member's
// attachment, which the article parser reads by its own name and type), up
// to maxBytes. hosts are the only hosts it may come from, besides those
// fetch.allow_hosts lists; the same address policy, redirect checks and
// time limit as Do apply.
func (f *Fetcher) File(ctx context.Context, rawURL string, hosts []string, maxBytes int64) ([]byte, error) {
	resp, tctx, cancel, err := f.send(ctx, Request{URL: rawURL, Accept: []string{"*/*"}, Hosts: hosts})
	if err != nil {
		return nil, err
	}
	defer cancel()
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &StatusError{URL: final, Status: resp.StatusCode}
	}
	if resp.ContentLength > maxBytes {
		return nil, fmt.Errorf("fetch: %s: %w: %d bytes declared, the limit is %d", final, ErrTooLarge, resp.ContentLength, maxBytes)
	}
	data, err := readLimited(resp.Body, resp.Header.Get("Content-Encoding"), maxBytes)
	if err != nil {
		return nil, f.bodyError(ctx, tctx, final, err)
	}
	return data, nil
}

// send checks the URL and sends the request; the caller reads and closes the
// body, then calls cancel. tctx is the deadline of the whole exchange.
func (f *Fetcher) send(ctx context.Context, r Request) (resp *http.Response, tctx context.Context, cancel context.CancelFunc, err error) {
	u, err := url.Parse(strings.TrimSpace(r.URL))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("fetch: %q: invalid URL: %w", r.URL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, nil, nil, &RefusedError{URL: r.URL, Host: u.Host, Reason: "only http and https URLs are fetched"}
	}
	if u.Host == "" {
		return nil, nil, nil, fmt.Errorf("fetch: %q: invalid URL: no host", r.URL)
	}
	u.Fragment, u.RawFragment = "", ""
	target := u.String()
	if len(r.Hosts) > 0 {
		hosts := make([]string, len(r.Hosts))
		for i, h := range r.Hosts {
			hosts[i] = normHost(h)
		}
		ctx = context.WithValue(ctx, hostsKey{}, hosts)
	}
	if refused := f.policy(ctx, u.Hostname(), netip.Addr{}); refused != nil {
		refused.URL = target
		return nil, nil, nil, refused
	}

	// One deadline for the whole exchange, body included, so a server that
	// trickles bytes cannot hold a poll forever.
	tctx, cancel = context.WithTimeout(ctx, f.timeout)
	req, err := http.NewRequestWithContext(tctx, http.MethodGet, target, nil)
	if err != nil {
		cancel()
		return nil, nil, nil, fmt.Errorf("fetch: %s: %w", target, err)
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", acceptHeader(r.Accept))
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	start := time.Now()
	resp, err = f.client.Do(req)
	if err != nil {
		cancel()
		return nil, nil, nil, f.requestError(ctx, target, err)
	}
	f.log.Debug("fetched", "url", target, "final", resp.Request.URL.String(), "status", resp.StatusCode, "took", time.Since(start))
	return resp, tctx, cancel, nil
}

// bodyError says why reading a body failed, naming the time limit when that
// was it (and not the caller's own cancellation).
func (f *Fetcher) bodyError(ctx, tctx context.Context, final string, err error) error {
	if ctx.Err() == nil && tctx.Err() != nil {
		err = fmt.Errorf("%w (fetch.timeout %s)", ErrTimeout, f.timeout)
	}
	return fmt.Errorf("fetch: %s: %w", final, err)
}

// requestError turns what http.Client returns into one of our errors, with
// the URL that failed (a redirect target, if that is where it failed).
func (f *Fetcher) requestError(ctx context.Context, target string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		target = ue.URL
	}
	var refused *RefusedError
	if errors.As(err, &refused) {
		r := *refused
		r.URL = target
		return &r
	}
	if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("fetch: %s: %w (fetch.timeout %s)", target, ErrTimeout, f.timeout)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("fetch: %s: %w", target, ctx.Err())
	}
	if ue != nil {
		err = ue.Err
	}
	return fmt.Errorf("fetch: %s: %w", target, err)
}

// checkRedirect bounds and checks redirects: each hop's host goes through
// the policy here (its addresses do when they are dialed), and loops, long
// chains and schemes other than http(s) stop.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return &RefusedError{URL: req.URL.String(), Host: req.URL.Host, Reason: "redirect to a scheme other than http or https"}
	}
	if refused := f.policy(req.Context(), req.URL.Hostname(), netip.Addr{}); refused != nil {
		refused.URL = req.URL.String()
		return refused
	}
	next := req.URL.String()
	for i, v := range via {
		if v.URL.String() == next {
			chain := make([]string, 0, len(via)-i+1)
			for _, w := range via[i:] {
				chain = append(chain, w.URL.String())
			}
			chain = append(chain, next)
			return fmt.Errorf("%w: %s", ErrRedirectLoop, strings.Join(chain, " -> "))
		}
	}
	if len(via) > MaxRedirects {
		return ErrTooManyRedirects
	}
	return nil
}

// acceptHeader lists the types asked for, then anything at a low weight so a
// server that negotiates does not answer 406.
func acceptHeader(types []string) string {
	if len(types) == 0 {
		types = append(append([]string{}, PageTypes...), FeedTypes...)
	}
	return strings.Join(types, ", ") + ", */*;q=0.1"
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0
		}
		// Cap absurd values instead of overflowing time.Duration.
		return time.Duration(min(n, int64(365*24*3600))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// readBody checks the content type, then reads, decompresses and decodes the
// body within the size cap.
func (f *Fetcher) readBody(resp *http.Response, out *Response) error {
	declared := resp.Header.Get("Content-Type")
	media, kind := classify(declared)
	if kind == kindRefused {
		return fmt.Errorf("%w: %s (want HTML, text, Markdown, JSON, CSV, RSS, Atom or JSON Feed)", ErrContentType, media)
	}
	if resp.ContentLength > f.maxBytes {
		return fmt.Errorf("%w: %d bytes declared, the limit is %d", ErrTooLarge, resp.ContentLength, f.maxBytes)
	}
	body, err := readLimited(resp.Body, resp.Header.Get("Content-Encoding"), f.maxBytes)
	if err != nil {
		return err
	}
	if kind == kindSniff {
		media, kind = sniff(body)
		if kind == kindRefused {
			return fmt.Errorf("%w: the content looks like %s", ErrContentType, media)
		}
	}
	out.ContentType = media
	out.Body, out.Charset = decode(body, declared, kind)
	return nil
}
