package result

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// CapacitySchema names the version of the capacity result format.
const CapacitySchema = "callcheck.dev/load-capacity/v1"

// CapacityResult is the outcome of a capacity search: the whole curve, the
// capacity (the knee: the highest offered rate that met the objective),
// what failed first above it, and a conclusion in plain language.
type CapacityResult struct {
	SchemaVersion  string `json:"schemaVersion"` // CapacitySchema
	Harness        string `json:"harness"`
	FixturesDigest string `json:"fixturesDigest"`
	Target         string `json:"target"`
	// Embedded is set when the target is the emulator callcheck started
	// itself; a search runs it in a child process of its own, described by
	// EmulatorProcess.
	Embedded bool       `json:"embedded,omitempty"`
	Examples []MixEntry `json:"examples"`
	// Objective is the SLO as given, canonically; MinAchieved the implied
	// achieved-rate criterion.
	Objective   string  `json:"objective"`
	MinAchieved float64 `json:"minAchieved"`
	// StepDuration and Stabilize are each step's measured and unmeasured parts.
	StepDuration Duration  `json:"stepDuration"`
	Stabilize    Duration  `json:"stabilize"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	// Points is the curve, in the order the steps ran.
	Points []CurvePoint `json:"points"`
	// Capacity is the highest offered rate that met the objective (0: none
	// did); Knee is its point.
	Capacity float64     `json:"capacity"`
	Knee     *CurvePoint `json:"knee,omitempty"`
	// FirstFailure is the lowest offered rate that failed, with what failed.
	FirstFailure *CurvePoint `json:"firstFailure,omitempty"`
	// FailedFirst names the criteria that failed at FirstFailure: latency,
	// e2e-latency, success, achieved-rate, lost.
	FailedFirst []Criterion `json:"failedFirst,omitempty"`
	// Stopped says why the search ended.
	Stopped string `json:"stopped"`
	// Conclusion says it in a sentence.
	Conclusion string `json:"conclusion"`
	// Process is the load generator's peak memory over the search.
	Process *ProcessPeak `json:"process,omitempty"`
	// EmulatorProcess is the emulator's child process, when the search
	// started one (the default target): a search finds the target's
	// limits, and a target sharing the generator's runtime (one heap, one
	// garbage collector, one scheduler) distorts both.
	EmulatorProcess *ProcessPeak `json:"emulatorProcess,omitempty"`
}

// ProcessPeak is a process of a capacity search and its peak memory.
type ProcessPeak struct {
	// Command names the process: "callcheck load capacity", "callcheck emulate".
	Command string `json:"command"`
	// PID is its process id.
	PID int `json:"pid"`
	// MaxRSSBytes is its peak resident set size (getrusage; 0: unknown on
	// this platform).
	MaxRSSBytes uint64 `json:"maxRssBytes"`
	// Exit is how a child process ended ("exit status 0", "signal: killed").
	Exit string `json:"exit,omitempty"`
}

// CurvePoint is one step of a capacity search.
type CurvePoint struct {
	Phase    string   `json:"phase"`    // "step" or "bisect"
	Offered  float64  `json:"offered"`  // hits per second scheduled
	Achieved float64  `json:"achieved"` // hits per second sent
	Requests uint64   `json:"requests"` // measured
	P50      Duration `json:"p50"`
	P90      Duration `json:"p90"`
	P99      Duration `json:"p99"`
	Max      Duration `json:"max"`
	// ErrorRatio is the failed requests' share.
	ErrorRatio float64 `json:"errorRatio"`
	// E2EP99 and Lost are the end-to-end latency and lost calls (when measured).
	E2EP99 Duration `json:"e2eP99,omitempty"`
	Lost   uint64   `json:"lost,omitempty"`
	Passed bool     `json:"passed"`
	// Verdicts are the objective's thresholds evaluated over the step.
	Verdicts []Verdict `json:"verdicts"`
	// Error is set when the step could not run.
	Error string `json:"error,omitempty"`
}

// Criterion is a kind of objective a step can fail.
type Criterion string

// The criteria, in the order a conclusion lists them.
const (
	CriterionLatency      Criterion = "latency"
	CriterionE2ELatency   Criterion = "e2e-latency"
	CriterionSuccess      Criterion = "success"
	CriterionAchievedRate Criterion = "achieved-rate"
	CriterionLost         Criterion = "lost"
)

// UnmarshalJSON decodes a capacity result, reading the schema version under
// its older name "schema" too.
func (r *CapacityResult) UnmarshalJSON(data []byte) error {
	type plain CapacityResult // without this method
	return decodeVersioned(data, (*plain)(r), &r.SchemaVersion)
}

// ReadCapacity reads a capacity.json file; the error names the file and
// what is wrong with it.
func ReadCapacity(path string) (*CapacityResult, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c CapacityResult
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if c.SchemaVersion != CapacitySchema {
		return nil, fmt.Errorf("%s: schemaVersion %q, want %q", path, c.SchemaVersion, CapacitySchema)
	}
	return &c, nil
}
