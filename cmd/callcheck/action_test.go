package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// actionFile is the repository's GitHub Action (a composite action).
const actionFile = "../../action.yml"

// actionRef is how a workflow references the action.
var actionRef = regexp.MustCompile(`^callcheck/callcheck@\S+$`)

// actionMetadata is the part of action.yml the tests read.
type actionMetadata struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Inputs      map[string]struct {
		Description string `yaml:"description"`
		Required    bool   `yaml:"required"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string    `yaml:"using"`
		Steps yaml.Node `yaml:"steps"`
	} `yaml:"runs"`
}

func readAction(t *testing.T) (*actionMetadata, []byte) {
	t.Helper()
	data, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	var a actionMetadata
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("%s: %v", actionFile, err)
	}
	return &a, data
}

// actionAsWorkflow writes the action's steps as one job of a workflow
// whose workflow_call inputs are the action's inputs, so that actionlint
// checks them as it checks any workflow: the expressions and the contexts
// they use (inputs.*, steps.*.outputs, github.action_path, runner.os), the
// inputs given to the actions the steps use, the shell scripts.
func actionAsWorkflow(t *testing.T, a *actionMetadata) []byte {
	t.Helper()
	inputs := map[string]any{}
	for name, in := range a.Inputs {
		inputs[name] = map[string]any{"type": "string", "required": in.Required, "default": in.Default, "description": in.Description}
	}
	wf := map[string]any{
		"name": "action.yml as a workflow",
		"on":   map[string]any{"workflow_call": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{"action": map[string]any{"runs-on": "ubuntu-latest", "steps": &a.Runs.Steps}},
	}
	out, err := yaml.Marshal(wf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// lint runs actionlint on content as the workflow at path of the repository.
func lint(t *testing.T, path string, content []byte) []*actionlint.Error {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	project, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	linter, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := linter.Lint(filepath.Join(root, ".github", "workflows", path), content, project)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

// TestActionIsValid: action.yml is a composite action with a name, a
// description and described inputs and outputs; every run step names its
// shell; and its steps, linted by actionlint as a workflow's, are clean.
func TestActionIsValid(t *testing.T) {
	a, _ := readAction(t)
	if a.Name == "" || a.Description == "" || a.Runs.Using != "composite" {
		t.Fatalf("action.yml: name %q, description %q, runs.using %q; want a named, described composite action", a.Name, a.Description, a.Runs.Using)
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
	}
	for name, out := range a.Outputs {
		if out.Description == "" || out.Value == "" {
			t.Errorf("output %s needs a description and a value", name)
		}
	}
	var steps []struct {
		Name  string `yaml:"name"`
		Run   string `yaml:"run"`
		Shell string `yaml:"shell"`
		Uses  string `yaml:"uses"`
	}
	if err := a.Runs.Steps.Decode(&steps); err != nil || len(steps) == 0 {
		t.Fatalf("runs.steps: %v (%d steps)", err, len(steps))
	}
	for i, s := range steps {
		if (s.Run == "") == (s.Uses == "") || (s.Run != "" && s.Shell == "") || s.Name == "" {
			t.Errorf("step %d (%s): a composite step needs a name and exactly one of run (with its shell) and uses", i+1, s.Name)
		}
	}
	for _, e := range lint(t, "action-as-workflow.yml", actionAsWorkflow(t, a)) {
		t.Errorf("actionlint on action.yml's steps: line %d: %s [%s]", e.Line, e.Message, e.Kind)
	}
}

// actionUses returns, for each workflow that uses the callcheck action, its
// text with every reference to the action made local (uses: ./), so that
// actionlint checks each step's inputs against action.yml.
func actionUses(t *testing.T) map[string][]byte {
	t.Helper()
	local := map[string][]byte{}
	for _, f := range workflowFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile(`(?m)^(\s*(?:-\s+)?uses:\s*)callcheck/callcheck@\S+`)
		if re.Match(data) {
			local[filepath.Base(f)] = re.ReplaceAll(data, []byte("${1}./"))
		}
	}
	return local
}

// TestWorkflowsUseTheActionRightly: every workflow step that uses the
// action gives only inputs action.yml declares and every required one (as
// actionlint checks a local action), a command the action knows, and
// arguments callcheck's CLI accepts.
func TestWorkflowsUseTheActionRightly(t *testing.T) {
	local := actionUses(t)
	if local["callcheck-action.yml"] == nil {
		t.Fatal("docs/workflows/callcheck-action.yml does not use the action")
	}
	for name, content := range local {
		for _, e := range lint(t, name, content) {
			t.Errorf("actionlint: %s (with the action local): line %d: %s [%s]", name, e.Line, e.Message, e.Kind)
		}
	}
	n := 0
	for _, f := range workflowFiles(t) {
		w := readWorkflow(t, f)
		for id, j := range w.Jobs {
			for i, s := range j.Steps {
				if !actionRef.MatchString(s.Uses) {
					continue
				}
				cmd := s.With["command"]
				if cmd == "" {
					cmd = "conform"
				}
				if cmd != "conform" && cmd != "load" {
					t.Errorf("%s job %s step %d: command %q, want conform or load", filepath.Base(f), id, i+1, cmd)
					continue
				}
				where := filepath.Base(f) + " job " + id + " step " + strconv.Itoa(i+1)
				for _, line := range callcheckLines(t, where, "callcheck "+cmd+" "+s.With["args"]+" --out placeholder", merge(w.Env, j.Env)) {
					n++
					if err := checkCommandLine(line); err != nil {
						t.Error(err)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Error("no workflow step uses the action")
	}
	t.Logf("%d uses of the action checked", n)
}

// TestActionCheckCatchesMistakes: the checks are at work: an input the
// action does not declare and an expression naming an unknown step are
// reported.
func TestActionCheckCatchesMistakes(t *testing.T) {
	bad := "name: bad\non: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n        with:\n          nosuch: 1\n      - run: echo ${{ steps.nope.outputs.x }}\n"
	var msgs []string
	for _, e := range lint(t, "bad.yml", []byte(bad)) {
		msgs = append(msgs, e.Message)
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, `input "nosuch" is not defined`) || !strings.Contains(all, "nope") {
		t.Errorf("actionlint reported:\n%s", all)
	}
}

// TestReadmeShowsTheAction: the README shows the one line that uses the action.
func TestReadmeShowsTheAction(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s*-\s+uses:\s+callcheck/callcheck@v\d+\s*$`).Match(data) {
		t.Error("the README does not show `- uses: callcheck/callcheck@vN`")
	}
}
