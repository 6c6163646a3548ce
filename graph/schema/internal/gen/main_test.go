package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunRegenerates runs the program as go generate does, into a fresh directory, and compares the result
// with the committed documents: a fresh clone regenerates them from upstream/ alone.
func TestRunRegenerates(t *testing.T) {
	out := t.TempDir()
	if err := run([]string{"-upstream", "../../upstream", "-out", out}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"beta.json", "v1.0.json"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("../../derived", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: regenerated document differs from derived/%s", name, name)
		}
	}
}

// TestRunBadInput checks that bad flags and a missing upstream directory are reported, named.
func TestRunBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-nope"}, "-nope"},                                         // unknown flag
		{[]string{"-upstream", t.TempDir()}, "CloudCommunications.beta.yml"}, // no upstream copies
		{[]string{"stray"}, "unexpected argument"},                           // positional argument
	} {
		err := run(tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}
