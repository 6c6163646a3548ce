package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// shBlock matches the shell blocks of a Markdown file.
var shBlock = regexp.MustCompile("(?s)```sh(?: runnable)?\n(.*?)```")

// readmeScripts returns the shell blocks of README.md, with the
// `go run ./cmd/callcheck` of a fresh clone written as `callcheck`.
func readmeScripts(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range shBlock.FindAllStringSubmatch(string(b), -1) {
		out = append(out, strings.ReplaceAll(m[1], "go run ./cmd/callcheck", "callcheck"))
	}
	if len(out) == 0 {
		t.Fatal("README.md has no sh blocks")
	}
	return out
}

// TestREADMECommandLines: every callcheck command the README shows is one the
// current CLI accepts, flag for flag, so the README cannot go stale.
func TestREADMECommandLines(t *testing.T) {
	seen := map[string]bool{}
	for i, script := range readmeScripts(t) {
		for _, line := range callcheckLines(t, "README.md sh block "+string(rune('1'+i)), script, nil) {
			seen[line.args[0]] = true
			if err := checkCommandLine(line); err != nil {
				t.Error(err)
			}
		}
	}
	for _, cmd := range []string{"conform", "fixtures", "emulate", "certify-bot", "load", "report"} {
		if !seen[cmd] {
			t.Errorf("the README shows no callcheck %s", cmd)
		}
	}
}

// TestREADMETwoCommands: the README's first block holds the two commands a
// new user runs, and .ci/run runs both, verbatim.
func TestREADMETwoCommands(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	first := shBlock.FindStringSubmatch(string(b))
	var cmds []string
	for _, l := range strings.Split(strings.TrimSpace(first[1]), "\n") {
		cmd, _, _ := strings.Cut(l, "#")
		cmds = append(cmds, strings.TrimSpace(cmd))
	}
	want := []string{"go run ./cmd/callcheck conform", "go test -race ./..."}
	if strings.Join(cmds, "\n") != strings.Join(want, "\n") {
		t.Fatalf("README's first block is %q, want the main job and the tests %q", cmds, want)
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cmds {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(c) + `( |$)`).Match(ci) {
			t.Errorf(".ci/run does not run the README's %q", c)
		}
	}
}
