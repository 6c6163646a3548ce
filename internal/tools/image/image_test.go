package main

import (
	"archive/tar"
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// TestImageFlags: bad input is refused with the reason, before anything is built.
func TestImageFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-revision", "x"}, "nothing to do"},
		{[]string{"-platforms", "windows/amd64", "-layout", t.TempDir()}, `"windows/amd64" is not linux/ARCH`},
		{[]string{"-version", "v 1", "-layout", t.TempDir()}, "want a version"},
		{[]string{"-created", "yesterday", "-layout", t.TempDir()}, "not an RFC 3339 time"},
		{[]string{"-bin", "linux/s390x=/nope", "-layout", t.TempDir()}, "OS/ARCH one of -platforms"},
		{[]string{"-ca-certs", "/no/such/bundle", "-layout", t.TempDir()}, "-ca-certs"},
		{[]string{"extra"}, "no arguments expected"},
	} {
		err := run(context.Background(), tc.args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}

// TestCallcheckDependencies: neither go-containerregistry nor the
// Kubernetes API modules enter the callcheck binary.
func TestCallcheckDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "../../../cmd/callcheck").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/google/go-containerregistry", "k8s.io/", "sigs.k8s.io/"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("callcheck depends on %s", dep)
			}
		}
	}
}

const (
	testVersion  = "v0.0.0-imagetest"
	testRevision = "0123456789abcdef0123456789abcdef01234567"
	testCreated  = "2026-12-02T16:00:00Z"
)

// TestImage builds the image for linux/amd64 and linux/arm64 into a tar,
// reads it back as an OCI layout, checks the index, each image's config and
// layer, and runs the amd64 binary taken from its layer: `callcheck version`
// prints the version the tool linked in, `callcheck conform` passes.
func TestImage(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-builds callcheck twice")
	}
	dir := t.TempDir()
	archive := filepath.Join(dir, "callcheck-image.tar")
	var out bytes.Buffer
	err := run(context.Background(), []string{"-version", testVersion, "-revision", testRevision, "-created", testCreated,
		"-source", "https://github.com/callcheck/callcheck", "-tar", archive}, &out, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(archive)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes (%.1f MiB)", filepath.Base(archive), st.Size(), float64(st.Size())/(1<<20))

	lp := untarLayout(t, archive, filepath.Join(dir, "layout"))
	path, err := layout.FromPath(lp)
	if err != nil {
		t.Fatal(err)
	}
	top, err := path.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	idx := readIndex(t, top)
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if m.MediaType != types.OCIImageIndex || len(m.Manifests) != 2 {
		t.Fatalf("index %s with %d manifests, want an OCI index of 2", m.MediaType, len(m.Manifests))
	}
	checkLabels(t, "the index's annotations", m.Annotations)
	for i, want := range []struct {
		arch    string
		machine elf.Machine
	}{{"amd64", elf.EM_X86_64}, {"arm64", elf.EM_AARCH64}} {
		d := m.Manifests[i]
		if d.Platform == nil || d.Platform.OS != "linux" || d.Platform.Architecture != want.arch {
			t.Fatalf("manifest %d is for %+v, want linux/%s", i, d.Platform, want.arch)
		}
		img, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		bin, size := checkImage(t, img, want.arch, want.machine)
		t.Logf("linux/%s: manifest %s, %d bytes compressed (%.1f MiB), binary %.1f MiB", want.arch, d.Digest, size, float64(size)/(1<<20), float64(len(bin))/(1<<20))
		if want.arch == runtime.GOARCH && runtime.GOOS == "linux" {
			runExtracted(t, bin)
		}
	}
}

// untarLayout unpacks the tar at path into dir.
func untarLayout(t *testing.T, path, dir string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return dir
		}
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(target, dir+string(filepath.Separator)) {
			t.Fatalf("the tar names %s, outside the layout", h.Name)
		}
		if h.Typeflag == tar.TypeDir {
			if err := os.MkdirAll(target, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readIndex returns the image index the layout's index.json names by the version.
func readIndex(t *testing.T, top v1.ImageIndex) v1.ImageIndex {
	t.Helper()
	m, err := top.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Manifests) != 1 || m.Manifests[0].Annotations["org.opencontainers.image.ref.name"] != testVersion {
		t.Fatalf("index.json holds %+v, want one index named %s", m.Manifests, testVersion)
	}
	idx, err := top.ImageIndex(m.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func checkLabels(t *testing.T, where string, got map[string]string) {
	t.Helper()
	for k, v := range map[string]string{
		"org.opencontainers.image.version":  testVersion,
		"org.opencontainers.image.source":   "https://github.com/callcheck/callcheck",
		"org.opencontainers.image.revision": testRevision,
		"org.opencontainers.image.created":  testCreated,
	} {
		if got[k] != v {
			t.Errorf("%s: %s = %q, want %q", where, k, got[k], v)
		}
	}
}

// checkImage checks one image's config and its one layer, and returns the
// binary in it and the image's compressed size (manifest, config, layer).
func checkImage(t *testing.T, img v1.Image, arch string, machine elf.Machine) ([]byte, int64) {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if cf.OS != "linux" || cf.Architecture != arch || c.User != "65532:65532" || len(c.Entrypoint) != 1 || c.Entrypoint[0] != binaryPath || c.WorkingDir != workDir {
		t.Errorf("linux/%s config: os %s, arch %s, user %q, entrypoint %q, workdir %q", arch, cf.OS, cf.Architecture, c.User, c.Entrypoint, c.WorkingDir)
	}
	if !cf.Created.Time.Equal(mustTime(t, testCreated)) {
		t.Errorf("linux/%s created %v, want %s", arch, cf.Created, testCreated)
	}
	checkLabels(t, "linux/"+arch+" labels", c.Labels)
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("linux/%s: %d layers (%v), want 1 on an empty base", arch, len(layers), err)
	}
	if mt, _ := layers[0].MediaType(); mt != types.OCILayer {
		t.Errorf("linux/%s layer media type %s, want %s", arch, mt, types.OCILayer)
	}
	files := layerFiles(t, layers[0])
	bin, ok := files[strings.TrimPrefix(binaryPath, "/")]
	if !ok {
		t.Fatalf("linux/%s: the layer has no %s", arch, binaryPath)
	}
	if bin.h.Mode != 0o755 || bin.h.Uid != 0 || !bin.h.ModTime.Equal(mustTime(t, testCreated)) {
		t.Errorf("%s: mode %o, uid %d, mtime %v", binaryPath, bin.h.Mode, bin.h.Uid, bin.h.ModTime)
	}
	if home := files["home/nonroot/"]; home.h == nil || home.h.Uid != 65532 {
		t.Errorf("the user's home is not the user's: %+v", home.h)
	}
	if pw := string(files["etc/passwd"].data); !strings.Contains(pw, "nonroot:x:65532:65532:") {
		t.Errorf("/etc/passwd: %q", pw)
	}
	f, err := elf.NewFile(bytes.NewReader(bin.data))
	if err != nil {
		t.Fatalf("linux/%s: the binary is not ELF: %v", arch, err)
	}
	if f.Machine != machine {
		t.Errorf("linux/%s: the binary is for %s", arch, f.Machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("linux/%s: the binary is dynamically linked (it names an interpreter), the empty base has none", arch)
		}
	}
	size, err := img.Size()
	if err != nil {
		t.Fatal(err)
	}
	cfgSize, _ := partialSize(img)
	ls, _ := layers[0].Size()
	return bin.data, size + cfgSize + ls
}

// partialSize is the config's size.
func partialSize(img v1.Image) (int64, error) {
	raw, err := img.RawConfigFile()
	return int64(len(raw)), err
}

type layerFile struct {
	h    *tar.Header
	data []byte
}

func layerFiles(t *testing.T, l v1.Layer) map[string]layerFile {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	files := map[string]layerFile{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = layerFile{h: h, data: data}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// runExtracted writes the binary from the layer to a file and runs it.
func runExtracted(t *testing.T, bin []byte) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "callcheck")
	if err := os.WriteFile(path, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(path, "version").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != testVersion {
		t.Errorf("callcheck version: %v, %q; want %s", err, out, testVersion)
	}
	cmd := exec.Command(path, "conform", "--out", filepath.Join(dir, "conform"))
	cmd.Dir = dir
	out, err = cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASSED") {
		t.Fatalf("callcheck conform from the image's layer: %v\n%s", err, out)
	}
	t.Logf("callcheck conform from the image's layer: %s", passedLine(string(out)))
}

// passedLine is conform's verdict line.
func passedLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "PASSED") {
			return l
		}
	}
	return ""
}

// TestImageReproducible: the same source, version, revision and creation
// time give the same image, digest for digest.
func TestImageReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds callcheck twice")
	}
	digests := make([]string, 2)
	for i := range digests {
		dir := filepath.Join(t.TempDir(), "layout")
		err := run(context.Background(), []string{"-version", testVersion, "-revision", testRevision, "-created", testCreated,
			"-platforms", "linux/amd64", "-layout", dir}, io.Discard, os.Stderr)
		if err != nil {
			t.Fatal(err)
		}
		path, err := layout.FromPath(dir)
		if err != nil {
			t.Fatal(err)
		}
		top, err := path.ImageIndex()
		if err != nil {
			t.Fatal(err)
		}
		d, err := top.Digest()
		if err != nil {
			t.Fatal(err)
		}
		digests[i] = d.String()
	}
	if digests[0] != digests[1] {
		t.Errorf("two builds of one source: %s and %s", digests[0], digests[1])
	}
}
