package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/report"
)

// reportFixture copies a report document of report/testdata into dir.
func reportFixture(t *testing.T, dir, name, as string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "report", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, as)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReportOfEverything: a conformance report, found in a directory, and
// a real load run against the embedded emulator render as one page in
// every format; the bundle holds both documents unedited.
func TestReportOfEverything(t *testing.T) {
	dir := t.TempDir()
	reportFixture(t, dir, "conformance-passed.json", "conform/conformance.json")
	runDir := filepath.Join(dir, "load")
	if code, _, stderr := loadCLI(t, "load", "create", "--rate", "50/s", "--duration", "400ms", "--example", "1,5", "--out", runDir); code != exitOK {
		t.Fatalf("load create: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "pages")
	code, stdout, stderr := loadCLI(t, "report", "--threshold", "lost==0", "--title", "nightly <gate>", "--out", out, filepath.Join(dir, "conform"), runDir)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "callcheck conformance:") || !strings.Contains(stdout, "ok   lost==0") || !strings.Contains(stdout, "Report: "+filepath.Join(out, "report.md")) {
		t.Errorf("stdout lacks the summaries or the files written:\n%s", stdout)
	}
	html := readFile(t, filepath.Join(out, "report.html"))
	for _, want := range []string{"<title>nightly &lt;gate&gt;: passed</title>", `id="s1-conformance"`, `<svg class="chart" id="s2-load-latency"`, "THRESHOLDS HELD"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if md := readFile(t, filepath.Join(out, "report.md")); !strings.HasPrefix(md, "# ✅ nightly &lt;gate&gt;\n") || !strings.Contains(md, "## ✅ Load: thresholds held") {
		t.Errorf("report.md:\n%.400s", md)
	}
	var b struct {
		report.Bundle
		Load struct{ SchemaVersion string } `json:"load"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "report.json"))), &b); err != nil {
		t.Fatal(err)
	}
	if b.SchemaVersion != report.BundleSchema || b.Verdict != report.Passed || len(b.Conformance) != 1 || b.Conformance[0].Summary.Passed != 29 || b.Load.SchemaVersion != "callcheck.dev/load-summary/v1" {
		t.Errorf("bundle: %+v", b)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestReportOfFailedDocuments: a failed conformance report exits 1 with the
// page still written to stdout; a certificate renders as Markdown.
func TestReportOfFailedDocuments(t *testing.T) {
	dir := t.TempDir()
	conf := reportFixture(t, dir, "conformance-failed.json", "conformance.json")
	code, stdout, stderr := loadCLI(t, "report", "--format", "md", conf)
	if code != exitFailed || !strings.HasPrefix(stdout, "## ❌ Conformance: failed") || !strings.Contains(stderr, "failed (6 contracts)") {
		t.Errorf("exit %d, stderr %q, stdout %.200s", code, stderr, stdout)
	}
	cert := filepath.Join(dir, "certificate.json")
	c := report.Certificate{SchemaVersion: report.CertificateSchema, Bot: report.Bot{Name: "refbot", Version: "1"}, Verdict: report.Passed,
		Checks: []report.Check{{ID: "outbound.p2p.schema", Group: "outbound", Title: "schema", Verdict: report.Passed}}}
	c.Summary.Add(report.Passed)
	f, err := os.Create(cert)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJSON(f, c); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, stdout, _ = loadCLI(t, "report", "--format", "html", cert)
	if code != exitOK || !strings.Contains(stdout, "CERTIFIED") || !strings.HasPrefix(stdout, "<!DOCTYPE html>") {
		t.Errorf("certificate page: exit %d, %.300s", code, stdout)
	}
}

// TestReportBadInput: every mistake exits 2 naming what is wrong.
func TestReportBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "conformance.json")
	if err := os.WriteFile(bad, []byte(`{"schemaVersion":"callcheck.dev/conformance/v1","examples":5}`), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	conf := reportFixture(t, t.TempDir(), "conformance-passed.json", "c.json")
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown format", []string{"report", "--format", "pdf", dir}, `--format "pdf": want one of text, md, html, json, all`},
		{"all without out", []string{"report", "--format", "all", dir}, "--format all writes several files: give --out DIR"},
		{"a broken document", []string{"report", bad}, bad + ": report: conformance report"},
		{"a directory of nothing", []string{"report", empty}, empty + " holds no conformance report, bot certificate or load results"},
		{"a flag after the paths", []string{"report", conf, "--out", "x"}, "--out comes after the paths: flags go before them"},
		{"thresholds without load", []string{"report", "--threshold", "p99<1s", conf}, "--threshold needs load results"},
		{"json summary without load", []string{"report", "--json", "-", conf}, "--json writes the merged load summary"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := loadCLI(t, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.msg) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tc.msg)
			}
		})
	}
}

// TestReportReadsOlderLoadResults: a run directory and a capacity search
// written by an earlier version, whose documents named their schema version
// "schema", still merge; what is written names it "schemaVersion" alone.
func TestReportReadsOlderLoadResults(t *testing.T) {
	dir := t.TempDir()
	run, search := filepath.Join(dir, "run"), filepath.Join(dir, "capacity")
	for path, text := range map[string]string{
		filepath.Join(run, "manifest.json"): `{"schema": "callcheck.dev/load-run/v1", "kind": "create", "shard": "0/1",
			"start": "2026-01-02T03:04:05Z", "duration": "1s", "files": {"results": "results.gob"}, "complete": true}`,
		filepath.Join(run, "results.gob"): "",
		filepath.Join(search, "capacity.json"): `{"schema": "callcheck.dev/load-capacity/v1", "objective": "p99<10ms",
			"stepDuration": "1s", "stabilize": "0s", "start": "2026-01-02T03:04:05Z", "end": "2026-01-02T03:05:05Z",
			"capacity": 150, "stopped": "bounds within 1/s", "conclusion": "Sustains 150/s at p99<10ms."}`,
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := loadCLI(t, "report", "--json", "-", dir)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	var sum struct {
		SchemaVersion string
		Runs          []struct{ SchemaVersion string }
		Capacity      []struct {
			SchemaVersion string
			Capacity      float64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.SchemaVersion != "callcheck.dev/load-summary/v1" || len(sum.Runs) != 1 || sum.Runs[0].SchemaVersion != "callcheck.dev/load-run/v1" ||
		len(sum.Capacity) != 1 || sum.Capacity[0].SchemaVersion != "callcheck.dev/load-capacity/v1" || sum.Capacity[0].Capacity != 150 {
		t.Errorf("merged summary %+v", sum)
	}
	if strings.Contains(stdout, `"schema"`) {
		t.Errorf("the merged summary still names a schema version \"schema\":\n%.600s", stdout)
	}
}

// TestReportStaysInsideRunDirectories: file names a manifest gives, and
// symbolic links in a run directory, cannot lead callcheck report out of
// the run directory; each is a one-line error and exit 2.
func TestReportStaysInsideRunDirectories(t *testing.T) {
	manifest := func(results string) string {
		return `{"schemaVersion": "callcheck.dev/load-run/v1", "kind": "create", "shard": "0/1",
			"start": "2026-01-02T03:04:05Z", "duration": "1s", "files": {"results": ` + strconv.Quote(results) + `}, "complete": true}`
	}
	for _, c := range []struct {
		name, results, link string
	}{
		// a manifest naming a file above its directory
		{"parent", "../outside.gob", ""},
		// a manifest naming an absolute path
		{"absolute", "/etc/passwd", ""},
		// results.gob a symbolic link out of the directory
		{"symlink", "results.gob", "../outside.gob"},
		// a document of the directory a symbolic link out of it
		{"document symlink", "conformance.json", "../outside.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			run := filepath.Join(dir, "run")
			if err := os.MkdirAll(run, 0o755); err != nil {
				t.Fatal(err)
			}
			writeTestFile(t, filepath.Join(dir, "outside.gob"), "") // an empty results file: readable, were it followed
			writeTestFile(t, filepath.Join(dir, "outside.json"), `{"schemaVersion": "callcheck.dev/conformance/v1"}`)
			results := c.results
			if strings.HasSuffix(results, ".json") {
				results = "results.gob"
				writeTestFile(t, filepath.Join(run, results), "")
			}
			writeTestFile(t, filepath.Join(run, "manifest.json"), manifest(results))
			if c.link != "" {
				if err := os.Symlink(c.link, filepath.Join(run, c.results)); err != nil {
					t.Skip("no symbolic links here:", err)
				}
			}
			code, _, stderr := loadCLI(t, "report", "--json", "-", run)
			if code != exitUsage || !strings.Contains(stderr, "inside") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line saying the file is not inside the run directory", code, stderr)
			}
		})
	}
}

func writeTestFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
