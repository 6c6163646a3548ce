package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/callcheck/callcheck/internal/jsonptr"
)

// CheckDuplicateMembers judges a request body's member names: an object
// that names the same member twice (names compared case-insensitively, as
// the service and encoding/json match them) is refused, wherever it is
// nested. A body that is not JSON passes: the json and schema rules judge
// it. It returns the finding, false when there is none.
func CheckDuplicateMembers(body []byte) (Finding, bool) {
	if !json.Valid(body) {
		return Finding{}, false
	}
	ptr, name, ok := firstDuplicate(body)
	if !ok {
		return Finding{}, false
	}
	return finding(DuplicateMember, ptr, "each member named once", name,
		fmt.Sprintf("The request body names the member %q twice in the object at %q.", name, pointerOrRoot(ptr))), true
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// frame is one object or array being read: the names met (objects) or the
// next index (arrays), and the pointer to it.
type frame struct {
	object bool
	names  map[string]bool
	index  int
	ptr    string
	key    string // "\x00" and the member whose value comes next; "" when a name is due (objects)
}

// firstDuplicate walks body's tokens and returns the pointer of the first
// object naming a member twice, and that name.
func firstDuplicate(body []byte) (ptr, name string, found bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		d, isDelim := tok.(json.Delim)
		switch {
		case isDelim && (d == '}' || d == ']'):
			stack = stack[:len(stack)-1]
			valueEnded(stack)
		case top != nil && top.object && top.key == "" && !isDelim:
			k, _ := tok.(string) // the decoder allows only a string here
			fold := strings.ToLower(k)
			if top.names[fold] {
				return top.ptr, k, true
			}
			top.names[fold], top.key = true, "\x00"+k
		case isDelim: // '{' or '['
			stack = append(stack, &frame{object: d == '{', names: map[string]bool{}, ptr: childPointer(top)})
		default:
			valueEnded(stack)
		}
	}
}

// childPointer is the pointer of the value top reads next (the root's when
// top is nil).
func childPointer(top *frame) string {
	switch {
	case top == nil:
		return ""
	case top.object:
		return top.ptr + "/" + jsonptr.Escape(top.key[1:])
	default:
		return fmt.Sprintf("%s/%d", top.ptr, top.index)
	}
}

// valueEnded moves the innermost container past the value just read.
func valueEnded(stack []*frame) {
	if len(stack) == 0 {
		return
	}
	top := stack[len(stack)-1]
	if top.object {
		top.key = ""
	} else {
		top.index++
	}
}
