// Package serve builds the HTTP servers callcheck runs (receivers, sinks,
// the reference bot), each bounded against slow or greedy clients: read,
// write and idle timeouts and a header limit.
package serve

import (
	"net/http"
	"time"
)

// Timeouts bound what one client may hold of a server.
type Timeouts struct {
	// ReadHeader bounds reading a request's headers (slowloris).
	ReadHeader time.Duration
	// Read bounds reading a whole request, body included.
	Read time.Duration
	// Write bounds writing the response, from the end of the headers read.
	Write time.Duration
	// Idle bounds how long a keep-alive connection waits for its next request.
	Idle time.Duration
	// MaxHeaderBytes bounds a request's headers (larger: 431).
	MaxHeaderBytes int
}

// DefaultTimeouts suit notification receivers and control endpoints: a
// notification POST of a large roster is tens of KiB (4 MiB at most) and
// Graph expects an answer within about 5 s (graph-calls-facts.md §8).
var DefaultTimeouts = Timeouts{ReadHeader: 5 * time.Second, Read: 30 * time.Second, Write: 30 * time.Second,
	Idle: 2 * time.Minute, MaxHeaderBytes: 64 << 10}

// New returns a server of h bounded by DefaultTimeouts.
func New(h http.Handler) *http.Server { return DefaultTimeouts.Server(h) }

// Server returns a server of h bounded by t.
func (t Timeouts) Server(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write,
		IdleTimeout: t.Idle, MaxHeaderBytes: t.MaxHeaderBytes}
}
