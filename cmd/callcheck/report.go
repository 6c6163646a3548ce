package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/callcheck/callcheck/load"
)

func init() {
	register(command{name: "report", summary: "merge load result files and gate on thresholds", priority: 40, run: runReport})
}

const reportExamples = `  # merge the shards of a run (every run directory below results/) and gate on thresholds
  callcheck report --threshold 'p99<200ms,success>=99.9%,e2e.p99<1s,lost==0' results/
  # merge runs from several machines and write the merged summary as JSON
  callcheck report --json merged.json host-a/load-results host-b/load-results
  # a bare vegeta results file (any of vegeta's encodings) is read too
  callcheck report --threshold 'p99<50ms' results.bin`

// runReport merges load results (any number of run directories, directories
// holding them, capacity results, bare vegeta result files) into one
// summary, prints it and evaluates the thresholds over it. The merge and the
// thresholds are load's; this only maps flags and files.
func runReport(_ context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "report", "report [--threshold EXPR]... [--json FILE] PATH...", reportExamples)
	var thresholds thresholdFlag
	var jsonOut string
	fs.Var(&thresholds, "threshold", "threshold expression(s) over the merged results (repeatable); exit 1 when one is breached")
	fs.StringVar(&jsonOut, "json", "", "write the merged summary as JSON to this file (- for stdout, instead of the text)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("report needs result files or directories (e.g. the --out of callcheck load)")
	}
	ts, err := thresholds.parse("--threshold")
	if err != nil {
		return err
	}
	sum, err := load.Merge(fs.Args()...)
	if err != nil {
		return usagef("reading results: %v", err)
	}
	passed := sum.Evaluate(ts)
	if err := writeReport(e.stdout, sum, jsonOut); err != nil {
		return err
	}
	return thresholdsOutcome(sum, passed)
}

// writeReport writes the text summary to w, and the JSON to jsonOut.
func writeReport(w io.Writer, sum *load.Summary, jsonOut string) error {
	if jsonOut != "-" {
		if err := load.WriteText(w, sum); err != nil {
			return err
		}
	}
	if jsonOut == "" {
		return nil
	}
	out := w
	if jsonOut != "-" {
		f, err := os.Create(jsonOut)
		if err != nil {
			return usagef("--json: %v", err)
		}
		defer f.Close()
		out = f
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sum); err != nil {
		return fmt.Errorf("writing the summary: %w", err)
	}
	return nil
}
