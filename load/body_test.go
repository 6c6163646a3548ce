package load

import (
	"fmt"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/internal/testkit"
)

// TestCreateBodiesGolden: the bodies a load run sends for every example,
// with every value, with no tenant and with none at all, are those of
// testdata/create-bodies.golden (errors included).
func TestCreateBodiesGolden(t *testing.T) {
	sets := []struct {
		name string
		v    BodyValues
	}{
		{"all", BodyValues{CallbackURI: "http://127.0.0.1:9/cb", TenantID: "10000000-0000-4000-8000-000000000001", AppID: "10000000-0000-4000-8000-000000000002"}},
		{"no-tenant", BodyValues{CallbackURI: "http://127.0.0.1:9/cb", AppID: "10000000-0000-4000-8000-000000000002"}},
		{"none", BodyValues{}},
	}
	var b strings.Builder
	for _, set := range sets {
		for _, ex := range fixtures.All() {
			body, err := CreateBody(ex, set.v)
			fmt.Fprintf(&b, "%s %s:\n", set.name, ex.Name())
			if err != nil {
				fmt.Fprintf(&b, "error: %v\n", err)
				continue
			}
			fmt.Fprintf(&b, "%s\n", body)
		}
	}
	testkit.Golden(t, "testdata/create-bodies.golden", []byte(b.String()))
}
