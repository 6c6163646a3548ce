package load

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    float64
		wantErr string
	}{
		{"100/s", 100, ""},      // per second
		{"100", 100, ""},        // a bare number is per second
		{"6000/m", 100, ""},     // per minute
		{"2/1m", 2.0 / 60, ""},  // a duration unit
		{"5/500ms", 10, ""},     // a sub-second unit
		{" 0.5/s ", 0.5, ""},    // spaces and fractions
		{"0/s", 0, ""},          // zero (a pause in a step list)
		{"-1/s", 0, "negative"}, // negative
		{"abc/s", 0, "not a number"},
		{"100/x", 0, "unit"},    // unknown unit
		{"100/-1s", 0, "unit"},  // negative unit
		{"1e9/s", 0, "maximum"}, // absurd
		{"NaN", 0, "not a number"},
	} {
		got, err := ParseRate(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), strings.TrimSpace(tc.in)) {
				t.Errorf("ParseRate(%q) = %v, %v; want an error naming the input and containing %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

// dueTimes returns every due time of p.
func dueTimes(t *testing.T, p Pacer) []time.Duration {
	t.Helper()
	var out []time.Duration
	for n := uint64(0); ; n++ {
		at, ok := p.Due(n)
		if !ok {
			return out
		}
		if len(out) > 0 && at < out[len(out)-1] {
			t.Fatalf("%s: hit %d due at %s, before hit %d at %s", p, n, at, n-1, out[len(out)-1])
		}
		if at >= p.Length() {
			t.Fatalf("%s: hit %d due at %s, after the end %s", p, n, at, p.Length())
		}
		out = append(out, at)
		if n > 1e6 {
			t.Fatalf("%s: no end", p)
		}
	}
}

func TestPacersSchedule(t *testing.T) {
	constant, _ := NewConstantPacer(100, 2*time.Second)
	up, _ := NewRampPacer(0, 200, 2*time.Second)
	down, _ := NewRampPacer(200, 0, 2*time.Second)
	flat, _ := NewRampPacer(100, 100, 2*time.Second)
	steps, _ := NewStepsPacer([]Step{{100, time.Second}, {0, time.Second}, {300, time.Second}})
	for _, tc := range []struct {
		p     Pacer
		hits  uint64
		check func([]time.Duration) bool
	}{
		// 100/s for 2s: 200 hits, 10ms apart, the first at once
		{constant, 200, func(d []time.Duration) bool { return d[0] == 0 && d[1] == 10*time.Millisecond }},
		// 0→200/s over 2s: mean 100/s, sparse first, dense last
		{up, 200, func(d []time.Duration) bool { return d[1]-d[0] > d[199]-d[198] }},
		// 200→0/s over 2s: dense first, sparse last
		{down, 200, func(d []time.Duration) bool { return d[1]-d[0] < d[199]-d[198] }},
		// a flat ramp is a constant rate
		{flat, 200, func(d []time.Duration) bool { return d[100] == time.Second }},
		// 100 in the first second, a pause, 300 in the third
		{steps, 400, func(d []time.Duration) bool { return d[99] < time.Second && d[100] == 2*time.Second }},
	} {
		d := dueTimes(t, tc.p)
		if uint64(len(d)) != tc.hits || Hits(tc.p) != tc.hits {
			t.Errorf("%s: %d hits (Hits says %d), want %d", tc.p, len(d), Hits(tc.p), tc.hits)
			continue
		}
		if !tc.check(d) {
			t.Errorf("%s: schedule shape wrong: first %v, last %v", tc.p, d[:3], d[len(d)-3:])
		}
	}
}

func TestPacePacesAndStops(t *testing.T) {
	p, _ := NewConstantPacer(10, time.Second)
	if wait, stop := p.Pace(0, 0); wait != 0 || stop {
		t.Errorf("Pace(0,0) = %v,%v; want the first hit at once", wait, stop)
	}
	if wait, stop := p.Pace(50*time.Millisecond, 1); wait != 50*time.Millisecond || stop {
		t.Errorf("Pace(50ms,1) = %v,%v; want 50ms", wait, stop)
	}
	// behind schedule: a negative wait, which vegeta's loop does not sleep
	if wait, stop := p.Pace(500*time.Millisecond, 2); wait >= 0 || stop {
		t.Errorf("Pace(500ms,2) = %v,%v; want a negative wait", wait, stop)
	}
	if _, stop := p.Pace(time.Second, 10); !stop {
		t.Error("Pace after the last hit does not stop")
	}
}

func TestShardPacersCoverTheWhole(t *testing.T) {
	whole, _ := NewRampPacer(50, 150, time.Second)
	all := dueTimes(t, whole)
	seen := map[time.Duration]int{}
	var total int
	for i := 0; i < 3; i++ {
		sp := ShardPacer(Shard{Index: i, Count: 3}, whole)
		d := dueTimes(t, sp)
		total += len(d)
		for _, at := range d {
			seen[at]++
		}
		if got := sp.Rate(0); got != 50.0/3 {
			t.Errorf("shard %d rate %v, want %v", i, got, 50.0/3)
		}
	}
	if total != len(all) {
		t.Fatalf("shards send %d hits, the whole %d", total, len(all))
	}
	for _, at := range all {
		if seen[at] == 0 {
			t.Fatalf("hit due at %s sent by no shard", at)
		}
	}
}

func TestPacing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pc      Pacing
		want    string // the pacer's String, or
		wantErr string // an error naming the flag
	}{
		{"default", Pacing{}, "constant 50/s for 10s", ""},
		{"rate", Pacing{Rate: "100/s", Duration: time.Minute}, "constant 100/s for 1m0s", ""},
		{"ramp", Pacing{Ramp: "10/s..500/s", Duration: time.Minute}, "ramp 10/s..500/s over 1m0s", ""},
		{"steps with a trailing duration", Pacing{Steps: "100,200,400@10s"}, "steps 100/s@10s,200/s@10s,400/s@10s", ""},
		{"steps each with its own", Pacing{Steps: "100/s@5s,200/s@1m"}, "steps 100/s@5s,200/s@1m0s", ""},
		{"two schedules", Pacing{Rate: "1", Ramp: "1..2"}, "", "exclusive"},
		{"zero rate", Pacing{Rate: "0/s"}, "", "--rate"},
		{"bad rate", Pacing{Rate: "fast"}, "", "--rate"},
		{"negative duration", Pacing{Rate: "1", Duration: -time.Second}, "", "--duration"},
		{"ramp without dots", Pacing{Ramp: "10/s-500/s"}, "", "--ramp"},
		{"ramp of nothing", Pacing{Ramp: "0..0"}, "", "--ramp"},
		{"steps without a duration", Pacing{Steps: "100,200"}, "", "--steps"},
		{"steps with a bad duration", Pacing{Steps: "100@soon"}, "", "--steps"},
		{"steps and a duration", Pacing{Steps: "100@1s", Duration: time.Second}, "", "--steps"},
		{"steps of pauses only", Pacing{Steps: "0@1s"}, "", "--steps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.pc.Pacer()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || p.String() != tc.want {
				t.Fatalf("Pacer() = %v, %v; want %q", p, err, tc.want)
			}
		})
	}
}
