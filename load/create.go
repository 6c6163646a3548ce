package load

import (
	"context"
	"errors"
	"fmt"
	"github.com/callcheck/callcheck/identity"
	"net/http"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/internal/version"
	"github.com/callcheck/callcheck/load/result"
)

// ErrInterrupted is returned (wrapped) by a run stopped by its context; the
// results gathered until then are written all the same.
var ErrInterrupted = errors.New("interrupted")

// Run is the outcome of a run: where its files are, its manifest and its
// summary (what Merge of its directory gives).
type Run struct {
	Dir      string
	Manifest *result.Manifest
	Summary  *result.Summary
}

// createRun is one create run in progress.
type createRun struct {
	cfg     Config
	pacer   Pacer // this shard's part
	sched   *schedule
	targets targetSource
	recv    *receiverServer
	sink    *http.Server // the callbackUri of an embedded run without e2e
	tracker *tracker
	hanger  *hanger
	// cleanup lists every call created until it is deleted.
	cleanup *cleaner
	// hangCancel abandons the hangups (at the shutdown timeout).
	hangCancel context.CancelFunc
	files      *resultFiles
	aggMu      sync.Mutex
	agg        *aggregate
	col        *collector
	progress   *progress
	manifest   *result.Manifest
	peakHeap   uint64
	heapProf   *heapProfiler // nil unless HeapProfileEnv is set
	writeErr   error
}

// Create runs a create attack as cfg says: it checks the target and the
// notification keys first (failing fast), attacks, waits for the
// notifications still due, writes the result files and returns the run.
// When ctx ends before the schedule does, the attack stops, what was
// gathered is written, and the error matches ErrInterrupted.
func Create(ctx context.Context, cfg Config) (*Run, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &createRun{cfg: cfg, pacer: ShardPacer(cfg.Shard, cfg.Pacer), cleanup: newCleaner()}
	if err := r.prepare(ctx); err != nil {
		r.abort()
		return nil, err
	}
	if err := waitStart(ctx, r.cfg.StartAt, time.Now, r.cfg.Log); err != nil {
		r.abort()
		return nil, err
	}
	interrupted, attackErr := r.attack(ctx)
	return r.finish(ctx, interrupted, attackErr)
}

// prepare probes the target, starts the receiver, builds the requests and
// opens the files.
func (r *createRun) prepare(ctx context.Context) error {
	if err := Probe(ctx, r.cfg.Target.BaseURL, r.cfg.Timeouts.Probe, r.cfg.Attack.Insecure); err != nil {
		return err
	}
	if _, err := r.cfg.Target.Tokens.Token(); err != nil {
		return fmt.Errorf("getting a token for the target: %w", err)
	}
	callback := ""
	if r.cfg.E2E {
		r.tracker = newTracker(r.cfg.Timeouts.Grace, r.cfg.MaxPending, r.resolved)
		recv, err := startReceiver(ctx, r.cfg.Receiver, r.tracker.OnEvent, r.cfg.Timeouts.Probe)
		if err != nil {
			return err
		}
		r.recv, callback = recv, recv.callbackURL
	} else if callback = r.cfg.Receiver.CallbackURL; callback == "" && r.cfg.Target.Embedded {
		sink, url, err := startSink()
		if err != nil {
			return err
		}
		r.sink, callback = sink, url
	}
	r.targets = r.cfg.targets
	if r.targets == nil {
		t := r.cfg.Target
		targets, err := newCreateTargets(t.BaseURL, r.cfg.Mix, t.Tokens, BodyValues{CallbackURI: callback, TenantID: t.TenantID, AppID: t.AppID})
		if err != nil {
			return err
		}
		r.targets = targets
	}
	var err error
	if r.cfg.Out != "" {
		if r.files, err = createFiles(r.cfg.Out, r.cfg.E2E, r.cfg.Hangup && r.cfg.E2E); err != nil {
			return err
		}
	}
	r.manifest = r.newManifest(callback)
	return r.writeManifest()
}

// abort releases what prepare started.
func (r *createRun) abort() {
	if r.sink != nil {
		_ = r.sink.Close()
	}
	if r.recv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), r.cfg.Timeouts.Shutdown)
		defer cancel()
		_ = r.recv.close(ctx)
	}
	if r.files != nil {
		_ = r.files.close()
	}
}

func (r *createRun) newManifest(callback string) *result.Manifest {
	m := &result.Manifest{
		SchemaVersion: result.ManifestSchema, Kind: r.cfg.Kind, Harness: version.String(), FixturesDigest: fixtures.Digest(),
		Target: identity.RedactURL(r.cfg.Target.BaseURL), Embedded: r.cfg.Target.Embedded, Shard: r.cfg.Shard,
		Pacing: r.cfg.Pacer.String(), OfferedRate: OfferedRate(r.pacer), TotalRate: OfferedRate(r.cfg.Pacer),
		Duration: result.Duration(r.pacer.Length()), Examples: r.cfg.Mix.Entries(), StartAt: r.cfg.StartAt, Start: time.Now(), Scheduled: Hits(r.pacer),
	}
	if m.Kind == "" {
		m.Kind = KindCreate
	}
	if r.files != nil {
		m.Files = r.files.names()
	}
	if r.cfg.E2E {
		m.E2E = &result.E2EInfo{CallbackURL: identity.RedactURL(callback), Grace: result.Duration(r.cfg.Timeouts.Grace), Hangup: r.cfg.Hangup}
	}
	return m
}

func (r *createRun) writeManifest() error {
	if r.cfg.Out == "" {
		return nil
	}
	return result.WriteManifest(r.cfg.Out, r.manifest)
}

// resolved takes each end-to-end record from the tracker.
func (r *createRun) resolved(rec *result.Record) {
	if r.files != nil {
		r.files.record(rec)
	}
	if rec.Scheduled.Before(r.col.measureFrom) {
		return
	}
	r.aggMu.Lock()
	r.agg.addRecord(rec)
	r.aggMu.Unlock()
}

// hungUp takes each DELETE's result from the hanger.
func (r *createRun) hungUp(res *vegeta.Result) {
	if r.files != nil {
		r.files.hangup(res)
	}
	r.cleanup.result(res)
	r.aggMu.Lock()
	r.agg.addHangup(res)
	r.aggMu.Unlock()
}

// attack runs vegeta's attacker over the schedule and collects every
// result; it reports whether ctx interrupted it.
func (r *createRun) attack(ctx context.Context) (interrupted bool, err error) {
	reqCtx, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	if r.cfg.Hangup && r.tracker != nil {
		var hangCtx context.Context
		hangCtx, r.hangCancel = context.WithCancel(context.Background())
		r.hanger = newHanger(hangCtx, r.cfg.Target.BaseURL, r.cfg.Target.Tokens, r.cfg.Timeouts.Hangup, r.hungUp)
		r.tracker.setHangup(r.hanger.Enqueue)
	}
	r.sched = newSchedule(r.pacer)
	r.agg = newAggregate(time.Time{}, 0)
	r.col = &collector{sched: r.sched, agg: r.agg, tracker: r.tracker, cleanup: r.cleanup, aggMu: &r.aggMu}
	if r.files != nil {
		r.col.encode = r.files.results
	}
	r.logStart()
	atk, closeIdle := newAttacker(reqCtx, r.cfg.Attack)
	defer closeIdle()
	results := atk.Attack(r.targets.targeter(), r.sched, 0, r.attackName())
	first, ok := <-results // the schedule's start is known from the first result on
	if !ok {
		return false, r.targets.Err()
	}
	r.startMeasuring()
	interrupted = r.collect(ctx, first, results, atk, cancelRequests)
	return interrupted, errors.Join(r.targets.Err(), r.writeErr)
}

func (r *createRun) attackName() string {
	if r.cfg.Name != "" {
		return r.cfg.Name
	}
	return fmt.Sprintf("%s %s", r.manifest.Kind, r.cfg.Shard)
}

// startMeasuring fixes what depends on the schedule's start.
func (r *createRun) startMeasuring() {
	began := r.sched.Began()
	r.manifest.Start = began
	r.col.measureFrom = began.Add(r.cfg.MeasureFrom)
	r.heapProf = newHeapProfiler(began)
	r.aggMu.Lock()
	r.agg.series = newSeriesAcc(began, result.SeriesWidth(r.pacer.Length()))
	r.aggMu.Unlock()
	if r.cfg.Progress != nil {
		r.col.window = &window{}
		r.progress = &progress{w: r.cfg.Progress, start: began, last: began, win: r.col.window, offered: r.pacer.Rate, e2e: r.e2eProgress, lines: r.cfg.ProgressLines}
	}
}
