package testkit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of stopping.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed, r.msg = true, format
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Fatal(args ...any)                 { r.failed = true }

func TestGoldenComparesAndUpdates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	r := &recorder{TB: t}
	Golden(r, path, []byte("a\n"))
	if !r.failed {
		t.Fatal("a missing golden file did not fail")
	}
	setUpdate(t, true)
	r = &recorder{TB: t}
	Golden(r, path, []byte("a\n"))
	if r.failed {
		t.Fatalf("-update failed: %s", r.msg)
	}
	setUpdate(t, false)
	r = &recorder{TB: t}
	Golden(r, path, []byte("a\n"))
	if r.failed {
		t.Fatal("an equal file failed")
	}
	Golden(r, path, []byte("b\n"))
	if !r.failed {
		t.Fatal("a different file passed")
	}
}

func TestGoldenBlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.md")
	const begin, end = "<!-- b -->\n", "<!-- e -->\n"
	if err := os.WriteFile(path, []byte("top\n"+begin+"old\n"+end+"tail\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	GoldenBlock(r, path, begin, end, "new\n")
	if !r.failed {
		t.Fatal("a stale block passed")
	}
	setUpdate(t, true)
	GoldenBlock(t, path, begin, end, "new\n")
	setUpdate(t, false)
	data, _ := os.ReadFile(path)
	if string(data) != "top\n"+begin+"new\n"+end+"tail\n" {
		t.Fatalf("after -update: %q", data)
	}
	r = &recorder{TB: t}
	GoldenBlock(r, path, "<!-- none -->", end, "x")
	if !r.failed {
		t.Fatal("missing markers passed")
	}
}

func TestDiff(t *testing.T) {
	if d := Diff("a\nb\n", "a\nb\n"); d != "" {
		t.Errorf("Diff of equal texts = %q", d)
	}
	d := Diff("a\nb\nc", "a\nB\nc\nd")
	if !strings.Contains(d, "line 2:\n-b\n+B\n") || !strings.Contains(d, "line 4:\n-\n+d\n") {
		t.Errorf("Diff = %q", d)
	}
}

// setUpdate sets -update for the rest of the test.
func setUpdate(t *testing.T, v bool) {
	old := *update
	*update = v
	t.Cleanup(func() { *update = old })
}
