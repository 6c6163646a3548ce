package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func TestWorst(t *testing.T) {
	for _, tc := range []struct {
		in   []Verdict
		want Verdict
	}{
		{nil, Skipped}, // nothing ran
		{[]Verdict{Passed, NotSupported}, Passed},        // an unclaimed feature does not taint a pass
		{[]Verdict{Passed, Warning}, Warning},            // a warning outranks a pass
		{[]Verdict{Warning, Failed, Passed}, Failed},     // any failure fails
		{[]Verdict{NotSupported, Skipped}, NotSupported}, // not supported is reported, not hidden as skipped
	} {
		if got := Worst(tc.in...); got != tc.want {
			t.Errorf("Worst(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestReadDocumentsCheckSchemaVersion(t *testing.T) {
	var buf bytes.Buffer
	c := Conformance{SchemaVersion: ConformanceSchema, Verdict: Passed, Examples: []ContractResult{{ID: "x", Duration: Duration(1500 * time.Millisecond)}}}
	if err := WriteJSON(&buf, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"duration": "1.5s"`) {
		t.Errorf("duration not encoded as a string: %s", buf.String())
	}
	got, err := ReadConformance(bytes.NewReader(buf.Bytes()))
	if err != nil || got.Examples[0].Duration != Duration(1500*time.Millisecond) {
		t.Fatalf("ReadConformance = %+v, %v", got, err)
	}
	if _, err := ReadCertificate(bytes.NewReader(buf.Bytes())); err == nil || !strings.Contains(err.Error(), ConformanceSchema) {
		t.Errorf("a conformance report was read as a certificate: %v", err)
	}
	if _, err := ReadConformance(strings.NewReader(`{"schemaVersion":"callcheck.dev/conformance/v1","startedAt":"x"}`)); err == nil {
		t.Errorf("a bad timestamp was accepted")
	}
}

func TestJUnit(t *testing.T) {
	var s JUnitSuites
	ev := []Evidence{{Message: "state is not establishing", Expected: "establishing", Got: "established", RequestID: "r-1"}}
	s.AddSuite("conformance", time.Time{}, 2*time.Second, []JUnitCase{
		NewJUnitCase("callcheck", "example01", Passed, time.Second, "", nil),
		NewJUnitCase("callcheck", "example02", Failed, time.Second, "", ev),
		NewJUnitCase("callcheck", "example09", NotSupported, 0, "target does not claim pstn", nil),
	})
	var buf bytes.Buffer
	if err := s.Write(&buf); err != nil {
		t.Fatal(err)
	}
	var back JUnitSuites
	if err := xml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	if back.Tests != 3 || back.Failures != 1 || back.Skipped != 1 || back.Time != "2.000" {
		t.Errorf("totals = %d tests %d failures %d skipped time %s", back.Tests, back.Failures, back.Skipped, back.Time)
	}
	f := back.Suites[0].Cases[1].Failure
	if f == nil || f.Message != "state is not establishing" || !strings.Contains(f.Text, "request-id: r-1") {
		t.Errorf("failure = %+v", f)
	}
	if sk := back.Suites[0].Cases[2].Skipped; sk == nil || !strings.Contains(sk.Message, "not supported") {
		t.Errorf("not-supported case = %+v", sk)
	}
}
