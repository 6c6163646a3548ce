package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// TestConformStrictFlag: --strict is in the help and sets Config.Strict;
// without it a run is not strict (the embedded emulator is judged strictly
// whatever the flag, by the suites).
func TestConformStrictFlag(t *testing.T) {
	_, stdout, _ := runCLI("conform", "--help")
	if !strings.Contains(stdout, "-strict") {
		t.Fatalf("--help lacks --strict:\n%s", stdout)
	}
	for _, tc := range []struct {
		args []string
		want bool
	}{{nil, false}, {[]string{"--strict"}, true}} {
		fs := flag.NewFlagSet("conform", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var f conformFlags
		f.register(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		cfg, err := f.config(flagsSet(fs), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Strict != tc.want {
			t.Errorf("%v: Strict %v, want %v", tc.args, cfg.Strict, tc.want)
		}
	}
}
