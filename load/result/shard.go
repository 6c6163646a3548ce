package result

import (
	"fmt"
	"strconv"
	"strings"
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

// MixEntry is one documented example (or notification) of a run's mix, with
// its weight.
type MixEntry struct {
	Example int    `json:"example"`
	Name    string `json:"name"`
	Weight  int    `json:"weight"`
}
