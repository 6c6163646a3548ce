package schema

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

const odataType = "@odata.type"

// walker validates one decoded body: each object against its concrete type with kin-openapi, then its
// structured properties recursively.
type walker struct {
	v       *Validator
	request bool
	path    []segment
	out     []Violation
	fixes   []EnumFix // enum values matched only when case is ignored
}

func (w *walker) push(key string) { w.path = append(w.path, segment{key: key, index: -1}) }
func (w *walker) pushIndex(i int) { w.path = append(w.path, segment{index: i}) }
func (w *walker) pop()            { w.path = w.path[:len(w.path)-1] }

func (w *walker) add(kind ViolationKind, typeName, msg string) {
	w.out = append(w.out, Violation{Pointer: pointer(w.path, nil), Kind: kind, Type: typeName, Message: msg})
}

// root validates the top-level value, which must be an object of type t.
func (w *walker) root(value any, t *typeInfo) {
	obj, ok := value.(map[string]any)
	if !ok {
		w.add(KindSchema, t.name, fmt.Sprintf("the body must be a JSON object (%s), got %s", t.name, describe(value)))
		return
	}
	w.object(obj, t)
}

// object validates obj, declared as type declared (nil under an undeclared property).
func (w *walker) object(obj map[string]any, declared *typeInfo) {
	t := w.concrete(obj, declared)
	if t == nil {
		w.dynamicMembers(obj)
		return
	}
	if w.v.opts.noFastPath || !t.fast.accepts(obj) {
		w.kinVisit(t, obj)
	}
	for key, value := range obj {
		p, ok := t.props[key]
		switch {
		case !ok:
			if !strings.Contains(key, "@") { // annotations (@odata.*, name@odata.type) carry no typed objects
				w.push(key)
				w.dynamic(value)
				w.pop()
			}
		case w.request && p.readOnly && value != nil:
			w.push(key)
			w.add(KindReadOnly, t.name, fmt.Sprintf("%q of %s is read-only and must not be sent in a request (%s)", key, t.name, p.readOnlySource))
			w.structured(value, p)
			w.pop()
		case p.elem != nil:
			w.push(key)
			w.structured(value, p)
			w.pop()
		}
	}
}

// kinVisit validates obj against t's shallow schema with kin-openapi.
func (w *walker) kinVisit(t *typeInfo, obj map[string]any) {
	if err := t.shallow.VisitJSON(obj, openapi3.MultiErrors()); err != nil {
		w.kinError(t, err)
	}
}

// structured walks the value of a property of a structured type (or a collection of them). Values of the
// wrong JSON type were reported by kin-openapi against the shallow schema and are skipped.
func (w *walker) structured(value any, p *propInfo) {
	if p.elem == nil {
		return
	}
	if !p.collection {
		if obj, ok := value.(map[string]any); ok {
			w.object(obj, p.elem)
		}
		return
	}
	items, _ := value.([]any)
	for i, item := range items {
		if obj, ok := item.(map[string]any); ok {
			w.pushIndex(i)
			w.object(obj, p.elem)
			w.pop()
		}
	}
}

// dynamic walks a value of an undeclared property, validating the objects that name their type.
func (w *walker) dynamic(value any) {
	switch v := value.(type) {
	case map[string]any:
		w.object(v, nil)
	case []any:
		for i, item := range v {
			w.pushIndex(i)
			w.dynamic(item)
			w.pop()
		}
	}
}

func (w *walker) dynamicMembers(obj map[string]any) {
	for key, value := range obj {
		if !strings.Contains(key, "@") {
			w.push(key)
			w.dynamic(value)
			w.pop()
		}
	}
}

// concrete returns the type obj is validated as: the type its @odata.type names when that fits declared,
// declared otherwise (nil when there is neither). It reports what is wrong with the @odata.type.
func (w *walker) concrete(obj map[string]any, declared *typeInfo) *typeInfo {
	raw, ok := obj[odataType]
	if !ok {
		if declared != nil && declared.abstract {
			w.add(KindSchema, declared.name, fmt.Sprintf("%s is abstract: the object needs an @odata.type naming one of %s",
				declared.name, listTypes(declared.concrete)))
		}
		return declared
	}
	w.push(odataType)
	defer w.pop()
	named := w.named(raw, declared)
	switch {
	case named == nil:
		return declared
	case declared != nil && !named.isA(declared):
		w.add(KindTypeMismatch, declared.name, fmt.Sprintf("%q does not fit a value declared as %s: %s does not derive from %s; expected one of %s (validated as %s)",
			raw, declared.name, named.name, declared.name, listTypes(declared.concrete), declared.name))
		return declared
	case named.abstract:
		w.add(KindSchema, named.name, fmt.Sprintf("%q names an abstract type; name one of %s", raw, listTypes(named.concrete)))
	}
	return named
}

// named resolves an @odata.type value, reporting a malformed or unknown one.
func (w *walker) named(raw any, declared *typeInfo) *typeInfo {
	s, ok := raw.(string)
	if !ok {
		w.add(KindSchema, typeName(declared), fmt.Sprintf("@odata.type must be a string such as \"#microsoft.graph.call\", got %s", describe(raw)))
		return nil
	}
	name, hasHash := strings.CutPrefix(s, "#")
	if !hasHash {
		w.add(KindSchema, typeName(declared), fmt.Sprintf("@odata.type %q must start with '#' (\"#%s\")", s, s))
	}
	t := w.v.model.types[name]
	if t == nil || !t.object {
		msg := fmt.Sprintf("@odata.type %q names no structured type of the %s schema subset", s, w.v.version)
		if declared != nil {
			msg += fmt.Sprintf("; validated as the declared %s", declared.name)
		}
		w.add(KindUnknownType, typeName(declared), msg)
		return nil
	}
	return t
}

func typeName(t *typeInfo) string {
	if t == nil {
		return ""
	}
	return t.name
}

func listTypes(names []string) string {
	if len(names) == 0 {
		return "(none in the subset)"
	}
	return strings.Join(names, ", ")
}
