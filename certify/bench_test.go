package certify

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/callcheck/callcheck/report"
)

// BenchmarkCertifyReferenceBot measures a whole certification of the
// reference bot for the ten scenarios over loopback: the emulated Graph
// started, ten calls created through client credentials, judged, and about
// a hundred signed notifications posted, acknowledged and observed.
func BenchmarkCertifyReferenceBot(b *testing.B) {
	var checks int
	for b.Loop() {
		r := newRig(b)
		cfg := testConfig(b)
		r.configure(&cfg, Keys())
		s, err := Start(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		r.start(context.Background(), s)
		cert, err := s.Certify(context.Background())
		if err != nil || cert.Verdict != report.Passed {
			b.Fatalf("verdict %v, err %v", cert.Verdict, err)
		}
		checks = len(cert.Checks)
		_ = s.Close()
		r.callback.Close()
		r.control.Close()
	}
	b.ReportMetric(float64(checks), "checks/op")
}

// BenchmarkLargeRoster measures building and encoding a 300-participant
// roster notification, the largest payload certify-bot posts.
func BenchmarkLargeRoster(b *testing.B) {
	s := &Session{rng: rand.New(rand.NewPCG(1, 2))}
	tg := testTarget(KeyMeeting, meetingBody())
	var size int
	for b.Loop() {
		n := tg.roster(append([]obj{tg.botParticipant(false)}, tg.others(s, maxLargeRoster)...))
		body, err := json.Marshal(batchOf(n))
		if err != nil {
			b.Fatal(err)
		}
		size = len(body)
	}
	b.ReportMetric(float64(size), "bytes/roster")
}
