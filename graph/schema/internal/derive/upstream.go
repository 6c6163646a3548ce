package derive

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
)

// Upstream describes one of Microsoft's published files the derivation reads: where it comes from and the
// digest of its original bytes, as listed in ../shared/graph-openapi/README.md.
type Upstream struct {
	File   string `json:"file"`
	Repo   string `json:"repository"`
	Path   string `json:"path"`
	Commit string `json:"commit"`
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Upstream files, exactly as recorded in ../shared/graph-openapi/README.md. The repository keeps them gzipped
// under graph/schema/upstream/ (File + ".gz"); the digests are those of the uncompressed bytes.
var (
	// SliceBeta is the beta OpenAPI slice.
	SliceBeta = Upstream{
		File: "CloudCommunications.beta.yml", Repo: "microsoftgraph/msgraph-sdk-powershell",
		Path: "openApiDocs/beta/CloudCommunications.yml", Commit: "005aefc4c3ace1b4590efd9fd33fbd00178a07b4",
		Bytes: 501143, SHA256: "d2e172de0804338e981240d20c9c88ec6c1975c2f1c6ffd1e568c73c4db719b6",
	}
	// SliceV1 is the v1.0 OpenAPI slice.
	SliceV1 = Upstream{
		File: "CloudCommunications.v1.0.yml", Repo: "microsoftgraph/msgraph-sdk-powershell",
		Path: "openApiDocs/v1.0/CloudCommunications.yml", Commit: "005aefc4c3ace1b4590efd9fd33fbd00178a07b4",
		Bytes: 352934, SHA256: "e77e58f96487102c6db1c3c4f465358fbd8f45c619dddd9bf31b37ab920440a8",
	}
	// CSDLV1 is the complete v1.0 metadata (OData CSDL XML).
	CSDLV1 = Upstream{
		File: "v1.0-Prod.csdl", Repo: "microsoftgraph/msgraph-metadata",
		Path: "schemas/v1.0-Prod.csdl", Commit: "f54f11b60956 (2026-08-20)",
		Bytes: 3382384, SHA256: "a9d32d3611746c96043229a98867be064fb782c801b3405bce00c224ea3f6a03",
	}
)

// AllUpstream lists every upstream file, in the order they are recorded in the derived documents.
var AllUpstream = []Upstream{SliceBeta, SliceV1, CSDLV1}

// Verify reports an error naming the file when data is not the recorded upstream file (size or digest).
func (u Upstream) Verify(data []byte) error {
	if len(data) != u.Bytes {
		return fmt.Errorf("upstream %s: %d bytes, want %d", u.File, len(data), u.Bytes)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != u.SHA256 {
		return fmt.Errorf("upstream %s: sha256 %s, want %s", u.File, got, u.SHA256)
	}
	return nil
}

// ReadUpstream reads u from dir, gzipped (u.File + ".gz") as the repository keeps it, and verifies it.
func ReadUpstream(dir fs.FS, u Upstream) ([]byte, error) {
	gz, err := fs.ReadFile(dir, u.File+".gz")
	if err != nil {
		return nil, fmt.Errorf("upstream %s: %w", u.File, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("upstream %s.gz: %w", u.File, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("upstream %s.gz: %w", u.File, err)
	}
	if err := u.Verify(data); err != nil {
		return nil, err
	}
	return data, nil
}

// Inputs holds the verified upstream files one derivation reads.
type Inputs struct {
	SliceBeta, SliceV1, CSDL []byte
}

// ReadInputs reads and verifies every upstream file from dir.
func ReadInputs(dir fs.FS) (Inputs, error) {
	var in Inputs
	var err error
	if in.SliceBeta, err = ReadUpstream(dir, SliceBeta); err != nil {
		return in, err
	}
	if in.SliceV1, err = ReadUpstream(dir, SliceV1); err != nil {
		return in, err
	}
	in.CSDL, err = ReadUpstream(dir, CSDLV1)
	return in, err
}
