package load

import (
	"sync"
	"time"
)

// schedule is the vegeta.Pacer an attack runs with: it delegates to a
// Pacer and notes when the attack began, so the due time of hit n is known
// as a point in time.
//
// vegeta's attack loop calls Pace(elapsed, count) once per hit, in order,
// with elapsed measured from the attack's start, and sends hit count after
// sleeping the wait; a worker then takes the hit, numbers it (Result.Seq) and
// stamps it (Result.Timestamp) when it starts. Hit count is numbered Seq =
// count or later, and a worker cannot start hit Seq before Seq+1 hits were
// sent, the last of them at or after its due time, so began+Due(Seq) is never
// after Result.Timestamp: the scheduled time of the result.
type schedule struct {
	p     Pacer
	once  sync.Once
	began time.Time
}

func newSchedule(p Pacer) *schedule { return &schedule{p: p} }

// Pace implements vegeta.Pacer; the first call fixes the start.
func (s *schedule) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	s.once.Do(func() { s.began = time.Now().Add(-elapsed) })
	return s.p.Pace(elapsed, hits)
}

// Rate implements vegeta.Pacer.
func (s *schedule) Rate(elapsed time.Duration) float64 { return s.p.Rate(elapsed) }

// Began returns when the attack began. It is only meaningful once a result
// arrived (every result follows the first Pace).
func (s *schedule) Began() time.Time { return s.began }

// Scheduled returns when hit seq was due.
func (s *schedule) Scheduled(seq uint64) time.Time {
	at, _ := s.p.Due(seq)
	return s.began.Add(at)
}
