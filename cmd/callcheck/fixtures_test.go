package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/internal/testkit"
)

// runCLI runs callcheck in-process with buffers.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// goldenFile compares got with testdata/fixtures/name, or rewrites it under -update.
func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", "fixtures", name), []byte(got))
}

// TestFixturesCLI: the fixtures subcommands' output, against golden files.
func TestFixturesCLI(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"list.golden", []string{"fixtures", "list"}},
		{"show5.golden", []string{"fixtures", "show", "5"}},                                                                // facts, then every block verbatim
		{"show8.golden", []string{"fixtures", "show", "8"}},                                                                // the lobby facts
		{"show6_canonical.golden", []string{"fixtures", "show", "--canonical", "6"}},                                       // inherited permission, canonical bodies
		{"show2_blob_canonical.golden", []string{"fixtures", "show", "2", "--block", "media-session-blob", "--canonical"}}, // the unescaped blob
		{"errata.golden", []string{"fixtures", "errata"}},
		{"errata_page.golden", []string{"fixtures", "errata", "--example", "0"}},
		{"errata4.json.golden", []string{"fixtures", "errata", "--json", "--example", "4"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			code, out, errOut := runCLI(tt.args...)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			goldenFile(t, tt.golden, out)
		})
	}
}

// TestFixturesShowVerbatim: --block prints the published block byte for byte,
// --canonical its canonical JSON.
func TestFixturesShowVerbatim(t *testing.T) {
	ex, _ := fixtures.ByNumber(5)
	for _, b := range ex.Blocks() {
		code, out, _ := runCLI("fixtures", "show", "5", "--block", b.Name)
		if code != exitOK || out != b.Text+"\n" {
			t.Errorf("show 5 --block %s: exit %d, output is not the verbatim block", b.Name, code)
		}
		code, out, _ = runCLI("fixtures", "show", "--block", b.Name, "--canonical", "5")
		if code != exitOK || out != string(b.Canonical())+"\n" || !json.Valid([]byte(out)) {
			t.Errorf("show 5 --block %s --canonical: exit %d, output %.60q", b.Name, code, out)
		}
	}
}

// TestFixturesCLIBadInput: bad usage exits 2 with a message naming the valid choices.
func TestFixturesCLIBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"fixtures", "show", "11"}, "example 11: no such example; valid examples: 1-10"},
		{[]string{"fixtures", "show", "0"}, "valid examples: 1-10"},
		{[]string{"fixtures", "show", "x"}, `example "x" is not a number; valid examples: 1-10`},
		{[]string{"fixtures", "show", "3", "--block", "response"}, `example 3 has no block "response"; its blocks are: request`},
		{[]string{"fixtures", "show", "1", "--block", "roster"}, "its blocks are: request, response, notification-establishing, notification-established"},
		{[]string{"fixtures", "show"}, "fixtures show takes one example number"},
		{[]string{"fixtures", "show", "1", "2"}, "fixtures show takes one example number"},
		{[]string{"fixtures", "show", "1", "--block"}, "flag needs an argument: -block"},
		{[]string{"fixtures", "show", "1", "--color"}, "unknown flag --color"},
		{[]string{"fixtures", "errata", "--example", "12"}, "--example 12: no such example; valid examples: 0 (the page as a whole) or 1-10"},
		{[]string{"fixtures", "errata", "--example", "five"}, `--example "five" is not a number`},
		{[]string{"fixtures", "errata", "5"}, "use --example N"},
		{[]string{"fixtures", "list", "all"}, "fixtures list takes no arguments"},
		{[]string{"fixtures"}, "fixtures needs a subcommand: list, show or errata"},
		{[]string{"fixtures", "frobnicate"}, `unknown fixtures subcommand "frobnicate"; valid: list, show, errata`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(tt.args...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, exitUsage, tt.want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing on bad usage", out)
			}
		})
	}
}

// TestFixturesCLIHelp: --help exits 0 and shows flags and examples.
func TestFixturesCLIHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"fixtures", "--help"}, []string{"Usage: callcheck fixtures <list | show N | errata>", "Examples:", "show 5 --block request", "Subcommands: list, show, errata"}},
		{[]string{"fixtures", "show", "--help"}, []string{"-block", "-canonical", "Examples:"}},
		{[]string{"fixtures", "errata", "-h"}, []string{"-json", "-example N", "callcheck.errata/v1"}},
		{[]string{"help", "fixtures"}, []string{"Usage: callcheck fixtures"}},
	}
	for _, tt := range tests {
		code, out, _ := runCLI(tt.args...)
		for _, w := range tt.want {
			if code != exitOK || !strings.Contains(out, w) {
				t.Errorf("%v: exit %d, help %q lacks %q", tt.args, code, out, w)
			}
		}
	}
}

// TestFixturesErrataJSON: the JSON form is the versioned document, filtered by --example.
func TestFixturesErrataJSON(t *testing.T) {
	code, out, _ := runCLI("fixtures", "errata", "--json", "--example", "5")
	var doc fixtures.ErrataDocument
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitOK {
		t.Fatalf("exit %d, %v", code, err)
	}
	if doc.SchemaVersion != "callcheck.errata/v1" || doc.FixturesDigest != fixtures.Digest() || len(doc.Errata) == 0 || doc.Summary.Total != len(doc.Errata) {
		t.Errorf("document = %+v", doc)
	}
	for _, e := range doc.Errata {
		if e.Example != 5 {
			t.Errorf("--example 5 returned an erratum of example %d", e.Example)
		}
	}
}
