// Package schema validates bodies of the Microsoft Graph cloud-communications API (create-call requests,
// 201 responses, commsNotifications, error bodies) against the subset of Microsoft's published description
// that callcheck derives.
//
// The subset lives in derived/<version>.json, one OpenAPI 3.0 document per version, written by
// go generate (internal/gen, internal/derive) from Microsoft's OpenAPI slices and v1.0 CSDL kept gzipped
// in upstream/. It records the upstream digests, the generator's version, what was taken from where and
// the fixes applied to the published description (see internal/derive/table.go).
//
// Validation walks the body from the type asked for. Each JSON object is validated by kin-openapi against
// the schema of its concrete type: the type its @odata.type names when that type is the declared type of
// the property or derives from it (reported as type-mismatch otherwise, unknown-type when no such type
// exists), else the declared type; an object whose members are all plainly of the kind their schema
// admits (a string, a member of its enum, an int32, an object, …) is accepted without calling
// kin-openapi, which gets every other object and words every violation (fast.go). Nested objects are then walked the same way, so an
// #microsoft.graph.organizerMeetingInfo inside meetingInfo is validated as organizerMeetingInfo, which no
// OpenAPI validator does for allOf inheritance on its own. Objects under undeclared properties (the
// resourceData of a notification) are validated as the type their @odata.type names.
//
// Graph types are open: unknown properties and @odata.* annotations are allowed everywhere. Enum values are
// matched exactly as the metadata spells them by default, so a casing the metadata does not use
// ("Establishing", "completed" for operationStatus) is reported, with a message saying it matches when case
// is ignored; a receiver of real traffic, which sends both casings (graph-calls-facts.md §2), uses
// With(CaseInsensitiveEnums()).
//
// A Validator is safe for concurrent use.
package schema

//go:generate go run ./internal/gen -upstream upstream -out derived

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/callcheck/callcheck/internal/jsonptr"
)

// Version is an API version of Microsoft Graph.
type Version string

// The versions the package has a derived schema for.
const (
	Beta Version = "beta"
	V1   Version = "v1.0"
)

// Names of the types the harness validates most often.
const (
	// TypeCall is the body of a create request, of its 201 response and of a call notification's resourceData.
	TypeCall = "microsoft.graph.call"
	// TypeParticipant is an item of a roster notification's resourceData.
	TypeParticipant = "microsoft.graph.participant"
	// TypeCommsNotifications is the batch POSTed to a callbackUri.
	TypeCommsNotifications = "microsoft.graph.commsNotifications"
	// TypeCommsNotification is one notification of a batch.
	TypeCommsNotification = "microsoft.graph.commsNotification"
	// TypeODataError is an error body.
	TypeODataError = "microsoft.graph.ODataErrors.ODataError"
)

//go:embed derived/beta.json derived/v1.0.json
var derivedFS embed.FS

// loaded holds one lazily built Validator per version: the derived document is parsed and compiled once.
var loaded = map[Version]*lazyValidator{Beta: {}, V1: {}}

type lazyValidator struct {
	once sync.Once
	v    *Validator
	err  error
}

// Load returns the Validator of version v, built on first use from the embedded derived subset.
func Load(v Version) (*Validator, error) {
	l, ok := loaded[v]
	if !ok {
		return nil, fmt.Errorf("schema: unknown version %q: want %q or %q", v, Beta, V1)
	}
	l.once.Do(func() { l.v, l.err = build(v) })
	return l.v, l.err
}

// Derived returns the embedded derived document of version v (OpenAPI 3.0 JSON).
func Derived(v Version) ([]byte, error) {
	if _, ok := loaded[v]; !ok {
		return nil, fmt.Errorf("schema: unknown version %q: want %q or %q", v, Beta, V1)
	}
	return derivedFS.ReadFile("derived/" + string(v) + ".json")
}

func build(v Version) (*Validator, error) {
	data, err := Derived(v)
	if err != nil {
		return nil, err
	}
	m, err := compile(data)
	if err != nil {
		return nil, fmt.Errorf("schema: derived/%s.json: %w", v, err)
	}
	return &Validator{version: v, model: m}, nil
}

// Validator validates bodies against the derived subset of one version. The zero value is not usable: get
// one from Load. It is immutable and safe for concurrent use.
type Validator struct {
	version Version
	model   *model
	opts    options
}

// Version returns the API version whose subset v validates against.
func (v *Validator) Version() Version { return v.version }

// Types returns the names of the structured (object) types of the subset, sorted.
func (v *Validator) Types() []string {
	return append([]string(nil), v.model.objectNames...)
}

// lookup finds a type by name, with or without the leading '#' of an @odata.type value.
func (v *Validator) lookup(typeName string) *typeInfo {
	return v.model.types[strings.TrimPrefix(typeName, "#")]
}

// BaseType returns the base type of typeName ("" for a root type or an unknown name).
func (v *Validator) BaseType(typeName string) string {
	if t := v.lookup(typeName); t != nil && t.base != nil {
		return t.base.name
	}
	return ""
}

// DerivesFrom reports whether typeName is base or derives from it, directly or not.
func (v *Validator) DerivesFrom(typeName, base string) bool {
	t, b := v.lookup(typeName), v.lookup(base)
	return t != nil && b != nil && t.isA(b)
}

// Abstract reports whether typeName is abstract: a body must name one of its concrete subtypes.
func (v *Validator) Abstract(typeName string) bool {
	t := v.lookup(typeName)
	return t != nil && t.abstract
}

// Property describes one declared property of a type, inherited ones included.
type Property struct {
	// Name is the property's JSON name.
	Name string
	// Type is the declared type: a type name of the subset (microsoft.graph.chatInfo, microsoft.graph.callState)
	// or an OpenAPI primitive type (string, integer, boolean, number).
	Type string
	// Collection is true for a collection: Type is then the type of its items.
	Collection bool
	// Nullable tells whether null is allowed (for a collection: as an item).
	Nullable bool
	// ReadOnly tells whether the property must not be sent in a request.
	ReadOnly bool
	// ReadOnlySource says where the read-only fact comes from.
	ReadOnlySource string
	// DeclaredIn is the type declaring the property when it is inherited (or admitted from another type).
	DeclaredIn string
}

// Property returns the declared property name of typeName.
func (v *Validator) Property(typeName, name string) (Property, bool) {
	t := v.lookup(typeName)
	if t == nil {
		return Property{}, false
	}
	p, ok := t.props[name]
	if !ok {
		return Property{}, false
	}
	return p.public(), true
}

// Properties returns the declared properties of typeName, inherited ones included, sorted by name.
func (v *Validator) Properties(typeName string) []Property {
	t := v.lookup(typeName)
	if t == nil {
		return nil
	}
	out := make([]Property, 0, len(t.props))
	for _, p := range t.props {
		out = append(out, p.public())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ReadOnly reports whether property of typeName is read-only: present in responses, not to be sent in
// requests. The slices carry no readOnly and the CSDL no annotation for these types, so the facts come
// from graph-calls-facts.md §1.2 (Property.ReadOnlySource says which).
func (v *Validator) ReadOnly(typeName, property string) bool {
	p, ok := v.Property(typeName, property)
	return ok && p.ReadOnly
}

// TypeOf returns the declared type at an RFC 6901 JSON pointer below typeName, following declared
// properties and skipping array indices: TypeOf("microsoft.graph.call", "/targets/0/identity") is
// microsoft.graph.identitySet. It returns false when the pointer leaves the declared properties.
func (v *Validator) TypeOf(typeName, pointer string) (Property, bool) {
	t := v.lookup(typeName)
	if t == nil || (pointer != "" && !strings.HasPrefix(pointer, "/")) {
		return Property{}, false
	}
	prop := Property{Type: t.name}
	tokens := strings.Split(pointer, "/")[1:]
	for i := 0; i < len(tokens); i++ {
		if t == nil {
			return Property{}, false
		}
		p, ok := t.props[jsonptr.Unescape(tokens[i])]
		if !ok {
			return Property{}, false
		}
		prop, t = p.public(), p.elem
		if p.collection && i+1 < len(tokens) && isIndex(tokens[i+1]) {
			i++
		}
	}
	return prop, true
}

func isIndex(tok string) bool {
	if tok == "" {
		return false
	}
	for _, r := range tok {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
