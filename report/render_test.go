package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files of rendered reports")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./report -update rewrites it); got:\n%s", name, firstDiff(got, want))
	}
}

// firstDiff shows the first differing line of got and want.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + gl + "\n  want: " + wl
		}
	}
	return "(same lines, different bytes)"
}

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
