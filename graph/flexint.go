package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// FlexInt is an integer that decodes from a JSON number or a numeric string.
// resultInfo codes are Int32 in the metadata yet strings in the documentation's
// examples (graph-calls-facts.md §9.4), and Int64 values may travel as strings
// (IEEE754Compatible). It encodes as a number; WasString records how it came.
type FlexInt struct {
	Value     int64
	WasString bool
}

// Int returns a FlexInt holding v.
func Int(v int64) FlexInt { return FlexInt{Value: v} }

// UnmarshalJSON decodes a number or a string holding a decimal integer.
func (f *FlexInt) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		*f = FlexInt{}
		return nil
	}
	s, wasString := string(data), false
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		wasString = true
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("graph: %s is not an integer", data)
	}
	*f = FlexInt{Value: v, WasString: wasString}
	return nil
}

// MarshalJSON encodes the value as a JSON number.
func (f FlexInt) MarshalJSON() ([]byte, error) { return strconv.AppendInt(nil, f.Value, 10), nil }
