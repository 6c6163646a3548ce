package emulator

import (
	"crypto/subtle"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The admin API's doors. A web page open in the developer's browser can
// send simple cross-site POSTs (text/plain, any Origin) to a loopback
// port, and DNS rebinding lets it read the answers under its own host
// name; so every admin request must name this emulator in Host, must not
// come from another origin, and must say application/json when it changes
// something (which a cross-site page cannot send without a CORS preflight
// that the emulator never grants). Beyond loopback a bearer token is
// required as well.

// adminListener notes the address the emulator serves on: the loopback
// names of its port become admin hosts, and a listener beyond loopback
// closes the admin API unless an admin token is configured.
func (e *Emulator) adminListener(addr net.Addr) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return
	}
	port := tcp.AddrPort().Port()
	var hosts []string
	if tcp.IP.IsLoopback() {
		for _, h := range []string{"127.0.0.1", "localhost", "::1"} {
			hosts = append(hosts, net.JoinHostPort(h, strconv.Itoa(int(port))))
		}
		hosts = append(hosts, tcp.String())
	} else {
		e.adminExposed.Store(true)
	}
	e.adminHosts.Store(&hosts)
}

// adminHostAllowed reports whether host (a Host header or an Origin's
// host) names this emulator: its public URL's host or a loopback name of
// its port. With neither known (the handler served by someone else's
// server) every host is allowed.
func (e *Emulator) adminHostAllowed(host string) bool {
	var allowed []string
	if p := e.adminHosts.Load(); p != nil {
		allowed = append(allowed, *p...)
	}
	if u, err := url.Parse(e.PublicURL()); err == nil && u.Host != "" {
		allowed = append(allowed, u.Host)
	}
	if len(allowed) == 0 {
		return true
	}
	return slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, host) })
}

// adminRefusal returns the status and message refusing r, or 0.
func (e *Emulator) adminRefusal(r *http.Request) (int, string) {
	switch {
	case e.cfg.AdminToken != "" && !e.adminTokenOK(r):
		return http.StatusUnauthorized, "the admin API needs the configured admin token (Authorization: Bearer …)"
	case e.cfg.AdminToken == "" && e.adminExposed.Load():
		return http.StatusForbidden, "the admin API is closed: the emulator listens beyond loopback and no admin token is configured (--admin-token)"
	case e.cfg.AdminToken == "" && !e.adminHostAllowed(r.Host):
		return http.StatusMisdirectedRequest, "Host " + quote(r.Host) + " is not this emulator's"
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return http.StatusForbidden, "cross-origin requests to the admin API are refused (Sec-Fetch-Site: " + site + ")"
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || u.Host == "" || !e.adminHostAllowed(u.Host) || (e.adminHosts.Load() == nil && e.PublicURL() == "" && !strings.EqualFold(u.Host, r.Host)) {
			return http.StatusForbidden, "cross-origin requests to the admin API are refused (Origin: " + origin + ")"
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || !strings.EqualFold(mt, "application/json") {
			return http.StatusUnsupportedMediaType, "admin requests that change something must carry Content-Type: application/json"
		}
	}
	return 0, ""
}

func (e *Emulator) adminTokenOK(r *http.Request) bool {
	want := "Bearer " + e.cfg.AdminToken
	return subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(want)) == 1
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
