package emulator

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"github.com/callcheck/callcheck/graph/rules"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph"
)

// compress encodes body with write's compressor.
func compress(t *testing.T, body []byte, newWriter func(io.Writer) io.WriteCloser) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := newWriter(&buf)
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipped(t *testing.T, body []byte) []byte {
	return compress(t, body, func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
}

func zlibbed(t *testing.T, body []byte) []byte {
	return compress(t, body, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })
}

func rawDeflated(t *testing.T, body []byte) []byte {
	return compress(t, body, func(w io.Writer) io.WriteCloser {
		fw, err := flate.NewWriter(w, flate.DefaultCompression)
		if err != nil {
			t.Fatal(err)
		}
		return fw
	})
}

// TestContentEncoding: compressed create bodies (msgraph-sdk-go sends gzip
// by default) are decoded; an unknown coding is 415, a bomb 413, both with
// a Graph error body carrying the request ids.
func TestContentEncoding(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Limits.MaxBodyBytes = 64 << 10 })
	body := p2pBody(h.callback)
	bomb := gzipped(t, bytes.Repeat([]byte(" "), 1<<20)) // 1 MiB of spaces in about 1 KiB
	tests := []struct {
		name     string
		encoding []string // Content-Encoding header values
		body     []byte
		status   int
		code     string
	}{
		{"gzip, as msgraph-sdk-go sends it", []string{"gzip"}, gzipped(t, body), http.StatusCreated, ""},
		{"x-gzip is gzip (RFC 9110 §8.4.1.3)", []string{"x-gzip"}, gzipped(t, body), http.StatusCreated, ""},
		{"deflate in the zlib format", []string{"deflate"}, zlibbed(t, body), http.StatusCreated, ""},
		{"deflate sent raw, as some clients do", []string{"deflate"}, rawDeflated(t, body), http.StatusCreated, ""},
		{"identity is no coding", []string{"identity"}, body, http.StatusCreated, ""},
		{"codings undone in reverse order", []string{"deflate, gzip"}, gzipped(t, zlibbed(t, body)), http.StatusCreated, ""},
		{"codings in two header lines", []string{"deflate", "gzip"}, gzipped(t, zlibbed(t, body)), http.StatusCreated, ""},
		{"case does not matter", []string{"GZip"}, gzipped(t, body), http.StatusCreated, ""},
		{"an unsupported coding is 415", []string{"br"}, body, http.StatusUnsupportedMediaType, CodeUnsupportedMedia},
		{"one unsupported coding in a list is 415", []string{"gzip, compress"}, gzipped(t, body), http.StatusUnsupportedMediaType, CodeUnsupportedMedia},
		{"a bomb over the limit once decoded is 413", []string{"gzip"}, bomb, http.StatusRequestEntityTooLarge, CodeTooLarge},
		{"a body that is not gzip is 400", []string{"gzip"}, body, http.StatusBadRequest, CodeBadRequest},
		{"a truncated gzip body is 400", []string{"gzip"}, gzipped(t, body)[:40], http.StatusBadRequest, CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do(h.client, http.MethodPost, "/v1.0/communications/calls", tt.body, http.Header{"Content-Encoding": tt.encoding})
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.code == "" {
				return
			}
			e, err := graph.ParseError(r.body)
			if err != nil {
				t.Fatalf("not a Graph error body: %v\n%s", err, r.body)
			}
			if e.Error.Code != tt.code || e.Error.Message == "" || e.Error.InnerError == nil ||
				e.Error.InnerError.RequestID != r.header.Get("request-id") || e.Error.InnerError.RequestID == "" {
				t.Errorf("error body %s, want code %s, a message and innerError.request-id %q", r.body, tt.code, r.header.Get("request-id"))
			}
		})
	}
}

// TestContentEncodingRecordsDecodedBody: the request record holds the body
// as decoded, so inspection shows JSON, not gzip.
func TestContentEncodingRecordsDecodedBody(t *testing.T) {
	h := newHarness(t, nil)
	body := p2pBody(h.callback)
	r := h.do(h.client, http.MethodPost, "/beta/communications/calls", gzipped(t, body), http.Header{"Content-Encoding": {"gzip"}})
	if r.status != http.StatusCreated {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	recs := h.srv.Requests()
	last := recs[len(recs)-1]
	if last.Body != string(body) || last.BodyBytes != int64(len(body)) {
		t.Errorf("recorded body %q (%d bytes), want the decoded body", last.Body, last.BodyBytes)
	}
}

// TestParseContentEncoding covers the header parsing alone.
func TestParseContentEncoding(t *testing.T) {
	tests := []struct {
		values []string
		want   string // codings joined by "+", or "415"
	}{
		{nil, ""},
		{[]string{""}, ""},
		{[]string{"identity"}, ""},
		{[]string{" gzip ,identity"}, "gzip"},
		{[]string{"deflate,gzip"}, "deflate+gzip"},
		{[]string{"zstd"}, "415"},
	}
	for _, tt := range tests {
		codings, v, ok := parseContentEncoding(tt.values)
		got := "415"
		if ok {
			var names []string
			for _, c := range codings {
				names = append(names, string(c))
			}
			got = strings.Join(names, "+")
		} else if v.Rule != string(rules.ContentEncoding) {
			t.Errorf("%q: verdict rule %q, want %q", tt.values, v.Rule, string(rules.ContentEncoding))
		}
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.values, got, tt.want)
		}
	}
}
