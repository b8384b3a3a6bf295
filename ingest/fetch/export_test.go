package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// resolverFunc is a Resolver under a test's control.
type resolverFunc func(ctx context.Context, network, host string) ([]netip.Addr, error)

func (r resolverFunc) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	return r(ctx, network, host)
}

// fakeDNS makes the fetcher resolve the given names to the given addresses
// (other names fail), as a DNS server under an attacker's control could.
func (f *Fetcher) fakeDNS(names map[string]string) {
	f.SetResolver(resolverFunc(func(_ context.Context, _, host string) ([]netip.Addr, error) {
		a, ok := names[host]
		if !ok {
			return nil, fmt.Errorf("no such host %s (fake DNS)", host)
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}))
}

// offline keeps the fetcher's connections on this machine: an address
// that is neither loopback nor routed (routeTo, called after) fails without
// a packet sent, should a broken policy let it through.
func (f *Fetcher) offline() {
	f.dial = func(ctx context.Context, network, host, addr string) (net.Conn, error) {
		ap, err := netip.ParseAddrPort(addr)
		if err != nil || !ap.Addr().Unmap().IsLoopback() {
			return nil, fmt.Errorf("test network: %s is unreachable from the tests", addr)
		}
		return f.dialIP(ctx, network, host, addr)
	}
}

// routeTo makes connections to the given (checked) address land on a local
// test server instead. The policy still sees the address routed: this
// stands in for the internet, not for the check. Calls add up.
func (f *Fetcher) routeTo(public, local string) {
	next := f.dial
	f.dial = func(ctx context.Context, network, host, addr string) (net.Conn, error) {
		ip, _, _ := net.SplitHostPort(addr)
		if ip == public {
			var d net.Dialer
			return d.DialContext(ctx, network, local)
		}
		return next(ctx, network, host, addr)
	}
}

// watchDials calls seen with every address the fetcher is about to dial,
// before the dial, so a test can tell what was refused before any
// connection from what was refused on the socket.
func (f *Fetcher) watchDials(seen func(addr string)) {
	next := f.dial
	f.dial = func(ctx context.Context, network, host, addr string) (net.Conn, error) {
		seen(addr)
		return next(ctx, network, host, addr)
	}
}

// dialInstead makes the fetcher connect to addr whatever it checked, as a
// dialer that resolves the name again would: the socket's own check must
// refuse it.
func (f *Fetcher) dialInstead(addr string) {
	f.dial = func(ctx context.Context, network, host, _ string) (net.Conn, error) {
		return f.dialIP(ctx, network, host, addr)
	}
}

func (f *Fetcher) setNow(now func() time.Time) { f.now = now }
