// Command image builds callcheck's container image without a Docker daemon
// and without pulling a base image: the static binary (CGO_ENABLED=0,
// -trimpath, the version set with -ldflags -X as release.yml does) on an
// empty base, with a non-root user (65532), the entrypoint and the OCI
// labels, for linux/amd64 and linux/arm64 under one image index. It writes
// the index as an OCI image layout (-layout), as that layout in a tar file
// (-tar, an "oci-archive"), and pushes it to registries (-push).
//
//	go run ./internal/tools/image -version v1.2.3 -layout dist/image -tar dist/callcheck-image.tar
//	go run ./internal/tools/image -version v1.2.3 -push ghcr.io/callcheck/callcheck:v1.2.3 -push ghcr.io/callcheck/callcheck:latest
//
// It lives apart from cmd/callcheck so that go-containerregistry never
// enters callcheck's own dependencies.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// run parses the flags, builds the image index and writes or pushes it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := defaultOptions()
	var push, bins listFlag
	var platforms, created string
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Version, "version", o.Version, "callcheck's version: linked into the binary and the org.opencontainers.image.version label")
	fs.StringVar(&o.Revision, "revision", "", "the source revision (org.opencontainers.image.revision; default: git rev-parse HEAD)")
	fs.StringVar(&created, "created", "", "the image's creation time, RFC 3339 (default: $SOURCE_DATE_EPOCH, else the commit's time, else now)")
	fs.StringVar(&o.Source, "source", o.Source, "the source repository URL (org.opencontainers.image.source)")
	fs.StringVar(&platforms, "platforms", strings.Join(o.Platforms, ","), "the platforms, OS/ARCH,...")
	fs.StringVar(&o.Package, "package", o.Package, "the Go package of the binary, built from the module root")
	fs.Var(&bins, "bin", "a prebuilt binary for a platform, OS/ARCH=PATH (repeatable; the others are built)")
	fs.StringVar(&o.CACerts, "ca-certs", o.CACerts, "a CA bundle to ship as /etc/ssl/certs/ca-certificates.crt (\"\" for none: the binary then reaches no TLS target)")
	fs.StringVar(&o.Layout, "layout", "", "write the index as an OCI image layout in this directory")
	fs.StringVar(&o.Tar, "tar", "", "write the OCI image layout as a tar file (an oci-archive)")
	fs.Var(&push, "push", "push the index to this reference, e.g. ghcr.io/callcheck/callcheck:v1.2.3 (repeatable; credentials from the Docker config)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("no arguments expected, got %q", fs.Args())
	}
	o.Push = push
	o.Platforms = strings.Split(platforms, ",")
	if err := o.resolve(ctx, created, bins); err != nil {
		return err
	}
	if o.Layout == "" && o.Tar == "" && len(o.Push) == 0 {
		return errors.New("nothing to do: give -layout DIR, -tar FILE or -push REF")
	}
	return build(ctx, o, stdout)
}
