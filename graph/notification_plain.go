package graph

import (
	"bytes"
	"encoding/json"

	"github.com/callcheck/callcheck/internal/jsonscan"
)

// decodePlain decodes a batch in one pass over its bytes when everything
// in it is written plainly, into exactly what encoding/json decodes (the
// declared members found by their names in any case, the last of a repeated
// name winning, the rest in Extra). It returns false, having changed
// nothing, when data is not JSON or holds anything it leaves to
// encoding/json: a name it cannot compare in place (escaped, non-ASCII,
// longer than 64 bytes), a declared member of another kind than its
// field's (null included), an escaped value of a declared member, or a
// "value" that is not an array of objects. FuzzNotificationsDecodeAgrees
// holds the two decodings to the same result.
//
// Why: a bot's receiver decodes every batch a call produces, and
// encoding/json scans a batch's bytes four times (the batch, then each
// notification again through its UnmarshalJSON, each time validating
// first), about 18 µs of CPU per call in BenchmarkCreateHandler.
func (n *CommsNotifications) decodePlain(data []byte) bool {
	if !json.Valid(data) {
		return false
	}
	var out CommsNotifications
	var lower [64]byte
	seenValue := false // a repeated "value" decodes into the first's elements in encoding/json: left to it
	ok := jsonscan.EachMember(data, 0, func(m jsonscan.Member) bool {
		name, value := jsonscan.LowerASCII(lower[:0], data[m.Name:m.NameEnd]), data[m.Value:m.End]
		switch {
		case name == nil || m.Escaped:
			return false
		case string(name) == "@odata.type":
			return plainStringInto(value, &out.ODataType)
		case string(name) == "value":
			if seenValue {
				return false
			}
			seenValue = true
			return decodePlainValue(data, m.Value, &out.Value)
		}
		putExtra(&out.Extra, data[m.Name:m.NameEnd], value)
		return true
	})
	if !ok || !isObject(data) {
		return false
	}
	*n = out
	return true
}

// decodePlainValue decodes the "value" array at data[i].
func decodePlainValue(data []byte, i int, into *[]CommsNotification) bool {
	if data[i] != '[' {
		return false
	}
	items := make([]CommsNotification, 0, 4)
	ok := jsonscan.EachItem(data, i, func(j int) bool {
		var c CommsNotification
		if !c.decodePlain(data, j) {
			return false
		}
		items = append(items, c)
		return true
	})
	*into = items
	return ok
}

// decodePlain decodes the notification object at data[i] (valid JSON).
func (n *CommsNotification) decodePlain(data []byte, i int) bool {
	if data[i] != '{' {
		return false
	}
	var lower [64]byte
	return jsonscan.EachMember(data, i, func(m jsonscan.Member) bool {
		name, value := jsonscan.LowerASCII(lower[:0], data[m.Name:m.NameEnd]), data[m.Value:m.End]
		if name == nil || m.Escaped {
			return false
		}
		switch string(name) {
		case "@odata.type":
			return plainStringInto(value, &n.ODataType)
		case "changetype":
			if c, ok := plainMember(value); ok {
				n.ChangeType = ChangeType(c)
				return true
			}
			var s string
			if !plainStringInto(value, &s) {
				return false
			}
			n.ChangeType = ChangeType(canonicalMember(s))
			return true
		case "resourceurl":
			return plainStringInto(value, &n.ResourceURL)
		case "resource":
			return plainStringInto(value, &n.Resource)
		case "callbackuri":
			return plainStringInto(value, &n.CallbackURI)
		case "resourcedata":
			if value[0] != '{' && value[0] != '[' {
				return false
			}
			n.ResourceData = bytes.Clone(value)
			return true
		}
		putExtra(&n.Extra, data[m.Name:m.NameEnd], value)
		return true
	})
}

// plainStringInto sets *s to the JSON string value written without
// escapes; false for any other value.
func plainStringInto(value []byte, s *string) bool {
	v, ok := jsonscan.PlainString(value) // otherwise encoding/json unescapes, or replaces invalid UTF-8
	if !ok {
		return false
	}
	switch string(v) {
	case TypeCommsNotification: // on every notification: the constant, not a copy
		*s = TypeCommsNotification
	case TypeCommsNotifications:
		*s = TypeCommsNotifications
	default:
		*s = string(v)
	}
	return true
}

// putExtra keeps an undeclared member, as unmarshalOpen does.
func putExtra(extra *Extra, name, value []byte) {
	if *extra == nil {
		*extra = Extra{}
	}
	(*extra)[string(name)] = json.RawMessage(bytes.Clone(value))
}

func isObject(data []byte) bool {
	i := jsonscan.SkipSpace(data, 0)
	return i < len(data) && data[i] == '{'
}
