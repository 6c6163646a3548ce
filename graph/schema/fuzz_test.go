package schema_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/callcheck/callcheck/graph/schema"
)

// FuzzValidate feeds arbitrary bodies to every entry point: no panic, every violation of a known kind,
// with a message and a well-formed pointer. The seeds are the documented blocks, as published.
func FuzzValidate(f *testing.F) {
	for _, b := range docBlocks {
		f.Add(b.text, b.typeName)
	}
	f.Add(`{"a/b~c":{"@odata.type":"#microsoft.graph.chatInfo","threadId":5}}`, schema.TypeCall)
	f.Add(`{"value":[{"resourceData":[[{"@odata.type":"#microsoft.graph.participant","isMuted":1}]]}]}`, schema.TypeCommsNotifications)
	kinds := map[schema.ViolationKind]bool{schema.KindInvalidJSON: true, schema.KindSchema: true,
		schema.KindUnknownType: true, schema.KindTypeMismatch: true, schema.KindReadOnly: true}
	beta := mustLoad(f, schema.Beta)
	lenient := mustLoad(f, schema.V1).With(schema.CaseInsensitiveEnums())
	f.Fuzz(func(t *testing.T, body, typeName string) {
		for _, vs := range [][]schema.Violation{
			beta.Validate(typeName, []byte(body)),
			beta.ValidateRequest(typeName, []byte(body)),
			lenient.Validate(typeName, []byte(body)),
		} {
			for _, v := range vs {
				if !kinds[v.Kind] || v.Message == "" || !utf8.ValidString(v.Pointer) && utf8.ValidString(body) ||
					v.Pointer != "" && !strings.HasPrefix(v.Pointer, "/") {
					t.Fatalf("malformed violation %#v", v)
				}
			}
		}
	})
}
