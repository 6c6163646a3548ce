package suites_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/suites"
)

// matrixGolden is the violation × contract matrix, checked in.
const matrixGolden = "../docs/conformance-matrix.md"

// Contract groups of the expectations below.
var (
	allExamples = examplesOf(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	withTargets = examplesOf(1, 2, 3, 4, 9, 10) // examples whose request sends targets
	withRoster  = examplesOf(3, 4, 5, 6, 7, 8)  // examples that expect a roster
	peerToPeer  = examplesOf(1, 2, 9, 10)       // examples that expect none
	allNegative = idsOf(func(c *suites.Contract) bool { return c.Kind == suites.KindNegative })
	roleMissing = idsOf(func(c *suites.Contract) bool { return strings.HasPrefix(c.ID, "negative_role_missing_") })
)

// expectation is what a violation must do to the contracts: fail every one
// of must (the intended contracts), and fail nothing outside must ∪ may
// (the plausible ones).
type expectation struct {
	must []string
	may  []string
}

// expectations lists, for every deliberate violation of the emulator, the
// contracts it is meant to break and those it may plausibly break as well.
var expectations = map[emulator.Violation]expectation{
	emulator.VCreateStatus200:           {must: allExamples},
	emulator.VLocationIDMismatch:        {must: allExamples},
	emulator.VLocationRelative:          {must: allExamples},
	emulator.VMissingLocation:           {must: allExamples},
	emulator.VMissingRequestID:          {must: allExamples, may: allNegative},
	emulator.VClientRequestIDNotEchoed:  {must: allExamples},
	emulator.VResponseStateEstablished:  {must: allExamples},
	emulator.VResponseDirectionIncoming: {must: allExamples},
	emulator.VResponseMissingMyPartID:   {must: allExamples},
	emulator.VResponseMalformedID:       {must: allExamples},
	emulator.VCallbackURINotEchoed:      {must: allExamples},
	emulator.VTargetsNotEchoed:          {must: withTargets},
	emulator.VMediaConfigTypeChanged:    {must: allExamples},
	emulator.VMissingODataType:          {must: allExamples},
	emulator.VUnsetPropertiesOmitted:    {must: allExamples},

	emulator.VNotificationUnsigned:      {must: allExamples},
	emulator.VNotificationForeignKey:    {must: allExamples},
	emulator.VNotificationWrongAudience: {must: allExamples},
	emulator.VNotificationWrongIssuer:   {must: allExamples},
	emulator.VNotificationExpiredToken:  {must: allExamples},
	emulator.VNotificationNoTenant:      {must: allExamples},
	emulator.VNotificationNoEnvelope:    {must: allExamples},

	emulator.VNoEstablishing:          {must: allExamples},
	emulator.VNoEstablished:           {must: allExamples},
	emulator.VWrongNotificationState:  {must: allExamples},
	emulator.VResourceURLWrongCall:    {must: allExamples},
	emulator.VNoRoster:                {must: withRoster},
	emulator.VRosterForP2P:            {must: peerToPeer},
	emulator.VRosterWithoutBot:        {must: withRoster},
	emulator.VRosterBotIDMismatch:     {must: withRoster},
	emulator.VGuestNotInLobby:         {must: examplesOf(8)},
	emulator.VGuestRosterBeforeAdmit:  {must: examplesOf(8)},
	emulator.VNoTerminated:            {must: allExamples},
	emulator.VTerminatedWithoutResult: {must: allExamples},

	emulator.VDeleteStatus200:    {must: allExamples},
	emulator.VCallSurvivesDelete: {must: allExamples},
	emulator.VUnknownCall200:     {must: idsOf(is(suites.NegativeUnknownCall)), may: allExamples},

	emulator.VErrorBodyWithoutRequestID: {must: allNegative, may: allExamples},
	emulator.VErrorBodyNotJSON:          {must: allNegative, may: allExamples},
	emulator.VMissingTokenAccepted:      {must: idsOf(is(suites.NegativeTokenMissing))},
	emulator.VExpiredTokenAccepted:      {must: idsOf(is(suites.NegativeTokenExpired))},
	emulator.VWrongAudienceAccepted:     {must: idsOf(is(suites.NegativeTokenWrongAudience))},
	emulator.VDelegatedTokenAccepted:    {must: idsOf(is(suites.NegativeTokenDelegated))},
	emulator.VTenantMismatchAccepted:    {must: idsOf(is(suites.NegativeTenantMismatch), is(suites.NegativeMeetingWithoutTenant))},
	emulator.VMissingRoleAccepted:       {must: roleMissing},
	emulator.VNonJSONAccepted:           {must: idsOf(is(suites.NegativeBodyNotJSON))},
	emulator.VMissingFieldsAccepted:     {must: idsOf(is(suites.NegativeMissingCallbackURI), is(suites.NegativeMissingMediaConfig))},
	emulator.VTooManyTargetsAccepted:    {must: idsOf(is(suites.NegativeTooManyTargets))},
	emulator.VHTTPCallbackAccepted:      {must: idsOf(is(suites.NegativeHTTPCallback))},
	emulator.VWrongContentTypeAccepted:  {must: idsOf(is(suites.NegativeWrongContentType))},
}

// TestViolationMatrix proves the suites can fail: it runs every contract
// against the emulator once faithful and once per deliberate violation
// (each in a child process, in parallel), and checks that the faithful run
// passes, that each violation fails the contracts it is meant to break and
// only plausible ones, and that the matrix matches docs/conformance-matrix.md.
func TestViolationMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suites once per violation")
	}
	violations := emulator.Violations()
	for _, v := range violations {
		if _, ok := expectations[v]; !ok {
			t.Errorf("violation %s has no expectation: add it to expectations", v)
		}
	}
	runs := runMatrix(t, append([]emulator.Violation{""}, violations...))
	if failed := runs[""].failed; len(failed) > 0 {
		t.Errorf("the faithful emulator fails %v", failed)
	}
	for _, v := range append([]emulator.Violation{""}, violations...) {
		checkExpectation(t, v, runs[v])
		t.Logf("%-34s %2d failed in %s", v, len(runs[v].failed), runs[v].elapsed.Round(time.Millisecond))
	}
	var buf bytes.Buffer
	writeMatrix(&buf, violations, runs)
	testkit.Golden(t, matrixGolden, buf.Bytes())
}

// matrixRun is what one child run reported.
type matrixRun struct {
	failed, notPassed []string
	report            *report.Conformance
	elapsed           time.Duration
}

// runMatrix runs one child per violation with GOMAXPROCS workers.
func runMatrix(t *testing.T, vs []emulator.Violation) map[emulator.Violation]matrixRun {
	t.Helper()
	dir := t.TempDir()
	out := make(map[emulator.Violation]matrixRun, len(vs))
	var mu sync.Mutex
	jobs := make(chan emulator.Violation)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range jobs {
				r := runChild(t, dir, v)
				mu.Lock()
				out[v] = r
				mu.Unlock()
			}
		}()
	}
	for _, v := range vs {
		jobs <- v
	}
	close(jobs)
	wg.Wait()
	return out
}

// runChild runs the suites in a child process against the emulator making v.
func runChild(t *testing.T, dir string, v emulator.Violation) matrixRun {
	name := string(v)
	if name == "" {
		name = "faithful"
	}
	path := filepath.Join(dir, name+".json")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=run", violationEnv+"="+string(v), outEnv+"="+path)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s: child run failed: %v\n%s", name, err, out)
		return matrixRun{}
	}
	var rep report.Conformance
	data, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(data, &rep)
	}
	if err != nil {
		t.Errorf("%s: reading the child's report: %v", name, err)
		return matrixRun{}
	}
	r := matrixRun{report: &rep, elapsed: time.Since(start)}
	for _, c := range append(rep.Examples, rep.Negative...) {
		if c.Verdict == report.Failed {
			r.failed = append(r.failed, c.ID)
		}
		if c.Verdict != report.Passed {
			r.notPassed = append(r.notPassed, c.ID)
		}
	}
	return r
}

// checkExpectation checks one violation's run against its expectation.
func checkExpectation(t *testing.T, v emulator.Violation, r matrixRun) {
	t.Helper()
	exp := expectations[v]
	for _, id := range exp.must {
		if !slices.Contains(r.failed, id) {
			t.Errorf("violation %s (%s): contract %s did not fail", v, v.Description(), id)
		}
	}
	for _, id := range r.failed {
		if !slices.Contains(exp.must, id) && !slices.Contains(exp.may, id) {
			t.Errorf("violation %s (%s): contract %s failed, which it should not break: %s", v, v.Description(), id, firstEvidence(r.report, id))
		}
	}
	if len(r.notPassed) != len(r.failed) {
		t.Errorf("violation %s: contracts neither passed nor failed: %v", v, r.notPassed)
	}
}

func firstEvidence(rep *report.Conformance, id string) string {
	if rep == nil {
		return ""
	}
	for _, c := range append(rep.Examples, rep.Negative...) {
		if c.ID != id {
			continue
		}
		for _, s := range c.Steps {
			if s.Verdict == report.Failed && len(s.Evidence) > 0 {
				return s.Name + ": " + s.Evidence[0].Message
			}
		}
	}
	return ""
}

func examplesOf(ns ...int) []string {
	return idsOf(func(c *suites.Contract) bool { return slices.Contains(ns, c.Example) && c.Kind == suites.KindExample })
}

func is(want *suites.Contract) func(*suites.Contract) bool {
	return func(c *suites.Contract) bool { return c == want }
}

// idsOf returns the ids of the contracts any of the predicates accepts.
func idsOf(preds ...func(*suites.Contract) bool) []string {
	var out []string
	for _, c := range suites.Contracts() {
		for _, p := range preds {
			if p(c) {
				out = append(out, c.ID)
				break
			}
		}
	}
	return out
}
