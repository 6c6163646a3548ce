package suites_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/suites"
)

// sampleReport is a fixed report with every verdict, for the golden files.
func sampleReport() *report.Conformance {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ms := func(n int) report.Duration { return report.Duration(time.Duration(n) * time.Millisecond) }
	failedStep := report.StepResult{Name: "response", Verdict: report.Failed, Duration: ms(2), Evidence: []report.Evidence{{
		Message: "the created call's state is not \"establishing\"", Expected: "establishing", Got: "established", Pointer: "/state",
		RequestID: "rid-1", Excerpt: `{"state":"established"}`, DocQuote: "The body is the full call", Source: "graph-calls-facts.md §3.1"}}}
	rep := &report.Conformance{
		SchemaVersion:   report.ConformanceSchema,
		Harness:         report.Harness{Name: "callcheck", Version: "v0.0.0-test", FixturesDigest: "sha256:0000"},
		Target:          report.Target{BaseURL: "http://127.0.0.1:1/beta", Kind: "embedded-emulator", APIVersion: "beta", Auth: "embedded"},
		ClaimedFeatures: []string{"peer-to-peer", "service-hosted-media"},
		StartedAt:       start, FinishedAt: start.Add(1500 * time.Millisecond), Verdict: report.Failed,
		Examples: []report.ContractResult{
			{ID: "example01_x", Example: 1, Title: "Create peer-to-peer VoIP call", Features: []string{"peer-to-peer"}, Verdict: report.Passed,
				Steps: []report.StepResult{{Name: "request", Verdict: report.Passed, Duration: ms(1)}}, Duration: ms(160),
				Errata: []report.ErratumRef{{Example: 1, Block: "response", Pointer: "/mediaConfig", Kind: "invalid-json", Message: "trailing comma"}}},
			{ID: "example02_x", Example: 2, Title: "Create a call with app media", Features: []string{"app-hosted-media"}, Verdict: report.Failed,
				Steps: []report.StepResult{{Name: "request", Verdict: report.Passed}, failedStep}, Duration: ms(12)},
			{ID: "example03_x", Example: 3, Title: "Create a group call", Features: []string{"group-call"}, Verdict: report.NotSupported,
				Reason: "needs group-call, which the target does not claim"},
		},
		Negative: []report.ContractResult{
			{ID: "negative_role_missing_x", Title: "Example 3 without a role", Verdict: report.Skipped, Reason: "no app lacking X is configured"},
		},
		Errata: []report.ErratumRef{{Example: 1, Block: "response", Pointer: "/mediaConfig", Kind: "invalid-json", Message: "trailing comma"}},
	}
	for _, r := range append(rep.Examples, rep.Negative...) {
		rep.Summary.Add(r.Verdict)
	}
	return rep
}

// TestRenderGolden: the terminal summary, the Markdown summary and the
// JUnit XML of a fixed report match their golden files.
func TestRenderGolden(t *testing.T) {
	rep := sampleReport()
	for _, tc := range []struct {
		file   string
		render func(*bytes.Buffer) error
	}{
		{"summary.txt.golden", func(b *bytes.Buffer) error { return suites.WriteSummary(b, rep) }},
		{"summary.md.golden", func(b *bytes.Buffer) error { return report.Render(b, suites.Outputs(rep), report.FormatMarkdown) }},
		{"junit.xml.golden", func(b *bytes.Buffer) error { return suites.JUnit(rep).Write(b) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.render(&buf); err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, filepath.Join("testdata", tc.file), buf.Bytes())
		})
	}
}

// TestJUnitCounts: failed contracts are failures, not supported and
// skipped ones are skipped, per suite.
func TestJUnitCounts(t *testing.T) {
	var buf bytes.Buffer
	if err := suites.JUnit(sampleReport()).Write(&buf); err != nil {
		t.Fatal(err)
	}
	var doc report.JUnitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 4 || doc.Failures != 1 || doc.Skipped != 2 || len(doc.Suites) != 2 {
		t.Fatalf("tests %d failures %d skipped %d suites %d", doc.Tests, doc.Failures, doc.Skipped, len(doc.Suites))
	}
}

func TestWriteOutputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	paths, err := suites.WriteOutputs(dir, sampleReport())
	if err != nil {
		t.Fatal(err)
	}
	names := []string{suites.FileConformance, suites.FileJUnit, suites.FileSummary, suites.FileHTML}
	if len(paths) != len(names) {
		t.Fatalf("paths written %v, want %v", paths, names)
	}
	for i, name := range names {
		if paths[i] != filepath.Join(dir, name) || !fileExists(paths[i]) {
			t.Errorf("path %d: %s (written %v), want %s", i, paths[i], fileExists(paths[i]), name)
		}
	}
	f, err := os.Open(filepath.Join(dir, suites.FileConformance))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	back, err := report.ReadConformance(f)
	if err != nil || back.Summary != sampleReport().Summary || len(back.Examples) != 3 {
		t.Fatalf("conformance.json read back: %+v, %v", back, err)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
