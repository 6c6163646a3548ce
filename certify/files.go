package certify

import (
	"fmt"
	"io"
	"time"

	"github.com/callcheck/callcheck/report"
)

// The files WriteFiles writes.
const (
	FileJSON     = "certificate.json"
	FileMarkdown = "certificate.md"
	FileJUnit    = "certificate.junit.xml"
	FileHTML     = "certificate.html"
)

// certificateFiles are the files WriteFiles writes, in order.
var certificateFiles = []report.File{
	{Format: report.FormatJSON, Name: FileJSON},
	{Format: report.FormatMarkdown, Name: FileMarkdown},
	{Format: report.FormatJUnit, Name: FileJUnit},
	{Format: report.FormatHTML, Name: FileHTML},
}

// Outputs is the certificate in every form report writes: the document, its
// JUnit suites and its page.
func Outputs(c *report.Certificate) report.Result {
	return report.Result{Document: c, JUnit: JUnit(c), Page: certificatePage(c)}
}

// WriteFiles writes the certificate to dir (made if missing) as JSON
// (report.Certificate, the document a vendor hands to customers), Markdown,
// JUnit XML and a self-contained HTML page, with report.WriteAll. It returns
// the paths written.
func WriteFiles(dir string, c *report.Certificate) ([]string, error) {
	paths, err := report.WriteAll(dir, Outputs(c), certificateFiles...)
	if err != nil {
		return paths, fmt.Errorf("certify: %w", err)
	}
	return paths, nil
}

// WriteJUnit writes the certificate as JUnit XML (JUnit).
func WriteJUnit(w io.Writer, c *report.Certificate) error { return JUnit(c).Write(w) }

// JUnit converts the certificate into JUnit XML suites: one suite per group,
// one case per check; a warning passes, a skipped check is skipped.
func JUnit(c *report.Certificate) *report.JUnitSuites {
	suites := &report.JUnitSuites{Name: "callcheck certify-bot: " + c.Bot.Name + " " + c.Bot.Version}
	for _, group := range []string{GroupOutbound, GroupInbound, GroupRobustness, GroupNegative} {
		var cases []report.JUnitCase
		var total time.Duration
		for _, ch := range c.Checks {
			if ch.Group != group {
				continue
			}
			reason := ""
			if len(ch.Evidence) > 0 {
				reason = ch.Evidence[0].Message
			}
			class := "certify-bot." + group
			if ch.Requirement == report.RequirementRecommended {
				class += ".recommended" // a recommendation not met is a warning: the case passes
			}
			if c.Interrupted && ch.Verdict == report.Skipped && reason == ReasonInterrupted {
				cases = append(cases, report.NewInterruptedCase(class, ch.ID, time.Duration(ch.Duration), reason))
			} else {
				cases = append(cases, report.NewJUnitCase(class, ch.ID, ch.Verdict, time.Duration(ch.Duration), reason, ch.Evidence))
			}
			total += time.Duration(ch.Duration)
		}
		if len(cases) > 0 {
			suites.AddSuite(group, c.IssuedAt, total, cases, interruptedProps(c)...)
		}
	}
	if c.Interrupted && suites.Errors == 0 {
		// Nothing the interrupt stopped was a check of its own: the run
		// itself is the error a CI gate reads.
		suites.AddSuite("run", c.IssuedAt, 0, []report.JUnitCase{report.NewInterruptedCase("certify-bot.run", "certify-bot",
			0, ReasonInterrupted+": the checks after the last one shown were never made")}, interruptedProps(c)...)
	}
	return suites
}

// interruptedProps are the suite properties of an interrupted certificate.
func interruptedProps(c *report.Certificate) []report.JUnitProperty {
	if !c.Interrupted {
		return nil
	}
	return []report.JUnitProperty{{Name: "interrupted", Value: "true"}, {Name: "verdict", Value: string(c.Verdict)}}
}

// certificatePage is the certificate as a page of one section
// (report.CertificateSection: the verdict, how to reproduce it, and every
// check by group with evidence), Markdown or HTML (report.Render of Outputs).
func certificatePage(c *report.Certificate) *report.Page {
	return &report.Page{Harness: c.Harness.Name + " " + c.Harness.Version, Generated: c.IssuedAt,
		Sections: []report.Section{report.CertificateSection(c)}}
}
