package report

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// conformanceResult is a conformance report in every form.
func conformanceResult(c *Conformance) Result {
	junit := &JUnitSuites{Name: "callcheck conformance"}
	junit.AddSuite("documented examples", c.StartedAt, 0, []JUnitCase{NewJUnitCase("callcheck", c.Examples[0].ID, c.Examples[0].Verdict, 0, "", nil)})
	return Result{Document: c, JUnit: junit, Page: fixedPage(ConformanceSection(c)),
		Text: func(w io.Writer) error { _, err := io.WriteString(w, "summary of "+c.Target.BaseURL+"\n"); return err }}
}

// TestWriteAll writes each format into its file, in the order given, and
// lists every path written; each file holds what Render writes.
func TestWriteAll(t *testing.T) {
	c := readConformanceFile(t, "conformance-passed.json")
	res := conformanceResult(c)
	dir := filepath.Join(t.TempDir(), "out", "nested")
	files := []File{{FormatJSON, "conformance.json"}, {FormatJUnit, "junit.xml"}, {FormatMarkdown, "summary.md"},
		{FormatHTML, "conformance.html"}, {FormatText, "summary.txt"}}
	paths, err := WriteAll(dir, res, files...)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(files) {
		t.Fatalf("paths %v, want one per file", paths)
	}
	for i, f := range files {
		if want := filepath.Join(dir, f.Name); paths[i] != want {
			t.Errorf("path %d = %s, want %s", i, paths[i], want)
		}
		got, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := Render(&want, res, f.Format); err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s (%d bytes) is not what Render writes in %s (%d bytes)", f.Name, len(got), f.Format, want.Len())
		}
	}
	back, err := ReadConformance(bytes.NewReader(mustRead(t, paths[0])))
	if err != nil || back.Summary != c.Summary {
		t.Errorf("conformance.json read back: %+v, %v", back, err)
	}
	for i, want := range []string{"<testsuites", "Conformance", "<!DOCTYPE html>", "summary of "} {
		if !bytes.Contains(mustRead(t, paths[i+1]), []byte(want)) {
			t.Errorf("%s lacks %q", paths[i+1], want)
		}
	}
}

// TestWriteAllErrors: a format the result lacks names the file and writes
// nothing of it; a directory that cannot be made is the *fs.PathError of os.
func TestWriteAllErrors(t *testing.T) {
	c := readConformanceFile(t, "conformance-passed.json")
	dir := t.TempDir()
	paths, err := WriteAll(dir, Result{Document: c}, File{FormatJSON, "c.json"}, File{FormatJUnit, "junit.xml"})
	if err == nil || !strings.Contains(err.Error(), "junit.xml") || !strings.Contains(err.Error(), "no junit form") {
		t.Errorf("a missing form: %v", err)
	}
	if len(paths) != 1 || fileExists(filepath.Join(dir, "junit.xml")) {
		t.Errorf("paths %v; junit.xml written %v", paths, fileExists(filepath.Join(dir, "junit.xml")))
	}
	var pe *fs.PathError
	if _, err := WriteAll(filepath.Join(dir, "c.json", "x"), Result{Document: c}, File{FormatJSON, "c.json"}); !errors.As(err, &pe) {
		t.Errorf("writing under a file: %v, want an *fs.PathError", err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
