package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/callcheck/callcheck/internal/version"
	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/report/loadreport"
	"github.com/callcheck/callcheck/suites"
)

func init() {
	register(command{name: "report", summary: "render conformance, certificate and load results as Markdown/HTML/JSON; merge load results and gate on thresholds", priority: 40, run: runReport})
}

const reportExamples = `  # merge the shards of a run (every run directory below results/) and gate on thresholds
  callcheck report --threshold 'p99<200ms,success>=99.9%,e2e.p99<1s,lost==0' results/
  # one page of everything: a conformance run, a bot certificate, a load run and a capacity search
  callcheck report --out reports conform-out/conformance.json certify-out/certificate.json load-results capacity-results
  # the Markdown for a GitHub job summary
  callcheck report --format md conform-out >> "$GITHUB_STEP_SUMMARY"
  # merge runs from several machines and write the merged summary as JSON
  callcheck report --json merged.json host-a/load-results host-b/load-results
  # a bare vegeta results file (any of vegeta's encodings) is read too
  callcheck report --threshold 'p99<50ms' results.bin`

// reportFormats are the values of --format; "all" writes every file format.
var reportFormats = []string{"text", "md", "html", "json", "all"}

// reportFlags are callcheck report's flags.
type reportFlags struct {
	thresholds     thresholdFlag
	jsonOut        string
	format, out    string
	title          string
	formatWasGiven bool
	acceptPartial  bool
}

// runReport reads conformance reports, bot certificates and load results
// (any number of run directories, directories holding them, capacity
// results, bare vegeta result files), merges the load results and evaluates
// the thresholds over them (load's merge and thresholds), and renders one
// page of everything: text, Markdown, self-contained HTML or JSON. Exit 1
// when a threshold is breached or a document's verdict is failed.
func runReport(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "report", "report [--format text|md|html|json|all] [--out DIR] [--threshold EXPR]... [--json FILE] PATH...", reportExamples)
	var f reportFlags
	fs.Var(&f.thresholds, "threshold", "threshold expression(s) over the merged load results (repeatable); exit 1 when one is breached")
	fs.StringVar(&f.jsonOut, "json", "", "write the merged load summary as JSON to this file (- for stdout, instead of the text)")
	fs.StringVar(&f.format, "format", "text", "output: text, md (Markdown for a job summary), html (one self-contained page), json (a report bundle), or all (with --out)")
	fs.StringVar(&f.out, "out", "", "directory to write report.md, report.html and report.json to (default format there: all)")
	fs.BoolVar(&f.acceptPartial, "accept-partial", false, "let an interrupted or unfinished run pass: a load run's --threshold, an interrupted conformance report or certificate (by default such a gate fails: it judged only part of the run)")
	fs.StringVar(&f.title, "title", "", `title of the Markdown and HTML page (default "callcheck report")`)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f.formatWasGiven = flagsSet(fs)["format"]
	if err := f.validate(fs.NArg()); err != nil {
		return err
	}
	ts, err := f.thresholds.parse("--threshold")
	if err != nil {
		return err
	}
	if err := checkOutDir("--out", f.out); err != nil {
		return err
	}
	in, err := readReportInputs(fs.Args())
	if err != nil {
		return usagef("reading results: %v", err)
	}
	rep, err := buildReport(in, ts, f.title)
	if err != nil {
		return err
	}
	rep.acceptPartial = f.acceptPartial
	if err := f.write(e.stdout, rep); err != nil {
		return err
	}
	return rep.outcome()
}

func (f *reportFlags) validate(nargs int) error {
	switch {
	case nargs == 0:
		return usagef("report needs result files or directories (conformance.json, certificate.json, or the --out of callcheck load)")
	case !contains(reportFormats, f.format):
		return usagef("--format %q: want one of %s", f.format, strings.Join(reportFormats, ", "))
	case f.format == "all" && f.out == "":
		return usagef("--format all writes several files: give --out DIR")
	}
	if f.out != "" && !f.formatWasGiven {
		f.format = "all"
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// builtReport is what callcheck report renders.
type builtReport struct {
	in     *reportInputs
	sum    *result.Summary // nil without load results
	thresh bool            // thresholds were given
	passed bool            // they held
	page   *report.Page
	// acceptPartial lets thresholds pass over interrupted runs.
	acceptPartial bool
}

// buildReport merges the load results, evaluates the thresholds and makes the page.
func buildReport(in *reportInputs, ts []result.Threshold, title string) (*builtReport, error) {
	r := &builtReport{in: in, thresh: len(ts) > 0, passed: true,
		page: &report.Page{Title: title, Harness: "callcheck " + version.String(), Generated: time.Now()}}
	for _, c := range in.conformance {
		r.page.Sections = append(r.page.Sections, report.ConformanceSection(c))
	}
	for _, c := range in.certificates {
		r.page.Sections = append(r.page.Sections, report.CertificateSection(c))
	}
	if len(in.loadPaths) == 0 {
		if r.thresh {
			return nil, usagef("--threshold needs load results, and none were given")
		}
		return r, nil
	}
	sum, err := load.Merge(in.loadPaths...)
	if err != nil {
		return nil, usagef("reading load results: %v", err)
	}
	r.sum = sum
	if r.thresh {
		r.passed = sum.Evaluate(ts)
	}
	r.page.Sections = append(r.page.Sections, loadreport.Section(sum))
	return r, nil
}

// outcome is exit 1 for breached thresholds or a failed document.
func (r *builtReport) outcome() error {
	if r.sum != nil {
		if err := thresholdsOutcome(r.sum, r.passed); err != nil {
			return err
		}
		if partial := load.Partial(r.sum); r.thresh && len(partial) > 0 && !r.acceptPartial {
			return failedError{fmt.Sprintf("thresholds judged an interrupted run (%s): only part of its schedule ran; rerun it, or pass --accept-partial", strings.Join(partial, ", "))}
		}
	}
	var failed, partial []string
	for _, c := range r.in.conformance {
		if c.Interrupted || c.Verdict == report.Interrupted {
			partial = append(partial, fmt.Sprintf("conformance of %s was interrupted (%d contracts not run)", c.Target.BaseURL, len(c.NotRun)))
		}
		if c.Verdict == report.Failed || c.Summary.Failed > 0 {
			failed = append(failed, fmt.Sprintf("conformance of %s failed (%d contracts)", c.Target.BaseURL, c.Summary.Failed))
		}
	}
	for _, c := range r.in.certificates {
		if c.Interrupted || c.Verdict == report.Interrupted {
			partial = append(partial, fmt.Sprintf("certificate of %s %s was interrupted (%d checks not run)", c.Bot.Name, c.Bot.Version, len(c.NotRun)))
		}
		if c.Verdict == report.Failed || (c.Interrupted && c.Summary.Failed > 0) {
			failed = append(failed, fmt.Sprintf("certificate of %s %s: not certified (%d checks failed)", c.Bot.Name, c.Bot.Version, c.Summary.Failed))
		}
	}
	if len(failed) > 0 {
		return failedError{strings.Join(failed, "; ")}
	}
	if len(partial) > 0 && !r.acceptPartial {
		return failedError{strings.Join(partial, "; ") + ": only part of it ran; rerun it, or pass --accept-partial"}
	}
	return nil
}

// write renders the report: the format to stdout, or the files into --out
// (then the text summary to stdout as well), and the --json summary.
func (f *reportFlags) write(w io.Writer, r *builtReport) error {
	if f.jsonOut != "" && r.sum == nil {
		return usagef("--json writes the merged load summary, and no load results were given")
	}
	if f.out == "" {
		if f.jsonOut == "-" {
			return writeSummaryJSON(w, r.sum)
		}
		if err := r.render(w, f.format); err != nil {
			return err
		}
	} else if err := r.writeFiles(w, f.out, f.format); err != nil {
		return err
	}
	if f.jsonOut != "" && f.jsonOut != "-" {
		return writeSummaryFile(f.jsonOut, r.sum)
	}
	return nil
}

// render writes the report in one format.
func (r *builtReport) render(w io.Writer, format string) error {
	return report.Render(w, r.outputs(), report.Format(format))
}

// outputs is the report in every form: the bundle, the page and the text.
func (r *builtReport) outputs() report.Result {
	return report.Result{Document: r.bundle(), Page: r.page, Text: r.writeText}
}

// writeText writes the terminal summaries: the conformance table, the
// certificate as Markdown, the load text (vegeta's manner).
func (r *builtReport) writeText(w io.Writer) error {
	for _, c := range r.in.conformance {
		if err := suites.WriteSummary(w, c); err != nil {
			return err
		}
	}
	for _, c := range r.in.certificates {
		if err := report.CertificateSection(c).WriteMarkdown(w); err != nil {
			return err
		}
	}
	if r.sum != nil {
		return load.WriteText(w, r.sum)
	}
	return nil
}

func (r *builtReport) bundle() *report.Bundle {
	b := &report.Bundle{SchemaVersion: report.BundleSchema, Verdict: r.page.Verdict(), Conformance: r.in.conformance, Certificates: r.in.certificates}
	if r.sum != nil {
		b.Load = r.sum
	}
	return b
}

// reportFiles are the files --out holds, by format.
var reportFiles = map[string]string{"md": "report.md", "html": "report.html", "json": "report.json", "text": "report.txt"}

// writeFiles writes the format's file (every file format for "all") into
// dir with report.WriteAll and prints the text summary and the paths
// written.
func (r *builtReport) writeFiles(w io.Writer, dir, format string) error {
	formats := []string{format}
	if format == "all" {
		formats = []string{"md", "html", "json"}
	}
	files := make([]report.File, len(formats))
	for i, fm := range formats {
		files[i] = report.File{Format: report.Format(fm), Name: reportFiles[fm]}
	}
	written, err := report.WriteAll(dir, r.outputs(), files...)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return usagef("--out: %v", err)
	} else if err != nil {
		return err
	}
	if err := r.writeText(w); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "Report: %s\n", strings.Join(written, ", "))
	return err
}

// writeSummaryJSON writes the merged load summary as indented JSON.
func writeSummaryJSON(w io.Writer, sum *result.Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sum); err != nil {
		return fmt.Errorf("writing the summary: %w", err)
	}
	return nil
}

// writeSummaryFile writes the merged load summary to path (--json FILE).
func writeSummaryFile(path string, sum *result.Summary) error {
	f, err := os.Create(path)
	if err != nil {
		return usagef("--json: %v", err)
	}
	if err := writeSummaryJSON(f, sum); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
