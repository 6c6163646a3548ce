package suites_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/internal/testkit/emutest"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/suites"
	"github.com/callcheck/callcheck/target"
)

// startRemote starts an emulator (changed by mutate) for a "remote" child
// to test as a remote target, and the child's run description.
func startRemote(t *testing.T, mutate func(*target.EmulatorConfig)) (*target.Emulator, remoteRun) {
	t.Helper()
	emu := emutest.Start(t, mutate)
	ep := target.EndpointsOf(emu)
	return emu, remoteRun{Target: ep.GraphURLs["beta"], TokenURL: ep.TokenURL, ClientID: ep.App.ClientID,
		ClientSecret: ep.App.ClientSecret, OpenID: ep.OpenIDConfigURL, AdmitURL: emu.AdminURL() + "/calls/{id}/admit",
		Notification: 2 * time.Second, RetryCap: time.Millisecond}
}

// runRemote runs a "remote" child and returns its result.
func runRemote(t *testing.T, rr remoteRun) remoteResult {
	t.Helper()
	data, err := json.Marshal(rr)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.json")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=remote", outEnv+"="+path, remoteEnv+"="+string(data))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, b)
	}
	var res remoteResult
	raw, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(raw, &res)
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// failures lists the failed contracts of rep with their first finding.
func failures(rep *report.Conformance) string {
	var out []string
	for _, r := range append(rep.Examples, rep.Negative...) {
		if r.Verdict != report.Failed {
			continue
		}
		for _, s := range r.Steps {
			if s.Verdict == report.Failed && len(s.Evidence) > 0 {
				out = append(out, fmt.Sprintf("%s %s: %s", r.ID, s.Name, s.Evidence[0].Message))
			}
		}
	}
	return strings.Join(out, "\n")
}

// TestRetriesAgainstThrottlingTarget: a target that answers the first
// attempt of every request 429 with Retry-After: 1 passes, and the report
// counts exactly the retries the target's own record shows.
func TestRetriesAgainstThrottlingTarget(t *testing.T) {
	emu, rr := startRemote(t, func(c *target.EmulatorConfig) { c.Faults.Throttle.FirstAttempt = true })
	res := runRemote(t, rr)
	rep := res.Report
	if rep.Verdict == report.Failed {
		t.Fatalf("verdict %s %+v:\n%s", rep.Verdict, rep.Summary, failures(rep))
	}
	throttled := 0
	for _, r := range emu.Requests() {
		if r.Status == 429 {
			throttled++
		}
	}
	if throttled == 0 || rep.Summary.Retries != throttled {
		t.Fatalf("the report counts %d retries, the target answered 429 %d times", rep.Summary.Retries, throttled)
	}
	for _, r := range append(rep.Examples, rep.Negative...) {
		for _, rt := range r.Retries {
			if rt.Status != 429 || rt.RetryAfter != "1" || rt.Attempt != 1 {
				t.Errorf("%s: retry %+v, want the first attempt's 429 with Retry-After 1", r.ID, rt)
			}
		}
		// The token contracts are refused before throttling (authentication
		// comes first), so they alone see no 429.
		if r.Verdict == report.Passed && len(r.Retries) == 0 && !strings.HasPrefix(r.ID, "negative_token_") {
			t.Errorf("%s passed with no retry recorded, though every first attempt is throttled", r.ID)
		}
	}
}

// TestProbesChangeNoVerdict: HEAD / and GET / sent to callcheck's receiver
// all through a run (a scanner, a health check) change no verdict, belong
// to no contract, and are counted as stray requests, each of them.
func TestProbesChangeNoVerdict(t *testing.T) {
	_, rr := startRemote(t, nil)
	rr.Listen, rr.Probe = testkit.FreeAddr(t), true
	res := runRemote(t, rr)
	rep := res.Report
	if rep.Verdict == report.Failed {
		t.Fatalf("verdict %s %+v:\n%s", rep.Verdict, rep.Summary, failures(rep))
	}
	if res.Probes < 10 || int64(rep.Summary.Stray) != res.Probes {
		t.Fatalf("%d probes sent during the run, %d counted as stray", res.Probes, rep.Summary.Stray)
	}
}

// TestDropAndDuplicateCounted: with notifications dropped and duplicated
// by the emulator, each contract's lost and duplicated notifications are
// exactly what the emulator's own delivery record shows for its call: a
// kind it reports lost was never delivered, a kind it waited for and got
// was, and its duplicates are the deliveries of a kind beyond the first.
func TestDropAndDuplicateCounted(t *testing.T) {
	emu, rr := startRemote(t, func(c *target.EmulatorConfig) {
		c.Seed, c.Faults.Drop, c.Faults.Duplicate = 11, 0.15, 0.3
	})
	rr.Labels, rr.Notification = "example && (peer-to-peer || pstn)", time.Second
	res := runRemote(t, rr)
	if err := emu.WaitIdle(testkit.Context(t, 30*time.Second)); err != nil {
		t.Fatal(err)
	}
	delivered := map[string]map[string]int{} // call id -> kind -> acknowledged deliveries
	for _, d := range emu.Deliveries() {
		if !d.Acknowledged {
			continue
		}
		for i, id := range d.CallIDs {
			if delivered[id] == nil {
				delivered[id] = map[string]int{}
			}
			delivered[id][d.Kinds[i]]++
		}
	}
	var lost, dups int
	for _, r := range res.Report.Examples {
		if r.Verdict == report.Skipped || r.Verdict == report.NotSupported {
			continue
		}
		want := 0
		for _, id := range r.Calls {
			for _, n := range delivered[id] {
				want += n - 1
			}
			for _, kind := range r.Lost {
				if n := delivered[id][kind]; n > 0 {
					t.Errorf("%s reports %s lost, the emulator delivered it %d times to call %s", r.ID, kind, n, id)
				}
			}
		}
		if r.Duplicates != want {
			t.Errorf("%s counts %d duplicates, the emulator's record shows %d for calls %v", r.ID, r.Duplicates, want, r.Calls)
		}
		lost, dups = lost+len(r.Lost), dups+r.Duplicates
	}
	if lost == 0 || dups == 0 || res.Report.Summary.Duplicates != dups {
		t.Fatalf("lost %d, duplicates %d (summary %d): the seed must lose and duplicate some", lost, dups, res.Report.Summary.Duplicates)
	}
}

// TestNotAnsweredPath: with answer: none, a peer-to-peer or PSTN call is
// judged on the not-answered path: establishing, then terminated with no
// established. The emulator's stuck fault plays the unanswered callee (it
// ends the call with 500/7117, the field's "stuck in establishing" result):
// against a remote target that result code, not one the documentation
// gives for no answer, is an inferred finding, a warning; under --strict it
// fails.
func TestNotAnsweredPath(t *testing.T) {
	for _, strict := range []bool{false, true} {
		_, rr := startRemote(t, func(c *target.EmulatorConfig) {
			c.Faults.Stuck.Rate, c.Faults.Stuck.For = 1, 100*time.Millisecond
		})
		rr.Labels, rr.Answer, rr.Unanswered, rr.Strict = "example && (peer-to-peer || pstn)", suites.AnswerNone, 10*time.Second, strict
		rep := runRemote(t, rr).Report
		ran := 0
		for _, r := range rep.Examples {
			if r.Verdict == report.Skipped {
				continue
			}
			ran++
			want := map[bool]report.Verdict{false: report.Warning, true: report.Failed}[strict]
			if r.Verdict != want {
				t.Errorf("strict %v: %s is %s, want %s:\n%s", strict, r.ID, r.Verdict, want, failures(rep))
			}
			for _, s := range r.Steps {
				switch s.Name {
				case "not-answered:terminated":
					if len(s.Evidence) != 1 || s.Evidence[0].Basis != report.BasisInferred || !strings.Contains(s.Evidence[0].Got, "500") {
						t.Errorf("%s: not-answered step %+v", r.ID, s)
					}
				case "cleanup:gone", "notifications:verified":
					if want := map[bool]report.Verdict{false: report.Passed, true: report.Skipped}[strict]; s.Verdict != want {
						t.Errorf("%s: step %s %s, want %s", r.ID, s.Name, s.Verdict, want)
					}
				case "notification:establishing", "request", "response":
					if s.Verdict != report.Passed {
						t.Errorf("%s: step %s %s", r.ID, s.Name, s.Verdict)
					}
				}
			}
		}
		if ran != 4 {
			t.Fatalf("%d examples ran, want the four peer-to-peer and PSTN ones", ran)
		}
	}
}

// TestUnknownCallFailsFast: a target naming another call in resourceUrl
// fails the contract waiting for its call's notification at once, with the
// stray notification's body, not after the notification timeout (30 s here).
func TestUnknownCallFailsFast(t *testing.T) {
	_, rr := startRemote(t, func(c *target.EmulatorConfig) {
		vs, err := target.ParseViolations("resourceUrl-wrong-call")
		if err != nil {
			t.Fatal(err)
		}
		c.Violations = vs
	})
	rr.Labels, rr.Notification = "example && peer-to-peer && service-hosted-media && !app-hosted-media", 30*time.Second
	rep := runRemote(t, rr).Report
	if rep.Summary.UnknownCalls == 0 {
		t.Errorf("the summary counts no notification for an unknown call")
	}
	r := rep.Examples[0]
	if r.Verdict != report.Failed || time.Duration(r.Duration) > 10*time.Second {
		t.Fatalf("%s: %s in %s, want failed at once", r.ID, r.Verdict, time.Duration(r.Duration))
	}
	for _, s := range r.Steps {
		if s.Name == "notification:establishing" {
			if s.Verdict != report.Failed || len(s.Evidence) == 0 || !strings.Contains(s.Evidence[0].Message, "never created") || !strings.Contains(s.Evidence[0].Excerpt, "resourceUrl") {
				t.Fatalf("establishing step %+v", s)
			}
			return
		}
	}
	t.Fatal("no establishing step")
}
