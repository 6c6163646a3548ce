package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func heldStep() stepResult {
	return stepResult{Rate: 1000, Requests: 8000, Achieved: 995, Success: 1, Created: 8000, P99: 20 * time.Millisecond,
		Notifies: true, Established: 8000}
}

func TestHeldCriteria(t *testing.T) {
	cases := []struct {
		name   string
		change func(*stepResult)
		fail   string // "" : held
	}{
		{"all met", func(*stepResult) {}, ""},
		{"achieved just 99%", func(s *stepResult) { s.Achieved = 990 }, ""},
		{"achieved under 99%", func(s *stepResult) { s.Achieved = 989 }, "achieved"},
		{"success 99.9%", func(s *stepResult) { s.Success = 0.999 }, ""},
		{"success under 99.9%", func(s *stepResult) { s.Success = 0.9989 }, "success"},
		{"p99 just under 50ms", func(s *stepResult) { s.P99 = 50*time.Millisecond - 1 }, ""},
		{"p99 50ms", func(s *stepResult) { s.P99 = 50 * time.Millisecond }, "p99"},
		{"p99 under a raised bound", func(s *stepResult) { s.P99, s.MaxP99 = 400*time.Millisecond, 500*time.Millisecond }, ""},
		{"p99 at a raised bound", func(s *stepResult) { s.P99, s.MaxP99 = 500*time.Millisecond, 500*time.Millisecond }, "p99 500ms >= 500ms"},
		{"one established missing", func(s *stepResult) { s.Established, s.Missing = 7999, 1 }, "1 of 8000 established"},
		{"bare: notifications do not apply", func(s *stepResult) { s.Notifies, s.Established = false, 0 }, ""},
		{"nothing sent", func(s *stepResult) { s.Requests = 0 }, "no request"},
	}
	for _, c := range cases {
		s := heldStep()
		c.change(&s)
		f := strings.Join(s.failures(), "; ")
		if c.fail == "" && (f != "" || !s.held()) {
			t.Errorf("%s: not held: %s", c.name, f)
		}
		if c.fail != "" && (!strings.Contains(f, c.fail) || s.held()) {
			t.Errorf("%s: failures %q, want one naming %q", c.name, f, c.fail)
		}
	}
}

func TestHeldRateStopsAtFirstFailure(t *testing.T) {
	ok := func(r float64) stepResult { s := heldStep(); s.Rate, s.Achieved = r, r; return s }
	bad := func(r float64) stepResult { s := ok(r); s.Success = 0.5; return s }
	cases := []struct {
		steps []stepResult
		want  float64
	}{
		{nil, 0},
		{[]stepResult{bad(1000)}, 0},
		{[]stepResult{ok(1000), ok(2000), bad(3000)}, 2000},
		{[]stepResult{ok(1000), bad(2000), ok(3000)}, 1000},
		{[]stepResult{ok(1000), ok(2000)}, 2000},
	}
	for i, c := range cases {
		if got := heldRate(c.steps); got != c.want {
			t.Errorf("case %d: held %v, want %v", i, got, c.want)
		}
	}
}

func TestRatio(t *testing.T) {
	for _, c := range []struct {
		a, b float64
		want string
	}{{3000, 4000, "0.75"}, {4000, 5000, "0.80"}, {8000, 8000, "1.00"}, {3000, 0, "n/a"}, {0, 3000, "0.00"}} {
		if got := ratio(c.a, c.b); got != c.want {
			t.Errorf("ratio(%v, %v) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}

func TestLadder(t *testing.T) {
	cases := []struct {
		s    stepping
		want []float64
	}{
		{stepping{Start: 1000, Step: 1000, Max: 4000, MaxSteps: 20}, []float64{1000, 2000, 3000, 4000}},
		{stepping{Start: 1000, Step: 1500, Max: 4000, MaxSteps: 20}, []float64{1000, 2500, 4000}},
		{stepping{Start: 1000, Step: 1000, Max: 1000, MaxSteps: 20}, []float64{1000}},
		{stepping{Start: 1000, Factor: 2, Max: 5000, MaxSteps: 20}, []float64{1000, 2000, 4000, 5000}},
		{stepping{Start: 1000, Step: 1000, Max: 1e6, MaxSteps: 3}, []float64{1000, 2000, 3000}},
		{stepping{Start: 0.5, Factor: 1.5, Max: 2, MaxSteps: 20}, []float64{0.5, 0.75, 1.13, 1.69, 2}},
	}
	for i, c := range cases {
		if err := c.s.validate(); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
		if got := c.s.rates(); !slices.Equal(got, c.want) {
			t.Errorf("case %d: rates %v, want %v", i, got, c.want)
		}
	}
}

func TestLadderInvalid(t *testing.T) {
	cases := []struct {
		s    stepping
		flag string
	}{
		{stepping{Start: 0, Step: 1, Max: 10, MaxSteps: 1}, "--start"},
		{stepping{Start: 10, Step: 1, Max: 5, MaxSteps: 1}, "--max"},
		{stepping{Start: 1, Step: 0, Max: 5, MaxSteps: 1}, "--step"},
		{stepping{Start: 1, Factor: 1, Max: 5, MaxSteps: 1}, "--factor"},
		{stepping{Start: 1, Step: 1, Max: 5, MaxSteps: 0}, "--max-steps"},
	}
	for _, c := range cases {
		err := c.s.validate()
		if err == nil || !strings.HasPrefix(err.Error(), c.flag+" ") {
			t.Errorf("%+v: error %v, want one naming %s", c.s, err, c.flag)
		}
	}
}

func TestPercentile(t *testing.T) {
	d := make([]time.Duration, 0, 100)
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if got := percentile(d, 0.99); got != 99*time.Millisecond {
		t.Errorf("p99 of 1..100ms = %v, want 99ms", got)
	}
	if got := percentile([]time.Duration{7}, 0.99); got != 7 {
		t.Errorf("p99 of one = %v", got)
	}
	if got := percentile(nil, 0.99); got != 0 {
		t.Errorf("p99 of none = %v", got)
	}
}
