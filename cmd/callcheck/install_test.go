package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// installVersion is the version the test's module proxy serves this
// working tree as.
const installVersion = "v0.999.0"

// TestGoInstall runs the README's install line,
// `go install github.com/callcheck/callcheck/cmd/callcheck@latest`, as a
// user with a clean GOPATH and module cache would, without the network: a
// module proxy in a directory (GOPROXY=file://) serves this working tree
// (its tracked and untracked, not ignored, files) as the module's only
// version, and the dependencies come from the local module download cache
// served the same way. The installed binary reports that version (from its
// build information, as go install sets it) and passes conform. It fails
// when the module cannot be installed by path and version: a replace
// directive, a missing go.sum line, a dependency not in the module graph.
func TestGoInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds callcheck from a clean module cache")
	}
	tmp := t.TempDir()
	src := copyWorkingTree(t, "../..", filepath.Join(tmp, "src"))
	proxy := filepath.Join(tmp, "proxy")
	serveModule(t, src, proxy)
	cache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	gopath, bin := filepath.Join(tmp, "gopath"), filepath.Join(tmp, "bin")
	clean := exec.Command("go", "clean", "-modcache")
	clean.Env = append(os.Environ(), "GOMODCACHE="+filepath.Join(gopath, "pkg", "mod"))
	t.Cleanup(func() { _ = clean.Run() }) // the module cache is read-only; go clean removes it
	cmd := exec.Command("go", "install", "github.com/callcheck/callcheck/cmd/callcheck@latest")
	cmd.Dir = tmp // outside any module
	// -trimpath and testkit.BuildEnv as the other test builds: the module
	// cache's directory is new on every run, and without -trimpath every
	// dependency would be compiled again for it. Neither changes whether the
	// module installs by path and version.
	cmd.Env = append(os.Environ(), "GOPATH="+gopath, "GOMODCACHE="+filepath.Join(gopath, "pkg", "mod"), "GOBIN="+bin,
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(strings.TrimSpace(string(cache)), "cache", "download")),
		"GOSUMDB=off", "GOFLAGS=-buildvcs=false -trimpath", "GOTOOLCHAIN=local", "GOWORK=off")
	cmd.Env = append(cmd.Env, testkit.BuildEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install ...@latest from a clean GOPATH: %v\n%s", err, out)
	}
	callcheck := filepath.Join(bin, "callcheck")
	out, err := exec.Command(callcheck, "version").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != installVersion {
		t.Errorf("callcheck version: %v, %q; want %s", err, out, installVersion)
	}
	out, err = exec.Command(callcheck, "conform").CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("PASSED")) {
		t.Fatalf("the installed callcheck conform: %v\n%s", err, out)
	}
}

// copyWorkingTree copies the files git knows of and does not ignore.
func copyWorkingTree(t *testing.T, root, dst string) string {
	t.Helper()
	list, err := exec.Command("git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard", "-z").Output()
	if err != nil {
		t.Skipf("not a git working tree: %v", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dst, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// serveModule lays out src as version installVersion of the module in a
// GOPROXY directory (the module proxy protocol's list, info, mod and zip).
func serveModule(t *testing.T, src, proxy string) {
	t.Helper()
	const path = "github.com/callcheck/callcheck"
	dir := filepath.Join(proxy, filepath.FromSlash(path), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	info, _ := json.Marshal(map[string]any{"Version": installVersion, "Time": time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)})
	gomod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"list": []byte(installVersion + "\n"), installVersion + ".info": info, installVersion + ".mod": gomod} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(dir, installVersion+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := modzip.CreateFromDir(f, module.Version{Path: path, Version: installVersion}, src); err != nil {
		t.Fatalf("zipping the module: %v", err)
	}
}
