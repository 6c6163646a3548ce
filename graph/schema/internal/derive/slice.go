package derive

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// sliceSchema is one schema object of Microsoft's OpenAPI slices, with the keywords they use. Any other
// keyword lands in Other, and the derivation refuses it rather than silently dropping a constraint.
type sliceSchema struct {
	Ref                  string                  `yaml:"$ref"`
	Title                string                  `yaml:"title"`
	Type                 string                  `yaml:"type"`
	Format               string                  `yaml:"format"`
	Pattern              string                  `yaml:"pattern"`
	Minimum              *float64                `yaml:"minimum"`
	Maximum              *float64                `yaml:"maximum"`
	Nullable             bool                    `yaml:"nullable"`
	Description          string                  `yaml:"description"`
	Enum                 []string                `yaml:"enum"`
	Required             []string                `yaml:"required"`
	Items                *sliceSchema            `yaml:"items"`
	AllOf                []*sliceSchema          `yaml:"allOf"`
	Properties           map[string]*sliceSchema `yaml:"properties"`
	AdditionalProperties *sliceSchema            `yaml:"additionalProperties"`
	EnumFlags            *struct {
		IsFlags bool `yaml:"isFlags"`
	} `yaml:"x-ms-enum-flags"`
	Other map[string]any `yaml:",inline"`
}

// ignoredKeywords are annotations of the slices that carry no constraint.
var ignoredKeywords = map[string]bool{
	"x-ms-navigationProperty":    true,
	"x-ms-primary-error-message": true,
}

// parseSlice reads components.schemas of an OpenAPI slice.
func parseSlice(data []byte, file string) (map[string]*sliceSchema, error) {
	var doc struct {
		Components struct {
			Schemas map[string]*sliceSchema `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Components.Schemas) == 0 {
		return nil, fmt.Errorf("%s: no components.schemas", file)
	}
	return doc.Components.Schemas, nil
}

// refName returns the schema name a local reference points to.
func refName(ref string) string { return strings.TrimPrefix(ref, "#/components/schemas/") }

// split returns the base type and the body of a slice schema: allOf: [$ref base, body] or the schema itself.
func (s *sliceSchema) split(name string) (base string, body *sliceSchema, err error) {
	switch len(s.AllOf) {
	case 0:
		return "", s, nil
	case 2:
		if s.AllOf[0].Ref == "" {
			return "", nil, fmt.Errorf("%s: allOf[0] is not a $ref", name)
		}
		return refName(s.AllOf[0].Ref), s.AllOf[1], nil
	default:
		return "", nil, fmt.Errorf("%s: allOf with %d members, want 2 (base, body)", name, len(s.AllOf))
	}
}

// unsupported reports the first keyword of s the derivation does not handle.
func (s *sliceSchema) unsupported(where string) error {
	keys := make([]string, 0, len(s.Other))
	for k := range s.Other {
		if !ignoredKeywords[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Strings(keys)
	return fmt.Errorf("%s: unsupported keyword %q", where, keys[0])
}

// descSaysReadOnly reports whether a description calls the property read-only.
func descSaysReadOnly(desc string) bool {
	return strings.Contains(strings.ToLower(desc), "read-only")
}
