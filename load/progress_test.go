package load

import (
	"bytes"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestProgressLine: a progress line says the elapsed time, the requests,
// the rate over the interval against the offered one, the interval's p99,
// the errors and the end-to-end state; nothing is printed without results.
func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	win := &window{}
	p := &progress{w: &buf, start: start, last: start, win: win,
		offered: func(time.Duration) float64 { return 100 }, e2e: func() string { return "e2e p99 5ms  lost 1" }}
	p.tick(start.Add(time.Second))
	if buf.Len() != 0 {
		t.Fatalf("progress printed %q before any result", buf.String())
	}
	for i := range 50 {
		code := uint16(201)
		if i%10 == 0 {
			code = 500
		}
		win.add(&vegeta.Result{Code: code, Latency: time.Duration(i+1) * time.Millisecond})
	}
	p.tick(start.Add(2 * time.Second))
	p.done()
	line := buf.String()
	for _, want := range []string{"2s", "sent 50", "rate 50.0/s (offered 100.0/s)", "p99 50ms", "errors 5", "e2e p99 5ms  lost 1"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress line %q lacks %q", line, want)
		}
	}
	if !strings.HasPrefix(line, "\r") || !strings.HasSuffix(line, "\n") {
		t.Errorf("progress line %q: want it rewritten in place (\\r) and ended by done", line)
	}
}

// TestProgressLinesForLogs: off a terminal each progress line is a line of
// its own, without carriage returns or terminal escapes, so a CI log shows
// the run advancing.
func TestProgressLinesForLogs(t *testing.T) {
	var buf bytes.Buffer
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	win := &window{}
	p := &progress{w: &buf, start: start, last: start, win: win, lines: true,
		offered: func(time.Duration) float64 { return 10 }}
	for tick := 1; tick <= 2; tick++ {
		win.add(&vegeta.Result{Code: 201, Latency: time.Millisecond})
		p.tick(start.Add(time.Duration(tick) * 5 * time.Second))
	}
	p.done()
	got := buf.String()
	if strings.ContainsAny(got, "\r\x1b") || strings.Count(got, "\n") != 2 || !strings.HasPrefix(got, "progress: 5s  sent 1") {
		t.Errorf("progress for a log = %q, want two plain lines", got)
	}
}
