package result

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"testing"
)

// FuzzManifest feeds arbitrary manifests to the decoder and the file-name
// check. Invariants: no panic; a manifest whose names pass Check names
// only files inside the run directory.
func FuzzManifest(f *testing.F) {
	for _, seed := range []string{`{"schemaVersion":"callcheck.dev/load-run/v1","kind":"create","shard":"0/1","files":{"results":"results.gob","e2e":"e2e.jsonl"}}`,
		`{"schema":"callcheck.dev/load-run/v1","files":{"results":"../../etc/passwd"}}`, `{"files":{"e2e":"/abs"}}`, `{"shard":"9/1"}`, `[]`, `{"e2e":{"afterRecords":{"x":null}}}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Manifest
		if json.Unmarshal(data, &m) != nil {
			return
		}
		if m.Files.Check() != nil {
			return
		}
		for _, name := range []string{m.Files.Results, m.Files.E2E, m.Files.Hangups} {
			if name != "" && !filepath.IsLocal(name) {
				t.Fatalf("Check let %q through", name)
			}
		}
	})
}

// FuzzRecords feeds arbitrary e2e.jsonl files to the record decoder and
// the tally. Invariants: no panic, no endless loop; a tally never counts
// more lost than expected.
func FuzzRecords(f *testing.F) {
	for _, seed := range []string{`{"seq":1,"callId":"a","scheduled":"2026-01-02T03:04:05Z","outcome":"ok","expected":["established"],"arrivals":{"established":2}}` + "\n",
		`{"outcome":"lost","scheduled":"2026-01-02T03:04:05Z","arrivals":{"other":-3}}`, "\n\n{}", `{"outcome":"ok"`, "[1]\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := NewRecordDecoder(bytes.NewReader(data), "e2e.jsonl")
		for i := 0; i < 1<<16; i++ {
			var r Record
			err := dec.Decode(&r)
			if errors.Is(err, io.EOF) || err != nil {
				return
			}
			for k, c := range r.Tally() {
				if c.Lost > c.Expected {
					t.Fatalf("kind %s: lost %d of %d expected", k, c.Lost, c.Expected)
				}
			}
		}
	})
}

// FuzzSummary feeds arbitrary summaries to the decoder and every metric.
// Invariant: no panic.
func FuzzSummary(f *testing.F) {
	for _, seed := range []string{`{"schemaVersion":"callcheck.dev/load-summary/v1","e2e":{"calls":1,"notifications":{"terminated":{"expected":1,"lost":1}}}}`,
		`{"e2e":{"notifications":{"x":null}}}`, `{"requests":{"count":0}}`, `null`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Summary
		if json.Unmarshal(data, &s) != nil {
			return
		}
		for _, m := range Metrics() {
			s.Value(m, false)
			s.Value(m, true)
		}
	})
}
