package suites

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/callcheck/callcheck/report"
)

// spec is one running contract: its environment, its tracking client, its
// context and the record of its steps.
type spec struct {
	env    *environment
	c      *Contract
	ctx    context.Context
	rec    *contractRecord
	client *client
	t      Timeouts
}

// contractRecord is what the report keeps of one contract as it runs.
type contractRecord struct {
	contract *Contract
	steps    []report.StepResult
	current  int // index of the step running, -1 when none
	begun    time.Time
	reason   string         // why not supported or skipped
	verdict  report.Verdict // set when decided before the spec ends (not supported)
	duration time.Duration
	final    bool

	client     *client        // its tracking client: the calls it created
	retries    []report.Retry // the retries its requests needed
	duplicates int            // notifications of its call that came more than once
	lost       []string       // notifications it waited for that never came
}

func newRecord(c *Contract) *contractRecord {
	r := &contractRecord{contract: c, current: -1}
	for _, name := range c.Steps {
		r.steps = append(r.steps, report.StepResult{Name: name, Verdict: report.Skipped})
	}
	return r
}

// stepIndex returns the index of the step called name, adding it if the
// contract did not declare it.
func (r *contractRecord) stepIndex(name string) int {
	for i, s := range r.steps {
		if s.Name == name {
			return i
		}
	}
	r.steps = append(r.steps, report.StepResult{Name: name, Verdict: report.Skipped})
	return len(r.steps) - 1
}

// step runs f as the step called name: the step passes when f returns,
// fails when f fails the spec (Ginkgo's Fail unwinds through it; the
// record keeps the step open and the report closes it).
func (sp *spec) step(name string, f func()) {
	ginkgo.GinkgoHelper()
	i := sp.rec.stepIndex(name)
	sp.rec.current, sp.rec.begun = i, time.Now()
	ginkgo.By(name)
	f()
	sp.rec.steps[i].Verdict = report.Passed
	if hasWarning(sp.rec.steps[i].Evidence) {
		sp.rec.steps[i].Verdict = report.Warning
	}
	sp.rec.steps[i].Duration = report.Duration(time.Since(sp.rec.begun))
	sp.rec.current = -1
}

// notSupported marks the step called name as not supported, with the reason.
func (sp *spec) notSupported(name, reason string) {
	i := sp.rec.stepIndex(name)
	sp.rec.steps[i].Verdict = report.NotSupported
	sp.rec.steps[i].Evidence = []report.Evidence{{Message: reason}}
}

// fail fails the current step, and so the contract, with evidence.
func (sp *spec) fail(evs ...report.Evidence) {
	ginkgo.GinkgoHelper()
	if i := sp.rec.current; i >= 0 {
		sp.rec.steps[i].Evidence = append(sp.rec.steps[i].Evidence, evs...)
	}
	ginkgo.Fail(summarize(evs))
}

// failIf fails with the findings, if any. Findings that only warn in this
// run (soft: inferred, remote, not strict) are kept on the step as
// warnings; they fail the step only along with a finding that does not.
func (sp *spec) failIf(f *findings) {
	ginkgo.GinkgoHelper()
	var hard, warn []report.Evidence
	for _, ev := range f.list {
		if soft(sp.env.strict, ev) {
			ev.Warning = true
			warn = append(warn, ev)
		} else {
			hard = append(hard, ev)
		}
	}
	if len(hard) > 0 {
		sp.fail(append(hard, warn...)...)
	}
	sp.warn(warn...)
}

// warn records findings that do not fail the contract on the current step.
func (sp *spec) warn(evs ...report.Evidence) {
	if i := sp.rec.current; i >= 0 && len(evs) > 0 {
		for k := range evs {
			evs[k].Warning = true
		}
		sp.rec.steps[i].Evidence = append(sp.rec.steps[i].Evidence, evs...)
	}
}

// hasWarning reports whether evidence holds a warning.
func hasWarning(evs []report.Evidence) bool {
	return slices.ContainsFunc(evs, func(ev report.Evidence) bool { return ev.Warning })
}

// poll waits, with Gomega's Eventually, until check returns nil, the
// timeout passes or the spec's context ends; it returns check's last error
// then. check may return gomega.StopTrying to give up at once.
func (sp *spec) poll(timeout time.Duration, check func() error) error {
	var msg string
	g := gomega.NewGomega(func(m string, _ ...int) { msg = m })
	if g.Eventually(sp.ctx, check).WithTimeout(timeout).WithPolling(sp.t.Poll).Should(gomega.Succeed()) {
		return nil
	}
	return errors.New(lastLine(msg))
}

// hold checks, with Gomega's Consistently, that check keeps returning nil
// for d (or until the spec's context ends); it returns the first error.
func (sp *spec) hold(d time.Duration, check func() error) error {
	var msg string
	g := gomega.NewGomega(func(m string, _ ...int) { msg = m })
	if g.Consistently(sp.ctx, check).WithTimeout(d).WithPolling(sp.t.Poll).Should(gomega.Succeed()) {
		return nil
	}
	return errors.New(lastLine(msg))
}

// lastLine trims Gomega's failure message to its substance: the error the
// check returned, which Gomega prints last.
func lastLine(msg string) string {
	msg = strings.TrimSpace(msg)
	lines := strings.Split(msg, "\n")
	var keep []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "<") && !strings.HasPrefix(l, "Expected") && !strings.HasPrefix(l, "to succeed") &&
			!strings.HasPrefix(l, "The function passed to") && !strings.HasPrefix(l, "Timed out after") &&
			!strings.HasPrefix(l, "Context was cancelled") && !strings.HasPrefix(l, "Failed after") {
			keep = append(keep, l)
		}
	}
	if len(keep) == 0 {
		return msg
	}
	return strings.Join(keep, " ")
}

// cleanupTracked deletes what the contract created and did not delete
// itself (DeferCleanup: it runs even when the contract failed). A call it
// cannot delete fails the contract, since it leaks on the target.
func (sp *spec) cleanupTracked(ctx context.Context) {
	problems := sp.client.cleanup(ctx)
	if len(problems) == 0 {
		return
	}
	i := sp.rec.stepIndex(stepCleanupTracked)
	sp.rec.current = i
	ev := report.Evidence{Message: "calls the contract created could not be deleted: " + strings.Join(problems, "; ")}
	sp.rec.steps[i].Evidence = append(sp.rec.steps[i].Evidence, ev)
	ginkgo.Fail(ev.Message)
}

// finish closes the record from the spec's final Ginkgo state.
func (r *contractRecord) finish(state string, failed bool, message string, d time.Duration) {
	r.duration, r.final = d, true
	switch {
	case r.verdict == report.NotSupported:
		return
	case failed:
		r.verdict = report.Failed
		r.closeFailedStep(message)
	case state == "skipped" || state == "pending":
		r.verdict = report.Skipped
		if r.reason == "" {
			r.reason = strings.TrimSpace(message)
		}
		if r.reason == "" {
			r.reason = reasonNotSelected
		}
	default:
		r.verdict = report.Passed
		if r.duplicates > 0 || slices.ContainsFunc(r.steps, func(s report.StepResult) bool { return s.Verdict == report.Warning }) {
			r.verdict = report.Warning
		}
	}
}

// reasonNotSelected is the reason of a contract Ginkgo skipped without
// saying why: outside the label filter or the focus, or, once Ginkgo saw an
// interrupt, not reached (Session.result tells the two apart).
const reasonNotSelected = "not selected (label filter or focus)"

// reasonInterrupted is the reason of a contract an interrupt stopped or
// kept from running.
const reasonInterrupted = "not run (interrupted)"

// interrupted closes a record the run's interruption reached: cancellation
// is never a verdict about the target, so a contract that failed or was
// skipped once the run was cancelled did not run, and the evidence its
// cancelled waits left behind is dropped. A contract that passed, or that
// the target does not support, keeps its verdict.
func (r *contractRecord) interrupted() {
	if r.verdict == report.Passed || r.verdict == report.NotSupported {
		return
	}
	r.verdict, r.reason = report.Skipped, reasonInterrupted
	r.steps = skippedSteps(r.steps)
}

// closeFailedStep marks the step that was running failed, carrying the
// failure message when the step recorded no evidence of its own.
func (r *contractRecord) closeFailedStep(message string) {
	i := r.current
	if i < 0 {
		i = slices.IndexFunc(r.steps, func(s report.StepResult) bool { return s.Verdict == report.Skipped })
	}
	if i < 0 {
		i = r.stepIndex("contract")
	}
	s := &r.steps[i]
	s.Verdict = report.Failed
	if !r.begun.IsZero() && r.current >= 0 {
		s.Duration = report.Duration(time.Since(r.begun))
	}
	if len(s.Evidence) == 0 && message != "" {
		s.Evidence = []report.Evidence{{Message: redact(truncate(message, 2000))}}
	}
	r.current = -1
}

// result converts the record into the report's entry.
func (r *contractRecord) result() report.ContractResult {
	c := r.contract
	return report.ContractResult{ID: c.ID, Example: c.Example, Title: c.Title, Features: featureNames(c.Features),
		Verdict: r.verdict, Reason: r.reason, Steps: slices.Clone(r.steps), Errata: c.Errata(), Duration: report.Duration(r.duration),
		Retries: slices.Clone(r.retries), Duplicates: r.duplicates, Lost: slices.Clone(r.lost), Calls: r.calls()}
}

// calls returns the ids of the calls the contract created.
func (r *contractRecord) calls() []string {
	if r.client == nil {
		return nil
	}
	return r.client.createdIDs()
}

func featureNames(fs []Feature) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}
