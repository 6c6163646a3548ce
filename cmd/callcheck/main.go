// Command callcheck is a conformance and load-testing harness for the
// Microsoft Graph cloud-communications Create call API (POST /communications/calls).
//
// Each subcommand lives in its own file, registers itself with register, parses
// its own flag.FlagSet and returns an error; only main exits.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// Exit codes of the CLI contract (DESIGN.md).
const (
	exitOK      = 0 // every check passed
	exitFailed  = 1 // a spec, check or threshold failed
	exitUsage   = 2 // bad usage or configuration
	exitAborted = 3 // interrupted or an unexpected runtime error
)

// command is one subcommand of callcheck.
type command struct {
	name     string // as typed: "conform", "load", ...
	summary  string // one line for the command list
	run      func(ctx context.Context, env *env, args []string) error
	hidden   bool // left out of the command list (internal helpers)
	priority int  // order in the command list (lower first)
}

// env is what a subcommand may touch of the process: its streams and environment.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// executable is this program's path, which load capacity re-executes as
	// `callcheck emulate`; nil: os.Executable.
	executable func() (string, error)
	// checkFlags makes every subcommand return errFlagsChecked as soon as its
	// flags parsed, doing nothing: a test checks command lines (those of the
	// CI workflows) against the current flags with it.
	checkFlags bool
}

// errFlagsChecked is what a subcommand returns in checkFlags mode once its
// flags parsed.
var errFlagsChecked = errors.New("flags checked")

// checkFlagsMarker names the flag newFlagSet adds in checkFlags mode; a NUL
// keeps it from clashing with, or being typed as, a real flag.
const checkFlagsMarker = "\x00check-flags"

var commands = map[string]command{}

// register adds a subcommand; it is called from each subcommand file's init.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("callcheck: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError marks an error as bad usage or configuration (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// failedError marks a run whose checks failed (exit 1); its message is a summary.
type failedError struct{ msg string }

func (e failedError) Error() string { return e.msg }

// exitCode maps an error returned by a subcommand to the process exit code.
func exitCode(err error) int {
	var ue usageError
	var fe failedError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &fe):
		return exitFailed
	default:
		return exitAborted
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches args to a subcommand and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			return run(ctx, e, []string{args[1], "--help"})
		}
		printUsage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "callcheck: unknown command %q; known commands: %s\n", args[0], strings.Join(commandNames(), ", "))
		return exitUsage
	}
	err := c.run(ctx, e, args[1:])
	code := exitCode(err)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(e.stderr, "callcheck %s: %v\n", c.name, err)
	}
	return code
}

func commandNames() []string {
	var names []string
	for _, c := range sortedCommands() {
		names = append(names, c.name)
	}
	return names
}

func sortedCommands() []command {
	var cs []command
	for _, c := range commands {
		if !c.hidden {
			cs = append(cs, c)
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].priority != cs[j].priority {
			return cs[i].priority < cs[j].priority
		}
		return cs[i].name < cs[j].name
	})
	return cs
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "callcheck: conformance and load testing for the Microsoft Graph Create call API (POST /communications/calls)")
	fmt.Fprintln(w, "\nUsage:\n  callcheck <command> [flags]\n\nCommands:")
	for _, c := range sortedCommands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'callcheck <command> --help' for a command's flags and examples.")
	fmt.Fprintln(w, "Exit codes: 0 passed, 1 a check failed, 2 bad usage or configuration, 3 interrupted or internal error.")
}

// newFlagSet returns a FlagSet for a subcommand whose --help prints the
// summary, the flags and the examples on stdout.
func newFlagSet(e *env, name, synopsis, examples string) *flag.FlagSet {
	fs := flag.NewFlagSet("callcheck "+name, flag.ContinueOnError)
	fs.SetOutput(e.stdout)
	if e.checkFlags {
		fs.Bool(checkFlagsMarker, false, "")
	}
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: callcheck %s\n\n", synopsis)
		fmt.Fprintln(w, "Flags:")
		fs.PrintDefaults()
		if examples != "" {
			fmt.Fprintf(w, "\nExamples:\n%s\n", strings.TrimRight(examples, "\n"))
		}
	}
	return fs
}

// parseFlags parses args into fs, the one flag parser of every subcommand.
// --help prints the usage on the FlagSet's output (stdout) and returns
// flag.ErrHelp; any other parse error becomes a usageError of one or two
// lines (the flag package's message, "did you mean" for a near miss, and
// where the flags are listed) instead of the whole usage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out := fs.Output()
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return err
		}
		return usageError{flagError(fs, err)}
	}
	if fs.Lookup(checkFlagsMarker) != nil {
		return errFlagsChecked
	}
	return nil
}

// undefinedFlagPrefix starts the flag package's message for an unknown flag.
const undefinedFlagPrefix = "flag provided but not defined: -"

// flagError rewrites a parse error: an unknown flag gets the nearest known
// flag name (when near) and a pointer to --help.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	help := fmt.Sprintf("run '%s --help' for its flags", fs.Name())
	name, ok := strings.CutPrefix(msg, undefinedFlagPrefix)
	if !ok {
		return fmt.Errorf("%s\n%s", msg, help)
	}
	if near := nearestFlag(fs, name); near != "" {
		return fmt.Errorf("unknown flag --%s (did you mean --%s?)\n%s", name, near, help)
	}
	return fmt.Errorf("unknown flag --%s\n%s", name, help)
}

// nearestFlag returns the defined flag closest to name by edit distance,
// or "" when none is within a third of the name's length (at least 2 edits).
func nearestFlag(fs *flag.FlagSet, name string) string {
	best, bestD := "", max(2, len(name)/3)+1
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == checkFlagsMarker {
			return
		}
		if d := editDistance(name, f.Name); d < bestD {
			best, bestD = f.Name, d
		}
	})
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// checkOutDir makes sure an output directory can be created and written
// before any work, so a run is never lost to a bad --out at its end; ""
// (no output asked for) passes.
func checkOutDir(flagName, dir string) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usagef("%s %s cannot be created: %v", flagName, dir, errors.Unwrap(err))
	}
	f, err := os.CreateTemp(dir, ".callcheck-probe-*")
	if err != nil {
		return usagef("%s %s is not writable: %v", flagName, dir, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// flagsSet reports which flags the user set explicitly, so configuration
// layers (defaults < file < flags) only override what was given.
func flagsSet(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}
