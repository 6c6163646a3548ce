package derive

import (
	"cmp"
	"fmt"
	"sort"
	"strings"
)

// typeDef is one schema of the derived subset: an object type (with its own properties; inherited ones are
// added when emitted) or an enum type.
type typeDef struct {
	Name     string
	Title    string
	Enum     []string
	Flags    bool
	Base     string
	Abstract bool
	Open     bool
	Source   string
	Props    map[string]*propDef
	Required []string
	fixes    map[string]bool
}

// propDef is one property: a primitive, or a reference to a complex or enum type; single-valued or a collection.
type propDef struct {
	Ref          string
	Prim         *primitive
	Collection   bool
	Nullable     bool // the property's, or for a collection its items'
	ReadOnly     string
	DescReadOnly bool
	Source       string
	DeclaredIn   string
}

// primitive is a primitive property type in the slices' conventions.
type primitive struct {
	Type, Format, Pattern string
	Min, Max              *float64
}

func (t *typeDef) fix(f fix) {
	if t.fixes == nil {
		t.fixes = map[string]bool{}
	}
	t.fixes[f.ID] = true
}

// builder derives the subset of one version.
type builder struct {
	version   string
	sliceFile string
	slice     map[string]*sliceSchema
	csdl      *csdlModel
	aliases   map[string]string
	types     map[string]*typeDef
	pending   []string
}

// need queues a type for the subset.
func (b *builder) need(name string) {
	if _, ok := b.types[name]; !ok {
		b.pending = append(b.pending, name)
	}
}

// run takes the closure of the queued types over base and property types.
func (b *builder) run() error {
	for len(b.pending) > 0 {
		name := b.pending[len(b.pending)-1]
		b.pending = b.pending[:len(b.pending)-1]
		if _, ok := b.types[name]; ok {
			continue
		}
		t, err := b.resolve(name)
		if err != nil {
			return err
		}
		b.types[name] = t
		b.queueReferences(t)
	}
	return nil
}

func (b *builder) queueReferences(t *typeDef) {
	if t.Base != "" {
		b.need(t.Base)
	}
	for _, p := range t.Props {
		if p.Ref != "" {
			b.need(p.Ref)
		}
	}
}

// resolve builds a type from the slice when the slice has it, else from the CSDL.
func (b *builder) resolve(name string) (*typeDef, error) {
	if s, ok := b.slice[name]; ok {
		return b.fromSlice(name, s)
	}
	if members, ok := b.csdl.enums[name]; ok {
		t := &typeDef{Name: name, Title: shortName(name), Enum: append([]string(nil), members...), Source: CSDLV1.File}
		t.fix(fixCSDLTypes)
		return t, nil
	}
	if ct, ok := b.csdl.types[name]; ok {
		return b.fromCSDL(name, ct)
	}
	return nil, fmt.Errorf("%s: type %s is in neither %s nor %s", b.version, name, b.sliceFile, CSDLV1.File)
}

func shortName(name string) string { return name[strings.LastIndex(name, ".")+1:] }

// fromSlice converts a slice schema, merging what the CSDL adds (abstract, open, missing members).
func (b *builder) fromSlice(name string, s *sliceSchema) (*typeDef, error) {
	if err := s.unsupported(name); err != nil {
		return nil, err
	}
	if s.Enum != nil {
		return b.sliceEnum(name, s)
	}
	base, body, err := s.split(name)
	if err != nil {
		return nil, err
	}
	if err := body.unsupported(name); err != nil {
		return nil, err
	}
	t := &typeDef{Name: name, Title: cmp.Or(body.Title, shortName(name)), Base: base, Source: b.sliceFile, Props: map[string]*propDef{}, Required: body.Required}
	if body.AdditionalProperties != nil {
		t.fix(fixOpen)
	}
	if base != "" {
		t.fix(fixFlatten)
	}
	for pname, ps := range body.Properties {
		p, err := b.sliceProp(name, pname, ps)
		if err != nil {
			return nil, err
		}
		t.Props[pname] = p
	}
	if err := b.mergeCSDL(t); err != nil {
		return nil, err
	}
	return t, nil
}

func (b *builder) sliceEnum(name string, s *sliceSchema) (*typeDef, error) {
	if s.Type != "string" {
		return nil, fmt.Errorf("%s: enum of type %q, want string", name, s.Type)
	}
	t := &typeDef{Name: name, Title: cmp.Or(s.Title, shortName(name)), Enum: s.Enum, Source: b.sliceFile}
	if s.EnumFlags != nil && s.EnumFlags.IsFlags {
		t.Flags = true
		t.fix(fixFlags)
	}
	return t, nil
}

// sliceProp converts one property of a slice schema.
func (b *builder) sliceProp(typeName, pname string, ps *sliceSchema) (*propDef, error) {
	where := typeName + "." + pname
	if err := ps.unsupported(where); err != nil {
		return nil, err
	}
	p := &propDef{DescReadOnly: descSaysReadOnly(ps.Description)}
	item := ps
	if ps.Type == "array" {
		if ps.Items == nil {
			return nil, fmt.Errorf("%s: array without items", where)
		}
		if err := ps.Items.unsupported(where + "[]"); err != nil {
			return nil, err
		}
		p.Collection, item = true, ps.Items
	}
	switch {
	case item.Ref != "":
		p.Ref = refName(item.Ref)
		p.Nullable = b.csdlNullable(typeName, pname)
	case item.Type == "":
		return nil, fmt.Errorf("%s: neither $ref nor type", where)
	default:
		p.Prim = &primitive{Type: item.Type, Format: item.Format, Pattern: item.Pattern, Min: item.Minimum, Max: item.Maximum}
		p.Nullable = item.Nullable
	}
	return p, nil
}

// csdlNullable is the CSDL's nullability of a property (for a collection, of its items); a property the
// CSDL lacks (beta-only) gets OData's default, nullable.
func (b *builder) csdlNullable(typeName, pname string) bool {
	if p, ok := b.csdl.prop(typeName, pname); ok {
		return p.nullable()
	}
	return true
}

// prop finds a structural or navigation property declared on a CSDL type.
func (m *csdlModel) prop(typeName, pname string) (csdlProp, bool) {
	ct, ok := m.types[typeName]
	if !ok {
		return csdlProp{}, false
	}
	for _, list := range [][]csdlProp{ct.Props, ct.NavProps} {
		for _, p := range list {
			if p.Name == pname {
				return p, true
			}
		}
	}
	return csdlProp{}, false
}

// mergeCSDL adds to a slice type what the CSDL says and the slice does not: abstract, open, missing members.
func (b *builder) mergeCSDL(t *typeDef) error {
	ct, ok := b.csdl.types[t.Name]
	if !ok {
		return nil
	}
	t.Abstract, t.Open = ct.Abstract, ct.OpenType
	t.fix(fixAbstract)
	for _, list := range [][]csdlProp{ct.Props, ct.NavProps} {
		for _, cp := range list {
			if _, ok := t.Props[cp.Name]; ok {
				continue
			}
			p, err := b.csdlPropDef(cp)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", t.Name, cp.Name, err)
			}
			p.Source = CSDLV1.File
			t.Props[cp.Name] = p
			t.fix(fixCSDLMembers)
		}
	}
	return nil
}

// fromCSDL converts a CSDL structured type.
func (b *builder) fromCSDL(name string, ct *csdlType) (*typeDef, error) {
	t := &typeDef{Name: name, Title: ct.Name, Base: qualify(ct.BaseType, b.aliases), Abstract: ct.Abstract,
		Open: ct.OpenType, Source: CSDLV1.File, Props: map[string]*propDef{}}
	t.fix(fixCSDLTypes)
	t.fix(fixAbstract)
	if t.Base != "" {
		t.fix(fixFlatten)
	}
	for _, list := range [][]csdlProp{ct.Props, ct.NavProps} {
		for _, cp := range list {
			p, err := b.csdlPropDef(cp)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", name, cp.Name, err)
			}
			t.Props[cp.Name] = p
		}
	}
	return t, nil
}

// csdlPropDef converts a CSDL property with the conventions Microsoft's OpenAPI converter uses in the slices.
func (b *builder) csdlPropDef(cp csdlProp) (*propDef, error) {
	inner, coll := splitCollection(qualify(cp.Type, b.aliases))
	inner = qualify(inner, b.aliases)
	p := &propDef{Collection: coll, Nullable: cp.nullable()}
	if !strings.HasPrefix(inner, "Edm.") {
		p.Ref = inner
		return p, nil
	}
	prim, ok := edmPrimitives[inner]
	if !ok {
		return nil, fmt.Errorf("primitive type %s has no conversion", inner)
	}
	p.Prim = &prim
	return p, nil
}

var (
	int32Min, int32Max = float64(-2147483648), float64(2147483647)
	// edmPrimitives maps the CSDL primitive types the subset uses to the slices' OpenAPI form.
	edmPrimitives = map[string]primitive{
		"Edm.String":  {Type: "string"},
		"Edm.Boolean": {Type: "boolean"},
		"Edm.Int32":   {Type: "integer", Format: "int32", Min: &int32Min, Max: &int32Max},
		"Edm.Int64":   {Type: "integer", Format: "int64"},
	}
)

// addSubtypes queues every subtype of base found in the slice or the CSDL.
func (b *builder) addSubtypes(base string) {
	var names []string
	for name, s := range b.slice {
		if len(s.AllOf) == 2 && refName(s.AllOf[0].Ref) == base {
			names = append(names, name)
		}
	}
	for name, ct := range b.csdl.types {
		if qualify(ct.BaseType, b.aliases) == base && strings.HasPrefix(name, "microsoft.graph.") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		b.need(n)
	}
}
