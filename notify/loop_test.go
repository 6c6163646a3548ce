package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/notify"
)

// TestSenderToReceiver: a signed batch crosses a real loopback socket, is
// verified through OpenID discovery, and reaches the call's watch with the
// headers Graph sends.
func TestSenderToReceiver(t *testing.T) {
	l := newLoop(t, nil)
	w := l.receiver.Watch(callA)
	defer w.Close()
	rec, err := l.sender.Send(context.Background(), l.delivery(callNote(callA, graph.CallStateEstablishing), callNote(callA, graph.CallStateEstablished)))
	if err != nil {
		t.Fatalf("Send = %v (record %+v)", err, rec)
	}
	if rec.Status != 202 || !rec.Acknowledged || rec.Attempt != 1 || !rec.Final || rec.CallID != callA || rec.Notifications != 2 {
		t.Errorf("record %+v", rec)
	}
	ctx := testkit.Context(t, 10*time.Second)
	e, err := w.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if e.State() != graph.CallStateEstablishing || e.Index != 0 || e.BatchSize != 2 || e.MessageID != rec.MessageID {
		t.Errorf("first event %+v", e)
	}
	if e.Claims == nil || e.Claims.Audience != botAppID || e.Claims.TenantID != tenantID {
		t.Errorf("claims %+v", e.Claims)
	}
	for h, want := range map[string]string{
		"User-Agent": "Microsoft-Skype/3.0,(Calling/1.0)", "Content-Type": "application/json", "Accept": "application/json",
	} {
		if got := e.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if !graph.IsGUID(e.ChainID) || !graph.IsGUID(e.MessageID) {
		t.Errorf("chain id %q, message id %q: want GUIDs", e.ChainID, e.MessageID)
	}
	if e2, err := w.Next(ctx); err != nil || e2.State() != graph.CallStateEstablished || e2.Index != 1 {
		t.Errorf("second event %+v, %v", e2, err)
	}
}

// TestDefectiveDeliveriesAreRejected: every token defect a bot must refuse
// is refused by callcheck's own receiver too, and the call's watch sees it.
func TestDefectiveDeliveriesAreRejected(t *testing.T) {
	l := newLoop(t, nil)
	w := l.receiver.Watch(callA)
	defer w.Close()
	cases := []struct {
		name string
		o    notify.Override
		want error
	}{
		{"no token", notify.Override{NoToken: true}, identity.ErrMissingToken},
		{"basic scheme", notify.Override{Authorization: "Basic Zm9vOmJhcg=="}, identity.ErrMalformed},
	}
	for _, d := range []identity.Defect{identity.DefectBadSignature, identity.DefectUnknownKey, identity.DefectWrongAudience,
		identity.DefectWrongIssuer, identity.DefectExpired, identity.DefectNotYetValid, identity.DefectMissingTenant, identity.DefectAlgNone} {
		cases = append(cases, struct {
			name string
			o    notify.Override
			want error
		}{d.String(), notify.Override{Defect: d}, d.Reason()})
	}
	for _, tc := range cases {
		d := l.delivery(callNote(callA, graph.CallStateEstablished))
		d.Override = &tc.o
		rec, err := l.sender.Send(context.Background(), d)
		if !errors.Is(err, notify.ErrNotAcknowledged) || rec.Status != 401 || rec.Attempt != 1 {
			t.Errorf("%s: Send = %+v, %v; want one attempt refused with 401", tc.name, rec, err)
		}
		rejs := l.receiver.Rejections()
		if last := rejs[len(rejs)-1]; !errors.Is(last.Err, tc.want) || last.Status != 401 || len(last.CallIDs) != 1 || last.CallIDs[0] != callA {
			t.Errorf("%s: rejection %+v, want %v naming %s", tc.name, last, tc.want, callA)
		}
	}
	if n := len(w.Rejections()); n != len(cases) {
		t.Errorf("the watch saw %d rejections, want %d", n, len(cases))
	}
	if len(w.Events()) != 0 {
		t.Errorf("a refused notification reached the watch: %+v", w.Events())
	}
}

// TestConcurrentCalls: many calls notified concurrently, each watched by its
// own waiter, under -race; nothing lost, nothing left behind.
func TestConcurrentCalls(t *testing.T) {
	l := newLoop(t, nil, notify.WithConcurrency(8))
	const calls = 24
	ids := make([]string, calls)
	for i := range ids {
		ids[i] = graph.NewGUID()
	}
	var wg sync.WaitGroup
	errs := make(chan error, calls*2)
	for i, id := range ids {
		watchFirst := i%2 == 0 // half the calls are watched only after their notifications arrived
		var w *notify.CallWatch
		if watchFirst {
			w = l.receiver.Watch(id)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- deliverSequence(l, id)
			if !watchFirst {
				w = l.receiver.Watch(id)
			}
			defer w.Close()
			errs <- waitSequence(w)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	st := l.receiver.Stats()
	if st.Notifications != calls*4 || st.Accepted != calls*3 || st.Rejected != 0 || st.Watches != 0 || st.PendingDropped != 0 {
		t.Errorf("stats %+v", st)
	}
}

// deliverSequence posts established before establishing (out of order, as
// allowed), then a roster, and a duplicate established in one batch.
func deliverSequence(l *loop, id string) error {
	for _, notes := range [][]graph.CommsNotification{
		{callNote(id, graph.CallStateEstablished)},
		{callNote(id, graph.CallStateEstablishing)},
		{rosterNote(id), callNote(id, graph.CallStateEstablished)},
	} {
		if _, err := l.sender.Send(context.Background(), l.delivery(notes...)); err != nil {
			return err
		}
	}
	return nil
}

func waitSequence(w *notify.CallWatch) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, match := range []func(notify.Event) bool{
		notify.StateIs(graph.CallStateEstablishing), notify.StateIs(graph.CallStateEstablished), notify.IsRoster,
	} {
		if _, err := w.WaitFor(ctx, match); err != nil {
			return err
		}
	}
	if n := len(w.Events()); n != 4 {
		return errors.New("call " + w.CallID() + ": want 4 events (duplicate kept), got " + strings.Repeat("|", n))
	}
	return nil
}
