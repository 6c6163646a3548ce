package report

// BundleSchema names the version of the Bundle format.
const BundleSchema = "callcheck.dev/report/v1"

// Bundle is the JSON that `callcheck report --format json` writes: every
// document it was given, each as it is (its own versioned type, unedited),
// and the verdict over all of them.
type Bundle struct {
	SchemaVersion string         `json:"schemaVersion"` // BundleSchema
	Verdict       Verdict        `json:"verdict"`       // the worst of the documents' (a load run without thresholds is skipped)
	Conformance   []*Conformance `json:"conformance,omitempty"`
	Certificates  []*Certificate `json:"certificates,omitempty"`
	// Load is the merged load summary (result.Summary, schemaVersion
	// callcheck.dev/load-summary/v1) with its threshold verdicts.
	Load any `json:"load,omitempty"`
}
