package load

import (
	"fmt"
	"time"

	"github.com/callcheck/callcheck/load/result"
)

// Shard is one of Count processes sharing a load (result.Shard: every
// manifest records its run's shard).
type Shard = result.Shard

// Whole is the shard of an unsharded run.
var Whole = result.Whole

// ShardPacer returns the part of p shard s sends: its hit n is p's hit
// n·Count+Index. The whole shard is p itself.
func ShardPacer(s Shard, p Pacer) Pacer {
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
