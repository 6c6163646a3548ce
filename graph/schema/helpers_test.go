package schema_test

import (
	"testing"

	"github.com/callcheck/callcheck/graph/schema"
)

func mustLoad(t testing.TB, v schema.Version) *schema.Validator {
	t.Helper()
	val, err := schema.Load(v)
	if err != nil {
		t.Fatal(err)
	}
	return val
}
