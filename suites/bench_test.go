package suites

import (
	"net/http"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/internal/jsonptr"
)

// BenchmarkFillRequest fills the ten documented requests (decode the
// canonical JSON, replace every documented value, apply the readings).
func BenchmarkFillRequest(b *testing.B) {
	v := DocumentedValues()
	exs := fixtures.All()
	b.ReportAllocs()
	for b.Loop() {
		for _, ex := range exs {
			c, _ := ContractByID(ex.Name())
			if _, err := fillRequest(ex, v, "https://cb.example/callback", c.Readings); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// documentedRun is an exampleRun judging example n's documented response
// against its request filled with the page's own values: what the response
// checks see when a target answers exactly as the page shows.
func documentedRun(t testing.TB, n int) *exampleRun {
	t.Helper()
	ex, _ := fixtures.ByNumber(n)
	resp, err := ex.Block(fixtures.BlockResponse)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := ContractByID(ex.Name())
	sent, err := fillRequest(ex, DocumentedValues(), "https://bot.contoso.com/callback", c.Readings)
	if err != nil {
		t.Fatal(err)
	}
	v, err := schema.Load(schema.Beta)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := resp.Header("Location")
	call := decodeBlock(resp)
	if jsonptr.String(call, "/mediaConfig/blob") == fixtures.MediaSessionPlaceholder { // the response's placeholder stands for the blob sent
		jsonptr.Set(call, "/mediaConfig/blob", jsonptr.String(sent, "/mediaConfig/blob"))
	}
	env := &environment{schema: v, values: DocumentedValues(), baseURL: "https://graph.microsoft.com/beta"}
	return &exampleRun{spec: &spec{env: env}, ex: ex, sent: sent, call: call, id: jsonptr.String(call, "/id"),
		resp: &response{Status: resp.Status, Body: encodeJSON(call), Header: http.Header{"Location": {loc}}}}
}

// responseFindings runs the response step's body checks.
func (r *exampleRun) responseFindings() *findings {
	var f findings
	for _, check := range []func(*findings){r.checkSchema, r.checkInvariants, r.checkLocation, r.checkEchoes, r.checkProperties} {
		check(&f)
	}
	return &f
}

// BenchmarkResponseChecks judges a full create response (Example 5's
// documented response, the longest): schema, invariants, Location, echoes
// and properties, as the response step does.
func BenchmarkResponseChecks(b *testing.B) {
	r := documentedRun(b, 5)
	b.ReportAllocs()
	for b.Loop() {
		if f := r.responseFindings(); !f.empty() {
			b.Fatal(summarize(f.list))
		}
	}
}

// BenchmarkEchoMismatches compares a filled request with itself.
func BenchmarkEchoMismatches(b *testing.B) {
	ex, _ := fixtures.ByNumber(8)
	sent, err := fillRequest(ex, DocumentedValues(), "https://cb", nil)
	if err != nil {
		b.Fatal(err)
	}
	got := cloneJSON(sent)
	b.ReportAllocs()
	for b.Loop() {
		if ms := echoMismatches("", sent, got); len(ms) != 0 {
			b.Fatal(ms)
		}
	}
}
