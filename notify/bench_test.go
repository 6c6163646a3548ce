package notify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
)

// BenchmarkSenderToReceiver: signed deliveries per second from a Sender to a
// Receiver over loopback, each verified through OpenID-discovered keys (the
// load module's callback path).
func BenchmarkSenderToReceiver(b *testing.B) {
	var events atomic.Int64
	l := newLoop(b, []notify.Option{
		notify.WithPendingLimits(notify.PendingLimits{}),
		notify.WithEventHook(func(notify.Event) { events.Add(1) }),
	}, notify.WithRetryPolicy(notify.NoRetry), notify.WithRecorder(notify.RecorderFunc(func(notify.Record) {})))
	d := l.delivery(callNote(callA, graph.CallStateEstablished))
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := l.sender.Send(context.Background(), d); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
	if events.Load() != int64(b.N) {
		b.Errorf("%d events for %d deliveries", events.Load(), b.N)
	}
}

// BenchmarkReceiver: POSTs per second through the Receiver's handler (real
// token verification, strict envelope parsing, correlation, the hook), and
// allocations per notification, for batches of 1 and 10.
func BenchmarkReceiver(b *testing.B) {
	for _, size := range []int{1, 10} {
		b.Run(map[int]string{1: "batch=1", 10: "batch=10"}[size], func(b *testing.B) {
			benchReceiver(b, size)
		})
	}
}

func benchReceiver(b *testing.B, size int) {
	var events atomic.Int64
	l := newLoop(b, []notify.Option{
		notify.WithPendingLimits(notify.PendingLimits{}),
		notify.WithEventHook(func(notify.Event) { events.Add(1) }),
	})
	token, err := l.signer.Token(botAppID, tenantID)
	if err != nil {
		b.Fatal(err)
	}
	notes := make([]graph.CommsNotification, size)
	for i := range notes {
		notes[i] = callNote(graph.NewGUID(), graph.CallStateEstablished)
	}
	body, err := batch(notes...).MarshalJSON()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/callback", strings.NewReader(string(body)))
			req.Header.Set("Authorization", "Bearer "+token)
			w := httptest.NewRecorder()
			l.receiver.ServeHTTP(w, req)
			if w.Code != http.StatusAccepted {
				b.Errorf("status %d: %s", w.Code, w.Body)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "notifications/s")
	if events.Load() != int64(b.N*size) {
		b.Errorf("%d events for %d notifications", events.Load(), b.N*size)
	}
}
