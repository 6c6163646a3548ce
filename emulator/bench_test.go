package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/notify"
)

var (
	loadDuration    = flag.Duration("load.duration", 3*time.Second, "length of each attack of BenchmarkLoadVsBare")
	loadWorkers     = flag.Uint64("load.workers", 32, "vegeta workers (connections) of BenchmarkLoadVsBare")
	loadDrop        = flag.Float64("load.drop", 0, "faults.drop of BenchmarkLoadVsBare (1: measure without deliveries)")
	loadPerCallback = flag.Int("load.percallback", NewConfig().Notifications.PerCallback, "notifications.perCallback of BenchmarkLoadVsBare")
)

// BenchmarkCreateHandler measures the create handler in process (no socket):
// full validation, state, and the notification sequence delivered to a
// verifying receiver on loopback.
func BenchmarkCreateHandler(b *testing.B) {
	cfg := benchConfig(b)
	srv, recv, created := benchEmulator(b, cfg)
	body := p2pBody(recv.URL + "/cb")
	tok, _ := srv.Authority().Token(srv.DefaultApp().ClientID)
	h := srv.Handler()
	posts := srv.Stats().LastDelivery
	createN(b, h, body, tok)
	waitIdle(b, srv.Emulator)
	b.StopTimer()
	b.ReportMetric(float64(srv.Stats().LastDelivery-posts)/float64(b.N), "POSTs/create")
	if got := created.Load(); got != int64(2*b.N) {
		b.Errorf("receiver got %d notifications, want %d", got, 2*b.N)
	}
}

// BenchmarkCreateHandlerCountingReceiver is BenchmarkCreateHandler with
// the bot reduced to what emubench's receiver does: read each POST, count
// its notifications by their state and answer 202. The allocations and the
// time of the verifying receiver (token check, decoding into graph's open
// types) are then not counted as the emulator's.
func BenchmarkCreateHandlerCountingReceiver(b *testing.B) {
	cfg := benchConfig(b)
	srv, err := Start(context.Background(), cfg, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	rs, established := testkit.CountingBot(b)
	body := p2pBody(rs.URL + "/cb")
	tok, _ := srv.Authority().Token(srv.DefaultApp().ClientID)
	h := srv.Handler()
	createN(b, h, body, tok)
	waitIdle(b, srv.Emulator)
	b.StopTimer()
	if got := established.Load(); got != int64(b.N) {
		b.Errorf("receiver counted %d established notifications, want %d", got, b.N)
	}
}

// BenchmarkCreateHandlerNoDelivery is BenchmarkCreateHandler with every
// notification dropped (faults.drop 1): the create path and the sequence's
// steps, without the POSTs and the receiver sharing the process.
func BenchmarkCreateHandlerNoDelivery(b *testing.B) {
	cfg := testConfig(b)
	cfg.Faults.Drop = 1
	srv, err := Start(context.Background(), cfg, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	body := p2pBody("http://127.0.0.1:9/cb")
	tok, _ := srv.Authority().Token(srv.DefaultApp().ClientID)
	h := srv.Handler()
	createN(b, h, body, tok)
	waitIdle(b, srv.Emulator)
}

// benchConfig is the create benchmarks' configuration: the test
// configuration with a callback queue that holds every notification of
// b.N creates. The loop creates calls faster than one bot drains them
// (about 50,000 a second in process), and past notifications.maxQueue the
// emulator drops what does not fit, as it must; the benchmarks measure the
// create path, not that bound.
func benchConfig(b *testing.B) Config {
	cfg := testConfig(b)
	cfg.Notifications.MaxQueue = max(cfg.Notifications.MaxQueue, 2*b.N)
	return cfg
}

// createN sends b.N creates of body with tok to h in process
// (testkit.CreateLoop), failing on any status but 201.
func createN(b *testing.B, h http.Handler, body []byte, tok string) {
	testkit.CreateLoop(b, h, body, "Bearer "+tok)
}

// benchEmulator starts an emulator and a verifying receiver that counts
// notifications.
func benchEmulator(b *testing.B, cfg Config) (*Server, *httptest.Server, *atomic.Int64) {
	b.Helper()
	srv, err := Start(context.Background(), cfg, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	var n atomic.Int64
	v, _ := identity.NewNotificationVerifier(srv.OpenIDConfigURL(), srv.DefaultApp().ClientID)
	recv, err := notify.NewReceiver(v, notify.WithPendingLimits(notify.PendingLimits{}),
		notify.WithEventHook(func(notify.Event) { n.Add(1) }))
	if err != nil {
		b.Fatal(err)
	}
	rs := httptest.NewServer(recv)
	b.Cleanup(rs.Close)
	return srv, rs, &n
}

func waitIdle(b *testing.B, e *Emulator) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.WaitIdle(ctx); err != nil {
		b.Fatal(err)
	}
}

var memCalls = flag.Int("mem.calls", 100000, "live calls held by BenchmarkMemoryPerLiveCall")

// BenchmarkMemoryPerLiveCall reports the heap held per live (established)
// call, -mem.calls of them in one emulator (goal: at most 4 KiB each). Every
// notification is dropped (faults.drop 1): what is measured is the calls,
// not deliveries in flight.
func BenchmarkMemoryPerLiveCall(b *testing.B) {
	cfg := testConfig(b)
	cfg.Limits.RequestRecords, cfg.Limits.DeliveryRecords = 1, 1 // count the calls, not the records
	cfg.Faults.Drop = 1
	srv, err := Start(context.Background(), cfg, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	for i := 0; i < b.N; i++ {
		b.ReportMetric(liveCallBytes(b, srv, "http://127.0.0.1:9/cb", *memCalls, true), "B/live-call")
	}
}

// BenchmarkMemoryPerCallSilentCallback reports the heap held per call when
// the callback accepts the connection and never answers: the notifications
// wait in the callback's queue (notifications.maxQueue) and the POSTs in
// flight until their timeout.
func BenchmarkMemoryPerCallSilentCallback(b *testing.B) {
	const calls = 12000
	cfg := testConfig(b)
	cfg.Limits.RequestRecords, cfg.Limits.DeliveryRecords = 1, 1
	cfg.Notifications.Timeout = time.Hour
	srv, err := Start(context.Background(), cfg, "")
	if err != nil {
		b.Fatal(err)
	}
	release := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	b.Cleanup(func() {
		_ = srv.Close() // abandons what still waits for the silent callback
		close(release)
		silent.Close()
	})
	for i := 0; i < b.N; i++ {
		b.ReportMetric(liveCallBytes(b, srv, silent.URL+"/cb", calls, false), "B/call")
	}
}

// liveCallBytes creates n calls whose callback is callback and returns the
// heap they hold, per call; settle waits for their sequences to be sent
// (established) first.
func liveCallBytes(b *testing.B, srv *Server, callback string, n int, settle bool) float64 {
	b.Helper()
	body := p2pBody(callback)
	tok, _ := srv.Authority().Token(srv.DefaultApp().ClientID)
	h := srv.Handler()
	start := srv.Stats().LiveCalls
	before := heap()
	for j := 0; j < n; j++ {
		req := httptest.NewRequest(http.MethodPost, "http://emulator.test/beta/communications/calls", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			b.Fatalf("call %d: status %d: %s", j, rec.Code, rec.Body)
		}
	}
	if settle {
		waitIdle(b, srv.Emulator)
	}
	after := heap()
	if got := srv.Stats().LiveCalls - start; got < n {
		b.Fatalf("%d live calls, want %d", got, n)
	}
	return float64(after-before) / float64(n)
}

func heap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// BenchmarkLoadVsBare is the emulator's performance target, measured in one run
// with vegeta's attacker as the one load generator on loopback:
//
//  1. a bare net/http handler answering a canned 201: its maximum rate;
//  2. the emulator (full validation, state, every notification delivered to
//     a verifying receiver): its maximum rate, and the ratio to (1), goal ≥ 0.5;
//  3. the emulator at half its maximum rate: create p99, goal < 10 ms.
//
// Run: go test ./emulator -run XXX -bench LoadVsBare -benchtime 1x [-load.duration 5s]
func BenchmarkLoadVsBare(b *testing.B) {
	canned := p2pBody("http://127.0.0.1:9/cb")
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = bytes.NewBuffer(nil).ReadFrom(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Location", "http://127.0.0.1/beta/communications/calls/x")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(canned)
	}))
	defer bare.Close()
	cfg := testConfig(b)
	cfg.Limits.RequestRecords, cfg.Limits.DeliveryRecords = 256, 256
	cfg.Notifications.PerCallback = *loadPerCallback
	cfg.Faults.Drop = *loadDrop
	srv, err := Start(context.Background(), cfg, "")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	// The receiver acknowledges and counts: it is not what is measured.
	var notes atomic.Int64
	var conns atomic.Int64
	recv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		notes.Add(int64(bytes.Count(body, []byte(`"changeType"`))))
		w.WriteHeader(http.StatusAccepted)
	}))
	recv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	recv.Start()
	defer recv.Close()
	tok, _ := srv.Authority().Token(srv.DefaultApp().ClientID)
	body := p2pBody(recv.URL + "/cb")
	hdr := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + tok}}

	bareM := attack(b, vegeta.Target{Method: "POST", URL: bare.URL + "/beta/communications/calls", Body: body, Header: hdr}, 0)
	emuM := attack(b, vegeta.Target{Method: "POST", URL: srv.GraphBaseURL("beta") + "/communications/calls", Body: body, Header: hdr}, 0)
	waitIdle(b, srv.Emulator)
	created := srv.Stats().Creates
	halfRate := int(emuM.Throughput / 2)
	halfM := attack(b, vegeta.Target{Method: "POST", URL: srv.GraphBaseURL("beta") + "/communications/calls", Body: body, Header: hdr}, halfRate)
	waitIdle(b, srv.Emulator)
	lost := int64(2*srv.Stats().Creates) - notes.Load()

	b.ReportMetric(bareM.Throughput, "bare-rps")
	b.ReportMetric(emuM.Throughput, "emulator-rps")
	b.ReportMetric(emuM.Throughput/bareM.Throughput, "ratio")
	b.ReportMetric(float64(halfM.Latencies.P99)/1e6, "p99-ms@half")
	b.ReportMetric(float64(halfM.Latencies.P50)/1e6, "p50-ms@half")
	b.ReportMetric(float64(lost), "lost-notifications")
	b.Logf("%d notifications in %d POSTs over %d connections", notes.Load(), srv.Stats().LastDelivery, conns.Load())
	b.Logf("bare: %s", summary(bareM))
	b.Logf("emulator at max: %s (%d calls created)", summary(emuM), created)
	b.Logf("emulator at %d/s: %s", halfRate, summary(halfM))
	if lost != 0 && cfg.Faults.Drop == 0 {
		b.Errorf("%d notifications lost", lost)
	}
}

// attack runs vegeta against t for -load.duration at rate (0: as fast as
// -load.workers workers go) and returns the metrics.
func attack(b *testing.B, t vegeta.Target, rate int) *vegeta.Metrics {
	b.Helper()
	w := *loadWorkers
	atk := vegeta.NewAttacker(vegeta.Workers(w), vegeta.MaxWorkers(w), vegeta.Connections(int(w)),
		vegeta.KeepAlive(true), vegeta.Timeout(10*time.Second))
	pacer := vegeta.Rate{Freq: rate, Per: time.Second}
	var m vegeta.Metrics
	for res := range atk.Attack(vegeta.NewStaticTargeter(t), pacer, *loadDuration, "load") {
		m.Add(res)
	}
	m.Close()
	if m.Success < 0.999 {
		codes, _ := json.Marshal(m.StatusCodes)
		b.Errorf("success %.4f (status codes %s, errors %v)", m.Success, codes, first3(m.Errors))
	}
	return &m
}

func first3(s []string) []string { return s[:min(3, len(s))] }

func summary(m *vegeta.Metrics) string {
	return fmt.Sprintf("%d requests, %.0f/s ok, success %.4f, p50 %v, p99 %v, max %v",
		m.Requests, m.Throughput, m.Success, m.Latencies.P50, m.Latencies.P99, m.Latencies.Max)
}

// BenchmarkReadCreate measures decoding a create body into its view and raw members.
func BenchmarkReadCreate(b *testing.B) {
	body := groupBody("https://127.0.0.1/cb", 2, serviceMedia)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := readCreate(body, true); err != nil {
			b.Fatal(err)
		}
	}
}
