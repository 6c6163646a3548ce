package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/callcheck/callcheck/graph/schema/internal/derive"
)

// TestDerivedUpToDate re-runs the derivation in memory from the upstream copies and fails when the
// committed documents differ (drift): the generator or the upstream copies changed without go generate.
func TestDerivedUpToDate(t *testing.T) {
	in, err := derive.ReadInputs(os.DirFS("upstream"))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := derive.DeriveAll(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []Version{Beta, V1} {
		committed, err := Derived(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(docs[string(v)], committed) {
			line := firstDifferentLine(docs[string(v)], committed)
			t.Errorf("derived/%s.json differs from the derivation from line %d: run go generate ./graph/schema and commit", v, line)
		}
	}
}

func firstDifferentLine(a, b []byte) int {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(la), len(lb)) {
		if !bytes.Equal(la[i], lb[i]) {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}

// TestDerivedRecordsProvenance checks that each derived document records the upstream files' digests, the
// generator's version and every fix, as the brief requires.
func TestDerivedRecordsProvenance(t *testing.T) {
	for _, tc := range []struct {
		version Version
		slice   derive.Upstream
	}{
		{Beta, derive.SliceBeta}, // beta: the beta slice and the v1.0 CSDL
		{V1, derive.SliceV1},     // v1.0: the v1.0 slice and the v1.0 CSDL
	} {
		data, err := Derived(tc.version)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Info struct {
				Version   string                           `json:"version"`
				Generator map[string]string                `json:"x-callcheck-generator"`
				Upstream  []derive.Upstream                `json:"x-callcheck-upstream"`
				Fixes     []struct{ ID, What, Why string } `json:"x-callcheck-fixes"`
			} `json:"info"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Info.Version != string(tc.version) || doc.Info.Generator["version"] != derive.GeneratorVersion {
			t.Errorf("%s: info.version %q, generator %v", tc.version, doc.Info.Version, doc.Info.Generator)
		}
		if len(doc.Info.Fixes) == 0 {
			t.Errorf("%s: no fixes recorded", tc.version)
		}
		for _, f := range doc.Info.Fixes {
			if f.ID == "" || f.What == "" || f.Why == "" {
				t.Errorf("%s: fix %+v lacks an id, what or why", tc.version, f)
			}
		}
		want := []derive.Upstream{tc.slice, derive.CSDLV1}
		if len(doc.Info.Upstream) != 2 || doc.Info.Upstream[0] != want[0] || doc.Info.Upstream[1] != want[1] {
			t.Errorf("%s: upstream recorded %+v, want %+v", tc.version, doc.Info.Upstream, want)
		}
	}
}

// TestUpstreamCopies checks the gzipped copies against the recorded digests and, when ../shared exists
// beside the repository, byte for byte against the files there.
func TestUpstreamCopies(t *testing.T) {
	shared := sharedDir(t)
	for _, u := range derive.AllUpstream {
		data, err := derive.ReadUpstream(os.DirFS("upstream"), u)
		if err != nil {
			t.Errorf("%s: %v", u.File, err)
			continue
		}
		if shared == "" {
			continue
		}
		orig, err := os.ReadFile(filepath.Join(shared, "graph-openapi", u.File))
		if err != nil {
			t.Errorf("%s: %v", u.File, err)
			continue
		}
		if !bytes.Equal(orig, data) {
			t.Errorf("%s: the copy in upstream/ differs from ../shared/graph-openapi/%s", u.File, u.File)
		}
	}
}

// sharedDir finds ../shared beside the repository root (the directory holding go.mod), or "" without one.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(filepath.Join(shared, "graph-openapi")); errors.Is(err, fs.ErrNotExist) {
				t.Logf("no %s: comparing digests only", shared)
				return ""
			}
			return shared
		}
	}
	t.Fatal("no go.mod above the test's directory")
	return ""
}

// TestUpstreamVerifyRejects checks that a copy that is not the recorded file is refused, naming it.
func TestUpstreamVerifyRejects(t *testing.T) {
	data, err := derive.ReadUpstream(os.DirFS("upstream"), derive.SliceV1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"one byte changed", append([]byte{data[0] ^ 1}, data[1:]...)}, // same size, other digest
		{"truncated", data[:len(data)-1]},                              // other size
	} {
		err := derive.SliceV1.Verify(tc.data)
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(derive.SliceV1.File)) {
			t.Errorf("%s: Verify = %v, want an error naming %s", tc.name, err, derive.SliceV1.File)
		}
	}
}
