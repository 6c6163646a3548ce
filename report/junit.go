package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// JUnit XML, the common subset CI systems read (Jenkins/Surefire schema):
// testsuites > testsuite > testcase with failure, error or skipped. A test
// case an interrupt kept from running is an error (type "interrupted"), so a
// CI system that gates on JUnit never reads an interrupted run as green, and
// its suite carries the property interrupted=true.

// JUnitSuites is the root element.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr,omitempty"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one testsuite element.
type JUnitSuite struct {
	Name      string `xml:"name,attr"`
	Tests     int    `xml:"tests,attr"`
	Failures  int    `xml:"failures,attr"`
	Errors    int    `xml:"errors,attr"`
	Skipped   int    `xml:"skipped,attr"`
	Time      string `xml:"time,attr"`
	Timestamp string `xml:"timestamp,attr,omitempty"`
	// Properties are name/value pairs about the suite (interrupted=true).
	Properties *JUnitProperties `xml:"properties,omitempty"`
	Cases      []JUnitCase      `xml:"testcase"`
}

// JUnitProperties is a suite's properties element.
type JUnitProperties struct {
	Property []JUnitProperty `xml:"property"`
}

// JUnitProperty is one property of a suite.
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is one testcase element.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *JUnitFailure `xml:"failure,omitempty"`
	Error     *JUnitFailure `xml:"error,omitempty"`
	Skipped   *JUnitSkipped `xml:"skipped,omitempty"`
}

// JUnitFailure describes a failed testcase.
type JUnitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// JUnitSkipped describes a skipped (or not supported) testcase.
type JUnitSkipped struct {
	Message string `xml:"message,attr"`
}

// NewJUnitCase builds a testcase from a verdict: failed becomes a failure
// carrying the evidence, not-supported and skipped become skipped with reason.
func NewJUnitCase(class, name string, v Verdict, d time.Duration, reason string, ev []Evidence) JUnitCase {
	c := JUnitCase{Name: name, ClassName: class, Time: seconds(d)}
	switch v {
	case Failed:
		c.Failure = &JUnitFailure{Message: firstMessage(ev, reason), Type: "contract", Text: EvidenceText(ev)}
	case NotSupported:
		c.Skipped = &JUnitSkipped{Message: "not supported: " + reason}
	case Skipped:
		c.Skipped = &JUnitSkipped{Message: "skipped: " + reason}
	}
	return c
}

// NewInterruptedCase is the testcase of something an interrupt stopped or
// kept from running: an error of type "interrupted" carrying why.
func NewInterruptedCase(class, name string, d time.Duration, reason string) JUnitCase {
	return JUnitCase{Name: name, ClassName: class, Time: seconds(d), Error: &JUnitFailure{Message: reason, Type: "interrupted",
		Text: "The run was interrupted (SIGINT or SIGTERM) before this ran to a verdict; it says nothing about the target."}}
}

// AddSuite appends a suite and updates the totals of s and of the suite;
// props become the suite's properties.
func (s *JUnitSuites) AddSuite(name string, start time.Time, d time.Duration, cases []JUnitCase, props ...JUnitProperty) {
	suite := JUnitSuite{Name: name, Time: seconds(d), Cases: cases}
	if len(props) > 0 {
		suite.Properties = &JUnitProperties{Property: props}
	}
	if !start.IsZero() {
		suite.Timestamp = start.UTC().Format(time.RFC3339)
	}
	for _, c := range cases {
		suite.Tests++
		if c.Failure != nil {
			suite.Failures++
		}
		if c.Error != nil {
			suite.Errors++
		}
		if c.Skipped != nil {
			suite.Skipped++
		}
	}
	s.Suites = append(s.Suites, suite)
	s.Tests += suite.Tests
	s.Failures += suite.Failures
	s.Errors += suite.Errors
	s.Skipped += suite.Skipped
}

// Write writes the document with an XML header.
func (s *JUnitSuites) Write(w io.Writer) error {
	var total time.Duration
	for _, su := range s.Suites {
		var f float64
		fmt.Sscanf(su.Time, "%g", &f)
		total += time.Duration(f * float64(time.Second))
	}
	s.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// EvidenceText renders evidence as plain text lines, one field per line.
func EvidenceText(ev []Evidence) string {
	var b strings.Builder
	for i, e := range ev {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Message + "\n")
		for _, kv := range [][2]string{{"expected", e.Expected}, {"got", e.Got}, {"pointer", e.Pointer},
			{"request-id", e.RequestID}, {"excerpt", e.Excerpt}, {"documentation", e.DocQuote}, {"source", e.Source},
			{"basis", string(e.Basis) + warnSuffix(e.Warning)}, {"field report", e.URL}} {
			if kv[1] != "" {
				fmt.Fprintf(&b, "  %s: %s\n", kv[0], kv[1])
			}
		}
	}
	return b.String()
}

func firstMessage(ev []Evidence, fallback string) string {
	if len(ev) > 0 {
		return ev[0].Message
	}
	return fallback
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
