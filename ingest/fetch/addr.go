package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"syscall"
)

// RefusedError is returned for an address fetching will not connect to: a
// loopback, private, link-local or otherwise non-public address that
// fetch.allow_hosts does not list. It names the URL, the address and why.
type RefusedError struct {
	URL    string     // the request that was refused (after redirects, the redirect target)
	Host   string     // the host as written in the URL
	Addr   netip.Addr // the address it resolved to; invalid when the URL itself was refused
	Reason string     // e.g. "is a loopback address"
}

func (e *RefusedError) Error() string {
	target := e.URL
	if target == "" {
		target = e.Host
	}
	if !e.Addr.IsValid() {
		return fmt.Sprintf("fetch: refused %s: %s", target, e.Reason)
	}
	return fmt.Sprintf("fetch: refused %s: %s %s (add the host to fetch.allow_hosts to allow it)", target, e.Addr, e.Reason)
}

// blockedRanges are the networks that are not the public internet, with
// the words a refusal uses. Loopback, link-local, multicast and unspecified
// addresses are found with netip's predicates; these are the rest.
var blockedRanges = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "is in 0.0.0.0/8 (\"this network\", which Linux connects to the local host)"},
	{netip.MustParsePrefix("10.0.0.0/8"), "is a private address (RFC 1918)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "is a private address (RFC 1918)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "is a private address (RFC 1918)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "is a shared (carrier-grade NAT) address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "is a reserved address"},
	// The documentation and benchmarking ranges are never on the public
	// internet; where they answer, it is a lab or an internal network
	// that borrowed them.
	{netip.MustParsePrefix("192.0.2.0/24"), "is a documentation address (TEST-NET-1, RFC 5737)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "is a documentation address (TEST-NET-2, RFC 5737)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "is a documentation address (TEST-NET-3, RFC 5737)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "is a benchmarking address (RFC 2544)"},
	{netip.MustParsePrefix("fc00::/7"), "is a unique-local address"},
	{netip.MustParsePrefix("2001:db8::/32"), "is a documentation address (RFC 3849)"},
}

// nat64 is the well-known NAT64 prefix: on a NAT64 network an address in it
// reaches the IPv4 address in its last 32 bits, so that one is checked too.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// refusal says why an address must not be dialed, or "" when it may be.
func refusal(ip netip.Addr) string {
	ip = ip.WithZone("")
	if ip.Is4In6() {
		// ::ffff:127.0.0.1 reaches 127.0.0.1.
		if r := refusal(ip.Unmap()); r != "" {
			return r + " (IPv4-mapped)"
		}
		return ""
	}
	if ip.Is6() && nat64.Contains(ip) {
		b := ip.As16()
		if r := refusal(netip.AddrFrom4([4]byte(b[12:]))); r != "" {
			return r + " (NAT64)"
		}
	}
	switch {
	case !ip.IsValid():
		return "is not a valid address"
	case ip.IsUnspecified():
		return "is the unspecified address"
	case ip.IsLoopback():
		return "is a loopback address"
	case ip.IsLinkLocalUnicast():
		return "is a link-local address"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return "is a multicast address"
	case ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "is the broadcast address"
	}
	for _, b := range blockedRanges {
		if b.prefix.Contains(ip) {
			return b.reason
		}
	}
	return ""
}

// normHost puts a host as written in a URL into the form config.Load gives
// fetch.allow_hosts entries: lower case, no brackets or trailing dot, IP
// addresses as netip prints them.
func normHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.String()
	}
	return h
}

// hostsKey carries a request's own host list (Request.Hosts) in its
// context, so that the policy sees it at every redirect and every dial.
type hostsKey struct{}

// policy is the one check every outgoing request passes, at every step: with
// an invalid ip, on the host of the URL and of each redirect before anything
// is sent; with an ip, on each address a name resolved to before it is
// dialed, and once more on the socket's own address (the dialer's Control
// hook) just before connecting. It returns nil when the request may go on.
//
// A host listed in fetch.allow_hosts may reach any address. Any other host
// may reach public addresses only, and when the request names its own hosts
// (attachments: Discord's CDN), only those.
func (f *Fetcher) policy(ctx context.Context, host string, ip netip.Addr) *RefusedError {
	h := normHost(host)
	if f.allow[h] {
		return nil
	}
	if only, ok := ctx.Value(hostsKey{}).([]string); ok && !slices.Contains(only, h) {
		return &RefusedError{Host: host, Reason: host + " is not a host files are downloaded from (" + strings.Join(only, ", ") + ")"}
	}
	if !ip.IsValid() {
		if lit, err := netip.ParseAddr(h); err == nil {
			ip = lit // an address in the URL is refused before any dial
		} else {
			return nil
		}
	}
	if r := refusal(ip); r != "" {
		return &RefusedError{Host: host, Addr: ip.WithZone(""), Reason: r}
	}
	return nil
}

// dialContext is the transport's only way out. It resolves the host itself
// and puts every address through the policy before dialing it, so a name
// that resolves to a private address (including one whose DNS answer changes
// between a check and the connection, "DNS rebinding") is refused: the
// address checked is the address dialed, never a second lookup's. Redirects
// come through here too, so each hop is checked.
func (f *Fetcher) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	// A refused name is not even looked up.
	if refused := f.policy(ctx, host, netip.Addr{}); refused != nil {
		return nil, refused
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else {
		ips, err = f.resolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
		if len(ips) == 0 {
			return nil, fmt.Errorf("no address found for %s", host)
		}
	}
	var refused *RefusedError
	var lastErr error
	for _, ip := range ips {
		if r := f.policy(ctx, host, ip); r != nil {
			// A name that resolves to public and private addresses is
			// dialed on its public ones only.
			if refused == nil {
				refused = r
			}
			continue
		}
		conn, err := f.dial(ctx, network, host, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return conn, nil
		}
		lastErr = err
	}
	if lastErr != nil {
		return nil, lastErr
	}
	return nil, refused
}

// dialIP connects to an address dialContext has checked. The dialer's Control
// hook puts the socket's own address through the policy once more, so no
// other path (a dialer that resolves again, a future change above) can reach
// a refused address: the check sits on the connect itself.
func (f *Fetcher) dialIP(ctx context.Context, network, host, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: f.timeout}
	d.Control = func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("fetch: unexpected dial address %q", address)
		}
		if r := f.policy(ctx, host, ap.Addr()); r != nil {
			return r
		}
		return nil
	}
	return d.DialContext(ctx, network, addr)
}

// Resolver looks up the addresses of a host name; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// SetResolver replaces the system's resolver (net.DefaultResolver). Every
// answer it gives still goes through the address policy before a dial.
func (f *Fetcher) SetResolver(r Resolver) {
	if r != nil {
		f.resolver = r
	}
}
