package result

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSchemaVersionOf(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"current name", `{"schemaVersion":"callcheck.dev/load-run/v1","kind":"create"}`, ManifestSchema},
		{"older name of load results", `{"schema":"callcheck.dev/load-summary/v1"}`, SummarySchema},
		// the errata document has both: schema is what its bodies were validated against
		{"both: schemaVersion wins", `{"schemaVersion":"callcheck.errata/v1","schema":"graph/schema beta"}`, "callcheck.errata/v1"},
		{"none", `{"kind":"create"}`, ""},
		{"not JSON (a gob results file)", "\x0e\xff\x81\x03\x01", ""},
		{"first value only", `{"schemaVersion":"a"} {"schemaVersion":"b"}`, "a"},
	} {
		if got := SchemaVersionOf(strings.NewReader(tc.in)); got != tc.want {
			t.Errorf("%s: SchemaVersionOf(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// TestManifestSchemaVersion: a manifest is written with schemaVersion alone,
// and a manifest of an earlier version (schema) still reads.
func TestManifestSchemaVersion(t *testing.T) {
	dir := t.TempDir()
	if err := WriteManifest(dir, &Manifest{SchemaVersion: ManifestSchema, Kind: "create", Shard: Whole}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	if _, old := raw["schema"]; old || raw["schemaVersion"] != ManifestSchema {
		t.Errorf("manifest.json: schemaVersion %v, schema present %v; want schemaVersion %q alone", raw["schemaVersion"], old, ManifestSchema)
	}
	old := `{"schema":"callcheck.dev/load-run/v1","kind":"create","shard":"1/2","duration":"2s"}`
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(dir)
	if err != nil || m.SchemaVersion != ManifestSchema || m.Shard != (Shard{1, 2}) {
		t.Fatalf("ReadManifest of an older manifest = %+v, %v", m, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte(`{"schemaVersion":"callcheck.dev/load-run/v9","shard":"0/1"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), "v9") {
		t.Errorf("ReadManifest of an unknown version: %v, want an error naming it", err)
	}
}

// TestOlderDocumentsRead: a summary and a capacity result of an earlier
// version (schema) read with their version.
func TestOlderDocumentsRead(t *testing.T) {
	var s Summary
	if err := json.Unmarshal([]byte(`{"schema":"callcheck.dev/load-summary/v1","runs":[{"schema":"callcheck.dev/load-run/v1","shard":"0/1"}],"passed":true}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.SchemaVersion != SummarySchema || len(s.Runs) != 1 || s.Runs[0].SchemaVersion != ManifestSchema || !s.Passed {
		t.Errorf("older summary read as %+v", s)
	}
	path := filepath.Join(t.TempDir(), CapacityFile)
	if err := os.WriteFile(path, []byte(`{"schema":"callcheck.dev/load-capacity/v1","capacity":150,"stepDuration":"1s"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := ReadCapacity(path)
	if err != nil || c.SchemaVersion != CapacitySchema || c.Capacity != 150 || c.StepDuration.String() != "1s" {
		t.Fatalf("ReadCapacity of an older result = %+v, %v", c, err)
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), `"schema"`) || !strings.Contains(string(data), `"schemaVersion":"`+CapacitySchema+`"`) {
		t.Errorf("capacity result written as %s, want schemaVersion alone", data)
	}
}

func TestDurationJSON(t *testing.T) {
	data, err := json.Marshal(struct{ D Duration }{Duration(1500e6)})
	if err != nil || string(data) != `{"D":"1.5s"}` {
		t.Fatalf("Marshal = %s, %v", data, err)
	}
	var v struct{ D Duration }
	if err := json.Unmarshal([]byte(`{"D":"250ms"}`), &v); err != nil || v.D != Duration(250e6) {
		t.Errorf("Unmarshal = %v, %v", v.D, err)
	}
	for _, bad := range []string{`{"D":250}`, `{"D":"soon"}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil || !strings.Contains(err.Error(), "duration") {
			t.Errorf("Unmarshal(%s) = %v, want an error naming the duration", bad, err)
		}
	}
}
