package yamlfile

import (
	"strings"
	"testing"
)

type sample struct {
	A string `yaml:"a"`
	B int    `yaml:"b"`
}

// TestDecode: a file sets what it names over the value; an unknown field is
// an error naming it and its line; an empty file sets nothing.
func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       sample
		wantErr    string // "" when valid
	}{
		// The fields set replace the value's, the others stay.
		{"over", "b: 2\n", sample{A: "kept", B: 2}, ""},
		// JSON is YAML.
		{"json", `{"a": "x"}`, sample{A: "x", B: 1}, ""},
		// An empty file sets nothing.
		{"empty", "", sample{A: "kept", B: 1}, ""},
		// An unknown field names itself and its line.
		{"unknown", "a: x\nc: 3\n", sample{}, "line 2: field c not found"},
		// A wrong type is an error.
		{"type", "b: many\n", sample{}, "cannot unmarshal"},
		// Several problems, and a value spanning lines, on one line.
		{"one line", "a: [1]\nb: \"x\\n\\ny\"\n", sample{}, "yaml: line 1: cannot unmarshal !!seq into string; line 2: cannot unmarshal !!str `x\\n\\ny` into int"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := sample{A: "kept", B: 1}
			err := Decode([]byte(tc.data), &got)
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			case tc.wantErr == "" && got != tc.want:
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
