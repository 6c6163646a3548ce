package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/internal/jsonptr"
)

// tokenDuplicate is the reference for firstDuplicate: the same question
// answered with encoding/json's token stream and a map per object.
func tokenDuplicate(body []byte) (ptr, name string, found bool) {
	type frame struct {
		object bool
		names  map[string]bool
		index  int
		ptr    string
		key    string // "\x00" and the member whose value comes next; "" when a name is due
	}
	child := func(top *frame) string {
		switch {
		case top == nil:
			return ""
		case top.object:
			return top.ptr + "/" + jsonptr.Escape(top.key[1:])
		default:
			return fmt.Sprintf("%s/%d", top.ptr, top.index)
		}
	}
	ended := func(stack []*frame) {
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.object {
			top.key = ""
		} else {
			top.index++
		}
	}
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
			ended(stack)
		case top != nil && top.object && top.key == "" && !isDelim:
			k, _ := tok.(string)
			fold := strings.ToLower(k)
			if top.names[fold] {
				return top.ptr, k, true
			}
			top.names[fold], top.key = true, "\x00"+k
		case isDelim:
			stack = append(stack, &frame{object: d == '{', names: map[string]bool{}, ptr: child(top)})
		default:
			ended(stack)
		}
	}
}

// duplicateSeeds are bodies the scanner and its reference must agree on.
var duplicateSeeds = []string{
	`{"a":1,"a":2}`, `{"source":{"identity":"x","identity":{}}}`, `[{"a":[{"b":1,"B":2}]}]`, `{"":{"":1,"":1}}`,
	`{"a~b/c":{"x":1,"x":1}}`, `1`, `"x"`, `{"k":1,"\u212a":2}`, `{"K":1,"\u212a":2}`, `{"\u00c9":1,"\u00e9":2}`,
	`{"a\"b":{"x":[1,"}",{"y":1,"Y\\":2,"y\\":3}]}}`, `{"x":{"a":1},"y":[[],{"b":{"c":1,"C":{}}}]}`,
	`{"a\u0041":1,"aa":2}`, `{"s":"[{\"a\":1,\"a\":1}]","t":1}`,
}

// TestFirstDuplicateMatchesReference: the one-pass scanner finds what the
// token-stream reference finds (pointer and name), on the seeds and on
// objects large enough to switch to a map.
func TestFirstDuplicateMatchesReference(t *testing.T) {
	var big strings.Builder
	big.WriteString(`{"pad":[1,{"q":2}]`)
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&big, `,"m%d":{"n":%d}`, i, i)
	}
	seeds := append(duplicateSeeds, big.String()+`,"M7":0}`, big.String()+`,"m40":0}`, big.String()+`,"\u006d3":0}`)
	for _, s := range seeds {
		compareDuplicate(t, []byte(s))
	}
}

// FuzzFirstDuplicate: on any valid JSON the scanner agrees with the
// reference; on anything else it finds nothing (and does not panic).
func FuzzFirstDuplicate(f *testing.F) {
	for _, s := range duplicateSeeds {
		f.Add([]byte(s))
		f.Add([]byte(s + "}"))
		f.Add([]byte("{" + s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if json.Valid(body) {
			compareDuplicate(t, body)
		} else if p, n, ok := firstDuplicate(body); ok {
			t.Errorf("%s is not JSON, and the scanner found %q %q", body, p, n)
		}
	})
}

func compareDuplicate(t *testing.T, body []byte) {
	t.Helper()
	p1, n1, ok1 := firstDuplicate(body)
	p2, n2, ok2 := tokenDuplicate(body)
	if p1 != p2 || n1 != n2 || ok1 != ok2 {
		t.Errorf("%s: scanner %q %q %v, reference %q %q %v", body, p1, n1, ok1, p2, n2, ok2)
	}
}
