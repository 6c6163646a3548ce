package rules

import (
	"encoding/json"
	"testing"

	"github.com/callcheck/callcheck/internal/jsonptr"
)

// FuzzCheckDuplicateMembers: no panic; a duplicate found names an object
// that exists in the body (its pointer resolves); a body without one
// decodes to the same members whatever copy a decoder keeps.
func FuzzCheckDuplicateMembers(f *testing.F) {
	for _, seed := range []string{`{"a":1,"a":2}`, `{"source":{"identity":"x","identity":{}}}`, `[{"a":[{"b":1,"B":2}]}]`, `{"":{"":1,"":1}}`, `{"a~b/c":{"x":1,"x":1}}`, `1`, `{`,
		// not JSON: the scan runs before the body is known to be JSON
		`}`, `,`, `]]`, `{"a`, `"`, `{"a":1,"a"`, `{"a":1,"a":2}}`, `{"a":1,"a":2`, `[1,2]]`, `{"a\`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fd, bad := CheckDuplicateMembers(body)
		if !bad {
			return
		}
		var doc any
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatalf("a duplicate found in a body that is not JSON: %v", err)
		}
		if _, ok := jsonptr.Get(doc, fd.Pointer); !ok {
			t.Fatalf("the duplicate's pointer %q does not resolve in %s", fd.Pointer, body)
		}
	})
}
