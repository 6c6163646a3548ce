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

	"gopkg.in/yaml.v3"
)

// Decode decodes data over v (a pointer), strictly.
func Decode(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}
