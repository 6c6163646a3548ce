// Package derive derives the schema subset callcheck validates against from Microsoft's published
// descriptions of the cloud-communications API: the OpenAPI slices (beta, v1.0) and the v1.0 CSDL.
//
// table.go says what is taken from where and which fixes are applied, and why; the other files carry it
// out. The output, one OpenAPI 3.0 JSON document per version, is byte-for-byte reproducible from the
// same inputs and records the inputs' digests and the generator's version.
package derive

import (
	"fmt"
)

// GeneratorVersion is recorded in the derived documents; bump it when the derivation changes its output.
const GeneratorVersion = "1"

// GeneratorName is the program that writes the derived documents (go generate in graph/schema).
const GeneratorName = "github.com/callcheck/callcheck/graph/schema/internal/gen"

// Versions are the API versions derived, in order; each names its document (derived/<version>.json).
var Versions = []string{"beta", "v1.0"}

// DeriveAll derives the document of every version from verified inputs, keyed by version.
func DeriveAll(in Inputs) (map[string][]byte, error) {
	csdl, aliases, err := parseCSDL(in.CSDL)
	if err != nil {
		return nil, err
	}
	slices := map[string]struct {
		data []byte
		up   Upstream
	}{"beta": {in.SliceBeta, SliceBeta}, "v1.0": {in.SliceV1, SliceV1}}
	out := map[string][]byte{}
	for _, v := range Versions {
		s := slices[v]
		doc, err := deriveVersion(v, s.data, s.up, csdl, aliases)
		if err != nil {
			return nil, err
		}
		out[v] = doc
	}
	return out, nil
}

func deriveVersion(version string, sliceData []byte, up Upstream, csdl *csdlModel, aliases map[string]string) ([]byte, error) {
	slice, err := parseSlice(sliceData, up.File)
	if err != nil {
		return nil, err
	}
	b := &builder{version: version, sliceFile: up.File, slice: slice, csdl: csdl, aliases: aliases, types: map[string]*typeDef{}}
	for _, r := range roots {
		b.need(r.name)
	}
	for _, r := range subtypesOf {
		b.addSubtypes(r.name)
	}
	for _, name := range identitySubtypes {
		b.need(name)
	}
	if err := b.run(); err != nil {
		return nil, err
	}
	if err := b.applyFixes(); err != nil {
		return nil, err
	}
	return marshal(b.document(up))
}

// document assembles the OpenAPI document of the version.
func (b *builder) document(up Upstream) map[string]any {
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":   fmt.Sprintf("callcheck subset of the Microsoft Graph cloud-communications API (%s)", b.version),
			"version": b.version,
			"description": "Derived by " + GeneratorName + " (go generate ./graph/schema) from the upstream files listed " +
				"in x-callcheck-upstream, with the fixes in x-callcheck-fixes. Do not edit: regenerate.",
			"x-callcheck-generator": map[string]any{"name": GeneratorName, "version": GeneratorVersion},
			"x-callcheck-upstream":  []Upstream{up, CSDLV1},
			"x-callcheck-fixes":     allFixes,
			"x-callcheck-roots":     rootsDoc(),
		},
		"paths": map[string]any{"/communications/calls": map[string]any{"post": createCall()}},
		"components": map[string]any{
			"schemas": b.schemas(),
			"responses": map[string]any{"error": map[string]any{
				"description": "error",
				"content":     jsonContent("microsoft.graph.ODataErrors.ODataError"),
			}},
		},
	}
}

func rootsDoc() []map[string]string {
	var out []map[string]string
	for _, r := range roots {
		out = append(out, map[string]string{"type": r.name, "why": r.why})
	}
	for _, r := range subtypesOf {
		out = append(out, map[string]string{"subtypesOf": r.name, "why": r.why})
	}
	for _, name := range identitySubtypes {
		out = append(out, map[string]string{"type": name, "why": "identity subtype of the communications API (graph-calls-facts.md §1.4)"})
	}
	return out
}

// createCall is the operation of both slices (operationId communication_CreateCall), kept as the subset's one path.
func createCall() map[string]any {
	return map[string]any{
		"operationId": "communication_CreateCall",
		"summary":     "Create call",
		"requestBody": map[string]any{"required": true, "content": jsonContent("microsoft.graph.call")},
		"responses": map[string]any{
			"2XX":     map[string]any{"description": "Created call.", "content": jsonContent("microsoft.graph.call")},
			"default": map[string]any{"$ref": "#/components/responses/error"},
		},
	}
}

func jsonContent(typeName string) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": schemaRef + typeName}}}
}
