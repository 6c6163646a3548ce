package certify_test

import (
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"sync/atomic"

	"github.com/callcheck/callcheck/refbot"
)

// bot2handler serves the bot held by p, once it is made.
func bot2handler(p *atomic.Pointer[refbot.Bot]) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { p.Load().ServeHTTP(w, r) })
}

// poolOf trusts the test server's certificate.
func poolOf(s *httptest.Server) *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	return pool
}
