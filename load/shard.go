package load

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Shard is one of Count processes sharing a load: shard Index (0-based, as
// Kubernetes' JOB_COMPLETION_INDEX) sends every Count-th hit of the whole
// schedule, starting with hit Index, so the shards together send the whole
// schedule, interleaved.
type Shard struct {
	Index int
	Count int
}

// Whole is the shard of an unsharded run.
var Whole = Shard{Index: 0, Count: 1}

// ParseShard reads "i/N" with 0 <= i < N.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("shard %q: want INDEX/COUNT, e.g. 0/4", s)
	case n < 1:
		return Shard{}, fmt.Errorf("shard %q: COUNT must be at least 1", s)
	case i < 0 || i >= n:
		return Shard{}, fmt.Errorf("shard %q: INDEX must be from 0 to %d (0-based, like JOB_COMPLETION_INDEX)", s, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}

// String writes the shard as ParseShard reads it.
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// MarshalText writes the shard as "i/N" (in JSON too).
func (s Shard) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "i/N".
func (s *Shard) UnmarshalText(b []byte) error {
	v, err := ParseShard(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Valid reports whether 0 <= Index < Count.
func (s Shard) Valid() bool { return s.Count >= 1 && s.Index >= 0 && s.Index < s.Count }

// Pacer returns the part of p this shard sends: its hit n is p's hit
// n·Count+Index. The whole shard is p itself.
func (s Shard) Pacer(p Pacer) Pacer {
	if s.Count <= 1 {
		return p
	}
	return shardPacer{p: p, shard: s}
}

// shardPacer is one shard's part of a schedule.
type shardPacer struct {
	p     Pacer
	shard Shard
}

func (sp shardPacer) Due(n uint64) (time.Duration, bool) {
	return sp.p.Due(n*uint64(sp.shard.Count) + uint64(sp.shard.Index))
}

func (sp shardPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	return pace(sp, elapsed, hits)
}

func (sp shardPacer) Rate(elapsed time.Duration) float64 {
	return sp.p.Rate(elapsed) / float64(sp.shard.Count)
}

func (sp shardPacer) Length() time.Duration { return sp.p.Length() }

func (sp shardPacer) String() string {
	return fmt.Sprintf("%s, shard %s", sp.p, sp.shard)
}

// Hits returns how many hits p's schedule holds.
func Hits(p Pacer) uint64 {
	if _, ok := p.Due(0); !ok {
		return 0
	}
	hi := uint64(1)
	for {
		if _, ok := p.Due(hi); !ok {
			break
		}
		hi *= 2
	}
	lo := hi / 2 // Due(lo) ok, Due(hi) not
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if _, ok := p.Due(mid); ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// OfferedRate is the mean rate of p's schedule: its hits over its length.
func OfferedRate(p Pacer) float64 {
	return float64(Hits(p)) / p.Length().Seconds()
}
