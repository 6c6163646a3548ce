package report

import (
	"strings"
	"testing"
	"time"
)

// sampleCertificate is a certificate with a check of every verdict in
// every group, and a group certify-bot may add later ("lifecycle").
func sampleCertificate(v Verdict) *Certificate {
	ev := []Evidence{{Message: "the bot answered 500 to a duplicate notification", Expected: "2xx or 4xx", Got: "500",
		Excerpt: "internal error", DocQuote: "Respond to the notification HTTP request within ~5 s", Source: "graph-calls-facts.md §8"}}
	c := &Certificate{SchemaVersion: CertificateSchema, Bot: Bot{Name: "Contoso <Bot>", Version: "2.4.1"},
		Harness:  Harness{Name: "callcheck", Version: "v0.0.0-test", FixturesDigest: "sha256:0123456789abcdef0123"},
		IssuedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Seed: 42,
		Reproduce: "callcheck certify-bot --bot-name 'Contoso <Bot>' --bot-version 2.4.1 --seed 42 --trigger 'p2p=./create.sh p2p'",
		Verdict:   v,
		Checks: []Check{
			{ID: "robustness.duplicates", Group: "robustness", Title: "Duplicate notifications are acknowledged", Verdict: Failed, Evidence: ev, Duration: Duration(12 * time.Millisecond)},
			{ID: "outbound.p2p.schema", Group: "outbound", Scenario: "p2p", Title: "The create request is valid against the schema", Verdict: Passed, Duration: Duration(3 * time.Millisecond)},
			{ID: "outbound.p2p.read-only", Group: "outbound", Scenario: "p2p", Title: "No read-only properties", Verdict: Warning,
				Evidence: []Evidence{{Message: "the request sends /state, which the service ignores", Pointer: "/state", Source: "create-call-doc.txt Example 1"}}},
			{ID: "inbound.p2p.established", Group: "inbound", Scenario: "p2p", Title: "Acknowledges established within 5 s", Verdict: Passed, Duration: Duration(2 * time.Millisecond)},
			{ID: "negative.expired-token", Group: "negative", Title: "Refuses an expired token", Verdict: Passed},
			{ID: "lifecycle.hangup", Group: "lifecycle", Title: "Hangs up with DELETE", Verdict: NotSupported},
			{ID: "inbound.pstn.established", Group: "inbound", Scenario: "pstn", Title: "Acknowledges established", Verdict: Skipped},
		},
	}
	for _, ch := range c.Checks {
		if v == Passed && ch.Verdict == Failed {
			continue
		}
		c.Summary.Add(ch.Verdict)
	}
	if v == Passed {
		c.Checks = c.Checks[1:]
	}
	return c
}

func TestCertificateGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *Certificate
	}{
		{"certificate-failed", sampleCertificate(Failed)}, // not certified: a robustness check failed
		{"certificate-passed", sampleCertificate(Passed)}, // certified with a warning
	} {
		t.Run(tc.name, func(t *testing.T) {
			md, html := render(t, fixedPage(CertificateSection(tc.c)))
			golden(t, tc.name+".md.golden", md)
			golden(t, tc.name+".html.golden", html)
		})
	}
}

func TestCertificateGroupsInOrder(t *testing.T) {
	md, html := render(t, fixedPage(CertificateSection(sampleCertificate(Failed))))
	for name, doc := range map[string]string{"Markdown": string(md), "HTML": string(html)} {
		last := -1
		for _, g := range []string{"outbound", "inbound", "negative", "robustness", "lifecycle"} {
			i := strings.Index(doc, "### "+g+" (")
			if name == "HTML" {
				i = strings.Index(doc, "\">"+g+" <span")
			}
			if i < 0 || i < last {
				t.Errorf("%s: group %q at %d, after the previous group's %d", name, g, i, last)
			}
			last = i
		}
	}
	if !strings.Contains(string(md), "## ❌ Bot certificate: not certified") || !strings.Contains(string(md), "Contoso &lt;Bot&gt; 2.4.1 failed 1 of 5 checks.") {
		t.Errorf("Markdown headline wrong:\n%s", md[:300])
	}
}
