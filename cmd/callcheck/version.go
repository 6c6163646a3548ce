package main

import (
	"context"
	"fmt"

	"github.com/callcheck/callcheck/internal/version"
)

func init() {
	register(command{name: "version", summary: "print the harness version", priority: 100, run: runVersion})
}

func runVersion(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "version", "version", "  callcheck version")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("version takes no arguments, got %q", fs.Args())
	}
	fmt.Fprintln(e.stdout, version.String())
	return nil
}
