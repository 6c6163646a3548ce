package load

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/load/result"
)

// MixEntry is one documented example of a Mix, with its weight (the
// result.MixEntry a manifest lists).
type MixEntry = result.MixEntry

// Mix is a weighted choice of documented examples, sent in a fixed,
// interleaved order (smooth weighted round robin), so a short run already
// holds every example in its proportion.
type Mix struct {
	entries []MixEntry
	order   []int // indexes into entries, one cycle of the round robin
}

// MaxMixWeight bounds one example's weight.
const MaxMixWeight = 1000

// ParseMix reads a mix: "all" (every example once), one number ("3"), a list
// ("1,3,9"), or weights ("1:3,9:1": three of Example 1 for each of Example 9).
// Examples are numbered as on the page, 1 to 10.
func ParseMix(s string) (Mix, error) {
	text := strings.TrimSpace(s)
	if text == "" || strings.EqualFold(text, "all") {
		var entries []MixEntry
		for _, ex := range fixtures.All() {
			entries = append(entries, MixEntry{Example: ex.Number, Name: ex.Name(), Weight: 1})
		}
		return newMix(entries), nil
	}
	var entries []MixEntry
	seen := map[int]bool{}
	for _, item := range strings.Split(text, ",") {
		e, err := parseMixItem(item)
		if err != nil {
			return Mix{}, fmt.Errorf("example %q: %w", s, err)
		}
		if seen[e.Example] {
			return Mix{}, fmt.Errorf("example %q: example %d is listed twice", s, e.Example)
		}
		seen[e.Example] = true
		entries = append(entries, e)
	}
	return newMix(entries), nil
}

func parseMixItem(item string) (MixEntry, error) {
	num, weight, hasWeight := strings.Cut(strings.TrimSpace(item), ":")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil {
		return MixEntry{}, fmt.Errorf("%q is not an example number (1-10, or all)", item)
	}
	ex, err := fixtures.ByNumber(n)
	if err != nil {
		return MixEntry{}, err
	}
	e := MixEntry{Example: n, Name: ex.Name(), Weight: 1}
	if hasWeight {
		w, err := strconv.Atoi(strings.TrimSpace(weight))
		if err != nil || w < 1 || w > MaxMixWeight {
			return MixEntry{}, fmt.Errorf("weight %q of example %d is not a whole number from 1 to %d", weight, n, MaxMixWeight)
		}
		e.Weight = w
	}
	return e, nil
}

// newMix lays out one cycle of the smooth weighted round robin.
func newMix(entries []MixEntry) Mix {
	m := Mix{entries: entries}
	total := 0
	for _, e := range entries {
		total += e.Weight
	}
	current := make([]int, len(entries))
	for range total {
		best := 0
		for i, e := range entries {
			current[i] += e.Weight
			if current[i] > current[best] {
				best = i
			}
		}
		current[best] -= total
		m.order = append(m.order, best)
	}
	return m
}

// Entries returns the examples of the mix.
func (m Mix) Entries() []MixEntry { return append([]MixEntry(nil), m.entries...) }

// Len returns the length of one cycle of the mix.
func (m Mix) Len() int { return len(m.order) }

// Pick returns the entry for the n-th request.
func (m Mix) Pick(n uint64) MixEntry { return m.entries[m.order[n%uint64(len(m.order))]] }

// String writes the mix as ParseMix reads it.
func (m Mix) String() string {
	parts := make([]string, len(m.entries))
	for i, e := range m.entries {
		parts[i] = strconv.Itoa(e.Example)
		if e.Weight != 1 {
			parts[i] += ":" + strconv.Itoa(e.Weight)
		}
	}
	return strings.Join(parts, ",")
}
