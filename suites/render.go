package suites

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/callcheck/callcheck/report"
)

// The files WriteOutputs writes into a directory.
const (
	FileConformance = "conformance.json" // report.Conformance
	FileJUnit       = "junit.xml"        // one testsuite for the examples, one for the negative contracts
	FileSummary     = "summary.md"       // the Markdown summary
	FileHTML        = "conformance.html" // the self-contained HTML page
	FileGinkgoJSON  = "ginkgo-report.json"
)

// verdictMark is a one-character mark of a verdict.
func verdictMark(v report.Verdict) string {
	switch v {
	case report.Passed:
		return "✓"
	case report.Failed:
		return "✗"
	case report.NotSupported:
		return "○"
	case report.Warning:
		return "!"
	}
	return "–"
}

// verdictWord is a verdict as the summary table shows it.
func verdictWord(v report.Verdict) string {
	switch v {
	case report.Failed:
		return verdictMark(v) + " FAILED"
	case report.NotSupported:
		return verdictMark(v) + " not supported"
	}
	return verdictMark(v) + " " + string(v)
}

// tableNote is what the summary table says beside a contract that did not
// pass or fail: why.
func tableNote(r report.ContractResult) string {
	if r.Verdict == report.NotSupported || r.Verdict == report.Skipped {
		return truncate(r.Reason, 70)
	}
	return ""
}

// plural picks the word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// formatDuration rounds d for people: 1.2s, 45ms; "–" for none.
func formatDuration(d time.Duration) string {
	switch {
	case d <= 0: // not measured (a run stopped before it ended), never negative
		return "–"
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// WriteSummary writes the report as a table for a terminal: one row per
// contract (number, title, verdict, duration), the reason of every contract
// not supported or skipped, the first evidence of every failure, the errata
// cited and the totals.
func WriteSummary(w io.Writer, rep *report.Conformance) error {
	fmt.Fprintf(w, "\ncallcheck conformance: %s (%s, %s, auth %s)\n", rep.Target.BaseURL, rep.Target.Kind, rep.Target.APIVersion, rep.Target.Auth)
	fmt.Fprintf(w, "claimed features: %s\n\n", strings.Join(rep.ClaimedFeatures, ", "))
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tdocumented example\tverdict\ttime\terrata\t")
	for _, r := range rep.Examples {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%d\t%s\n", r.Example, truncate(r.Title, 62), verdictWord(r.Verdict),
			formatDuration(time.Duration(r.Duration)), len(r.Errata), tableNote(r))
	}
	fmt.Fprintln(tw, "\t\t\t\t\t")
	fmt.Fprintln(tw, "  \tnegative contract\tverdict\ttime\t\t")
	for _, r := range rep.Negative {
		fmt.Fprintf(tw, "  \t%s\t%s\t%s\t\t%s\n", truncate(r.Title, 62), verdictWord(r.Verdict), formatDuration(time.Duration(r.Duration)), tableNote(r))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimRight(table.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	writeNotes(w, rep)
	s := rep.Summary
	if len(rep.Undeleted) > 0 {
		fmt.Fprintf(w, "\n%s\n", report.UndeletedSentence(rep.Undeleted))
	}
	head := strings.ToUpper(string(rep.Verdict)) + ":"
	if rep.Interrupted {
		fmt.Fprintf(w, "\n%s\n", report.InterruptedSentence(len(rep.NotRun), len(rep.Examples)+len(rep.Negative), "contracts", rep.NotRun))
		head = fmt.Sprintf("INTERRUPTED: %d contracts not run;", len(rep.NotRun))
	}
	fmt.Fprintf(w, "\n%s %d passed, %d failed, %d not supported, %d skipped%s in %s\n", head,
		s.Passed, s.Failed, s.NotSupported, s.Skipped, extraCounts(s), formatDuration(rep.FinishedAt.Sub(rep.StartedAt)))
	return nil
}

// extraCounts names the warnings, retries, duplicated notifications and
// stray requests of a run, when there are any.
func extraCounts(s report.Summary) string {
	var parts []string
	for _, c := range []struct {
		n         int
		one, many string
	}{{s.Warnings, "warning", "warnings"}, {s.Retries, "retry", "retries"},
		{s.Duplicates, "duplicated notification", "duplicated notifications"}, {s.Stray, "stray request", "stray requests"},
		{s.UnknownCalls, "notification for an unknown call", "notifications for unknown calls"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, plural(c.n, c.one, c.many)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

// writeNotes lists why contracts did not pass, and the errata cited.
func writeNotes(w io.Writer, rep *report.Conformance) {
	all := append(append([]report.ContractResult{}, rep.Examples...), rep.Negative...)
	var notes []string
	for _, r := range all {
		switch r.Verdict {
		case report.Failed:
			notes = append(notes, fmt.Sprintf("  %s %s: %s", verdictMark(r.Verdict), r.ID, firstFailure(r)))
		case report.Warning:
			notes = append(notes, fmt.Sprintf("  %s %s: %s", verdictMark(r.Verdict), r.ID, firstWarning(r)))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\n%s\n", strings.Join(notes, "\n"))
	}
	if len(rep.Errata) > 0 {
		fmt.Fprintf(w, "\nerrata cited: %d %s of the documented examples, each read the consistent way (see conformance.json, docs/errata.md)\n",
			len(rep.Errata), plural(len(rep.Errata), "defect", "defects"))
	}
}

// firstWarning names the first warning and its basis.
func firstWarning(r report.ContractResult) string {
	for _, st := range r.Steps {
		for _, ev := range st.Evidence {
			if ev.Warning {
				return fmt.Sprintf("step %s: %s [%s; warning only: not strict]", st.Name, ev.Message, ev.Basis)
			}
		}
	}
	return "a warning"
}

// firstFailure names the first failed step and its first evidence.
func firstFailure(r report.ContractResult) string {
	for _, s := range r.Steps {
		if s.Verdict != report.Failed {
			continue
		}
		if len(s.Evidence) == 0 {
			return "step " + s.Name + " failed"
		}
		ev := s.Evidence[0]
		msg := fmt.Sprintf("step %s: %s", s.Name, ev.Message)
		if ev.Expected != "" || ev.Got != "" {
			msg += fmt.Sprintf(" (expected %s; got %s)", ev.Expected, ev.Got)
		}
		if more := len(s.Evidence) - 1; more > 0 {
			msg += fmt.Sprintf(" and %d more", more)
		}
		return truncate(msg, 400)
	}
	return "failed"
}

// conformancePage is the report as a page of one section
// (report.ConformanceSection: the matrix of examples × steps, the negative
// contracts, each failure's evidence and the errata cited), Markdown or HTML
// (report.Render of Outputs).
func conformancePage(rep *report.Conformance) *report.Page {
	return &report.Page{Harness: rep.Harness.Name + " " + rep.Harness.Version, Generated: rep.FinishedAt,
		Sections: []report.Section{report.ConformanceSection(rep)}}
}

func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// JUnit converts the report into JUnit XML suites: one for the documented
// examples, one for the negative contracts; not supported and skipped
// contracts are skipped test cases with their reason.
func JUnit(rep *report.Conformance) *report.JUnitSuites {
	out := &report.JUnitSuites{Name: "callcheck conformance"}
	for _, group := range []struct {
		name string
		rs   []report.ContractResult
	}{{"documented examples", rep.Examples}, {"negative contracts", rep.Negative}} {
		var cases []report.JUnitCase
		var total time.Duration
		for _, r := range group.rs {
			var evs []report.Evidence
			for _, s := range r.Steps {
				if s.Verdict == report.Failed {
					evs = append(evs, s.Evidence...)
				}
			}
			class := "callcheck." + strings.ReplaceAll(group.name, " ", "_")
			if rep.Interrupted && r.Reason == reasonInterrupted {
				cases = append(cases, report.NewInterruptedCase(class, r.ID, time.Duration(r.Duration), r.Reason))
			} else {
				cases = append(cases, report.NewJUnitCase(class, r.ID, r.Verdict, time.Duration(r.Duration), r.Reason, evs))
			}
			total += time.Duration(r.Duration)
		}
		var props []report.JUnitProperty
		if rep.Interrupted {
			props = append(props, report.JUnitProperty{Name: "interrupted", Value: "true"},
				report.JUnitProperty{Name: "verdict", Value: string(rep.Verdict)})
		}
		out.AddSuite(group.name, rep.StartedAt, total, cases, props...)
	}
	return out
}

// outputFiles are the files WriteOutputs writes, in order.
var outputFiles = []report.File{
	{Format: report.FormatJSON, Name: FileConformance},
	{Format: report.FormatJUnit, Name: FileJUnit},
	{Format: report.FormatMarkdown, Name: FileSummary},
	{Format: report.FormatHTML, Name: FileHTML},
}

// Outputs is the report in every form report writes: the document, its JUnit
// suites, its page and the terminal summary (WriteSummary).
func Outputs(rep *report.Conformance) report.Result {
	return report.Result{Document: rep, JUnit: JUnit(rep), Page: conformancePage(rep),
		Text: func(w io.Writer) error { return WriteSummary(w, rep) }}
}

// WriteOutputs writes conformance.json, junit.xml, summary.md and
// conformance.html into dir (made if needed) with report.WriteAll, and
// returns the paths written. Ginkgo's JSON report is written by Run itself
// (GinkgoSettings.JSONReport).
func WriteOutputs(dir string, rep *report.Conformance) ([]string, error) {
	return report.WriteAll(dir, Outputs(rep), outputFiles...)
}
