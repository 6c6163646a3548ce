package suites

import (
	"strings"
	"testing"
)

// FuzzLoadValues feeds arbitrary values files to the loader. Invariants:
// no panic, no hang; an error is one line naming the file.
func FuzzLoadValues(f *testing.F) {
	for _, seed := range []string{"", "tenantId: aa67bd4c-8475-432d-bd41-39f255720e0a\n", "users:\n  - {id: x, displayName: y}\n",
		"lobby: {admitURL: 'http://127.0.0.1:1/_callcheck/calls/{id}/admit'}\n", "{\"apiVersion\": \"v1.0\"}", "bogus: 1\n", "a: &a [*a]\n",
		"users: !!binary aGVsbG8=\n", "- 1\n- 2\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v := DocumentedValues()
		err := v.LoadValues(data, "values.yaml")
		if err != nil && !strings.Contains(err.Error(), "values.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
