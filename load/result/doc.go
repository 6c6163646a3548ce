// Package result holds the documents a load run leaves behind and what
// reads them: the run's Manifest, the end-to-end Record of each created
// call, the merged Summary with its Series over time, a capacity search's
// CapacityResult, and the Thresholds evaluated over them. It imports no
// other callcheck package, so that the attack engine (package load), the
// renderers (report, report/loadreport) and the command line all share these
// types without one pulling in another.
//
// Every callcheck JSON document names its format in a "schemaVersion"
// member. Load results written by earlier versions named it "schema"; the
// readers here accept both (SchemaVersionOf and the documents' UnmarshalJSON).
package result
