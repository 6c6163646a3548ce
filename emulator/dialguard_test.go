package emulator

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeResolver answers every A query with addr and every other query with
// no answer, over an in-memory connection (no DNS traffic at all).
func fakeResolver(addr netip.Addr) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		client, server := net.Pipe() // a stream: the resolver frames messages with a 2-byte length
		go answerDNS(server, addr)
		return client, nil
	}}
}

// answerDNS serves DNS queries on conn (TCP framing) until it closes.
func answerDNS(conn net.Conn, addr netip.Addr) {
	defer conn.Close()
	for {
		var n uint16
		if binary.Read(conn, binary.BigEndian, &n) != nil {
			return
		}
		q := make([]byte, n)
		if _, err := io.ReadFull(conn, q); err != nil || len(q) < 12 {
			return
		}
		end := 12
		for end < len(q) && q[end] != 0 {
			end += int(q[end]) + 1
		}
		end += 5 // the root label, QTYPE, QCLASS
		if end > len(q) {
			return
		}
		qtype := binary.BigEndian.Uint16(q[end-4:])
		resp := append([]byte{}, q[:end]...)
		resp[2], resp[3] = 0x81, 0x80 // a response, recursion desired and available, no error
		binary.BigEndian.PutUint16(resp[6:], 0)
		binary.BigEndian.PutUint16(resp[8:], 0)
		binary.BigEndian.PutUint16(resp[10:], 0)
		if qtype == 1 && addr.Is4() {
			binary.BigEndian.PutUint16(resp[6:], 1)
			ip := addr.As4()
			resp = append(resp, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4)
			resp = append(resp, ip[:]...)
		}
		out := binary.BigEndian.AppendUint16(nil, uint16(len(resp)))
		if _, err := conn.Write(append(out, resp...)); err != nil {
			return
		}
	}
}

// countingListener is a loopback listener counting the connections made
// to it.
func countingListener(t *testing.T) (net.Listener, *atomic.Int64) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln, &n
}

// TestDialGuard: a callback host name the policy allows is dialled only
// at addresses the policy allows; the resolver answers with the address
// an attacker would choose. Only loopback answers are used, so that even a
// broken guard sends nothing off the machine (TestDialAllowed covers
// link-local, private and public addresses).
func TestDialGuard(t *testing.T) {
	ln, accepted := countingListener(t)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	for _, c := range []struct {
		name    string
		answer  string
		allowed []string
		dialled bool
	}{
		// rebinding to the developer's own machine (where a listener waits)
		{"loopback", "127.0.0.1", []string{"bot.example"}, false},
		// loopback allowed explicitly, as an address
		{"loopback allowed", "127.0.0.1", []string{"bot.example", "127.0.0.1"}, true},
		// loopback allowed explicitly, as a prefix
		{"prefix allowed", "127.0.0.1", []string{"*.example", "127.0.0.0/8"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := accepted.Load()
			h := newHarness(t, func(cfg *Config) {
				cfg.Safety.AllowedCallbackHosts = c.allowed
				cfg.Notifications.Resolver = fakeResolver(netip.MustParseAddr(c.answer))
				cfg.Notifications.Attempts = 1
			})
			h.createOK(p2pBody("https://bot.example:" + port + "/callback"))
			h.waitIdle()
			ds := h.srv.Deliveries()
			if len(ds) == 0 {
				t.Fatal("no delivery attempted")
			}
			refused := strings.Contains(ds[0].Error, "callback policy does not allow")
			if got := accepted.Load() > before; got != c.dialled || refused == c.dialled {
				t.Errorf("dialled %v (policy error %v: %q), want dialled %v", got, refused, ds[0].Error, c.dialled)
			}
		})
	}
}

// TestDialAllowed: the policy on addresses, public ones included (never
// dialled in tests).
func TestDialAllowed(t *testing.T) {
	s := Safety{AllowedCallbackHosts: []string{"bot.example", "192.168.1.7", "fd00::/8"}}
	for _, c := range []struct {
		host, addr string
		ok         bool
	}{
		{"bot.example", "52.112.0.1", true},       // public: fine
		{"bot.example", "192.168.1.8", false},     // private, not the one allowed
		{"bot.example", "192.168.1.7", true},      // the one allowed
		{"bot.example", "fd12::1", true},          // inside the allowed prefix
		{"bot.example", "fe80::1", false},         // link-local
		{"bot.example", "::ffff:10.0.0.1", false}, // IPv4-mapped private
		{"bot.example", "100.64.0.1", false},      // shared address space
		{"bot.example", "0.0.0.0", false},         // unspecified
		{"localhost", "127.0.0.1", true},          // loopback by its name
		{"localhost", "10.0.0.1", false},          // a loopback name answering elsewhere
		{"127.0.0.1", "127.0.0.1", true},          // a loopback literal
	} {
		if err := s.DialAllowed(c.host, netip.MustParseAddr(c.addr)); (err == nil) != c.ok {
			t.Errorf("DialAllowed(%s, %s) = %v, want allowed %v", c.host, c.addr, err, c.ok)
		}
	}
}
