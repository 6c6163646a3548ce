package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
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
func unmarshalOpen(data []byte, v any, extra *Extra) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	known := declaredNames(reflect.TypeOf(v).Elem())
	for k, raw := range all {
		if known[strings.ToLower(k)] {
			continue
		}
		if *extra == nil {
			*extra = Extra{}
		}
		(*extra)[k] = raw
	}
	return nil
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
