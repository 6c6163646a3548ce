package load

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/schema"
)

func TestParseMix(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    string // Mix.String, or
		wantErr string
	}{
		{"all", "1,2,3,4,5,6,7,8,9,10", ""},
		{"", "1,2,3,4,5,6,7,8,9,10", ""}, // empty is all
		{"3", "3", ""},
		{" 1, 9 ", "1,9", ""},
		{"1:3,9", "1:3,9", ""},
		{"11", "", "1-10"},                   // no such example
		{"one", "", "not an example number"}, // not a number
		{"1,1", "", "twice"},
		{"1:0", "", "weight"},
		{"1:x", "", "weight"},
	} {
		m, err := ParseMix(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseMix(%q) = %v, %v; want an error containing %q", tc.in, m, err, tc.wantErr)
			}
			continue
		}
		if err != nil || m.String() != tc.want {
			t.Errorf("ParseMix(%q) = %q, %v; want %q", tc.in, m.String(), err, tc.want)
		}
	}
}

func TestMixPickInterleaves(t *testing.T) {
	m, _ := ParseMix("1:3,9:2")
	var seq []int
	count := map[int]int{}
	for n := range uint64(10) {
		e := m.Pick(n)
		seq = append(seq, e.Example)
		count[e.Example]++
	}
	if count[1] != 6 || count[9] != 4 {
		t.Fatalf("two cycles of 1:3,9:2 picked %v", count)
	}
	for i := 2; i < len(seq); i++ {
		if seq[i] == 1 && seq[i-1] == 1 && seq[i-2] == 1 {
			t.Fatalf("weights are not interleaved: %v", seq)
		}
	}
}

// TestCreateBodies: every documented request, as a load run sends it, is a
// valid create request (graph/schema, beta) with the run's callback, tenant
// and app, and the documented fixture itself is unchanged.
func TestCreateBodies(t *testing.T) {
	v, err := schema.Load(schema.Beta)
	if err != nil {
		t.Fatal(err)
	}
	vals := BodyValues{CallbackURI: "http://127.0.0.1:1/callback", TenantID: "11111111-2222-3333-4444-555555555555", AppID: "99999999-8888-7777-6666-555555555555"}
	for _, ex := range fixtures.All() {
		before := ex.Request().Canonical()
		body, err := CreateBody(ex, vals)
		if err != nil {
			t.Fatalf("example %d: %v", ex.Number, err)
		}
		for _, viol := range v.Validate(schema.TypeCall, body) {
			t.Errorf("example %d: %s", ex.Number, viol)
		}
		var call graph.Call
		if err := json.Unmarshal(body, &call); err != nil {
			t.Fatalf("example %d: %v", ex.Number, err)
		}
		if call.CallbackURI != vals.CallbackURI {
			t.Errorf("example %d: callbackUri %q", ex.Number, call.CallbackURI)
		}
		if bytes.Contains(body, []byte("63f3esaa1edb")) || bytes.Contains(body, []byte("bot.contoso.com")) {
			t.Errorf("example %d: a documented value the run replaces is still there: %s", ex.Number, body)
		}
		if !bytes.Equal(before, ex.Request().Canonical()) {
			t.Errorf("example %d: the fixture changed", ex.Number)
		}
	}
}

func TestCreateBodyNeedsATenantForExample5(t *testing.T) {
	ex, _ := fixtures.ByNumber(5)
	_, err := CreateBody(ex, BodyValues{CallbackURI: "http://127.0.0.1:1/cb"})
	if err == nil || !strings.Contains(err.Error(), "--tenant-id") || !strings.Contains(err.Error(), "63f3esaa1edb") {
		t.Fatalf("CreateBody(example 5, no tenant) = %v; want an error naming the malformed tenant and --tenant-id", err)
	}
	ex1, _ := fixtures.ByNumber(3)
	if _, err := CreateBody(ex1, BodyValues{}); err != nil {
		t.Fatalf("example 3 keeps its documented (valid) tenant without --tenant-id: %v", err)
	}
}
