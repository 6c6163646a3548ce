package certify

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/report"
)

// sampleCertificate is a fixed certificate with one check of each verdict.
func sampleCertificate() *report.Certificate {
	c := &report.Certificate{
		SchemaVersion: report.CertificateSchema,
		Bot:           report.Bot{Name: "Contoso | Bot", Version: "2.3.1"},
		Harness:       report.Harness{Name: "callcheck", Version: "v1.0.0", FixturesDigest: "sha256:0123"},
		IssuedAt:      time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		Seed:          42,
		Reproduce:     `callcheck certify-bot --bot-name 'Contoso | Bot' --bot-version 2.3.1 --seed 42 --trigger 'p2p=./bot call p2p'`,
		Checks: []report.Check{
			{ID: "outbound.p2p.callback", Group: GroupOutbound, Scenario: "p2p", Title: "callbackUri is an absolute https URL", Verdict: report.Failed,
				Duration: report.Duration(3 * time.Millisecond),
				Evidence: []report.Evidence{{Message: "callbackUri is not an https URL.", Expected: "https://…", Got: "http://bot/cb",
					Pointer: "/callbackUri", RequestID: "r-1", DocQuote: qCallbackHTTPS.Text, Source: qCallbackHTTPS.source()}}},
			{ID: "outbound.group.read-only", Group: GroupOutbound, Scenario: "group", Title: "No read-only property is sent", Verdict: report.Warning,
				Evidence: []report.Evidence{{Message: "direction is read-only", Pointer: "/direction", DocQuote: "`tenantId` and `direction`"}}},
			{ID: "inbound.p2p.sequence", Group: GroupInbound, Scenario: "p2p", Title: "sequence", Verdict: report.Passed},
			{ID: "robustness.large-roster", Group: GroupRobustness, Title: "large roster", Verdict: report.NotSupported,
				Evidence: []report.Evidence{{Message: "No call with rosters."}}},
			{ID: "negative.view-unchanged", Group: GroupNegative, Scenario: "p2p", Title: "view", Verdict: report.Skipped,
				Evidence: []report.Evidence{{Message: "The bot's view cannot be observed."}}},
		},
	}
	for _, ch := range c.Checks {
		c.Summary.Add(ch.Verdict)
	}
	c.Verdict = Verdict(c.Summary)
	return c
}

func TestWriteMarkdownGolden(t *testing.T) {
	var b bytes.Buffer
	if err := report.Render(&b, Outputs(sampleCertificate()), report.FormatMarkdown); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "testdata/certificate.md.golden", b.Bytes())
}

func TestWriteJUnitGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, sampleCertificate()); err != nil {
		t.Fatal(err)
	}
	var doc report.JUnitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	if doc.Tests != 5 || doc.Failures != 1 || doc.Skipped != 2 {
		t.Errorf("tests %d failures %d skipped %d", doc.Tests, doc.Failures, doc.Skipped)
	}
	testkit.Golden(t, "testdata/certificate.junit.xml.golden", b.Bytes())
}

// TestWriteFiles writes the four files; the JSON reads back as the same
// certificate, and the HTML page is one self-contained document.
func TestWriteFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	c := sampleCertificate()
	paths, err := WriteFiles(dir, c)
	if err != nil || len(paths) != 4 {
		t.Fatalf("paths %v, err %v", paths, err)
	}
	f, err := os.Open(filepath.Join(dir, FileJSON))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := report.ReadCertificate(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Seed != 42 || got.Verdict != report.Failed || len(got.Checks) != 5 || got.Checks[0].Evidence[0].Pointer != "/callbackUri" {
		t.Errorf("read back %+v", got)
	}
	page, err := os.ReadFile(filepath.Join(dir, FileHTML))
	if err != nil || !bytes.Contains(page, []byte("<!DOCTYPE html>")) || !bytes.Contains(page, []byte("outbound.p2p.callback")) {
		t.Errorf("certificate.html: %v\n%.200s", err, page)
	}
	if _, err := WriteFiles(filepath.Join(dir, FileJSON, "x"), c); err == nil {
		t.Error("writing under a file succeeded")
	}
}

func TestVerdict(t *testing.T) {
	for _, tc := range []struct {
		sum  report.Summary
		want report.Verdict
	}{
		{report.Summary{Passed: 3}, report.Passed},
		{report.Summary{Passed: 3, Warnings: 2, NotSupported: 1}, report.Passed},
		{report.Summary{Passed: 3, Failed: 1}, report.Failed},
		{report.Summary{Passed: 3, Skipped: 1}, report.Failed}, // a check not made is not passed
		{report.Summary{}, report.Failed},                      // nothing certified
	} {
		if got := Verdict(tc.sum); got != tc.want {
			t.Errorf("Verdict(%+v) = %s, want %s", tc.sum, got, tc.want)
		}
	}
}

// TestCatalogDocumented keeps the catalog block of docs/certify-bot.md
// current.
func TestCatalogDocumented(t *testing.T) {
	var b strings.Builder
	b.WriteString("| check | group | what | required or recommended | rests on |\n|---|---|---|---|---|\n")
	for _, c := range Catalog() {
		req := report.RequirementRequired
		if c.Recommended() {
			req = report.RequirementRecommended
		}
		b.WriteString("| `" + c.ID + "` | " + c.Group + " | " + strings.ReplaceAll(c.Title, "|", `\|`) + " | " + req + " | " + c.RestsOn + " |\n")
	}
	checkGenerated(t, docsPath, "catalog", b.String())
}

// TestRecommendedShown checks that every format tells a recommendation not
// met from a failure: the JSON's requirement, the Markdown's and HTML's
// "(recommended)" mark, the JUnit case of a class of its own that passes.
func TestRecommendedShown(t *testing.T) {
	c := sampleCertificate()
	c.Checks = append(c.Checks, report.Check{ID: "negative.missing-tenant", Group: GroupNegative, Scenario: "p2p",
		Title: "A notification with a token without a tid (tenant) claim is refused with 401 or 403", Verdict: report.Warning,
		Requirement: report.RequirementRecommended, Evidence: []report.Evidence{qSampleTenant.evidence("not refused", "401", "202")}})
	var js, md, html, junit bytes.Buffer
	if err := report.WriteJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	if err := report.Render(&md, Outputs(c), report.FormatMarkdown); err != nil {
		t.Fatal(err)
	}
	if err := report.Render(&html, Outputs(c), report.FormatHTML); err != nil {
		t.Fatal(err)
	}
	if err := WriteJUnit(&junit, c); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{
		"JSON":     {`"requirement": "recommended"`},
		"Markdown": {"*(recommended)*", "§6 (line 498)"},
		"HTML":     {"<em>(recommended)</em>"},
		"JUnit":    {`classname="certify-bot.negative.recommended"`},
	} {
		got := map[string]string{"JSON": js.String(), "Markdown": md.String(), "HTML": html.String(), "JUnit": junit.String()}[name]
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s does not contain %q", name, w)
			}
		}
	}
	if strings.Contains(junit.String(), `name="negative.missing-tenant" classname="certify-bot.negative.recommended" time="0.000"><failure`) {
		t.Error("the JUnit case of a recommendation fails")
	}
}
