package emulator

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/callcheck/callcheck/graph/rules"
)

// The callback policy is checked twice: on the URL's host when a call is
// created (AllowsHost), and on every address the notifier dials
// (DialAllowed), so that a host name allowed by configuration cannot lead
// to an address nobody allowed: a name answering 169.254.169.254 (cloud
// metadata), a private or loopback address, or a DNS-rebinding answer.

// DialAllowed reports, as an error, whether a callback whose URL names host
// may be dialled at addr: an address allowed explicitly
// (AllowedCallbackHosts holds it, or a CIDR prefix holding it) always;
// through a loopback host (localhost, 127.0.0.1, ::1) only loopback
// addresses; otherwise any address but loopback, private, link-local,
// shared (100.64.0.0/10), unspecified and multicast ones. It holds with
// AllowAnyCallbackHost too: allowing every host does not allow every
// address.
func (s Safety) DialAllowed(host string, addr netip.Addr) error {
	addr = addr.Unmap()
	switch {
	case s.explicitAddr(addr):
		return nil
	case rules.IsLoopback(host):
		if addr.IsLoopback() {
			return nil
		}
	case !internalAddr(addr):
		return nil
	}
	return fmt.Errorf("callback host %q resolved to %s, an address the callback policy does not allow (allow it explicitly in safety.allowedCallbackHosts)", host, addr)
}

// sharedSpace is RFC 6598's carrier-grade NAT space.
var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

// internalAddr reports whether addr is not a public unicast address.
func internalAddr(a netip.Addr) bool {
	return !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || sharedSpace.Contains(a)
}

// explicitAddr reports whether AllowedCallbackHosts names addr itself or a
// prefix holding it.
func (s Safety) explicitAddr(addr netip.Addr) bool {
	for _, entry := range s.AllowedCallbackHosts {
		entry = strings.Trim(entry, "[]")
		if a, err := netip.ParseAddr(entry); err == nil && a.Unmap() == addr {
			return true
		}
		if p, err := netip.ParsePrefix(entry); err == nil && p.Contains(addr) {
			return true
		}
	}
	return false
}
