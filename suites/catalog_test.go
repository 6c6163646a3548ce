package suites_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/suites"
)

// catalogGolden is the catalog of contracts, checked in.
const catalogGolden = "../docs/contracts.md"

// TestCatalog lists the contracts with a dry run (Ginkgo's PreviewSpecs, in
// a child process: Ginkgo builds one tree per process), checks it against
// the registry and compares its Markdown with docs/contracts.md.
func TestCatalog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catalog.json")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=preview", outEnv+"="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cat []suites.CatalogEntry
	if err := json.Unmarshal(data, &cat); err != nil {
		t.Fatal(err)
	}
	if len(cat) != len(suites.Contracts()) {
		t.Fatalf("the dry run lists %d contracts, the registry %d", len(cat), len(suites.Contracts()))
	}
	var buf bytes.Buffer
	if err := suites.WriteCatalog(&buf, cat); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, catalogGolden, buf.Bytes())
}
