package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Options describe one image build.
type Options struct {
	// Version is linked into the binary and labelled; Revision and Source
	// are labelled; Created stamps the config, the labels and every file.
	Version  string
	Revision string
	Source   string
	Created  time.Time
	// Platforms are the OS/ARCH pairs of the index, in order.
	Platforms []string
	// Package is the binary's Go package; Root the module root it is built
	// from; Bins prebuilt binaries by platform, the others being built.
	Package string
	Root    string
	Bins    map[string]string
	// CACerts is a CA bundle shipped in the image; empty ships none.
	CACerts string
	// Layout, Tar and Push are the outputs (see the flags).
	Layout string
	Tar    string
	Push   []string
}

// The image's fixed parts.
const (
	binaryPath = "/usr/local/bin/callcheck"
	userID     = 65532 // distroless's "nonroot"
	workDir    = "/work"
	homeDir    = "/home/nonroot"
	caPath     = "/etc/ssl/certs/ca-certificates.crt"
	versionVar = "github.com/callcheck/callcheck/internal/version.Version"
)

func defaultOptions() Options {
	return Options{Version: "devel", Source: "https://github.com/callcheck/callcheck", Platforms: []string{"linux/amd64", "linux/arm64"},
		Package: "./cmd/callcheck", CACerts: "/etc/ssl/certs/ca-certificates.crt"}
}

// resolve fills the defaults that need the environment and checks the rest.
func (o *Options) resolve(ctx context.Context, created string, bins []string) error {
	if o.Version == "" || strings.ContainsAny(o.Version, " \t'\"") {
		return fmt.Errorf("-version %q: want a version such as v1.2.3", o.Version)
	}
	for _, p := range o.Platforms {
		if os, arch, ok := strings.Cut(p, "/"); !ok || os != "linux" || arch == "" {
			return fmt.Errorf("-platforms: %q is not linux/ARCH", p)
		}
	}
	root, err := goOutput(ctx, "", "list", "-m", "-f", "{{.Dir}}")
	if err != nil {
		return fmt.Errorf("finding the module root: %w", err)
	}
	o.Root = root
	o.Bins = map[string]string{}
	for _, b := range bins {
		p, path, ok := strings.Cut(b, "=")
		if !ok || !contains(o.Platforms, p) {
			return fmt.Errorf("-bin %q: want OS/ARCH=PATH with OS/ARCH one of -platforms", b)
		}
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("-bin %s: %w", p, err)
		}
		o.Bins[p] = path
	}
	if o.CACerts != "" {
		if _, err := os.Stat(o.CACerts); err != nil {
			return fmt.Errorf("-ca-certs: %w (give -ca-certs \"\" to ship none)", err)
		}
	}
	if o.Revision == "" {
		o.Revision = gitOutput(ctx, root, "rev-parse", "HEAD")
	}
	if o.Revision == "" {
		return errors.New("-revision: not a git checkout; give the source revision")
	}
	o.Created, err = createdTime(ctx, root, created)
	return err
}

// createdTime is -created, else $SOURCE_DATE_EPOCH, else the commit's time,
// else now: the same source gives the same image.
func createdTime(ctx context.Context, root, flagValue string) (time.Time, error) {
	switch {
	case flagValue != "":
		t, err := time.Parse(time.RFC3339, flagValue)
		if err != nil {
			return t, fmt.Errorf("-created %q is not an RFC 3339 time", flagValue)
		}
		return t.UTC(), nil
	case os.Getenv("SOURCE_DATE_EPOCH") != "":
		s, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("$SOURCE_DATE_EPOCH %q is not a count of seconds", os.Getenv("SOURCE_DATE_EPOCH"))
		}
		return time.Unix(s, 0).UTC(), nil
	}
	if s := gitOutput(ctx, root, "log", "-1", "--format=%cI"); s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Now().UTC().Truncate(time.Second), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// goOutput runs the go command in dir and returns its trimmed output.
func goOutput(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(exit.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// gitOutput runs git in dir; "" when git or the repository is missing.
func gitOutput(ctx context.Context, dir string, args ...string) string {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// buildBinary builds the static binary for platform into dir.
func (o *Options) buildBinary(ctx context.Context, platform, dir string) (string, error) {
	if p, ok := o.Bins[platform]; ok {
		return p, nil
	}
	goos, goarch, _ := strings.Cut(platform, "/")
	out := filepath.Join(dir, "callcheck-"+goos+"-"+goarch)
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w -X "+versionVar+"="+o.Version, "-o", out, o.Package)
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building %s for %s: %v\n%s", o.Package, platform, err, b)
	}
	return out, nil
}
