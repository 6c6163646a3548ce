package suites_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/internal/testkit/emutest"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/target"
)

// fieldReasons is the reason each violation must give in the field-profile
// matrix: a part of the message of a finding every contract the violation
// must break reports (the check at fault, not a side effect of it).
var fieldReasons = map[emulator.Violation]string{
	emulator.VCreateStatus200:           "did not answer 201 Created",
	emulator.VLocationIDMismatch:        "Location header does not name the created call",
	emulator.VLocationRelative:          "Location header is not an absolute URL",
	emulator.VMissingLocation:           "has no Location header",
	emulator.VMissingRequestID:          "no request-id header",
	emulator.VClientRequestIDNotEchoed:  "does not echo the client-request-id",
	emulator.VResponseStateEstablished:  "state is not \"establishing\"",
	emulator.VResponseDirectionIncoming: "direction is not \"outgoing\"",
	emulator.VResponseMissingMyPartID:   "myParticipantId is not a GUID",
	emulator.VResponseMalformedID:       "id is not a GUID",
	emulator.VCallbackURINotEchoed:      "does not echo the request's /callbackUri",
	emulator.VTargetsNotEchoed:          "does not echo the request's /targets",
	emulator.VMediaConfigTypeChanged:    "does not echo the request's /mediaConfig",
	emulator.VMissingODataType:          "@odata.type is not",
	emulator.VUnsetPropertiesOmitted:    "lacks properties a full call shows",

	emulator.VNotificationUnsigned:      "token missing: no Authorization header",
	emulator.VNotificationForeignKey:    "token signed by an unknown key",
	emulator.VNotificationWrongAudience: "token audience not accepted",
	emulator.VNotificationWrongIssuer:   "token issuer not accepted",
	emulator.VNotificationExpiredToken:  "token expired",
	emulator.VNotificationNoTenant:      "token has no tenant (tid)",
	emulator.VNotificationNoEnvelope:    "not a commsNotifications envelope",

	emulator.VNoEstablishing:          "no establishing notification",
	emulator.VNoEstablished:           "no established notification",
	emulator.VWrongNotificationState:  "the call reported state incoming",
	emulator.VResourceURLWrongCall:    "which callcheck never created",
	emulator.VNoRoster:                "no roster notification",
	emulator.VRosterForP2P:            "a roster notification came for call",
	emulator.VRosterWithoutBot:        "the roster does not list the bot's own participant",
	emulator.VRosterBotIDMismatch:     "the roster does not list the bot's own participant",
	emulator.VGuestNotInLobby:         "the lobby roster is not the bot alone waiting in the lobby",
	emulator.VGuestRosterBeforeAdmit:  "the lobby roster is not the bot alone waiting in the lobby",
	emulator.VNoTerminated:            "no terminated notification",
	emulator.VTerminatedWithoutResult: "the terminated notification has no resultInfo",

	emulator.VDeleteStatus200:    "DELETE of the call did not answer 204 No Content",
	emulator.VCallSurvivesDelete: "GET of the terminated call did not answer 404",
	emulator.VUnknownCall200:     "the target accepted (200) a request for unknown call",

	emulator.VErrorBodyWithoutRequestID: "the error body has no innerError.request-id",
	emulator.VErrorBodyNotJSON:          "the error response has no Graph error body",
	emulator.VMissingTokenAccepted:      "the target accepted (201) Example 1 with no access token",
	emulator.VExpiredTokenAccepted:      "",
	emulator.VWrongAudienceAccepted:     "",
	emulator.VDelegatedTokenAccepted:    "",
	emulator.VTenantMismatchAccepted:    "the target accepted (201) Example ",
	emulator.VMissingRoleAccepted:       "the target accepted (201) Example",
	emulator.VNonJSONAccepted:           "the target accepted (201) A create whose body is not JSON",
	emulator.VMissingFieldsAccepted:     "the target accepted (201) Example 1 without",
	emulator.VTooManyTargetsAccepted:    "the target accepted (201) Example 3 with six targets",
	emulator.VHTTPCallbackAccepted:      "the target accepted (201) Example 1 with a plain-http callbackUri",
	emulator.VWrongContentTypeAccepted:  "the target accepted (201) Example 1 sent as text/plain",
}

// fieldWarnOnly are the violations that only an inferred check can see:
// against a remote target, not strict, they must be reported as a warning
// with their reason by every contract they would break, and fail them under
// --strict.
var fieldWarnOnly = map[emulator.Violation]bool{
	emulator.VUnsetPropertiesOmitted:   true,
	emulator.VClientRequestIDNotEchoed: true,
}

// fieldUnobservable are the violations no run against a remote target can
// show: against a remote target the token contracts' expired, wrong-audience
// and delegated tokens are signed by a key of callcheck's own (no identity
// platform mints defective tokens on request), so a target refuses them for
// their unknown signer, whether it would accept the defect or not. In the
// matrix their contract passes, and the target's own record must show each
// such token refused for its signer.
var fieldUnobservable = map[emulator.Violation]bool{
	emulator.VExpiredTokenAccepted:   true,
	emulator.VWrongAudienceAccepted:  true,
	emulator.VDelegatedTokenAccepted: true,
}

// fieldProfileShapes configures an emulator in the field profile's shapes
// (emulator.FieldProfile: legacy resource, PascalCase, no ids in
// resourceData, one notification per POST, a callee that rings before
// answering) with the fast profile's delays and a ring of milliseconds, so
// that 51 runs take seconds each rather than minutes.
func fieldProfileShapes(c *target.EmulatorConfig) {
	if err := c.ApplyProfile(emulator.ProfileField); err != nil {
		panic(err)
	}
	fast, _ := emulator.ProfileTiming(emulator.ProfileFast)
	c.Timing = fast
	c.Ringing.AnswerAfter = emulator.Delay{Min: 2 * time.Millisecond, Max: 10 * time.Millisecond}
	c.Apps = append(c.Apps, lackingApps(c.Apps[0].TenantID)...)
}

// TestViolationMatrixFieldProfile is the violation matrix against an
// emulator in the field profile's shapes, judged as a remote target is
// (documented, schema and field checks fail; inferred checks warn): the
// faithful run passes, every violation fails the contracts it is meant to
// break with its reason and nothing implausible, and the violations only an
// inferred check sees warn with their reason and fail under --strict.
func TestViolationMatrixFieldProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suites once per violation")
	}
	vs := append([]emulator.Violation{""}, emulator.Violations()...)
	for _, v := range vs[1:] {
		if _, ok := fieldReasons[v]; !ok {
			t.Errorf("violation %s has no reason: add it to fieldReasons", v)
		}
	}
	var mu sync.Mutex
	runs := map[emulator.Violation]matrixRun{}
	strict := map[emulator.Violation]matrixRun{}
	refused := map[emulator.Violation][]string{}
	start := time.Now()
	t.Run("runs", func(t *testing.T) {
		for _, v := range vs {
			t.Run(nameOf(v), func(t *testing.T) {
				t.Parallel()
				r, msgs := runFieldChild(t, v, false)
				mu.Lock()
				runs[v], refused[v] = r, msgs
				mu.Unlock()
				if fieldWarnOnly[v] {
					r, _ := runFieldChild(t, v, true)
					mu.Lock()
					strict[v] = r
					mu.Unlock()
				}
			})
		}
	})
	if t.Failed() {
		return
	}
	if failed := notAllPassed(runs[""].report); len(failed) > 0 {
		t.Errorf("the faithful field-profile emulator does not pass %v:\n%s", failed, failures(runs[""].report))
	}
	caught, right, warned, unobservable := 0, 0, 0, 0
	for _, v := range vs[1:] {
		r := runs[v]
		exp := expectations[v]
		if fieldUnobservable[v] {
			if checkUnobservable(t, v, r, exp, refused[v]) {
				unobservable++
			}
			t.Logf("%-34s not observable remotely: %d tokens refused with 401", v, len(refused[v]))
			continue
		}
		if fieldWarnOnly[v] {
			if checkFieldWarning(t, v, r, exp) {
				warned++
			}
			sr := strict[v]
			checkExpectation(t, v, sr)
			if checkFieldReason(t, v, sr, exp, false) {
				right++
			}
			t.Logf("%-34s warned; under --strict %2d failed", v, len(sr.failed))
			continue
		}
		ok := true
		for _, id := range exp.must {
			if !slices.Contains(r.failed, id) {
				ok = false
			}
		}
		if ok {
			caught++
		}
		checkExpectation(t, v, r)
		if checkFieldReason(t, v, r, exp, false) {
			right++
		}
		t.Logf("%-34s %2d failed in %s", v, len(r.failed), r.elapsed.Round(time.Millisecond))
	}
	t.Logf("field-profile matrix: %d violations: %d caught, %d with the right reason (%d of them under --strict), %d warned with their reason, %d not observable remotely; %s",
		len(vs)-1, caught, right, len(fieldWarnOnly), warned, unobservable, time.Since(start).Round(time.Second))
}

func nameOf(v emulator.Violation) string {
	if v == "" {
		return "faithful"
	}
	return string(v)
}

// findingsOf returns the findings of contract id in rep: failed (warning
// false) or warned.
func findingsOf(rep *report.Conformance, id string, warning bool) []report.Evidence {
	var out []report.Evidence
	if rep == nil {
		return nil
	}
	for _, c := range append(rep.Examples, rep.Negative...) {
		if c.ID != id {
			continue
		}
		for _, s := range c.Steps {
			for _, ev := range s.Evidence {
				if ev.Warning == warning {
					out = append(out, ev)
				}
			}
		}
	}
	return out
}

// checkFieldReason checks that every contract v must break reports a
// finding (a warning when warning) whose message holds v's reason.
func checkFieldReason(t *testing.T, v emulator.Violation, r matrixRun, exp expectation, warning bool) bool {
	t.Helper()
	reason := fieldReasons[v]
	ok := true
	for _, id := range exp.must {
		evs := findingsOf(r.report, id, warning)
		if !slices.ContainsFunc(evs, func(ev report.Evidence) bool { return reason != "" && strings.Contains(ev.Message, reason) }) {
			var msgs []string
			for _, ev := range evs {
				msgs = append(msgs, ev.Message)
			}
			t.Errorf("violation %s: contract %s does not give the reason %q (warning %v); its findings: %q", v, id, reason, warning, msgs)
			ok = false
		}
	}
	return ok
}

// checkFieldWarning checks a violation only an inferred check sees: no
// contract fails, and every one it must break warns with its reason.
func checkFieldWarning(t *testing.T, v emulator.Violation, r matrixRun, exp expectation) bool {
	t.Helper()
	ok := true
	if len(r.failed) > 0 {
		t.Errorf("violation %s fails %v against a remote target, though only an inferred check sees it", v, r.failed)
		ok = false
	}
	for _, id := range exp.must {
		if verdictOf(r.report, id) != report.Warning {
			t.Errorf("violation %s: contract %s is %s, want a warning", v, id, verdictOf(r.report, id))
			ok = false
		}
	}
	return checkFieldReason(t, v, r, exp, true) && ok
}

func verdictOf(rep *report.Conformance, id string) report.Verdict {
	if rep != nil {
		for _, c := range append(rep.Examples, rep.Negative...) {
			if c.ID == id {
				return c.Verdict
			}
		}
	}
	return ""
}

// runFieldChild runs every contract, as against a remote target (strict
// or not), against an emulator in the field profile's shapes making v.
// It returns the run and the messages of the target's 401 answers to a
// request that carried a token.
func runFieldChild(t *testing.T, v emulator.Violation, strict bool) (matrixRun, []string) {
	t.Helper()
	emu := emutest.Start(t, func(c *target.EmulatorConfig) {
		fieldProfileShapes(c)
		if v != "" {
			c.Violations = []emulator.Violation{v}
		}
	})
	ep := target.EndpointsOf(emu)
	rr := remoteRun{Target: ep.GraphURLs["beta"], TokenURL: ep.TokenURL, ClientID: ep.App.ClientID,
		ClientSecret: ep.App.ClientSecret, OpenID: ep.OpenIDConfigURL, AdmitURL: emu.AdminURL() + "/calls/{id}/admit",
		Strict: strict, Lacking: true, Notification: time.Second, Gone: time.Second, RetryCap: time.Millisecond}
	data, err := json.Marshal(rr)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.json")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=remote", outEnv+"="+path, remoteEnv+"="+string(data))
	begin := time.Now()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: child: %v\n%s", nameOf(v), err, b)
	}
	var res remoteResult
	raw, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(raw, &res)
	}
	if err != nil {
		t.Fatal(err)
	}
	r := matrixRun{report: res.Report, elapsed: time.Since(begin)}
	for _, c := range append(res.Report.Examples, res.Report.Negative...) {
		if c.Verdict == report.Failed {
			r.failed = append(r.failed, c.ID)
		}
		if c.Verdict != report.Passed && c.Verdict != report.Warning {
			r.notPassed = append(r.notPassed, c.ID)
		}
	}
	var msgs []string
	for _, rec := range emu.Requests() {
		if rec.Status == http.StatusUnauthorized && rec.Token != nil {
			msgs = append(msgs, rec.ErrorMessage)
		}
	}
	return r, msgs
}

// checkUnobservable checks a violation no remote run can show: its
// contracts pass, and the target refused every token it got with 401 for
// its unknown signer (never for the defect the violation tolerates).
func checkUnobservable(t *testing.T, v emulator.Violation, r matrixRun, exp expectation, refusals []string) bool {
	t.Helper()
	ok := len(r.failed) == 0 && len(refusals) > 0
	if !ok {
		t.Errorf("violation %s: failed %v, %d refusals with 401; want no failure and the defective tokens refused", v, r.failed, len(refusals))
	}
	for _, id := range exp.must {
		if verdictOf(r.report, id) != report.Passed {
			t.Errorf("violation %s: contract %s is %s, want passed (its token refused for its signer)", v, id, verdictOf(r.report, id))
			ok = false
		}
	}
	signer := 0
	for _, m := range refusals {
		switch {
		case strings.Contains(m, "signed by an unknown key"):
			signer++
		case strings.Contains(m, "token malformed"): // negative_token_malformed's
		default:
			t.Errorf("violation %s: the target refused a token for another reason than its signer: %q", v, m)
			ok = false
		}
	}
	if signer == 0 {
		t.Errorf("violation %s: no token refused for its signer", v)
		ok = false
	}
	return ok
}

// notAllPassed lists the contracts of rep that did not pass without a warning.
func notAllPassed(rep *report.Conformance) []string {
	var out []string
	for _, c := range append(rep.Examples, rep.Negative...) {
		if c.Verdict != report.Passed {
			out = append(out, c.ID+" "+string(c.Verdict))
		}
	}
	return out
}
