package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/callcheck/callcheck/graph/schema/internal/derive"
)

// kinError turns what kin-openapi reports for an object of type t into violations with pointers into the
// body and messages naming the property and what it expects.
func (w *walker) kinError(t *typeInfo, err error) {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			w.kinError(t, e)
		}
		return
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		w.add(KindSchema, t.name, err.Error())
		return
	}
	rel := se.JSONPointer()
	if member, ok := foldedMember(se); ok && w.v.opts.caseInsensitiveEnums {
		w.fixes = append(w.fixes, EnumFix{Pointer: pointer(w.path, rel), Got: se.Value.(string), Member: member})
		return
	}
	msg, keep := w.message(t, se, rel)
	if !keep {
		return
	}
	w.out = append(w.out, Violation{Pointer: pointer(w.path, rel), Kind: KindSchema, Type: t.name, Message: msg})
}

// message words one kin-openapi error; keep is false when the options accept the value after all.
func (w *walker) message(t *typeInfo, se *openapi3.SchemaError, rel []string) (msg string, keep bool) {
	var p *propInfo
	if len(rel) > 0 {
		p = t.props[rel[0]]
	}
	if p == nil {
		return fmt.Sprintf("%s: %s", t.name, se.Reason), true
	}
	field := fmt.Sprintf("%q of %s", strings.Join(rel, "/"), t.name)
	expected := p.expected()
	if p.collection && len(rel) > 1 {
		expected = p.expectedItem()
	}
	switch se.SchemaField {
	case "required":
		return fmt.Sprintf("%s is required (%s)", field, expected), true
	case "type", "nullable":
		return fmt.Sprintf("%s must be %s, got %s", field, expected, describe(se.Value)), true
	case "enum":
		return w.enumMessage(field, p, se)
	case "pattern":
		if p.enum != nil {
			return fmt.Sprintf("%s must be a comma-separated combination of the %s members %s, got %s",
				field, p.enum.name, members(p.enum), describe(se.Value)), true
		}
	}
	return fmt.Sprintf("%s (%s): %s, got %s", field, expected, se.Reason, describe(se.Value)), true
}

// foldedMember returns the enum member an enum error's value matches when
// case is ignored.
func foldedMember(se *openapi3.SchemaError) (string, bool) {
	s, ok := se.Value.(string)
	if !ok || se.SchemaField != "enum" {
		return "", false
	}
	for _, m := range se.Schema.Enum {
		if ms, ok := m.(string); ok && strings.EqualFold(ms, s) {
			return ms, true
		}
	}
	return "", false
}

// enumMessage words a value that is not a member of its enum, or accepts it when only the casing differs
// and the Validator ignores case.
func (w *walker) enumMessage(field string, p *propInfo, se *openapi3.SchemaError) (string, bool) {
	name := "the enum"
	if p.enum != nil {
		name = p.enum.name
	}
	if s, ok := se.Value.(string); ok {
		for _, m := range se.Schema.Enum {
			if ms, ok := m.(string); ok && strings.EqualFold(ms, s) {
				if w.v.opts.caseInsensitiveEnums {
					return "", false
				}
				return fmt.Sprintf("%s: %q matches the %s member %q only when case is ignored (the metadata spells it %q)",
					field, s, name, ms, ms), true
			}
		}
	}
	return fmt.Sprintf("%s must be a member of %s %s, got %s", field, name, enumList(se.Schema.Enum), describe(se.Value)), true
}

func members(t *typeInfo) string {
	if t.schema.Enum != nil {
		return enumList(t.schema.Enum)
	}
	if m, ok := t.schema.Extensions[derive.ExtFlagsMembers].([]any); ok {
		return enumList(m)
	}
	return "[]"
}

func enumList(values []any) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// describe names a decoded JSON value's kind and, briefly, the value.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case string:
		return "string " + quoteShort(x)
	case json.Number:
		return "number " + string(x)
	case float64:
		return "number " + strconv.FormatFloat(x, 'f', -1, 64)
	case int, int64, int32:
		return fmt.Sprintf("number %d", x)
	case []any:
		return fmt.Sprintf("array (%d items)", len(x))
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func quoteShort(s string) string {
	const maxLen = 60
	if len(s) > maxLen {
		return fmt.Sprintf("%q…", s[:maxLen])
	}
	return fmt.Sprintf("%q", s)
}
