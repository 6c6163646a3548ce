package testkit

import (
	"os"
	"os/exec"
	"testing"
)

// GoBuild builds the main package pkg (a path as `go build` takes it,
// relative to the test's directory) into the file out, as the release and
// the image build it: static (CGO_ENABLED=0) and with -trimpath. Building
// every test binary the same way lets them, and the install test's
// `go install`, share one set of compiled dependencies in the build cache:
// with -trimpath a package's cache key does not depend on its directory.
func GoBuild(t testing.TB, pkg, out string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
	cmd.Env = append(os.Environ(), BuildEnv...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
}

// BuildEnv is the environment GoBuild adds to the test's own.
var BuildEnv = []string{"CGO_ENABLED=0"}
