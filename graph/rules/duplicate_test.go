package rules

import "testing"

// TestCheckDuplicateMembers: a member named twice anywhere is found, with
// the pointer of its object; unique names, and bodies that are not JSON,
// pass.
func TestCheckDuplicateMembers(t *testing.T) {
	for _, c := range []struct {
		body, ptr, name string
		bad             bool
	}{
		// the fuzzer's find: a nested member named twice, once as a string
		{`{"source":{"identity":"x","identity":{"user":{"id":"u"}}}}`, "/source", "identity", true},
		// at the top level
		{`{"callbackUri":"a","callbackUri":"b"}`, "", "callbackUri", true},
		// in an array's object, after other values
		{`{"targets":[{"a":1},{"identity":{},"b":[1,{"c":2}],"identity":null}]}`, "/targets/1", "identity", true},
		// names differing in case only: the service matches them case-insensitively
		{`{"mediaConfig":{},"MediaConfig":{}}`, "", "MediaConfig", true},
		// the same name in sibling objects is fine
		{`{"a":{"id":1},"b":{"id":2},"c":[{"id":3},{"id":4}]}`, "", "", false},
		// an escaped slash in a name, and the empty name
		{`{"a/b":{"":1,"":2}}`, "/a~1b", "", true},
		// not JSON: left to the json rule
		{`{"a":1,"a"`, "", "", false},
		{`[1,2,3]`, "", "", false},
	} {
		f, bad := CheckDuplicateMembers([]byte(c.body))
		if bad != c.bad || (bad && (f.Pointer != c.ptr || f.Got != c.name || f.Rule != DuplicateMember || f.Status != StatusBadRequest || f.Code != CodeBadRequest)) {
			t.Errorf("%s: got %+v, %v; want refused %v at %q naming %q", c.body, f, bad, c.bad, c.ptr, c.name)
		}
	}
}
