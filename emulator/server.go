package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/callcheck/callcheck/identity"
)

// DefaultAddr is where Start listens when given no address: loopback, a free port.
const DefaultAddr = "127.0.0.1:0"

// Server is an Emulator listening on a real socket.
type Server struct {
	*Emulator
	srv      *http.Server
	listener net.Listener
	url      string
	served   chan error
	tls      *serverTLS // nil for plain http
}

// WithMiddleware wraps the emulator's handler: wrap gets it and returns the
// handler the server serves (for example, one that signals each request
// once the emulator has recorded it).
func WithMiddleware(wrap func(http.Handler) http.Handler) StartOption {
	return func(o *startOptions) { o.middleware = wrap }
}

// Start builds an emulator from cfg and serves it on addr ("" is
// DefaultAddr) until ctx ends or Shutdown/Close is called. The emulator's
// public URL is the listener's unless cfg.PublicURL is set. WithTLS serves
// https.
func Start(ctx context.Context, cfg Config, addr string, opts ...StartOption) (*Server, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	e, err := New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		_ = e.Close(context.Background())
		return nil, fmt.Errorf("emulator: listen on %s: %w", addr, err)
	}
	s, err := Serve(ctx, e, ln, opts...)
	if err != nil {
		_ = e.Close(context.Background())
		return nil, err
	}
	return s, nil
}

// Serve serves e on ln until ctx ends or Shutdown/Close is called; the
// server owns both from then on. The emulator's public URL is the
// listener's unless its configuration's PublicURL is set. On an error (a
// WithTLS setup that fails) ln is closed and e is left to the caller.
func Serve(ctx context.Context, e *Emulator, ln net.Listener, opts ...StartOption) (*Server, error) {
	var o startOptions
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{Emulator: e, listener: ln, url: "http://" + ln.Addr().String(), served: make(chan error, 1)}
	if o.tls != nil {
		s.url = "https://" + ln.Addr().String()
		var err error
		if s.tls, err = loadTLS(*o.tls, []string{ln.Addr().String(), e.cfg.PublicURL}); err != nil {
			_ = ln.Close()
			return nil, err
		}
	}
	if e.cfg.PublicURL != "" {
		s.url = strings.TrimRight(e.cfg.PublicURL, "/")
	}
	e.SetPublicURL(s.url)
	e.adminListener(ln.Addr())
	h := e.Handler()
	if o.middleware != nil {
		h = o.middleware(h)
	}
	t := e.cfg.Server
	s.srv = &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read,
		WriteTimeout: t.Write, IdleTimeout: t.Idle, MaxHeaderBytes: e.cfg.Limits.MaxHeaderBytes}
	if s.tls != nil {
		s.srv.TLSConfig = s.tls.config
		go func() { s.served <- s.srv.ServeTLS(s.listener, "", "") }()
	} else {
		go func() { s.served <- s.srv.Serve(s.listener) }()
	}
	go func() {
		select {
		case <-ctx.Done():
			_ = s.Close() // bounded: shutdownGrace
		case <-e.janitorDone:
		}
	}()
	return s, nil
}

// URL returns the server's base URL (scheme://host:port).
func (s *Server) URL() string { return s.url }

// Addr returns the listener's address.
func (s *Server) Addr() net.Addr { return s.listener.Addr() }

// GraphBaseURL returns the Graph base URL of version ("beta" or "v1.0"),
// e.g. http://127.0.0.1:41234/v1.0.
func (s *Server) GraphBaseURL(version string) string { return s.url + "/" + version }

// TokenURL returns the token endpoint of tenant.
func (s *Server) TokenURL(tenant string) string { return identity.TokenURL(s.url, tenant) }

// OpenIDConfigURL returns the OpenID configuration URL whose keys sign
// notification tokens.
func (s *Server) OpenIDConfigURL() string { return s.url + OpenIDConfigPath }

// AdminURL returns the base URL of the inspection and admin API.
func (s *Server) AdminURL() string { return s.url + strings.TrimSuffix(AdminPrefix, "/") }

// CAFile returns the path of the generated CA certificate (PEM) that
// signed the https certificate, for clients to trust; "" when serving plain
// http or the user's own certificate.
func (s *Server) CAFile() string {
	if s.tls == nil {
		return ""
	}
	return s.tls.caFile
}

// CACertPEM returns the generated CA certificate (PEM); nil when serving
// plain http or the user's own certificate.
func (s *Server) CACertPEM() []byte {
	if s.tls == nil {
		return nil
	}
	return s.tls.caPEM
}

// Shutdown stops accepting requests, waits for those in progress, then
// drains the deliveries in flight, all until ctx ends; then it closes the
// connections left and abandons the deliveries left (Stats().Abandoned). A
// CA file in a temporary directory is removed.
func (s *Server) Shutdown(ctx context.Context) error {
	herr := s.srv.Shutdown(ctx)
	if herr != nil {
		_ = s.srv.Close() // the deadline passed: cut the connections still open
	}
	eerr := s.Emulator.Close(ctx)
	s.tls.cleanup()
	return errors.Join(herr, eerr)
}

// Close shuts the server down with a short drain (5 s).
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return s.Shutdown(ctx)
}

// Wait blocks until the server stops serving and returns why
// (http.ErrServerClosed after Shutdown).
func (s *Server) Wait() error {
	err := <-s.served
	s.served <- err
	return err
}

// shutdownGrace bounds Close's drain.
const shutdownGrace = 5 * time.Second
