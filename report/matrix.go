package report

import (
	"slices"
	"strings"
)

// Phases group a contract's steps into the columns people scan first: the
// request, the response, the notifications that follow, the cleanup.
const (
	PhaseRequest       = "request"
	PhaseResponse      = "response"
	PhaseNotifications = "notifications"
	PhaseCleanup       = "cleanup"
)

// StepPhase returns the phase of a step as the suites name steps:
// "request" and "response" are their own phases; "notification:…",
// "notifications:…" and "lobby:…" steps are notifications; "cleanup:…" is
// cleanup. Any other step is a phase of its own name (negative contracts'
// "get", "delete").
func StepPhase(step string) string {
	prefix, _, _ := strings.Cut(step, ":")
	switch prefix {
	case "notification", "notifications", "lobby":
		return PhaseNotifications
	case PhaseCleanup:
		return PhaseCleanup
	}
	return prefix
}

// StepLabel is the short column label of a step: its name without the
// phase prefix ("notification:established" → "established").
func StepLabel(step string) string {
	if _, rest, ok := strings.Cut(step, ":"); ok {
		return rest
	}
	return step
}

// Matrix is a grid of contracts × steps: its columns are every step any of
// the contracts took, in the order the contracts take them, grouped by phase.
type Matrix struct {
	Columns []string // step names
	Groups  []Group  // the columns' phases, left to right
	Rows    []MatrixRow
}

// Group is a run of adjacent columns of one phase.
type Group struct {
	Phase string
	Span  int
}

// MatrixRow is one contract in a Matrix.
type MatrixRow struct {
	Contract *ContractResult
	Cells    []*StepResult // one per column; nil where the contract has no such step
}

// NewMatrix builds the matrix of rs. A step unknown to the columns so far is
// placed right after the previous step of its contract, so every contract's
// steps read left to right in the order they ran; columns are then grouped
// by phase, keeping that order within each phase.
func NewMatrix(rs []ContractResult) *Matrix {
	var cols []string
	for _, r := range rs {
		cols = mergeSteps(cols, r.Steps)
	}
	cols = groupByPhase(cols)
	m := &Matrix{Columns: cols, Groups: phaseGroups(cols)}
	for i := range rs {
		m.Rows = append(m.Rows, matrixRow(&rs[i], cols))
	}
	return m
}

// mergeSteps inserts the steps missing from cols after their predecessor;
// steps before the contract's first known step go right before it, and a
// contract with no known step adds its steps at the end.
func mergeSteps(cols []string, steps []StepResult) []string {
	at := len(cols)
	for _, s := range steps {
		if i := slices.Index(cols, s.Name); i >= 0 {
			at = i
			break
		}
	}
	for _, s := range steps {
		if i := slices.Index(cols, s.Name); i >= 0 {
			at = i + 1
			continue
		}
		cols = slices.Insert(cols, at, s.Name)
		at++
	}
	return cols
}

// groupByPhase orders cols by the first appearance of their phase, stably.
func groupByPhase(cols []string) []string {
	var phases []string
	for _, c := range cols {
		if p := StepPhase(c); !slices.Contains(phases, p) {
			phases = append(phases, p)
		}
	}
	out := make([]string, 0, len(cols))
	for _, p := range phases {
		for _, c := range cols {
			if StepPhase(c) == p {
				out = append(out, c)
			}
		}
	}
	return out
}

func phaseGroups(cols []string) []Group {
	var gs []Group
	for _, c := range cols {
		p := StepPhase(c)
		if n := len(gs); n > 0 && gs[n-1].Phase == p {
			gs[n-1].Span++
			continue
		}
		gs = append(gs, Group{Phase: p, Span: 1})
	}
	return gs
}

func matrixRow(r *ContractResult, cols []string) MatrixRow {
	row := MatrixRow{Contract: r, Cells: make([]*StepResult, len(cols))}
	for i := range r.Steps {
		if j := slices.Index(cols, r.Steps[i].Name); j >= 0 && row.Cells[j] == nil {
			row.Cells[j] = &r.Steps[i]
		}
	}
	return row
}

// PhaseVerdict returns the worst verdict of r's steps in phase, and false
// when r has no step in it.
func PhaseVerdict(r *ContractResult, phase string) (Verdict, bool) {
	var vs []Verdict
	for _, s := range r.Steps {
		if StepPhase(s.Name) == phase {
			vs = append(vs, s.Verdict)
		}
	}
	return Worst(vs...), len(vs) > 0
}
