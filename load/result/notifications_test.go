package result

import "testing"

// TestNotificationThresholds: lost==0 means no notification of any kind
// was lost; lost.terminated, duplicates and the rest name one count.
func TestNotificationThresholds(t *testing.T) {
	s := &Summary{E2E: &E2EStats{Calls: 100, Lost: 0, Notifications: NotificationTally{
		KindEstablished: {Expected: 100, Arrived: 100, Duplicates: 2},
		KindTerminated:  {Expected: 100, Arrived: 95, Lost: 4, Late: 1},
	}}}
	for _, c := range []struct {
		expr string
		pass bool
	}{
		{"lost==0", false},            // every call established, yet terminations were lost
		{"lost.established==0", true}, // the calls' own count
		{"lost.terminated<=4", true},
		{"lost.terminated<2%", false}, // 4 of 100 expected
		{"duplicates==0", false},
		{"duplicates.terminated==0", true},
		{"late<=1", true},
		{"unexpected==0", true},
	} {
		ts, err := ParseThresholds(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := s.Evaluate(ts); got != c.pass {
			t.Errorf("%s: passed %v, want %v (%+v)", c.expr, got, c.pass, s.Verdicts)
		}
	}
}
