package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/newsbot/newsbot/config"
)

// dialLog records the addresses a fetcher was about to dial.
type dialLog struct {
	mu    sync.Mutex
	addrs []string
}

func (d *dialLog) add(addr string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.addrs = append(d.addrs, addr)
}

func (d *dialLog) hosts() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, a := range d.addrs {
		h, _, _ := net.SplitHostPort(a)
		out = append(out, h)
	}
	return out
}

// refusedRanges is one address from every range the policy refuses, and the
// words its refusal uses.
var refusedRanges = []struct {
	name, ip, reason string
}{
	{"loopback", "127.0.0.1", "is a loopback address"},
	{"loopback6", "::1", "is a loopback address"},
	{"this-network", "0.0.0.7", "is in 0.0.0.0/8"},
	{"unspecified", "0.0.0.0", "is the unspecified address"},
	{"rfc1918-10", "10.1.2.3", "is a private address"},
	{"rfc1918-172", "172.20.0.1", "is a private address"},
	{"rfc1918-192", "192.168.4.4", "is a private address"},
	{"cgnat", "100.100.0.1", "is a shared (carrier-grade NAT) address"},
	{"link-local", "169.254.169.254", "is a link-local address"},
	{"link-local6", "fe80::1", "is a link-local address"},
	{"multicast", "239.1.1.1", "is a multicast address"},
	{"broadcast", "255.255.255.255", "is the broadcast address"},
	{"reserved", "250.0.0.1", "is a reserved address"},
	{"unique-local", "fd00::5", "is a unique-local address"},
	{"test-net-1", "192.0.2.10", "is a documentation address (TEST-NET-1"},
	{"test-net-2", "198.51.100.10", "is a documentation address (TEST-NET-2"},
	{"test-net-3", "203.0.113.10", "is a documentation address (TEST-NET-3"},
	{"benchmark", "198.19.1.1", "is a benchmarking address"},
	{"documentation6", "2001:db8::10", "is a documentation address (RFC 3849)"},
	{"mapped", "::ffff:192.0.2.10", "(IPv4-mapped)"},
	{"nat64", "64:ff9b::c633:640a", "(NAT64)"},
}

// TestRedirectChainToEveryRefusedRange follows a public site's redirect chain
// that ends on a name resolving into each refused range: the fetcher refuses
// it before any connection to that address, and with the name in
// fetch.allow_hosts it goes there.
func TestRedirectChainToEveryRefusedRange(t *testing.T) {
	var port string
	site, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		var name string
		switch {
		case strings.HasPrefix(r.URL.Path, "/a/"):
			http.Redirect(w, r, "/b/"+strings.TrimPrefix(r.URL.Path, "/a/"), http.StatusFound)
		case strings.HasPrefix(r.URL.Path, "/b/"):
			name = strings.TrimPrefix(r.URL.Path, "/b/")
			http.Redirect(w, r, "http://"+name+".example:"+port+"/inside", http.StatusMovedPermanently)
		default:
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "inside "+r.Host)
		}
	})
	local := strings.TrimPrefix(site.URL, "http://")
	port = local[strings.LastIndex(local, ":")+1:]
	names := map[string]string{"public.example": "93.184.215.14"}
	for _, rr := range refusedRanges {
		names[rr.name+".example"] = rr.ip
	}

	for _, rr := range refusedRanges {
		t.Run(rr.name, func(t *testing.T) {
			f := New(config.Default().Fetch)
			f.fakeDNS(names)
			var dials dialLog
			f.offline()
			f.routeTo("93.184.215.14", local)
			f.watchDials(dials.add)
			_, err := f.Get(context.Background(), "http://public.example:"+port+"/a/"+rr.name)
			var refused *RefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("err = %v, want a refusal", err)
			}
			want := netip.MustParseAddr(rr.ip)
			if refused.Addr != want || !strings.Contains(err.Error(), rr.reason) ||
				!strings.Contains(err.Error(), "http://"+rr.name+".example:"+port+"/inside") {
				t.Errorf("err = %v, want %s %s at the last hop", err, want, rr.reason)
			}
			for _, h := range dials.hosts() {
				if netip.MustParseAddr(h) == want {
					t.Errorf("%s was dialed before the refusal (dials %v)", h, dials.hosts())
				}
			}

			// Allowed by name: the same chain reaches it.
			cfg := config.Default().Fetch
			cfg.AllowHosts = []string{rr.name + ".example"}
			f = New(cfg)
			f.fakeDNS(names)
			f.offline()
			f.routeTo("93.184.215.14", local)
			f.routeTo(rr.ip, local)
			resp, err := f.Get(context.Background(), "http://public.example:"+port+"/a/"+rr.name)
			if err != nil || string(resp.Body) != "inside "+rr.name+".example:"+port {
				t.Errorf("allowed: %v %+v", err, resp)
			}
		})
	}
}

// sequenceDNS answers each lookup of a name with the next answer of a
// list (the last one repeats), as a rebinding DNS server does, and counts
// the lookups.
type sequenceDNS struct {
	mu      sync.Mutex
	answers [][]string
	lookups int
}

func (s *sequenceDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.answers[min(s.lookups, len(s.answers)-1)]
	s.lookups++
	var out []netip.Addr
	for _, ip := range a {
		out = append(out, netip.MustParseAddr(ip))
	}
	return out, nil
}

// TestDNSAnswerChangesBetweenCheckAndDial: a name's DNS answer changes from
// one lookup to the next. Whatever the order, the address the fetcher
// connects to is the one the policy passed: the internal server (on
// loopback, which the default configuration refuses) is never reached.
func TestDNSAnswerChangesBetweenCheckAndDial(t *testing.T) {
	internal, internalHits := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "internal secret")
	})
	// The internet: a server that closes each connection, so each request
	// dials (and looks up) afresh.
	internet, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "public page")
	})
	inside := strings.TrimPrefix(internal.URL, "http://")
	port := inside[strings.LastIndex(inside, ":")+1:]
	target := "http://rebind.example:" + port + "/"
	const public = "93.184.215.14"

	tests := []struct {
		name    string
		answers [][]string
		want    []string // "ok" or "refused", per request in turn
	}{
		{"public, then loopback", [][]string{{public}, {"127.0.0.1"}}, []string{"ok", "refused"}},
		{"loopback, then public", [][]string{{"127.0.0.1"}, {public}}, []string{"refused", "ok"}},
		{"flapping", [][]string{{public}, {"127.0.0.1"}, {public}, {"127.0.0.1"}}, []string{"ok", "refused", "ok", "refused"}},
		{"both at once, loopback first", [][]string{{"127.0.0.1", public}}, []string{"ok", "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dns := &sequenceDNS{answers: tt.answers}
			f := New(config.Default().Fetch)
			f.SetResolver(dns)
			f.offline()
			f.routeTo(public, strings.TrimPrefix(internet.URL, "http://"))
			var dials dialLog
			f.watchDials(dials.add)
			before := internalHits.Load()
			for i, want := range tt.want {
				resp, err := f.Get(context.Background(), target)
				switch want {
				case "ok":
					if err != nil || string(resp.Body) != "public page" {
						t.Errorf("request %d: %v %+v, want the public page", i, err, resp)
					}
				case "refused":
					if !isRefused(err) || !strings.Contains(err.Error(), "127.0.0.1 is a loopback address") {
						t.Errorf("request %d: %v, want refused", i, err)
					}
				}
			}
			if n := internalHits.Load() - before; n != 0 {
				t.Errorf("the internal server was reached %d times", n)
			}
			for _, h := range dials.hosts() {
				if h != public {
					t.Errorf("dialed %s; only %s passed the policy (dials %v)", h, public, dials.hosts())
				}
			}
			if dns.lookups != len(tt.want) {
				t.Errorf("%d lookups for %d requests: a second lookup could answer differently from the checked one", dns.lookups, len(tt.want))
			}
		})
	}

	// A dialer that resolved again and got the internal address would
	// connect to it; the policy on the socket itself refuses it.
	f := New(config.Default().Fetch)
	f.fakeDNS(map[string]string{"rebind.example": public})
	f.dialInstead(inside)
	_, err := f.Get(context.Background(), target)
	var refused *RefusedError
	if !errors.As(err, &refused) || refused.Addr != netip.MustParseAddr("127.0.0.1") {
		t.Errorf("socket check: %v, want 127.0.0.1 refused", err)
	}
	if n := internalHits.Load(); n != 0 {
		t.Errorf("the internal server was reached %d times", n)
	}
}

// TestFile downloads attachments: as they are, from the named hosts only,
// on public addresses only unless fetch.allow_hosts says otherwise.
func TestFile(t *testing.T) {
	latin1 := []byte("Caf\xe9 \x89PNG")
	var served atomic.Int64
	cdn, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		switch r.URL.Path {
		case "/attachments/1/2/a.txt":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(latin1)
		case "/attachments/big":
			w.Write(make([]byte, 2000))
		case "/away":
			http.Redirect(w, r, "http://elsewhere.example/x", http.StatusFound)
		case "/inside":
			http.Redirect(w, r, "http://media.discordapp.net/inside", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	})
	local := strings.TrimPrefix(cdn.URL, "http://")
	hosts := []string{"cdn.discordapp.com", "media.discordapp.net"}
	lookups := map[string]int{}
	var mu sync.Mutex
	dns := resolverFunc(func(_ context.Context, _, host string) ([]netip.Addr, error) {
		mu.Lock()
		lookups[host]++
		mu.Unlock()
		switch host {
		case "cdn.discordapp.com":
			return []netip.Addr{netip.MustParseAddr("162.159.129.233")}, nil
		case "media.discordapp.net":
			// Hijacked, or a split-horizon DNS: a CDN name on an
			// internal address is still refused.
			return []netip.Addr{netip.MustParseAddr("10.9.8.7")}, nil
		}
		return nil, fmt.Errorf("no such host %s", host)
	})
	f := New(config.Default().Fetch)
	f.SetResolver(dns)
	f.offline()
	f.routeTo("162.159.129.233", local)
	var dials dialLog
	f.watchDials(dials.add)
	ctx := context.Background()

	got, err := f.File(ctx, "http://cdn.discordapp.com/attachments/1/2/a.txt", hosts, 1000)
	if err != nil || string(got) != string(latin1) {
		t.Fatalf("File = %q, %v; want the bytes as sent", got, err)
	}
	tests := []struct {
		name, url string
		check     func(error) bool
		want      string
	}{
		{"CDN name on a private address", "http://media.discordapp.net/attachments/1/2/a.txt", isRefused, "10.9.8.7 is a private address"},
		{"another host", "http://files.example/a.txt", isRefused, "files.example is not a host files are downloaded from (cdn.discordapp.com, media.discordapp.net)"},
		{"loopback address", "http://" + local + "/attachments/1/2/a.txt", isRefused, "is not a host files are downloaded from"},
		{"redirect to another host", "http://cdn.discordapp.com/away", isRefused, "refused http://elsewhere.example/x: elsewhere.example is not a host"},
		{"redirect to the CDN name on a private address", "http://cdn.discordapp.com/inside", isRefused, "10.9.8.7 is a private address"},
		{"too large", "http://cdn.discordapp.com/attachments/big", is(ErrTooLarge), "the limit is 1000"},
		{"missing", "http://cdn.discordapp.com/attachments/none", func(err error) bool { var s *StatusError; return errors.As(err, &s) }, "HTTP 404"},
		{"not http", "file:///etc/passwd", isRefused, "only http and https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.File(ctx, tt.url, hosts, 1000)
			if err == nil || !tt.check(err) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("File(%s) = %v, want %q", tt.url, err, tt.want)
			}
		})
	}
	for _, h := range dials.hosts() {
		if h != "162.159.129.233" {
			t.Errorf("dialed %s (dials %v)", h, dials.hosts())
		}
	}
	if lookups["files.example"]+lookups["elsewhere.example"] != 0 {
		t.Errorf("names outside the list were looked up: %v", lookups)
	}

	// The fake Discord of the tests serves attachments on loopback: allowed
	// by fetch.allow_hosts, explicitly.
	f = New(allowLoopback())
	got, err = f.File(ctx, cdn.URL+"/attachments/1/2/a.txt", hosts, 1000)
	if err != nil || string(got) != string(latin1) {
		t.Errorf("allowed loopback: %q, %v", got, err)
	}
}
