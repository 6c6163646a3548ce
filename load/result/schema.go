package result

import (
	"encoding/json"
	"io"
)

// SchemaVersionOf reads the first JSON value of r and returns the schema
// version it declares: its "schemaVersion" member, or, for a load result
// written before every document used that name, its "schema" member. It
// returns "" for a value that declares none and for text that is not JSON
// (it stops reading at the first value, or at the first byte that is not
// JSON, so a large results file costs nothing).
func SchemaVersionOf(r io.Reader) string {
	var head struct {
		SchemaVersion string `json:"schemaVersion"`
		Schema        string `json:"schema"`
	}
	if json.NewDecoder(r).Decode(&head) != nil {
		return ""
	}
	if head.SchemaVersion != "" {
		return head.SchemaVersion
	}
	return head.Schema
}

// decodeVersioned decodes the document data into v, whose schema version
// field is version, reading the version under its older name "schema" when
// "schemaVersion" is absent.
func decodeVersioned[T any](data []byte, v *T, version *string) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	*version = schemaVersionOr(*version, data)
	return nil
}

// schemaVersionOr returns version, or when it is empty the older "schema"
// member of the document data.
func schemaVersionOr(version string, data []byte) string {
	if version != "" {
		return version
	}
	var old struct {
		Schema string `json:"schema"`
	}
	if json.Unmarshal(data, &old) != nil {
		return ""
	}
	return old.Schema
}
