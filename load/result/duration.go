package result

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a time.Duration that encodes as a string ("1.5s") in JSON: the
// durations of every callcheck document, load results and reports alike.
type Duration time.Duration

// MarshalJSON encodes the duration as its String form.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON decodes a duration string such as "1.5s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"1.5s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: %w", s, err)
	}
	*d = Duration(v)
	return nil
}

// String returns the duration's String form.
func (d Duration) String() string { return time.Duration(d).String() }
