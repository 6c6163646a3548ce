package certify

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// WriteFiles writes the certificate to dir (made if missing) as JSON
// (report.Certificate, the document a vendor hands to customers), Markdown,
// JUnit XML and a self-contained HTML page. It returns the paths written.
func WriteFiles(dir string, c *report.Certificate) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("certify: %w", err)
	}
	writers := []struct {
		name  string
		write func(io.Writer, *report.Certificate) error
	}{
		{FileJSON, func(w io.Writer, c *report.Certificate) error { return report.WriteJSON(w, c) }},
		{FileMarkdown, WriteMarkdown},
		{FileJUnit, WriteJUnit},
		{FileHTML, WriteHTML},
	}
	var paths []string
	for _, wr := range writers {
		var buf bytes.Buffer
		if err := wr.write(&buf, c); err != nil {
			return paths, fmt.Errorf("certify: render %s: %w", wr.name, err)
		}
		p := filepath.Join(dir, wr.name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			return paths, fmt.Errorf("certify: %w", err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// WriteJUnit writes the certificate as JUnit XML: one suite per group, one
// case per check; a warning passes, a skipped check is skipped.
func WriteJUnit(w io.Writer, c *report.Certificate) error {
	suites := report.JUnitSuites{Name: "callcheck certify-bot: " + c.Bot.Name + " " + c.Bot.Version}
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
			cases = append(cases, report.NewJUnitCase("certify-bot."+group, ch.ID, ch.Verdict, time.Duration(ch.Duration), reason, ch.Evidence))
			total += time.Duration(ch.Duration)
		}
		if len(cases) > 0 {
			suites.AddSuite(group, c.IssuedAt, total, cases)
		}
	}
	return suites.Write(w)
}

// WriteMarkdown writes the certificate as Markdown (report.CertificateSection):
// the verdict, how to reproduce it, and every check by group with evidence.
func WriteMarkdown(w io.Writer, c *report.Certificate) error {
	return certificatePage(c).WriteMarkdown(w)
}

// WriteHTML writes the certificate as one self-contained HTML page.
func WriteHTML(w io.Writer, c *report.Certificate) error {
	return certificatePage(c).WriteHTML(w)
}

func certificatePage(c *report.Certificate) *report.Page {
	return &report.Page{Harness: c.Harness.Name + " " + c.Harness.Version, Generated: c.IssuedAt,
		Sections: []report.Section{report.CertificateSection(c)}}
}
