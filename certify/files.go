package certify

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/callcheck/callcheck/report"
)

// The files WriteFiles writes.
const (
	FileJSON     = "certificate.json"
	FileMarkdown = "certificate.md"
	FileJUnit    = "certificate.junit.xml"
)

// WriteFiles writes the certificate to dir (made if missing) as JSON
// (report.Certificate, the document a vendor hands to customers), Markdown
// and JUnit XML. It returns the paths written.
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

// WriteMarkdown writes the certificate as Markdown: the verdict, what was
// certified and how to reproduce it, a table of every check, then the
// evidence of each check that did not simply pass.
func WriteMarkdown(w io.Writer, c *report.Certificate) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Bot certificate: %s %s\n\n", mdText(c.Bot.Name), mdText(c.Bot.Version))
	fmt.Fprintf(&b, "**Verdict: %s** — %d passed, %d warnings, %d failed, %d skipped, %d not supported.\n\n",
		strings.ToUpper(string(c.Verdict)), c.Summary.Passed, c.Summary.Warnings, c.Summary.Failed, c.Summary.Skipped, c.Summary.NotSupported)
	fmt.Fprintf(&b, "| | |\n|---|---|\n| Issued | %s |\n| Harness | %s %s |\n| Fixtures | `%s` |\n| Seed | %d |\n| Scenarios | %s |\n\n",
		c.IssuedAt.UTC().Format(time.RFC3339), c.Harness.Name, c.Harness.Version, c.Harness.FixturesDigest, c.Seed, scenariosOf(c))
	fmt.Fprintf(&b, "Reproduce:\n\n```sh\n%s\n```\n\n", c.Reproduce)
	b.WriteString("## Checks\n\n| verdict | check | what |\n|---|---|---|\n")
	for _, ch := range c.Checks {
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", ch.Verdict, ch.ID, mdText(ch.Title))
	}
	writeDetails(&b, c)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeDetails writes the evidence of every check that did not simply pass.
func writeDetails(b *strings.Builder, c *report.Certificate) {
	first := true
	for _, ch := range c.Checks {
		if ch.Verdict == report.Passed || len(ch.Evidence) == 0 {
			continue
		}
		if first {
			b.WriteString("\n## Findings\n")
			first = false
		}
		fmt.Fprintf(b, "\n### `%s` — %s\n\n", ch.ID, ch.Verdict)
		for _, ev := range ch.Evidence {
			fmt.Fprintf(b, "- %s\n", mdText(ev.Message))
			for _, kv := range [][2]string{{"expected", ev.Expected}, {"got", ev.Got}, {"pointer", ev.Pointer},
				{"request-id", ev.RequestID}, {"excerpt", ev.Excerpt}, {"documentation", ev.DocQuote}, {"source", ev.Source}} {
				if kv[1] != "" {
					fmt.Fprintf(b, "  - %s: %s\n", kv[0], mdCode(kv[1]))
				}
			}
		}
	}
}

// scenariosOf lists the scenarios the certificate's checks are about.
func scenariosOf(c *report.Certificate) string {
	var keys []string
	for _, ch := range c.Checks {
		if ch.Group == GroupOutbound && ch.Scenario != "" && !slices.Contains(keys, ch.Scenario) {
			keys = append(keys, ch.Scenario)
		}
	}
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}

// mdText escapes text for a Markdown table cell or list item.
func mdText(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// mdCode renders s as inline code, whatever backticks it holds.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + " " + s + " " + fence
}
