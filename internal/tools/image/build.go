package main

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// labels are the OCI annotations of the image (pre-defined keys of the
// OCI image spec, annotations.md), set as config labels and on the index.
func (o *Options) labels() map[string]string {
	return map[string]string{
		"org.opencontainers.image.title":       "callcheck",
		"org.opencontainers.image.description": "Conformance and load testing for the Microsoft Graph Create call API",
		"org.opencontainers.image.version":     o.Version,
		"org.opencontainers.image.source":      o.Source,
		"org.opencontainers.image.url":         o.Source,
		"org.opencontainers.image.revision":    o.Revision,
		"org.opencontainers.image.created":     o.Created.Format("2006-01-02T15:04:05Z07:00"),
	}
}

// build makes the index and writes it where o says.
func build(ctx context.Context, o Options, stdout io.Writer) error {
	tmp, err := os.MkdirTemp("", "callcheck-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	idx, err := o.index(ctx, tmp)
	if err != nil {
		return err
	}
	digest, err := idx.Digest()
	if err != nil {
		return err
	}
	if o.Layout != "" || o.Tar != "" {
		dir := o.Layout
		if dir == "" {
			dir = filepath.Join(tmp, "layout")
		}
		if err := writeLayout(dir, idx, o.Version); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote the OCI layout %s (index %s)\n", dir, digest)
		if o.Tar != "" {
			if err := tarDir(dir, o.Tar, o.Created); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "wrote %s\n", o.Tar)
		}
	}
	for _, r := range o.Push {
		ref, err := name.ParseReference(r)
		if err != nil {
			return fmt.Errorf("-push %q: %w", r, err)
		}
		if err := remote.WriteIndex(ref, idx, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain)); err != nil {
			return fmt.Errorf("pushing %s: %w", ref, err)
		}
		fmt.Fprintf(stdout, "pushed %s@%s\n", ref, digest)
	}
	return nil
}

// index builds one image per platform under an OCI image index.
func (o *Options) index(ctx context.Context, tmp string) (v1.ImageIndex, error) {
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	var adds []mutate.IndexAddendum
	for _, p := range o.Platforms {
		bin, err := o.buildBinary(ctx, p, tmp)
		if err != nil {
			return nil, err
		}
		img, err := o.image(p, bin)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		goos, goarch, _ := strings.Cut(p, "/")
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: goos, Architecture: goarch}}})
	}
	idx = mutate.AppendManifests(idx, adds...)
	return mutate.Annotations(idx, o.labels()).(v1.ImageIndex), nil
}

// image is the binary on an empty base, as the non-root user.
func (o *Options) image(platform, bin string) (v1.Image, error) {
	data, err := o.layerTar(bin)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	base := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	created := v1.Time{Time: o.Created}
	img, err := mutate.Append(base, mutate.Addendum{Layer: layer, MediaType: types.OCILayer,
		History: v1.History{Created: created, CreatedBy: "go run ./internal/tools/image", Comment: "callcheck " + o.Version}})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	goos, goarch, _ := strings.Cut(platform, "/")
	cf.OS, cf.Architecture, cf.Created = goos, goarch, created
	cf.Config = v1.Config{
		User:       fmt.Sprintf("%d:%d", userID, userID),
		Entrypoint: []string{binaryPath},
		WorkingDir: workDir,
		Env:        []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + homeDir, "SSL_CERT_FILE=" + caPath},
		Labels:     o.labels(),
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, err
	}
	return mutate.Annotations(img, o.labels()).(v1.Image), nil
}

// tarEntry is one file or directory of the layer.
type tarEntry struct {
	name string
	mode int64
	uid  int
	dir  bool
	data []byte
}

// layerTar writes the layer: the directories a non-root process needs
// (its home, a working directory, /tmp), passwd and group naming the user,
// the CA bundle, and the binary; every entry stamped with o.Created.
func (o *Options) layerTar(bin string) ([]byte, error) {
	binary, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	entries := []tarEntry{
		{name: "etc/", mode: 0o755, dir: true},
		{name: "etc/group", mode: 0o644, data: fmt.Appendf(nil, "root:x:0:\nnonroot:x:%d:\n", userID)},
		{name: "etc/passwd", mode: 0o644, data: fmt.Appendf(nil, "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%d:%d:nonroot:%s:/sbin/nologin\n", userID, userID, homeDir)},
		{name: "home/", mode: 0o755, dir: true},
		{name: "home/nonroot/", mode: 0o700, uid: userID, dir: true},
		{name: "tmp/", mode: 0o1777, dir: true},
		{name: "usr/", mode: 0o755, dir: true},
		{name: "usr/local/", mode: 0o755, dir: true},
		{name: "usr/local/bin/", mode: 0o755, dir: true},
		{name: strings.TrimPrefix(binaryPath, "/"), mode: 0o755, data: binary},
		{name: strings.TrimPrefix(workDir, "/") + "/", mode: 0o755, uid: userID, dir: true},
	}
	if o.CACerts != "" {
		ca, err := os.ReadFile(o.CACerts)
		if err != nil {
			return nil, err
		}
		entries = append(entries,
			tarEntry{name: "etc/ssl/", mode: 0o755, dir: true},
			tarEntry{name: "etc/ssl/certs/", mode: 0o755, dir: true},
			tarEntry{name: strings.TrimPrefix(caPath, "/"), mode: 0o644, data: ca})
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: e.mode, Uid: e.uid, Gid: e.uid, ModTime: o.Created, Format: tar.FormatPAX, Typeflag: tar.TypeReg, Size: int64(len(e.data))}
		if e.dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeLayout writes idx as an OCI image layout in dir (replacing what is
// there), its entry in index.json named by tag.
func writeLayout(dir string, idx v1.ImageIndex, tag string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	return p.AppendIndex(idx, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": tag}))
}

// tarDir writes the files under dir into a tar file, in a fixed order,
// stamped with mtime: the same layout gives the same tar.
func tarDir(dir, out string, mtime time.Time) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		h, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		h.Name, h.Uid, h.Gid, h.Uname, h.Gname, h.ModTime = filepath.ToSlash(rel), 0, 0, "", "", mtime
		h.Format, h.AccessTime, h.ChangeTime = tar.FormatPAX, time.Time{}, time.Time{}
		if d.IsDir() {
			h.Name += "/"
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(tw, src)
		return err
	})
	if err == nil {
		err = tw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
