// Package testkit holds what callcheck's tests share: golden files that
// -update rewrites, and small test doubles. It is imported by _test.go files
// only.
package testkit

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update is the -update flag of every test binary that uses the kit: golden
// files and generated blocks are rewritten instead of compared.
var update = flag.Bool("update", false, "rewrite golden files and generated documentation blocks")

// Updating reports whether the test binary was run with -update.
func Updating() bool { return *update }

// Golden compares got with the file at path, or, under -update, writes got
// there (creating its directory). A missing file or a difference fails t,
// showing the first lines that differ and how to refresh the file.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the code computes; review, then run go test -run '%s' -update:\n%s",
			path, t.Name(), Diff(string(want), string(got)))
	}
}

// GoldenBlock compares the part of the file at path between the lines
// begin and end (both kept) with want, or, under -update, rewrites that
// part. It fails t when the markers are missing.
func GoldenBlock(t testing.TB, path, begin, end, want string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(data), begin)
	got, after, ok2 := strings.Cut(rest, end)
	if !ok1 || !ok2 {
		t.Fatalf("%s lacks the markers %q and %q", path, begin, end)
	}
	if got == want {
		return
	}
	if !*update {
		t.Errorf("the generated block %q of %s is stale; review, then run go test -run '%s' -update:\n%s",
			strings.TrimSpace(begin), path, t.Name(), Diff(got, want))
		return
	}
	if err := os.WriteFile(path, []byte(before+begin+want+end+after), 0o644); err != nil {
		t.Fatal(err)
	}
}

// maxDiffLines bounds the lines Diff shows.
const maxDiffLines = 10

// Diff shows the first lines (at most ten) where want and got differ, each
// as a "-" (want) and "+" (got) pair with its line number; "" when they are
// equal.
func Diff(want, got string) string {
	if want == got {
		return ""
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < maxDiffLines; i++ {
		wl, wok := line(w, i)
		gl, gok := line(g, i)
		if wl == gl && wok == gok {
			continue
		}
		fmt.Fprintf(&b, "line %d:\n-%s\n+%s\n", i+1, wl, gl)
		shown++
	}
	return b.String()
}

// line returns lines[i] and whether there is one.
func line(lines []string, i int) (string, bool) {
	if i < len(lines) {
		return lines[i], true
	}
	return "", false
}
