package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// fakeDNS makes the fetcher resolve the given names to the given addresses
// (other names fail), as a DNS server under an attacker's control could.
func (f *Fetcher) fakeDNS(names map[string]string) {
	f.lookup = func(_ context.Context, host string) ([]netip.Addr, error) {
		a, ok := names[host]
		if !ok {
			return nil, fmt.Errorf("no such host %s (fake DNS)", host)
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
}

// routeTo makes connections to the given (public, checked) address land on a
// local test server instead. The address check still sees the public address:
// this stands in for the internet, not for the check.
func (f *Fetcher) routeTo(public, local string) {
	f.dial = func(ctx context.Context, network, addr string, allowed bool) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		if host == public {
			var d net.Dialer
			return d.DialContext(ctx, network, local)
		}
		return f.dialIP(ctx, network, addr, allowed)
	}
}

func (f *Fetcher) setNow(now func() time.Time) { f.now = now }
