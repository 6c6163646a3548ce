// Package yamlfile decodes callcheck's configuration files the one strict
// way: YAML (of which JSON is a subset) over an existing value, so that the
// fields a file sets replace the value's and the others stay; a field the
// value does not have is an error naming it and its line; an empty file sets
// nothing.
package yamlfile

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// Decode decodes data over v (a pointer), strictly. Its error is one line:
// the YAML decoder lists several problems on lines of their own and quotes
// values that may span lines, so they are joined by "; " and the newlines
// inside them written as \n.
func Decode(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return oneLineError{err}
	}
	return nil
}

// oneLineError is a decoding error written on one line.
type oneLineError struct{ err error }

func (e oneLineError) Error() string {
	msg := e.err.Error()
	if t, ok := e.err.(*yaml.TypeError); ok {
		msg = "yaml: " + strings.Join(t.Errors, "; ")
	}
	return strings.ReplaceAll(msg, "\n", `\n`)
}

func (e oneLineError) Unwrap() error { return e.err }
