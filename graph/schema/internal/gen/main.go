// Command gen writes the derived schema documents of package schema (derived/<version>.json) from the
// upstream copies (upstream/*.gz). It is run by go generate in graph/schema:
//
//	go generate ./graph/schema
//
// Flags: -upstream DIR (default upstream) and -out DIR (default derived), relative to the working directory.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/callcheck/callcheck/graph/schema/internal/derive"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	upstream := fs.String("upstream", "upstream", "directory holding the gzipped upstream files")
	out := fs.String("out", "derived", "directory the derived documents are written to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	in, err := derive.ReadInputs(os.DirFS(*upstream))
	if err != nil {
		return err
	}
	docs, err := derive.DeriveAll(in)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, v := range derive.Versions {
		path := filepath.Join(*out, v+".json")
		if err := os.WriteFile(path, docs[v], 0o644); err != nil {
			return err
		}
		fmt.Printf("gen: wrote %s (%d bytes)\n", path, len(docs[v]))
	}
	return nil
}
