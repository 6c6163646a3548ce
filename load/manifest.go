package load

import "net/url"

// The kinds of run a manifest describes.
const (
	KindCreate       = "create"        // callcheck load create
	KindCallbacks    = "callbacks"     // callcheck load callbacks
	KindCapacityStep = "capacity-step" // one step of callcheck load capacity
)

// RedactURL drops credentials (user:password@) and the query from a URL,
// for manifests and messages.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery, u.ForceQuery = "", false
	return u.String()
}
