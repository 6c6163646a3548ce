package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
)

func readConformanceFile(t *testing.T, name string) *Conformance {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ReadConformance(f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// golden compares got with testdata/name (testkit.Golden).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name), got)
}

// fixedPage is a page with a fixed clock and harness, for golden files.
func fixedPage(ss ...Section) *Page {
	return &Page{Harness: "callcheck test", Generated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Sections: ss}
}

func render(t *testing.T, p *Page) (md, html []byte) {
	t.Helper()
	var m, h bytes.Buffer
	if err := p.WriteMarkdown(&m); err != nil {
		t.Fatalf("WriteMarkdown: %v", err)
	}
	if err := p.WriteHTML(&h); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return m.Bytes(), h.Bytes()
}
