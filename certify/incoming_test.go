package certify

import (
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/refbot"
	"github.com/callcheck/callcheck/report"
)

// TestIncomingCallNotAnswered gives the reference bot, which does not
// answer incoming calls, an incoming-call webhook: the answer check fails
// with the deadline it missed, and no other check is affected.
// (test/sdk/sdkbot certifies a bot that answers.)
func TestIncomingCallNotAnswered(t *testing.T) {
	cert := certifyRig(t, []Key{KeyP2P}, nil, func(c *Config, b *refbot.Config) {
		c.IncomingCallback = b.CallbackURL
		c.Timeouts.Answer = 300 * time.Millisecond // nothing will come: the wait only bounds the run
	})
	found := false
	for _, ch := range cert.Checks {
		switch {
		case ch.ID == incomingCheckID:
			found = true
			if ch.Verdict != report.Failed || !strings.Contains(report.EvidenceText(ch.Evidence), "neither answered nor rejected") ||
				!strings.Contains(report.EvidenceText(ch.Evidence), "§3.7 (line 303)") {
				t.Errorf("%s is %s:\n%s", ch.ID, ch.Verdict, report.EvidenceText(ch.Evidence))
			}
		case ch.Verdict != report.Passed && ch.Verdict != report.NotSupported && ch.Requirement != report.RequirementRecommended:
			t.Errorf("%s is %s:\n%s", ch.ID, ch.Verdict, report.EvidenceText(ch.Evidence))
		}
	}
	if !found {
		t.Errorf("no %s check", incomingCheckID)
	}
}

// TestIsAnswerOrReject: the answer and reject actions by plain and
// namespace-qualified names, as SDKs send them.
func TestIsAnswerOrReject(t *testing.T) {
	for path, want := range map[string]bool{
		"/v1.0/communications/calls/1/answer":                   true,
		"/v1.0/communications/calls/1/microsoft.graph.answer":   true,
		"/beta/communications/calls/1/Microsoft.Graph.Reject":   true,
		"/v1.0/communications/calls/1/keepAlive":                false,
		"/v1.0/communications/calls/1/microsoft.graph.redirect": false,
	} {
		if got := isAnswerOrReject(path); got != want {
			t.Errorf("isAnswerOrReject(%q) = %v, want %v", path, got, want)
		}
	}
}
