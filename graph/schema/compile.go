package schema

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/callcheck/callcheck/graph/schema/internal/derive"
)

// model is a derived document compiled for validation: every type with its properties resolved and a
// shallow kin-openapi schema per object type, where a property of a structured type is only checked to be
// an object (or null, or an array of them) because the walker validates it as its concrete type.
type model struct {
	doc         *openapi3.T
	types       map[string]*typeInfo
	objectNames []string
	// names are the member names and "#"-prefixed type names of the subset:
	// decoding a body reuses these strings rather than allocating its own.
	names map[string]string
}

// typeInfo is one type of the subset.
type typeInfo struct {
	name     string
	object   bool
	abstract bool
	base     *typeInfo
	baseName string
	props    map[string]*propInfo
	shallow  *openapi3.Schema
	fast     *fastObject      // accepts without kin-openapi what it certainly finds valid against shallow
	schema   *openapi3.Schema // the type's schema in the derived document
	concrete []string         // the non-abstract types that are this type or derive from it, sorted
}

// propInfo is one declared property of an object type.
type propInfo struct {
	name           string
	declaredIn     string
	collection     bool
	nullable       bool
	readOnly       bool
	readOnlySource string
	elem           *typeInfo // the structured type of the value (or items); nil otherwise
	enum           *typeInfo // the enum type of the value (or items); nil otherwise
	primitive      string    // the OpenAPI type of a primitive value (or items)
	format         string
}

func (t *typeInfo) isA(base *typeInfo) bool {
	for c := t; c != nil; c = c.base {
		if c == base {
			return true
		}
	}
	return false
}

// compile loads a derived document with kin-openapi, validates it and builds the model.
func compile(data []byte) (*model, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	m := &model{doc: doc, types: map[string]*typeInfo{}}
	for name, ref := range doc.Components.Schemas {
		m.types[name] = &typeInfo{name: name, schema: ref.Value, object: ref.Value.Type.Is(openapi3.TypeObject)}
	}
	for _, t := range m.types {
		if err := m.link(t); err != nil {
			return nil, err
		}
	}
	m.finish()
	return m, nil
}

// link resolves the base type and the properties of an object type and builds its shallow schema.
func (m *model) link(t *typeInfo) error {
	if !t.object {
		return nil
	}
	t.abstract, _ = t.schema.Extensions[derive.ExtAbstract].(bool)
	if base, ok := t.schema.Extensions[derive.ExtBaseType].(string); ok {
		if t.base = m.types[base]; t.base == nil {
			return fmt.Errorf("%s: base type %s is not in the document", t.name, base)
		}
		t.baseName = base
	}
	t.props = make(map[string]*propInfo, len(t.schema.Properties))
	t.shallow = &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Required: t.schema.Required,
		Properties: make(openapi3.Schemas, len(t.schema.Properties))}
	for name, ref := range t.schema.Properties {
		p, shallow, err := m.property(name, ref)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", t.name, name, err)
		}
		t.props[name] = p
		t.shallow.Properties[name] = openapi3.NewSchemaRef("", shallow)
	}
	t.fast = compileFast(t.shallow)
	return nil
}

// property resolves one property schema of the derived document and returns its shallow schema.
func (m *model) property(name string, ref *openapi3.SchemaRef) (*propInfo, *openapi3.Schema, error) {
	p := &propInfo{name: name}
	item := ref
	if s := ref.Value; ref.Ref == "" {
		p.readOnly = s.ReadOnly
		p.declaredIn, _ = s.Extensions[derive.ExtDeclaredIn].(string)
		p.readOnlySource, _ = s.Extensions[derive.ExtReadOnlySource].(string)
		if s.Type.Is(openapi3.TypeArray) {
			p.collection, item = true, s.Items
		}
	}
	shallowItem, err := m.item(p, item)
	if err != nil {
		return nil, nil, err
	}
	if !p.collection {
		return p, shallowItem, nil
	}
	return p, &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeArray}, Items: openapi3.NewSchemaRef("", shallowItem)}, nil
}

// item resolves the value (or item) schema of a property: a primitive, or a reference to an enum or
// structured type, bare or wrapped in allOf with nullable (fixes nullable-refs).
func (m *model) item(p *propInfo, ref *openapi3.SchemaRef) (*openapi3.Schema, error) {
	s := ref.Value
	target, nullable := "", s.Nullable
	switch {
	case ref.Ref != "":
		target, nullable = refTarget(ref.Ref), false
	case len(s.AllOf) == 1:
		target = refTarget(s.AllOf[0].Ref)
	case s.Type != nil && len(*s.Type) == 1:
		p.primitive, p.format, p.nullable = (*s.Type)[0], s.Format, s.Nullable
		return withoutFormatBounds(s), nil
	default:
		return nil, fmt.Errorf("unsupported property schema (neither primitive nor allOf: [$ref])")
	}
	t := m.types[target]
	if t == nil {
		return nil, fmt.Errorf("reference to %q, not in the document", target)
	}
	p.nullable = nullable
	if t.object {
		p.elem = t
		return &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Nullable: nullable}, nil
	}
	p.enum = t
	enum := *t.schema // a copy: the property's nullability must not leak into the shared enum schema
	enum.Nullable = nullable
	enum.Extensions = nil
	return &enum, nil
}

// withoutFormatBounds drops minimum and maximum when they only restate the int32 format, which kin-openapi
// checks on its own: one out-of-range value gives one violation, not three.
func withoutFormatBounds(s *openapi3.Schema) *openapi3.Schema {
	if s.Format != "int32" || s.Min == nil || s.Max == nil || *s.Min != math.MinInt32 || *s.Max != math.MaxInt32 {
		return s
	}
	c := *s
	c.Min, c.Max = nil, nil
	return &c
}

// refTarget returns the type name of a reference to a component schema. kin-openapi keeps the reference
// as written (#/components/schemas/x) in a document loaded from data.
func refTarget(ref string) string {
	return strings.TrimPrefix(ref, "#/components/schemas/")
}

// finish computes, per type, the concrete types that fit it, and the sorted name list.
func (m *model) finish() {
	for _, t := range m.types {
		if !t.object {
			continue
		}
		m.objectNames = append(m.objectNames, t.name)
		for c := t; c != nil; c = c.base {
			if !t.abstract {
				c.concrete = append(c.concrete, t.name)
			}
		}
	}
	sort.Strings(m.objectNames)
	m.names = map[string]string{odataType: odataType}
	for _, t := range m.types {
		sort.Strings(t.concrete)
		m.names["#"+t.name] = "#" + t.name
		for k := range t.props {
			m.names[k] = k
		}
	}
}

// public converts the property to its exported description.
func (p *propInfo) public() Property {
	out := Property{Name: p.name, Collection: p.collection, Nullable: p.nullable, ReadOnly: p.readOnly,
		ReadOnlySource: p.readOnlySource, DeclaredIn: p.declaredIn, Type: p.primitive}
	switch {
	case p.elem != nil:
		out.Type = p.elem.name
	case p.enum != nil:
		out.Type = p.enum.name
	}
	return out
}

// expected describes what the property admits, for messages: "string", "microsoft.graph.chatInfo or null",
// "array of microsoft.graph.invitationParticipantInfo".
func (p *propInfo) expected() string {
	if p.collection {
		return "array of " + p.expectedItem()
	}
	return p.expectedItem()
}

// expectedItem describes one value of the property (one item for a collection).
func (p *propInfo) expectedItem() string {
	item := p.primitive
	if p.format != "" {
		item += " (" + p.format + ")"
	}
	switch {
	case p.elem != nil:
		item = "object " + p.elem.name
	case p.enum != nil:
		item = p.enum.name + " value"
	}
	if p.nullable {
		item += " or null"
	}
	return item
}
