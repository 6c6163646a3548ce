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
// acknowledged copy; duplicates: the extra copies; a notification still
// scheduled when load hung up is lost too, and recorded as never sent), and
// every call created
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
	dropped, duplicated := assertCountsMatchDeliveries(t, emb, run)
	if dropped == 0 || duplicated == 0 {
		t.Fatalf("the faults made %d drops and %d duplicates: the test shows nothing", dropped, duplicated)
	}
	if live := emb.Server.Stats().LiveCalls; live != 0 {
		t.Errorf("%d calls live on the emulator after the run, want 0 (cleanup %+v)", live, run.Manifest.Cleanup)
	}
	if c := run.Manifest.Cleanup; c == nil || c.Created != 200 || c.Deleted != 200 || c.FailedCount != 0 {
		t.Errorf("cleanup %+v, want 200 created and deleted", c)
	}
}

// TestHangupBeforeRosterIsCounted: a roster still scheduled when load hangs
// up (its grace ran out first) never comes; load counts it lost, and the
// emulator records it as never sent, so the two still agree exactly.
func TestHangupBeforeRosterIsCounted(t *testing.T) {
	emb := startEmulator(t, func(c *emulator.Config) {
		c.Timing.Roster = emulator.Delay{Min: time.Hour, Max: time.Hour}
		c.Limits.DeliveryRecords = 1 << 16
	})
	cfg := runConfig(t, emb, 20, time.Second)
	// the examples with a roster, without Example 8: a guest waiting in the
	// lobby has no roster scheduled yet, so its hang-up supersedes nothing
	mix, err := ParseMix("3,4,5,6,7")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mix, cfg.Hangup = mix, true
	cfg.Timeouts.Grace = 500 * time.Millisecond
	run, err := Create(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	assertCountsMatchDeliveries(t, emb, run)
	superseded := 0
	for _, d := range emb.Server.Deliveries() {
		// rosters only: on a slow machine an established can miss the grace too
		if d.Error == emulator.SupersededByEnd && len(d.Kinds) == 1 && d.Kinds[0] == result.KindRoster {
			superseded++
		}
	}
	roster := run.Summary.E2E.Notifications.Of(result.KindRoster)
	if superseded != 20 || roster.Lost != 20 || roster.Arrived != 0 {
		t.Errorf("roster %+v; the emulator recorded %d rosters never sent, want all 20 never sent and counted lost", *roster, superseded)
	}
}

// assertCountsMatchDeliveries compares load's notification counts per kind
// with the emulator's delivery record, and returns how many notifications
// the emulator withheld and duplicated.
func assertCountsMatchDeliveries(t *testing.T, emb *Embedded, run *Run) (dropped, duplicated uint64) {
	t.Helper()
	got := run.Summary.E2E.Notifications
	if got == nil {
		t.Fatal("the summary counts no notifications")
	}
	// Load counts a notification when it arrives; the emulator records the
	// delivery once the bot's answer is back. The last deliveries' records
	// can still be on their way when the run returns: wait for them.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := emb.Server.WaitIdle(ctx); err != nil {
		t.Fatal(err)
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
			case d.Error == emulator.DroppedByFault, d.Error == emulator.SupersededByEnd:
				// dropped by the fault, or never sent because load hung up first
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
	for _, kind := range result.NotificationKinds() {
		w, g := want.Of(kind), got.Of(kind)
		dropped, duplicated = dropped+w.Lost, duplicated+w.Duplicates
		if g.Lost != w.Lost || g.Arrived+g.Late+g.Unexpected != w.Arrived || g.Duplicates != w.Duplicates || g.Received() != w.Arrived+w.Duplicates {
			t.Errorf("%s: load counted %+v; the emulator dropped %d, delivered %d distinct, %d duplicates", kind, *g, w.Lost, w.Arrived, w.Duplicates)
		}
	}
	if v, ok := run.Summary.Value(result.MetricLost, false); !ok || v != float64(dropped) {
		t.Errorf("lost = %v, want every kind's: %d", v, dropped)
	}
	t.Logf("withheld %d, duplicated %d; load: %+v", dropped, duplicated, got.Total())
	return dropped, duplicated
}
