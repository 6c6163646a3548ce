package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/callcheck/callcheck/internal/jsonscan"
)

// Extra holds the properties of an open type that its Go struct does not
// declare. Graph's communications types are open (OpenType="true" in the CSDL,
// graph-calls-facts.md §1.4, §2): a notification carries undeclared members
// such as resourceData and callbackUri, and real traffic adds more. Extra keeps
// them verbatim, so they survive a decode/encode round trip unchanged.
type Extra map[string]json.RawMessage

// knownNames caches, per struct type, the lower-cased JSON names of its
// declared fields.
var knownNames sync.Map // reflect.Type -> map[string]bool

func declaredNames(t reflect.Type) map[string]bool {
	if v, ok := knownNames.Load(t); ok {
		return v.(map[string]bool)
	}
	names := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names[strings.ToLower(name)] = true
	}
	knownNames.Store(t, names)
	return names
}

// unmarshalOpen decodes data into v (a pointer to a struct alias without
// methods) and stores the properties v does not declare in extra. encoding/json
// matches declared names case-insensitively, so the leftover test does too.
// The leftovers are found by walking data's members in place (data is valid
// JSON once v has decoded it): a declared member costs nothing more, an
// undeclared one its name and a copy of its value, as a map of
// json.RawMessage would have held them, the last of a repeated name winning.
func unmarshalOpen(data []byte, v any, extra *Extra) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	collectExtra(data, declaredNames(reflect.TypeOf(v).Elem()), extra)
	return nil
}

// collectExtra adds to extra the members of the JSON object data (valid
// JSON) whose lower-cased names are not in known.
func collectExtra(data []byte, known map[string]bool, extra *Extra) {
	var lower [64]byte
	jsonscan.EachMember(data, 0, func(m jsonscan.Member) bool {
		rawName := data[m.Name:m.NameEnd]
		var name string
		if l := jsonscan.LowerASCII(lower[:0], rawName); l != nil && !m.Escaped { // the common case: compared without allocating
			if known[string(l)] {
				return true
			}
			name = string(rawName)
		} else if name = unquote(rawName); known[strings.ToLower(name)] { // as encoding/json reads it: escapes, invalid UTF-8
			return true
		}
		if *extra == nil {
			*extra = Extra{}
		}
		(*extra)[name] = json.RawMessage(bytes.Clone(data[m.Value:m.End]))
		return true
	})
}

// unquote returns the JSON string whose bytes between the quotes are raw
// (valid JSON).
func unquote(raw []byte) string {
	var s string
	_ = json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s)
	return s
}

// marshalOpen encodes v (a struct alias without methods) and appends the
// members of extra that v does not declare, in key order.
func marshalOpen(v any, extra Extra) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	known := declaredNames(reflect.TypeOf(v))
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !known[strings.ToLower(k)] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1]) // drop the closing brace
	sep := len(b) > 2       // the object already has members
	for _, k := range keys {
		raw := extra[k]
		if !json.Valid(raw) {
			return nil, fmt.Errorf("graph: extra property %q holds invalid JSON", k)
		}
		if sep {
			buf.WriteByte(',')
		}
		sep = true
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(raw)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
