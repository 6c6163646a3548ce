package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/callcheck/callcheck/fixtures"
)

func init() {
	register(command{name: "fixtures", summary: "list and show the documented examples and the doc's errata", priority: 80, run: runFixtures})
}

const fixturesSynopsis = "fixtures <list | show N | errata> [flags]"

const fixturesExamples = `  callcheck fixtures list
  callcheck fixtures show 5                         # example 5: facts, then every block verbatim
  callcheck fixtures show 5 --block request         # one block, byte for byte as published
  callcheck fixtures show 5 --block request --canonical | jq .
  callcheck fixtures errata --example 5
  callcheck fixtures errata --json > errata.json    # the callcheck.errata/v1 document`

// runFixtures dispatches the fixtures subcommands.
func runFixtures(_ context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("fixtures needs a subcommand: list, show or errata (see callcheck fixtures --help)")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fs := newFlagSet(e, "fixtures", fixturesSynopsis, fixturesExamples)
		fs.Usage()
		fmt.Fprintln(fs.Output(), "\nSubcommands: list, show, errata; 'callcheck fixtures <subcommand> --help' shows their flags.")
		return flag.ErrHelp
	case "list":
		return fixturesList(e, args[1:])
	case "show":
		return fixturesShow(e, args[1:])
	case "errata":
		return fixturesErrata(e, args[1:])
	}
	return usagef("unknown fixtures subcommand %q; valid: list, show, errata", args[0])
}

// parseInterspersed parses flags that may come before or after positional
// arguments ("show 5 --block request") and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		consumed := len(args) - fs.NArg()
		rest := fs.Args()
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
}

// fixturesList prints one line per example.
func fixturesList(e *env, args []string) error {
	fs := newFlagSet(e, "fixtures list", "fixtures list", "  callcheck fixtures list")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("fixtures list takes no arguments, got %q", pos)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tNAME\tSCENARIO\tMEDIA\tBLOCKS")
	for _, ex := range fixtures.All() {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", ex.Number, ex.Name(), ex.Kind, ex.Media, strings.Join(ex.BlockNames(), ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n%d examples from create-call-doc.txt (sha256 %s); fixtures digest %s\n",
		len(fixtures.All()), fixtures.Default().Page().Document.SHA256, fixtures.Digest())
	return nil
}

// exampleArg reads an example number argument; the error names the valid ones.
func exampleArg(what, s string, allowPage bool) (int, error) {
	n, err := strconv.Atoi(s)
	valid := fmt.Sprintf("1-%d", len(fixtures.All()))
	if allowPage {
		valid = "0 (the page as a whole) or " + valid
	}
	if err != nil {
		return 0, usagef("%s %q is not a number; valid examples: %s", what, s, valid)
	}
	if n == 0 && allowPage {
		return 0, nil
	}
	if _, err := fixtures.ByNumber(n); err != nil {
		return 0, usagef("%s %d: no such example; valid examples: %s", what, n, valid)
	}
	return n, nil
}

// fixturesShow prints an example: its facts and blocks, or one block.
func fixturesShow(e *env, args []string) error {
	fs := newFlagSet(e, "fixtures show", "fixtures show N [--block NAME] [--canonical]", fixturesExamples)
	block := fs.String("block", "", "print only this block (request, response, notification-establishing, notification-established, notification-roster, media-session-blob)")
	canonical := fs.Bool("canonical", false, "print the canonical JSON of the body instead of the verbatim block")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("fixtures show takes one example number, got %q; valid examples: 1-%d", pos, len(fixtures.All()))
	}
	n, err := exampleArg("example", pos[0], false)
	if err != nil {
		return err
	}
	ex, _ := fixtures.ByNumber(n)
	if *block != "" {
		b, err := ex.Block(*block)
		if err != nil {
			return usageError{err}
		}
		return printBlock(e.stdout, b, *canonical)
	}
	printFacts(e.stdout, ex)
	return printBlocks(e.stdout, ex, *canonical)
}

// printBlocks prints every block of an example under a heading.
func printBlocks(w io.Writer, ex fixtures.Example, canonical bool) error {
	for _, b := range ex.Blocks() {
		fmt.Fprintf(w, "\n== %s (page lines %d-%d) ==\n", b.Name, b.Line, b.PageLine(strings.Count(b.Text, "\n")+1))
		if err := printBlock(w, b, canonical); err != nil {
			return err
		}
	}
	return nil
}

// printBlock prints a block verbatim, or its body as canonical JSON.
func printBlock(w io.Writer, b fixtures.Block, canonical bool) error {
	if !canonical {
		_, err := fmt.Fprintln(w, b.Text)
		return err
	}
	r := b.JSON()
	if r.Err != nil {
		return fmt.Errorf("block %s: the body cannot be read as JSON: %w", b.Name, r.Err)
	}
	_, err := fmt.Fprintln(w, string(r.Canonical))
	return err
}

// printFacts prints an example's heading, permissions and prose facts.
func printFacts(w io.Writer, ex fixtures.Example) {
	fmt.Fprintf(w, "Example %d: %s\nEjemplo %d: %s\n(page line %d)\n\n", ex.Number, ex.Title.English, ex.Number, ex.Title.Spanish, ex.Title.Line)
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	fmt.Fprintf(tw, "name:\t%s\nscenario:\t%s\nmedia:\t%s\n", ex.Name(), ex.Kind, ex.Media)
	for i, p := range ex.Permissions {
		fmt.Fprintf(tw, "%s\t%s\n", label(i, "permissions:"), describePermission(p))
	}
	if ex.BasedOn != nil {
		fmt.Fprintf(tw, "based on:\texample %d: %s\n", ex.BasedOn.Example, ex.BasedOn.Quote)
	}
	fmt.Fprintf(tw, "expect:\t%s\n", describeExpect(ex.Expect))
	for i, f := range ex.Expect.Facts {
		fmt.Fprintf(tw, "%s\t%s = %v: %s\n", label(i, "sources:"), f.Field, f.Value, f.Quote)
	}
	tw.Flush()
}

// label returns name for the first row of a list and "" for the others.
func label(i int, name string) string {
	if i == 0 {
		return name
	}
	return ""
}

// describePermission formats a permission as printed, with its real name.
func describePermission(p fixtures.Permission) string {
	s := p.Printed
	switch {
	case p.IsReal():
	case p.Real == "":
		s += " (not a permission)"
	default:
		s += " (not a permission; real: " + p.Real + ")"
	}
	if p.Inherited {
		s += " (inherited)"
	}
	return fmt.Sprintf("%s, page line %d", s, p.Quote.Line)
}

// describeExpect summarises the typed expectations.
func describeExpect(x fixtures.Expect) string {
	parts := []string{"states " + strings.Join(x.States, " → ")}
	flags := []struct {
		on   bool
		text string
	}{
		{x.Roster, "roster notifications"}, {!x.Roster, "no roster notifications"}, {x.Lobby, "may wait in the lobby"},
		{x.OutOfOrder, "establishing/established may arrive out of order"}, {x.NoChat, "no chat"},
		{x.NoRecording, "no recording"}, {x.ApplicationInstance, "source must be an application instance"},
		{x.MaxTargets > 0, fmt.Sprintf("at most %d targets", x.MaxTargets)},
	}
	for _, f := range flags {
		if f.on {
			parts = append(parts, f.text)
		}
	}
	return strings.Join(parts, "; ")
}

// fixturesErrata prints the errata as text or as the callcheck.errata/v1 document.
func fixturesErrata(e *env, args []string) error {
	fs := newFlagSet(e, "fixtures errata", "fixtures errata [--json] [--example N]", fixturesExamples)
	asJSON := fs.Bool("json", false, "print the stable callcheck.errata/v1 JSON document (docs/errata.md)")
	only := fs.String("example", "", "only the errata of example `N` (0: the page as a whole)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("fixtures errata takes no arguments, got %q (use --example N)", pos)
	}
	errata := fixtures.Errata()
	if *only != "" {
		n, err := exampleArg("--example", *only, true)
		if err != nil {
			return err
		}
		errata = fixtures.ForExample(errata, n)
	}
	if *asJSON {
		return fixtures.NewErrataDocument(fixtures.Default(), errata).WriteJSON(e.stdout)
	}
	return printErrata(e.stdout, errata)
}

// printErrata prints errata for people, three lines each.
func printErrata(w io.Writer, errata []fixtures.Erratum) error {
	for _, x := range errata {
		where := "the page"
		if x.Example > 0 {
			where = "example " + strconv.Itoa(x.Example)
		}
		if x.Block != "" {
			where += fmt.Sprintf(" %s line %d", x.Block, x.Line)
		}
		fmt.Fprintf(w, "%s (page line %d)%s\n  %s %s: %s\n  evidence: %s\n", where, x.PageLine, prefixed(" ", x.Pointer),
			x.Severity, kindText(x), x.Message, strings.ReplaceAll(x.Evidence, "\n", " ↵ "))
	}
	s := fixtures.Summarize(errata)
	_, err := fmt.Fprintf(w, "%d errata: %d errors, %d warnings (fixtures digest %s)\n", s.Total, s.Errors, s.Warnings, fixtures.Digest())
	return err
}

// kindText is the erratum kind with its detail.
func kindText(x fixtures.Erratum) string {
	if x.Detail != "" {
		return string(x.Kind) + " (" + x.Detail + ")"
	}
	return string(x.Kind)
}

// prefixed returns p+s, or "" when s is empty.
func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}
