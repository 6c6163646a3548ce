package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// workflowFiles are the CI workflows and the workflow users copy.
func workflowFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"../../.github/workflows/*.yml", "../../docs/workflows/*.yml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	for _, want := range []string{"ci.yml", "conformance.yml", "load-smoke.yml", "release.yml", "callcheck-gate.yml", "callcheck-action.yml"} {
		found := false
		for _, f := range files {
			found = found || filepath.Base(f) == want
		}
		if !found {
			t.Errorf("workflow %s is missing", want)
		}
	}
	return files
}

// workflow is the part of a GitHub Actions workflow the test reads.
type workflow struct {
	Name string            `yaml:"name"`
	On   yaml.Node         `yaml:"on"`
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		RunsOn string            `yaml:"runs-on"`
		Env    map[string]string `yaml:"env"`
		Steps  []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(t *testing.T, path string) *workflow {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &w
}

// TestWorkflowsAreValid: every workflow parses, has triggers and jobs whose
// steps each use an action or run a script, and actionlint finds nothing.
func TestWorkflowsAreValid(t *testing.T) {
	files := workflowFiles(t)
	for _, f := range files {
		w := readWorkflow(t, f)
		if w.Name == "" || w.On.Kind == 0 || len(w.Jobs) == 0 {
			t.Errorf("%s: a workflow needs a name, triggers (on) and jobs", f)
		}
		for id, j := range w.Jobs {
			if j.RunsOn == "" || len(j.Steps) == 0 {
				t.Errorf("%s: job %s needs runs-on and steps", f, id)
			}
			for i, s := range j.Steps {
				if (s.Uses == "") == (s.Run == "") {
					t.Errorf("%s: job %s step %d (%s) needs exactly one of uses and run", f, id, i+1, s.Name)
				}
			}
		}
	}
	linter, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := linter.LintFiles(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("actionlint: %s:%d:%d: %s [%s]", e.Filepath, e.Line, e.Column, e.Message, e.Kind)
	}
}

// TestActionlintCatchesMistakes: the linter is really at work: a job
// without runs-on and an unknown expression context are reported.
func TestActionlintCatchesMistakes(t *testing.T) {
	linter, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bad := "on: push\njobs:\n  j:\n    steps:\n      - run: echo ${{ nosuch.thing }}\n"
	errs, err := linter.Lint("bad.yml", []byte(bad), nil)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range errs {
		kinds = append(kinds, e.Message)
	}
	all := strings.Join(kinds, "\n")
	if !strings.Contains(all, "runs-on") || !strings.Contains(all, "nosuch") {
		t.Errorf("actionlint reported:\n%s", all)
	}
}

// ghExpr is a GitHub expression, ${{ ... }}, which the runner replaces before the shell runs.
var ghExpr = regexp.MustCompile(`\$\{\{[^}]*\}\}`)

// callcheckLine is one callcheck command line of a workflow.
type callcheckLine struct {
	where string
	args  []string
}

// callcheckLines parses a run script as the shell does and returns the
// arguments of every callcheck command in it, with variables expanded from
// env (unknown ones become "placeholder") and GitHub expressions replaced.
func callcheckLines(t *testing.T, where, script string, env map[string]string) []callcheckLine {
	t.Helper()
	src := ghExpr.ReplaceAllString(script, "ghexpr")
	file, err := syntax.NewParser().Parse(strings.NewReader(src), where)
	if err != nil {
		t.Fatalf("%s: the run script does not parse as shell: %v", where, err)
	}
	cfg := &expand.Config{Env: expand.FuncEnviron(func(name string) string {
		if v, ok := env[name]; ok {
			return ghExpr.ReplaceAllString(v, "ghexpr")
		}
		return "placeholder"
	})}
	var out []callcheckLine
	syntax.Walk(file, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		words := call.Args
		for len(words) > 0 && words[0].Lit() == "nohup" { // a background service: nohup callcheck emulate … &
			words = words[1:]
		}
		if len(words) == 0 || words[0].Lit() != "callcheck" {
			return true
		}
		var args []string
		for _, w := range words[1:] {
			s, err := expand.Literal(cfg, w)
			if err != nil {
				t.Fatalf("%s: expanding %v: %v", where, w, err)
			}
			args = append(args, s)
		}
		out = append(out, callcheckLine{where: where + ":" + call.Pos().String(), args: args})
		return true
	})
	return out
}

// TestWorkflowCommandLinesParse: every callcheck command line in the
// workflows names a subcommand whose flags, as written, the current CLI
// accepts (the commands parse their flags and stop: checkFlags mode).
func TestWorkflowCommandLinesParse(t *testing.T) {
	seen := map[string]bool{}
	n := 0
	for _, f := range workflowFiles(t) {
		w := readWorkflow(t, f)
		for id, j := range w.Jobs {
			for i, s := range j.Steps {
				env := merge(w.Env, j.Env, s.Env)
				for _, line := range callcheckLines(t, filepath.Base(f)+" job "+id+" step "+strconv.Itoa(i+1), s.Run, env) {
					seen[line.args[0]] = true
					n++
					if err := checkCommandLine(line); err != nil {
						t.Error(err)
					}
				}
			}
		}
	}
	t.Logf("%d callcheck command lines checked", n)
	for _, cmd := range []string{"conform", "emulate", "load", "report", "certify-bot"} {
		if !seen[cmd] {
			t.Errorf("no workflow runs callcheck %s", cmd)
		}
	}
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// checkCommandLine runs the line's command in checkFlags mode and says
// why the CLI refuses it, if it does.
func checkCommandLine(line callcheckLine) error {
	if len(line.args) == 0 {
		return fmt.Errorf("%s: callcheck without a command", line.where)
	}
	c, ok := commands[line.args[0]]
	if !ok {
		return fmt.Errorf("%s: callcheck %s: no such command", line.where, line.args[0])
	}
	var stderr strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, getenv: func(string) string { return "" }, checkFlags: true}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // nothing may start
	if err := c.run(ctx, e, line.args[1:]); !errors.Is(err, errFlagsChecked) {
		return fmt.Errorf("%s: callcheck %s: the CLI refuses it: %v %s", line.where, strings.Join(line.args, " "), err, firstLine(stderr.String()))
	}
	return nil
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// TestWorkflowCheckCatchesBadLines: the check refuses an unknown flag and a
// flag value of the wrong type, and accepts a good line.
func TestWorkflowCheckCatchesBadLines(t *testing.T) {
	lines := callcheckLines(t, "test", `callcheck load create --rate 10/s --duration "$D" --bogus
callcheck load create --duration ten
callcheck report --format md "$DIR" >> "$GITHUB_STEP_SUMMARY"`, map[string]string{"D": "5s"})
	if len(lines) != 3 || lines[0].args[5] != "5s" || lines[2].args[3] != "placeholder" {
		t.Fatalf("lines = %+v", lines)
	}
	for i, want := range []string{"unknown flag --bogus", `invalid value "ten" for flag -duration`, ""} {
		err := checkCommandLine(lines[i])
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("line %d (%v): %v, want %q", i, lines[i].args, err, want)
		}
	}
}
