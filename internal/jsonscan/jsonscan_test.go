package jsonscan_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/callcheck/callcheck/internal/jsonscan"
)

var seeds = []string{
	`{}`, ` { } `, `[]`, `[ 1 , "a" ]`, `{"a":1}`,
	` { "a" : { "b" : [ "]" , "}" , { } , [ ] ] } , "n" : -1.5e3 , "t" : true , "z" : null } `,
	`{"q\"uote":"a\\","e\u00e9":"\"}","x":[1,[2,[3]]],"x":{"y":"z"}}`,
	`[{"a":[]},"\\\"",-0.5E+2,false]`, `"s"`, `5`, `null`,
}

// members rebuilds an object's members from EachMember: name and value
// decoded by encoding/json, in order.
func members(t *testing.T, b []byte) ([][2]any, bool) {
	var out [][2]any
	ok := jsonscan.EachMember(b, 0, func(m jsonscan.Member) bool {
		var name string
		if err := json.Unmarshal(append(append([]byte{'"'}, b[m.Name:m.NameEnd]...), '"'), &name); err != nil {
			t.Fatalf("name %q: %v", b[m.Name:m.NameEnd], err)
		}
		if m.Escaped != bytes.ContainsRune(b[m.Name:m.NameEnd], '\\') {
			t.Fatalf("name %q: escaped %v", b[m.Name:m.NameEnd], m.Escaped)
		}
		var value any
		if err := json.Unmarshal(b[m.Value:m.End], &value); err != nil {
			t.Fatalf("value %q of %q: %v", b[m.Value:m.End], name, err)
		}
		out = append(out, [2]any{name, value})
		return true
	})
	return out, ok
}

// reference lists an object's members with encoding/json's tokenizer.
func reference(t *testing.T, b []byte) ([][2]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var out [][2]any
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var value any
		if err := dec.Decode(&value); err != nil {
			t.Fatal(err)
		}
		out = append(out, [2]any{tok, value})
	}
	return out, true
}

func check(t *testing.T, b []byte) {
	got, ok := members(t, b)
	want, wantOK := reference(t, b)
	if ok != wantOK || !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\nEachMember %v %v\nwant       %v %v", b, ok, got, wantOK, want)
	}
	var items []any
	isArray := jsonscan.EachItem(b, 0, func(i int) bool {
		var v any
		if err := json.Unmarshal(b[i:jsonscan.ValueEnd(b, i)], &v); err != nil {
			t.Fatalf("item %q: %v", b[i:jsonscan.ValueEnd(b, i)], err)
		}
		items = append(items, v)
		return true
	})
	var whole any
	_ = json.Unmarshal(b, &whole)
	if arr, want := whole.([]any); isArray != want || want && !reflect.DeepEqual(items, arr) && len(arr) > 0 {
		t.Errorf("%s: EachItem %v %v, want %v %v", b, isArray, items, want, arr)
	}
	start := jsonscan.SkipSpace(b, 0)
	if end := jsonscan.SkipSpace(b, jsonscan.ValueEnd(b, start)); end != len(b) {
		t.Errorf("%s: ValueEnd stops at %d of %d", b, end, len(b))
	}
}

func TestScanAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range seeds {
		check(t, []byte(s))
	}
}

func TestStopsWhenToldTo(t *testing.T) {
	n := 0
	if jsonscan.EachMember([]byte(`{"a":1,"b":2}`), 0, func(jsonscan.Member) bool { n++; return false }) || n != 1 {
		t.Errorf("EachMember went on after false: %d calls", n)
	}
	if jsonscan.EachItem([]byte(`[1,2]`), 0, func(int) bool { n++; return false }) || n != 2 {
		t.Errorf("EachItem went on after false: %d calls", n)
	}
}

// FuzzScanAgreesWithEncodingJSON holds the scanner to encoding/json on
// valid JSON, and to staying inside the slice on anything else.
func FuzzScanAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"a":"unterminated`))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkPlainString(t, b)
		if json.Valid(b) {
			check(t, b)
			return
		}
		jsonscan.EachMember(b, 0, func(m jsonscan.Member) bool { _ = b[m.Name:m.NameEnd]; _ = b[m.Value:m.End]; return true })
		jsonscan.EachItem(b, 0, func(i int) bool { _ = b[i:jsonscan.ValueEnd(b, i)]; return true })
	})
}

// checkPlainString: a plain string's content is what encoding/json decodes.
func checkPlainString(t *testing.T, v []byte) {
	content, ok := jsonscan.PlainString(v)
	if !ok {
		return
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil && s != string(content) {
		t.Errorf("PlainString(%q) = %q, encoding/json decodes %q", v, content, s)
	}
}

func TestPlainString(t *testing.T) {
	for v, want := range map[string]bool{`"abc"`: true, `""`: true, `"caf` + "\u00e9" + `"`: true, `"a\"b"`: false,
		`"\u0061"`: false, "\"\xff\"": false, `abc`: false, `"`: false, `5`: false, `"unterminated`: false} {
		if _, ok := jsonscan.PlainString([]byte(v)); ok != want {
			t.Errorf("PlainString(%s) = %v, want %v", v, ok, want)
		}
		checkPlainString(t, []byte(v))
	}
}

func TestLowerASCII(t *testing.T) {
	var buf [8]byte
	for name, want := range map[string]string{"ChangeType": "", "resUrl": "resurl", "ABC": "abc", "": "", "caf\u00e9": ""} {
		got := jsonscan.LowerASCII(buf[:0], []byte(name))
		if string(got) != want || (got == nil) != (want == "" && name != "") {
			t.Errorf("LowerASCII(%q) = %q (nil %v), want %q", name, got, got == nil, want)
		}
	}
}
