package load

import (
	"context"
	"testing"
	"time"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/load/result"
)

// TestCreateAccountsForEveryNotification: against the emulator's drop and
// duplicate faults, load's counts per kind equal the emulator's own
// delivery record exactly (lost: dropped by the fault; received: every
// acknowledged copy; duplicates: the extra copies), and every call created
// is deleted: the emulator holds no live call after the run.
func TestCreateAccountsForEveryNotification(t *testing.T) {
	emb := startEmulator(t, func(c *emulator.Config) {
		c.Faults.Drop, c.Faults.Duplicate, c.Seed = 0.1, 0.1, 7
		c.Limits.DeliveryRecords = 1 << 16
	})
	cfg := runConfig(t, emb, 200, time.Second)
	cfg.Hangup = true
	cfg.Timeouts.Grace = 2 * time.Second // calls missing a notification are hung up and resolved after it
	run, err := Create(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := run.Summary.E2E.Notifications
	if got == nil {
		t.Fatal("the summary counts no notifications")
	}
	want := result.NotificationTally{}
	copies := map[[2]string]int{}
	for _, d := range emb.Server.Deliveries() {
		for i, id := range d.CallIDs {
			kind := d.Kinds[i]
			if kind == "lobby-roster" {
				kind = result.KindLobby
			}
			switch {
			case d.Error == emulator.DroppedByFault:
				want.Of(kind).Lost++
			case d.Acknowledged:
				copies[[2]string{id, kind}]++
			}
		}
	}
	for key, n := range copies {
		c := want.Of(key[1])
		c.Arrived++ // arrived in time or late: compared as a sum below
		c.Duplicates += uint64(n - 1)
	}
	var dropped, duplicated uint64
	for _, kind := range result.NotificationKinds() {
		w, g := want.Of(kind), got.Of(kind)
		dropped, duplicated = dropped+w.Lost, duplicated+w.Duplicates
		if g.Lost != w.Lost || g.Arrived+g.Late+g.Unexpected != w.Arrived || g.Duplicates != w.Duplicates || g.Received() != w.Arrived+w.Duplicates {
			t.Errorf("%s: load counted %+v; the emulator dropped %d, delivered %d distinct, %d duplicates", kind, *g, w.Lost, w.Arrived, w.Duplicates)
		}
	}
	if dropped == 0 || duplicated == 0 {
		t.Fatalf("the faults made %d drops and %d duplicates: the test shows nothing", dropped, duplicated)
	}
	if v, ok := run.Summary.Value(result.MetricLost, false); !ok || v != float64(dropped) {
		t.Errorf("lost = %v, want every kind's: %d", v, dropped)
	}
	if live := emb.Server.Stats().LiveCalls; live != 0 {
		t.Errorf("%d calls live on the emulator after the run, want 0 (cleanup %+v)", live, run.Manifest.Cleanup)
	}
	if c := run.Manifest.Cleanup; c == nil || c.Created != 200 || c.Deleted != 200 || c.FailedCount != 0 {
		t.Errorf("cleanup %+v, want 200 created and deleted", c)
	}
	t.Logf("dropped %d, duplicated %d; load: %+v", dropped, duplicated, got.Total())
}
