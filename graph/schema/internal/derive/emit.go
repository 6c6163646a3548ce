package derive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Extension keywords the derived documents carry. The validator in package schema reads them.
const (
	// ExtBaseType names the base type of a flattened type (flatten-allOf).
	ExtBaseType = "x-callcheck-baseType"
	// ExtAbstract marks an abstract type: a body must name a concrete subtype (abstract-open).
	ExtAbstract = "x-callcheck-abstract"
	// ExtOpenType marks a type the CSDL declares OpenType (abstract-open).
	ExtOpenType = "x-callcheck-openType"
	// ExtSource names the upstream file (or facts section) a type or property comes from.
	ExtSource = "x-callcheck-source"
	// ExtFixes lists the ids of the fixes applied to a type.
	ExtFixes = "x-callcheck-fixes"
	// ExtDeclaredIn names the type declaring an inherited or admitted property.
	ExtDeclaredIn = "x-callcheck-declaredIn"
	// ExtReadOnlySource says where a property's readOnly comes from (read-only).
	ExtReadOnlySource = "x-callcheck-readOnlySource"
	// ExtDescReadOnly marks a property whose slice description says "Read-only" (recorded, not enforced).
	ExtDescReadOnly = "x-callcheck-descriptionSaysReadOnly"
	// ExtFlagsMembers lists the members of a flags enum, checked by pattern (flags-enums).
	ExtFlagsMembers = "x-callcheck-flagsMembers"
)

const schemaRef = "#/components/schemas/"

// schemas emits components.schemas: every type of the subset, object types flattened.
func (b *builder) schemas() map[string]any {
	out := make(map[string]any, len(b.types))
	for name, t := range b.types {
		if t.Enum != nil {
			out[name] = t.enumSchema()
		} else {
			out[name] = b.objectSchema(t)
		}
	}
	return out
}

func (t *typeDef) enumSchema() map[string]any {
	s := map[string]any{"type": "string", "title": t.Title, ExtSource: t.Source}
	if t.Flags {
		s["pattern"] = flagsPattern(t.Enum)
		s[ExtFlagsMembers] = t.Enum
		s["x-ms-enum-flags"] = map[string]any{"isFlags": true}
	} else {
		s["enum"] = t.Enum
	}
	if fixes := t.fixIDs(); len(fixes) > 0 {
		s[ExtFixes] = fixes
	}
	return s
}

// flagsPattern admits one member or a comma-separated combination of members.
func flagsPattern(members []string) string {
	quoted := make([]string, len(members))
	for i, m := range members {
		quoted[i] = regexp.QuoteMeta(m)
	}
	one := "(" + strings.Join(quoted, "|") + ")"
	return "^" + one + "(, ?" + one + ")*$"
}

func (t *typeDef) fixIDs() []string {
	var ids []string
	for _, f := range allFixes {
		if t.fixes[f.ID] {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

func (b *builder) objectSchema(t *typeDef) map[string]any {
	s := map[string]any{"type": "object", "title": t.Title, "properties": b.flatProperties(t), ExtSource: t.Source}
	if t.Base != "" {
		s[ExtBaseType] = t.Base
	}
	if t.Abstract {
		s[ExtAbstract] = true
	}
	if t.Open {
		s[ExtOpenType] = true
	}
	if len(t.Required) > 0 {
		s["required"] = t.Required
	}
	if fixes := t.fixIDs(); len(fixes) > 0 {
		s[ExtFixes] = fixes
	}
	return s
}

// flatProperties returns the inherited and own properties of t (fixFlatten).
func (b *builder) flatProperties(t *typeDef) map[string]any {
	props := map[string]any{}
	var chain []*typeDef
	for c := t; c != nil; c = b.types[c.Base] {
		chain = append(chain, c)
		if c.Base == "" {
			break
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for name, p := range chain[i].Props {
			declaredIn := p.DeclaredIn
			if declaredIn == "" && chain[i] != t {
				declaredIn = chain[i].Name
			}
			props[name] = p.schema(declaredIn)
		}
	}
	return props
}

// schema emits one property. A $ref never has siblings (OpenAPI 3.0 ignores them): annotations and
// nullability wrap it in allOf (fixNullable).
func (p *propDef) schema(declaredIn string) map[string]any {
	var s map[string]any
	if p.Collection {
		s = map[string]any{"type": "array", "items": p.single(false)}
	} else {
		s = p.single(p.ReadOnly != "" || p.DescReadOnly || p.Source != "" || declaredIn != "")
	}
	if p.ReadOnly != "" {
		s["readOnly"] = true
		s[ExtReadOnlySource] = p.ReadOnly
	}
	if p.DescReadOnly {
		s[ExtDescReadOnly] = true
	}
	if p.Source != "" {
		s[ExtSource] = p.Source
	}
	if declaredIn != "" {
		s[ExtDeclaredIn] = declaredIn
	}
	return s
}

// single emits the schema of one value: a primitive, or a reference wrapped when it is nullable or will be annotated.
func (p *propDef) single(annotated bool) map[string]any {
	if p.Ref == "" {
		s := map[string]any{"type": p.Prim.Type}
		if p.Prim.Format != "" {
			s["format"] = p.Prim.Format
		}
		if p.Prim.Pattern != "" {
			s["pattern"] = p.Prim.Pattern
		}
		if p.Prim.Min != nil {
			s["minimum"] = *p.Prim.Min
		}
		if p.Prim.Max != nil {
			s["maximum"] = *p.Prim.Max
		}
		if p.Nullable {
			s["nullable"] = true
		}
		return s
	}
	ref := map[string]any{"$ref": schemaRef + p.Ref}
	if !p.Nullable && !annotated {
		return ref
	}
	s := map[string]any{"allOf": []any{ref}}
	if p.Nullable {
		s["nullable"] = true
	}
	return s
}

// marshal writes v as indented JSON with a final newline, keys sorted, nothing HTML-escaped: the same bytes
// for the same input.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("derive: marshal: %w", err)
	}
	return buf.Bytes(), nil
}
