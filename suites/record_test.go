package suites

import (
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/report"
)

// TestRecordFinish: the contract's verdict and steps from the spec's end.
func TestRecordFinish(t *testing.T) {
	c := &Contract{ID: "x", Title: "X", Steps: []string{"a", "b", "c"}}
	for _, tc := range []struct {
		name        string
		prepare     func(*contractRecord)
		state       string
		failed      bool
		message     string
		wantVerdict report.Verdict
		wantSteps   string // verdicts of the steps
		wantReason  string
	}{
		// Passed: the steps that ran passed.
		{"passed", func(r *contractRecord) { pass(r, "a", "b", "c") }, "passed", false, "", report.Passed, "passed passed passed", ""},
		// A failure in step b fails b with the message and leaves c skipped.
		{"failed in a step", func(r *contractRecord) { pass(r, "a"); r.current = 1 }, "failed", true, "boom", report.Failed, "", ""},
		// Not supported wins over the skip Ginkgo reports.
		{"not supported", func(r *contractRecord) { r.verdict, r.reason = report.NotSupported, "needs pstn" }, "skipped", false, "", report.NotSupported, "skipped skipped skipped", "needs pstn"},
		// A skip with a reason keeps it.
		{"skipped", func(r *contractRecord) { r.reason = "no app lacking X" }, "skipped", false, "", report.Skipped, "skipped skipped skipped", "no app lacking X"},
		// A skip by the label filter says so.
		{"filtered", func(*contractRecord) {}, "skipped", false, "", report.Skipped, "skipped skipped skipped", "not selected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecord(c)
			tc.prepare(r)
			r.finish(tc.state, tc.failed, tc.message, time.Second)
			res := r.result()
			if res.Verdict != tc.wantVerdict || !strings.Contains(res.Reason, tc.wantReason) {
				t.Fatalf("verdict %s reason %q", res.Verdict, res.Reason)
			}
			if tc.failed {
				if res.Steps[1].Verdict != report.Failed || res.Steps[1].Evidence[0].Message != "boom" || res.Steps[2].Verdict != report.Skipped {
					t.Fatalf("steps %+v", res.Steps)
				}
				return
			}
			var got []string
			for _, s := range res.Steps {
				got = append(got, string(s.Verdict))
			}
			if strings.Join(got, " ") != tc.wantSteps {
				t.Fatalf("steps %v, want %s", got, tc.wantSteps)
			}
		})
	}
}

func pass(r *contractRecord, names ...string) {
	for _, n := range names {
		r.steps[r.stepIndex(n)].Verdict = report.Passed
	}
}

// TestRecordFailureOutsideSteps: a failure before any step (no environment)
// fails the first step that did not run.
func TestRecordFailureOutsideSteps(t *testing.T) {
	r := newRecord(&Contract{ID: "x", Steps: []string{"a"}})
	r.finish("failed", true, "no environment: setup failed", 0)
	if r.steps[0].Verdict != report.Failed || r.steps[0].Evidence[0].Message != "no environment: setup failed" {
		t.Fatalf("steps %+v", r.steps)
	}
}

func TestRefusal(t *testing.T) {
	w := refusal{Statuses: []int{415, 400}, Code: "x"}
	if !w.accepts(400) || w.accepts(401) || w.String() != "415 or 400 with error code x and a Graph error body with innerError.request-id" {
		t.Fatalf("refusal %v: %s", w, w)
	}
	c := refusal{Class: 4}
	if !c.accepts(403) || c.accepts(500) || !strings.HasPrefix(c.String(), "4xx") {
		t.Fatalf("class refusal: %s", c)
	}
}

// TestRecordInterrupted: a contract an interrupt stopped, or never reached,
// is "not run (interrupted)" with no evidence of a failure the target never
// produced; one that passed before the interrupt keeps its verdict.
func TestRecordInterrupted(t *testing.T) {
	c := &Contract{ID: "x", Steps: []string{"a", "b"}}
	stopped := newRecord(c)
	pass(stopped, "a")
	stopped.current = 1
	stopped.finish("failed", true, "no established notification within 1m0s", time.Second)
	stopped.interrupted()
	unreached := newRecord(c)
	unreached.finish("skipped", false, "", 0)
	unreached.interrupted()
	for name, r := range map[string]*contractRecord{"stopped": stopped, "unreached": unreached} {
		res := r.result()
		if res.Verdict != report.Skipped || res.Reason != "not run (interrupted)" {
			t.Errorf("%s: verdict %s, reason %q; want skipped, not run (interrupted)", name, res.Verdict, res.Reason)
		}
		for _, s := range res.Steps {
			if s.Verdict == report.Failed || len(s.Evidence) > 0 {
				t.Errorf("%s: step %s is %s with evidence %v after an interrupt", name, s.Name, s.Verdict, s.Evidence)
			}
		}
	}
	done := newRecord(c)
	pass(done, "a", "b")
	done.finish("passed", false, "", time.Second)
	done.interrupted()
	if done.result().Verdict != report.Passed {
		t.Errorf("a contract that passed before the interrupt is %s", done.result().Verdict)
	}
}

// TestDurationOfAnUnfinishedRun: a run stopped before its end was recorded
// reports a duration from its start to now, and the summary never prints a
// negative duration.
func TestDurationOfAnUnfinishedRun(t *testing.T) {
	started := time.Now().Add(-time.Second)
	if got := finishedAt(started, time.Time{}); got.Sub(started) < time.Second {
		t.Errorf("finishedAt of an unfinished run = %v, %v after its start", got, got.Sub(started))
	}
	if got := formatDuration(time.Time{}.Sub(started)); got != "–" {
		t.Errorf("formatDuration(negative) = %q, want –", got)
	}
}
