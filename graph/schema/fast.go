package schema

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// A fastObject accepts, without kin-openapi, the objects that kin-openapi
// certainly finds valid against a type's shallow schema: every property
// present has a value of the plain kind its schema admits and every
// required property is present. It decides nothing else: an object it does
// not accept is validated by kin-openapi, which words the violations (or
// finds none, where the fast path was only not sure). Only schemas made of
// type, nullable, int32/int64 formats and enum members are covered; a
// property with anything more (a pattern, a string format, bounds) sends
// every object that has it to kin-openapi. FuzzFastPathAgreesWithKin and
// TestFastPathAgreesWithKinOnEveryProperty hold the two to the same
// answers.
//
// Why: kin-openapi's per-object work (validation settings, component
// names, its visit) was about 24 allocations and 7% of the emulator
// process's CPU per create (emubench's profile at 10,000/s), nearly all of
// it spent on objects that are valid.
type fastObject struct {
	required []string
	props    map[string]fastValue
}

// fastValue is what the fast path accepts of one property's value.
type fastValue struct {
	kind     fastKind
	nullable bool                // null is accepted (never for an enum: kin decides)
	members  map[string]struct{} // fastEnum: the members, as spelled
	item     *fastValue          // fastArray: each item
}

type fastKind uint8

const (
	fastNone    fastKind = iota // always decided by kin-openapi
	fastString                  // any string
	fastEnum                    // a string spelled as one of members
	fastBoolean                 // true or false
	fastInt32                   // an integer in int32's range, written as one
	fastInt64                   // an integer within ±2^53 (exact as float64), written as one
	fastObjectK                 // any object (the walker validates it as its type)
	fastArray                   // an array of items
)

// compileFast builds the fast path of a shallow object schema.
func compileFast(s *openapi3.Schema) *fastObject {
	f := &fastObject{required: s.Required, props: make(map[string]fastValue, len(s.Properties))}
	for name, ref := range s.Properties {
		f.props[name] = compileFastValue(ref.Value, true)
	}
	return f
}

// compileFastValue classifies one property (or item) schema; arrays only
// at the top (a property's items are never arrays in the subset).
func compileFastValue(s *openapi3.Schema, top bool) fastValue {
	if s == nil || s.Type == nil || len(*s.Type) != 1 || !onlyPlain(s) {
		return fastValue{}
	}
	v := fastValue{nullable: s.Nullable}
	switch t := (*s.Type)[0]; {
	case len(s.Enum) > 0:
		if t != openapi3.TypeString || s.Format != "" {
			return fastValue{}
		}
		v.kind, v.nullable, v.members = fastEnum, false, make(map[string]struct{}, len(s.Enum))
		for _, m := range s.Enum {
			ms, ok := m.(string)
			if !ok {
				return fastValue{}
			}
			v.members[ms] = struct{}{}
		}
	case t == openapi3.TypeInteger && s.Format == "int32":
		v.kind = fastInt32
	case t == openapi3.TypeInteger && s.Format == "int64":
		v.kind = fastInt64
	case s.Format != "":
		return fastValue{}
	case t == openapi3.TypeString:
		v.kind = fastString
	case t == openapi3.TypeBoolean:
		v.kind = fastBoolean
	case t == openapi3.TypeObject:
		v.kind = fastObjectK
	case t == openapi3.TypeArray && top && s.Items != nil:
		item := compileFastValue(s.Items.Value, false)
		if item.kind == fastNone {
			return fastValue{}
		}
		v.kind, v.item = fastArray, &item
	default:
		return fastValue{}
	}
	return v
}

// onlyPlain reports whether s constrains a value by nothing but its type,
// format, nullability, enum members and items: every other field that can
// make kin-openapi refuse a value (a pattern, bounds, lengths, properties,
// composition, OpenAPI 3.1's keywords) is unset. Fields that only annotate
// are ignored; readOnly is among them because kin-openapi enforces it only
// when asked to validate a request, which the walker does itself.
func onlyPlain(s *openapi3.Schema) bool {
	c := *s
	c.Extensions, c.Origin, c.Title, c.Description, c.Default, c.Example, c.Examples = nil, nil, "", "", nil, nil, nil
	c.ExternalDocs, c.ReadOnly, c.WriteOnly, c.AllowEmptyValue, c.Deprecated, c.XML, c.Comment = nil, false, false, false, false, nil, ""
	c.Type, c.Format, c.Nullable, c.Enum, c.Items = nil, "", false, nil, nil
	return reflect.DeepEqual(c, openapi3.Schema{})
}

// accepts reports whether kin-openapi certainly finds obj valid.
func (f *fastObject) accepts(obj map[string]any) bool {
	if f == nil {
		return false
	}
	for _, r := range f.required {
		if _, ok := obj[r]; !ok {
			return false
		}
	}
	for key, value := range obj {
		p, declared := f.props[key]
		if declared && !p.accepts(value) {
			return false
		}
	}
	return true
}

func (p *fastValue) accepts(value any) bool {
	if value == nil {
		return p.nullable && p.kind != fastNone
	}
	switch p.kind {
	case fastString:
		_, ok := value.(string)
		return ok
	case fastEnum:
		s, ok := value.(string)
		if !ok {
			return false
		}
		_, ok = p.members[s]
		return ok
	case fastBoolean:
		_, ok := value.(bool)
		return ok
	case fastInt32, fastInt64:
		n, ok := value.(json.Number)
		if !ok {
			return false
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			return false
		}
		if p.kind == fastInt32 {
			return i >= math.MinInt32 && i <= math.MaxInt32
		}
		return i >= -(1<<53) && i <= 1<<53
	case fastObjectK:
		_, ok := value.(map[string]any)
		return ok
	case fastArray:
		items, ok := value.([]any)
		if !ok {
			return false
		}
		for _, it := range items {
			if !p.item.accepts(it) {
				return false
			}
		}
		return true
	}
	return false
}
