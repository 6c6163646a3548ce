package main

import (
	"strings"
	"testing"
)

// everySubcommand is every command line that parses flags, one per
// subcommand and sub-subcommand.
var everySubcommand = [][]string{
	{"conform"}, {"certify-bot"}, {"emulate"}, {"fixtures", "list"}, {"fixtures", "show"},
	{"fixtures", "errata"}, {"load", "create"}, {"load", "capacity"}, {"load", "callbacks"},
	{"report"}, {"version"},
}

// TestUnknownFlagIsShortEverywhere: an unknown flag is exit 2 with at most
// two lines on stderr (no usage dump), nothing on stdout, in every subcommand.
func TestUnknownFlagIsShortEverywhere(t *testing.T) {
	for _, cmd := range everySubcommand {
		code, stdout, stderr := runCLI(append(cmd, "--no-such-flag-anywhere")...)
		lines := strings.Count(strings.TrimRight(stderr, "\n"), "\n") + 1
		if code != exitUsage || stdout != "" || lines > 2 || !strings.Contains(stderr, "unknown flag --no-such-flag-anywhere") {
			t.Errorf("%v: exit %d, %d lines on stderr, stdout %q:\n%s", cmd, code, lines, stdout, stderr)
		}
	}
}

// TestUnknownFlagSuggestsTheNearest: a near miss names the flag meant.
func TestUnknownFlagSuggestsTheNearest(t *testing.T) {
	tests := []struct {
		args []string
		want string // "" when no suggestion is expected
	}{
		{[]string{"conform", "--lable-filter", "x"}, "did you mean --label-filter?"},
		{[]string{"conform", "--outt", "x"}, "did you mean --out?"},
		{[]string{"load", "create", "--durration", "1s"}, "did you mean --duration?"},
		{[]string{"report", "--treshold", "p99<1s"}, "did you mean --threshold?"},
		{[]string{"conform", "--zzzzzzzz"}, ""},
	}
	for _, tt := range tests {
		_, _, stderr := runCLI(tt.args...)
		if tt.want == "" && strings.Contains(stderr, "did you mean") || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: stderr %q, want %q", tt.args, stderr, tt.want)
		}
	}
}

// TestHelpOnStdoutEverywhere: --help is exit 0 with the usage on stdout and
// nothing on stderr, in every subcommand.
func TestHelpOnStdoutEverywhere(t *testing.T) {
	for _, cmd := range everySubcommand {
		code, stdout, stderr := runCLI(append(cmd, "--help")...)
		if code != exitOK || stderr != "" || !strings.Contains(stdout, "Usage: callcheck") {
			t.Errorf("%v --help: exit %d, stderr %q, stdout %.80q", cmd, code, stderr, stdout)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"out", "out", 0}, {"outt", "out", 1}, {"lable", "label", 2}, {"", "abc", 3}, {"kitten", "sitting", 3}} {
		if got := editDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}
