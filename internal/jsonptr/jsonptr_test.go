package jsonptr_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/callcheck/callcheck/internal/jsonptr"
)

func TestEscapeAndUnescape(t *testing.T) {
	cases := []struct{ name, token string }{
		{"plain", "plain"},
		{"a/b", "a~1b"},
		{"m~n", "m~0n"},
		{"~1", "~01"}, // the escaped text of a tilde followed by 1 must not read back as "/"
		{"/~", "~1~0"},
		{"@odata.type", "@odata.type"},
		{"", ""},
	}
	for _, c := range cases {
		if got := jsonptr.Escape(c.name); got != c.token {
			t.Errorf("Escape(%q) = %q; want %q", c.name, got, c.token)
		}
		if got := jsonptr.Unescape(c.token); got != c.name {
			t.Errorf("Unescape(%q) = %q; want %q", c.token, got, c.name)
		}
	}
}

func TestJoinAppendSplit(t *testing.T) {
	if got := jsonptr.Join("targets", "0", "a/b"); got != "/targets/0/a~1b" {
		t.Errorf("Join = %q", got)
	}
	if got := jsonptr.Append("/source", "identity", "~x"); got != "/source/identity/~0x" {
		t.Errorf("Append = %q", got)
	}
	if got := jsonptr.Index("/targets", 2); got != "/targets/2" {
		t.Errorf("Index = %q", got)
	}
	if got := jsonptr.Join(); got != "" {
		t.Errorf("Join() = %q; want the root", got)
	}
	cases := map[string][]string{
		"":                nil,
		"/":               nil,
		"/a":              {"a"},
		"/a~1b/~0c/0":     {"a/b", "~c", "0"},
		"/targets//empty": {"targets", "", "empty"},
	}
	for p, want := range cases {
		if got := jsonptr.Split(p); !slices.Equal(got, want) {
			t.Errorf("Split(%q) = %q; want %q", p, got, want)
		}
	}
}

func TestParentAndLast(t *testing.T) {
	cases := []struct{ p, parent, last string }{
		{"", "", ""},
		{"/a", "", "a"},
		{"/meetingInfo/organizer/user/id", "/meetingInfo/organizer/user", "id"},
		{"/x/a~1b", "/x", "a/b"},
	}
	for _, c := range cases {
		if got := jsonptr.Parent(c.p); got != c.parent {
			t.Errorf("Parent(%q) = %q; want %q", c.p, got, c.parent)
		}
		if got := jsonptr.Last(c.p); got != c.last {
			t.Errorf("Last(%q) = %q; want %q", c.p, got, c.last)
		}
	}
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestGet(t *testing.T) {
	doc := decode(t, `{"a":{"b/c":[10,{"d~":"x"}]},"s":"str"}`)
	cases := []struct {
		p    string
		want any
		ok   bool
	}{
		{"", doc, true},
		{"/s", "str", true},
		{"/a/b~1c/0", 10.0, true},
		{"/a/b~1c/1/d~0", "x", true},
		{"/a/b~1c/2", nil, false},  // out of range
		{"/a/b~1c/-1", nil, false}, // negative
		{"/a/b~1c/01", nil, false}, // leading zero
		{"/a/b~1c/x", nil, false},  // not a number
		{"/missing", nil, false},
		{"/s/deeper", nil, false}, // into a scalar
	}
	for _, c := range cases {
		got, ok := jsonptr.Get(doc, c.p)
		if ok != c.ok {
			t.Errorf("Get(%q) ok = %v; want %v", c.p, ok, c.ok)
			continue
		}
		if c.p != "" && ok && got != c.want {
			t.Errorf("Get(%q) = %v; want %v", c.p, got, c.want)
		}
	}
	if got := jsonptr.String(doc, "/a/b~1c/1/d~0"); got != "x" {
		t.Errorf("String = %q", got)
	}
	if got := jsonptr.String(doc, "/a/b~1c/0"); got != "" {
		t.Errorf("String of a number = %q; want \"\"", got)
	}
}

func TestSetAndDelete(t *testing.T) {
	doc := decode(t, `{"a":{"list":[1,2]},"s":"str"}`)
	for _, c := range []struct {
		p  string
		ok bool
	}{
		{"/a/new", true},     // adds a member
		{"/a/list/1", true},  // replaces an element
		{"/a/list/2", false}, // no appending
		{"/b/c", false},      // no parent
		{"", false},          // the root
		{"/s/x", false},      // a scalar parent
	} {
		if got := jsonptr.Set(doc, c.p, "v"); got != c.ok {
			t.Errorf("Set(%q) = %v; want %v", c.p, got, c.ok)
		}
	}
	if jsonptr.String(doc, "/a/new") != "v" || jsonptr.String(doc, "/a/list/1") != "v" {
		t.Errorf("after Set: %v", doc)
	}
	if !jsonptr.Delete(doc, "/a/new") || jsonptr.Delete(doc, "/a/new") {
		t.Error("Delete reports the member the first time only")
	}
	if jsonptr.Delete(doc, "/a/list/0") || jsonptr.Delete(doc, "") {
		t.Error("Delete removes object members only")
	}
	if _, ok := jsonptr.Get(doc, "/a/new"); ok {
		t.Error("the deleted member is still there")
	}
}

func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a", "a/b", "~", "~1", "~0/~1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got := jsonptr.Unescape(jsonptr.Escape(name)); got != name {
			t.Fatalf("Unescape(Escape(%q)) = %q", name, got)
		}
		if got := jsonptr.Split(jsonptr.Join("x", name)); len(got) != 2 || got[1] != name {
			t.Fatalf("Split(Join(x, %q)) = %q", name, got)
		}
	})
}
