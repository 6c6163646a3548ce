package emulator

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"

	"github.com/callcheck/callcheck/graph/rules"
)

// contentEncodingSource is the evidence for decoding compressed request
// bodies (graph/rules' content-encoding rule).
const contentEncodingSource = rules.SrcContentEncoding

// contentCoding is one decoder of a content coding.
type contentCoding string

// The content codings the emulator decodes (RFC 9110 §8.4.1).
const (
	codingGzip    contentCoding = "gzip"
	codingDeflate contentCoding = "deflate"
)

// errDecodedTooLarge is a body within the limit as received that exceeds it
// once decoded (a compression bomb).
var errDecodedTooLarge = errors.New("decoded body exceeds the size limit")

// parseContentEncoding reads the Content-Encoding header values with the
// rulebook (rules.CheckContentEncoding): the codings to undo, in the order
// they were applied, or the verdict refusing a coding the service does not
// decode.
func parseContentEncoding(values []string) ([]contentCoding, Verdict, bool) {
	names, f, bad := rules.CheckContentEncoding(values)
	if bad {
		return nil, Verdict{Rule: string(f.Rule), Severity: SeverityError, Source: f.Source, Message: f.Message}, false
	}
	codings := make([]contentCoding, 0, len(names))
	for _, n := range names {
		codings = append(codings, contentCoding(n))
	}
	return codings, Verdict{}, true
}

// decodeBody undoes codings (applied in order, so undone in reverse) and
// bounds each result by limit: errDecodedTooLarge beyond it.
func decodeBody(body []byte, codings []contentCoding, limit int64) ([]byte, error) {
	for i := len(codings) - 1; i >= 0; i-- {
		r, err := decoder(codings[i], body)
		if err != nil {
			return nil, fmt.Errorf("Content-Encoding %s: %w", codings[i], err)
		}
		out, err := io.ReadAll(io.LimitReader(r, limit+1))
		_ = r.Close()
		switch {
		case err != nil:
			return nil, fmt.Errorf("Content-Encoding %s: %w", codings[i], err)
		case int64(len(out)) > limit:
			return nil, errDecodedTooLarge
		}
		body = out
	}
	return body, nil
}

// decoder reads body as coding. deflate is the zlib format (RFC 9110
// §8.4.1.2), but some clients send raw DEFLATE; as browsers do, a body
// without a zlib header is read as raw DEFLATE.
func decoder(coding contentCoding, body []byte) (io.ReadCloser, error) {
	switch {
	case coding == codingGzip:
		return gzip.NewReader(bytes.NewReader(body))
	case hasZlibHeader(body):
		return zlib.NewReader(bytes.NewReader(body))
	default:
		return flate.NewReader(bytes.NewReader(body)), nil
	}
}

// hasZlibHeader reports whether body starts with a zlib header: method 8
// (deflate) and a header checksum that is a multiple of 31 (RFC 1950 §2.2).
func hasZlibHeader(body []byte) bool {
	return len(body) >= 2 && body[0]&0x0f == 8 && (uint16(body[0])<<8|uint16(body[1]))%31 == 0
}
