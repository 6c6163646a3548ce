package suites

import (
	"fmt"
	"strings"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/report"
)

// maxExcerpt bounds the body excerpt an Evidence carries.
const maxExcerpt = 600

// redact removes credentials from text (identity.Redact).
func redact(s string) string { return identity.Redact(s) }

// excerpt returns a bounded, redacted excerpt of a body.
func excerpt(body []byte) string {
	s := strings.TrimSpace(string(body))
	if !utf8Valid(s) {
		return fmt.Sprintf("(%d bytes, not UTF-8 text)", len(body))
	}
	return truncate(redact(s), maxExcerpt)
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// evidence builds an Evidence for a failed check.
func evidence(src Source, msg, expected, got string) report.Evidence {
	return report.Evidence{Message: msg, Expected: expected, Got: redact(got), DocQuote: src.Quote, Source: src.String(),
		Basis: src.Basis, URL: src.URL}
}

// soft reports whether a finding only warns in this run: an inferred check
// against a remote target that is not run strictly.
func soft(strict bool, ev report.Evidence) bool {
	return !strict && ev.Basis == report.BasisInferred
}

// withResponse adds the response's request-id and a body excerpt.
func withResponse(ev report.Evidence, r *response) report.Evidence {
	if r == nil {
		return ev
	}
	ev.RequestID = r.RequestID()
	if ev.Excerpt == "" && len(r.Body) > 0 {
		ev.Excerpt = excerpt(r.Body)
	}
	return ev
}

// findings collects the evidence of the checks of one step, so a step
// reports everything wrong at once instead of only the first thing.
type findings struct {
	list []report.Evidence
}

// add records a failed check.
func (f *findings) add(ev report.Evidence) { f.list = append(f.list, ev) }

// addf records a failed check with a formatted message.
func (f *findings) addf(src Source, expected, got, format string, args ...any) {
	f.add(evidence(src, fmt.Sprintf(format, args...), expected, got))
}

// empty reports whether every check passed.
func (f *findings) empty() bool { return len(f.list) == 0 }

// summary is the failure message: each finding on a line.
func summarize(evs []report.Evidence) string {
	var b strings.Builder
	for i, ev := range evs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(ev.Message)
		if ev.Expected != "" || ev.Got != "" {
			fmt.Fprintf(&b, " (expected %s; got %s)", ev.Expected, ev.Got)
		}
		if ev.Source != "" {
			fmt.Fprintf(&b, " [%s]", ev.Source)
		}
	}
	return b.String()
}
