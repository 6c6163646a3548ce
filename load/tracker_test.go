package load

import (
	"context"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/notify"
)

// event builds the notify.Event of a notification as the receiver streams
// it: kind "establishing", "established" or "roster".
func event(callID, kind string, at time.Time) notify.Event {
	url := "/communications/calls/" + callID
	n := graph.CommsNotification{ChangeType: graph.ChangeUpdated, ResourceURL: url,
		ResourceData: []byte(`{"@odata.type":"#microsoft.graph.call","state":"` + kind + `"}`)}
	if kind == "roster" {
		n.ResourceURL += "/participants"
		n.ResourceData = []byte(`[]`)
	}
	res, _ := graph.ParseResourceURL(n.ResourceURL)
	return notify.Event{Received: at, CallID: callID, Resource: res, Notification: n}
}

// trackerRecorder collects what a tracker resolves.
type trackerRecorder struct{ recs map[string]result.Record }

func newTestTracker(grace time.Duration, maxPending int) (*tracker, *trackerRecorder) {
	tr := &trackerRecorder{recs: map[string]result.Record{}}
	return newTracker(grace, maxPending, func(r *result.Record) { tr.recs[r.CallID] = *r }), tr
}

func TestTrackerOutcomes(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	tk, got := newTestTracker(time.Second, 100)
	// a: established after the response
	tk.Created(result.Record{CallID: "a"}, t0, ms(2))
	tk.OnEvent(event("a", "establishing", ms(3)))
	tk.OnEvent(event("a", "established", ms(7)))
	// b: established before the response was read (early), then registered
	tk.OnEvent(event("b", "established", ms(4)))
	tk.Created(result.Record{CallID: "b"}, t0, ms(5))
	// c: roster documented; established alone does not resolve it
	tk.Created(result.Record{CallID: "c", RosterExpected: true}, t0, ms(1))
	tk.OnEvent(event("c", "established", ms(6)))
	if _, ok := got.recs["c"]; ok {
		t.Fatal("c resolved before its roster arrived")
	}
	tk.OnEvent(event("c", "roster", ms(9)))
	// d: nothing arrives; e: established, roster never
	tk.Created(result.Record{CallID: "d"}, t0, ms(1))
	tk.Created(result.Record{CallID: "e", RosterExpected: true}, t0, ms(1))
	tk.OnEvent(event("e", "established", ms(8)))
	if n, _ := tk.Sweep(ms(500)); n != 2 {
		t.Fatalf("pending before the grace = %d, want 2 (d, e)", n)
	}
	if n, _ := tk.Sweep(ms(1002)); n != 0 {
		t.Fatalf("pending after the grace = %d, want 0", n)
	}
	for _, tc := range []struct {
		id               string
		outcome          result.Outcome
		established, ros int // ms from the scheduled time; 0: none
	}{
		{"a", result.OutcomeOK, 7, 0},
		{"b", result.OutcomeOK, 4, 0},
		{"c", result.OutcomeOK, 6, 9},
		{"d", result.OutcomeLost, 0, 0},
		{"e", result.OutcomeRosterLost, 8, 0},
	} {
		r := got.recs[tc.id]
		if r.Outcome != tc.outcome || r.EstablishedNs != int64(tc.established)*1e6 || r.RosterNs != int64(tc.ros)*1e6 {
			t.Errorf("%s: %+v; want %s, established %dms, roster %dms", tc.id, r, tc.outcome, tc.established, tc.ros)
		}
	}
	// a roster update after a call was resolved is expected, not unmatched;
	// a notification of a call never created is unmatched
	tk.OnEvent(event("a", "roster", ms(1100)))
	tk.OnEvent(event("zz", "established", ms(1100)))
	tk.Sweep(ms(3000))
	if unmatched, _ := tk.Counts(); unmatched != 1 {
		t.Errorf("unmatched = %d, want 1", unmatched)
	}
}

func TestTrackerBounds(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tk, got := newTestTracker(time.Hour, 3)
	for _, id := range []string{"1", "2", "3", "4"} {
		tk.Created(result.Record{CallID: id}, t0, t0)
	}
	if r, ok := got.recs["1"]; !ok || r.Outcome != result.OutcomeLost {
		t.Errorf("the oldest call was not given up at the bound: %+v", r)
	}
	if _, evicted := tk.Counts(); evicted != 1 {
		t.Errorf("evicted = %d, want 1", evicted)
	}
	// early arrivals are bounded too
	for _, id := range []string{"x", "y", "z", "w", "v"} {
		tk.OnEvent(event(id, "established", t0))
	}
	if len(tk.early) > 3 {
		t.Errorf("early holds %d calls, above the bound 3", len(tk.early))
	}
}

func TestTrackerDrain(t *testing.T) {
	tk, got := newTestTracker(50*time.Millisecond, 10)
	now := time.Now()
	tk.Created(result.Record{CallID: "late"}, now, now)
	tk.Created(result.Record{CallID: "soon"}, now, now)
	done := make(chan error, 1)
	go func() { done <- tk.Drain(context.Background()) }()
	tk.OnEvent(event("soon", "established", time.Now()))
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Drain: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Drain did not return after the grace")
	}
	tk.mu.Lock()
	defer tk.mu.Unlock()
	if got.recs["soon"].Outcome != result.OutcomeOK || got.recs["late"].Outcome != result.OutcomeLost {
		t.Errorf("after Drain: %+v", got.recs)
	}
}

func TestTrackerDrainInterrupted(t *testing.T) {
	tk, got := newTestTracker(time.Hour, 10)
	tk.Created(result.Record{CallID: "a"}, time.Now(), time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := tk.Drain(ctx); err == nil {
		t.Fatal("Drain with a cancelled context returned nil")
	}
	if got.recs["a"].Outcome != result.OutcomeUnresolved {
		t.Errorf("interrupted call: %+v, want unresolved", got.recs["a"])
	}
}
