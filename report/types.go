// Package report holds callcheck's versioned result documents — the
// conformance report of `callcheck conform`, the bot certificate of
// `callcheck certify-bot` — and renders results as JSON, JUnit XML, Markdown
// and self-contained HTML. Raw results (load result files, Ginkgo reports) are
// kept apart from the documents rendered from them.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/callcheck/callcheck/load/result"
)

// Schema versions of the documents. A reader refuses a document whose
// schemaVersion it does not know; a change that breaks readers bumps the
// suffix. v2 added the verdict "interrupted" with the fields Interrupted and
// NotRun; a v1 document (which predates them) is still read.
const (
	ConformanceSchema = "callcheck.dev/conformance/v2"
	CertificateSchema = "callcheck.dev/bot-certificate/v2"

	ConformanceSchemaV1 = "callcheck.dev/conformance/v1"
	CertificateSchemaV1 = "callcheck.dev/bot-certificate/v1"
)

// IsConformanceSchema reports whether v is a conformance report's schema
// this package reads.
func IsConformanceSchema(v string) bool { return v == ConformanceSchema || v == ConformanceSchemaV1 }

// IsCertificateSchema reports whether v is a bot certificate's schema this
// package reads.
func IsCertificateSchema(v string) bool { return v == CertificateSchema || v == CertificateSchemaV1 }

// Verdict is the outcome of a check, a step or a whole contract.
type Verdict string

// Verdicts. NotSupported is for a feature the target does not claim: it is
// neither a pass nor a skip (gateway-api's distinction, STYLE.md).
const (
	Passed       Verdict = "passed"
	Failed       Verdict = "failed"
	NotSupported Verdict = "not-supported"
	Skipped      Verdict = "skipped"
	Warning      Verdict = "warning" // passed, with something the documentation itself does that the service may not accept
	// Interrupted is the verdict of a whole run a signal (SIGINT, SIGTERM)
	// stopped before it ended: neither a pass nor a failure of the target,
	// since part of it did not run.
	Interrupted Verdict = "interrupted"
)

// Worst returns the verdict that dominates: interrupted > failed > warning >
// passed > not-supported > skipped. An interrupted run dominates: nothing
// about the whole is known.
func Worst(vs ...Verdict) Verdict {
	rank := map[Verdict]int{Skipped: 0, NotSupported: 1, Passed: 2, Warning: 3, Failed: 4, Interrupted: 5}
	worst := Skipped
	for _, v := range vs {
		if rank[v] > rank[worst] {
			worst = v
		}
	}
	return worst
}

// Harness identifies what produced a document.
type Harness struct {
	Name           string `json:"name"`           // "callcheck"
	Version        string `json:"version"`        // internal/version.String()
	FixturesDigest string `json:"fixturesDigest"` // fixtures.Digest(): sha256 of the embedded examples
}

// Evidence is what a failed (or warned) check saw: what was expected and
// what came, with enough context to find it in the target's logs.
type Evidence struct {
	Message   string `json:"message"`             // what is wrong, in one sentence naming the field
	Expected  string `json:"expected,omitempty"`  // what the contract wants
	Got       string `json:"got,omitempty"`       // what the target did
	Pointer   string `json:"pointer,omitempty"`   // JSON pointer into the body at fault
	RequestID string `json:"requestId,omitempty"` // the request-id header of the response at fault
	Excerpt   string `json:"excerpt,omitempty"`   // the offending body excerpt (bounded, secrets removed)
	DocQuote  string `json:"docQuote,omitempty"`  // the documentation's words the check rests on
	Source    string `json:"source,omitempty"`    // where those words are: "create-call-doc.txt line 734 (Example 5)", "graph-calls-facts.md line 289 (§3.5)"
	Basis     Basis  `json:"basis,omitempty"`     // the kind of evidence the check rests on
	URL       string `json:"url,omitempty"`       // the public field report the check cites, if any
	Warning   bool   `json:"warning,omitempty"`   // the check only warns: inferred against a remote target, not strict
}

// Basis is the kind of evidence a check rests on.
type Basis string

// The bases. Against a remote target only documented, schema and field
// checks fail a run; inferred ones warn unless the run is strict.
const (
	BasisDocumented Basis = "documented" // the documented page (by line) or the Graph documentation the fact sheet quotes
	BasisSchema     Basis = "schema"     // Microsoft's metadata (CSDL / OpenAPI)
	BasisField      Basis = "field"      // a cited public report of real Graph traffic
	BasisInferred   Basis = "inferred"   // callcheck's own reading
)

// Retry is one retry the suites' client made: the response that caused it
// and how long it waited.
type Retry struct {
	Method     string   `json:"method"`
	Path       string   `json:"path"`
	Attempt    int      `json:"attempt"`              // the attempt that was answered Status (1 = the first)
	Status     int      `json:"status"`               // 429, 503, or a 5xx to an idempotent request
	RetryAfter string   `json:"retryAfter,omitempty"` // the Retry-After header as sent
	Wait       Duration `json:"wait"`                 // how long the client waited before the next attempt
}

// ErratumRef cites a documentation erratum that a contract works around.
type ErratumRef struct {
	Example int    `json:"example"`
	Block   string `json:"block"`
	Pointer string `json:"pointer,omitempty"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Summary counts verdicts.
type Summary struct {
	Passed       int `json:"passed"`
	Failed       int `json:"failed"`
	NotSupported int `json:"notSupported"`
	Skipped      int `json:"skipped"`
	Warnings     int `json:"warnings"`
	// Retries counts the retries the client made over the whole run (429,
	// 503, 5xx to GET/DELETE), Duplicates the duplicated notifications,
	// Stray the requests to the receiver that named no call.
	Retries    int `json:"retries,omitempty"`
	Duplicates int `json:"duplicates,omitempty"`
	Stray      int `json:"stray,omitempty"`
	// UnknownCalls counts accepted notifications naming a call the run
	// never created.
	UnknownCalls int `json:"unknownCalls,omitempty"`
}

// Add counts one verdict.
func (s *Summary) Add(v Verdict) {
	switch v {
	case Passed:
		s.Passed++
	case Failed:
		s.Failed++
	case NotSupported:
		s.NotSupported++
	case Skipped:
		s.Skipped++
	case Warning:
		s.Warnings++
	}
}

// Conformance is the certification report of a conformance run: one entry per
// documented example (and per negative contract), each with its steps.
type Conformance struct {
	SchemaVersion   string    `json:"schemaVersion"` // ConformanceSchema
	Harness         Harness   `json:"harness"`
	Target          Target    `json:"target"`
	ClaimedFeatures []string  `json:"claimedFeatures"`
	StartedAt       time.Time `json:"startedAt"`
	FinishedAt      time.Time `json:"finishedAt"`
	Verdict         Verdict   `json:"verdict"` // interrupted if a signal stopped the run, else failed if any contract failed
	// Interrupted is true when a signal stopped the run before it ended;
	// NotRun then names the contracts it stopped or never reached.
	Interrupted bool     `json:"interrupted"`
	NotRun      []string `json:"notRun,omitempty"`
	// Undeleted are the ids of the calls the run created and could not
	// delete: still live on the target, unless it ended them itself.
	Undeleted []string         `json:"undeleted,omitempty"`
	Summary   Summary          `json:"summary"`
	Examples  []ContractResult `json:"examples"` // the ten documented examples, in order
	Negative  []ContractResult `json:"negative"` // negative contracts (auth, validation, unknown call)
	Errata    []ErratumRef     `json:"errata"`   // errata the contracts cite
}

// Target describes what was tested. Secrets never appear here.
type Target struct {
	BaseURL    string `json:"baseUrl"`    // e.g. https://graph.microsoft.com/beta
	Kind       string `json:"kind"`       // "embedded-emulator", "emulator", "remote"
	APIVersion string `json:"apiVersion"` // "beta" or "v1.0"
	Auth       string `json:"auth"`       // "client-credentials", "static-token", "embedded"
}

// ContractResult is the result of one registered contract.
type ContractResult struct {
	ID       string       `json:"id"`                // stable contract id: "example05_join_scheduled_meeting_service_media"
	Example  int          `json:"example,omitempty"` // documented example number, 0 for negative contracts
	Title    string       `json:"title"`
	Features []string     `json:"features"` // features the contract exercises
	Verdict  Verdict      `json:"verdict"`
	Reason   string       `json:"reason,omitempty"` // why not-supported or skipped
	Steps    []StepResult `json:"steps"`
	Errata   []ErratumRef `json:"errata,omitempty"` // errata this contract cites
	Duration Duration     `json:"duration"`
	// Retries are the retries its requests needed; Duplicates the
	// notifications of its calls that arrived more than once; Lost the
	// notifications it waited for that never came ("establishing", ...).
	Retries    []Retry  `json:"retries,omitempty"`
	Duplicates int      `json:"duplicates,omitempty"`
	Lost       []string `json:"lost,omitempty"`
	// Calls are the ids of the calls it created, to find them in the
	// target's logs.
	Calls []string `json:"calls,omitempty"`
}

// StepResult is one step of a contract: "request", "response",
// "notification:establishing", "notification:established",
// "notification:roster", "notification:lobby", "cleanup", ...
type StepResult struct {
	Name     string     `json:"name"`
	Verdict  Verdict    `json:"verdict"`
	Evidence []Evidence `json:"evidence,omitempty"`
	Duration Duration   `json:"duration"`
}

// Certificate is the document `callcheck certify-bot` issues: every check
// made of a bot, outbound (its create requests) and inbound (its handling of
// notifications), with verdict and evidence. It is reproducible: Seed and
// Reproduce let a customer re-run certify-bot and get the same checks.
type Certificate struct {
	SchemaVersion string    `json:"schemaVersion"` // CertificateSchema
	Bot           Bot       `json:"bot"`
	Harness       Harness   `json:"harness"`
	IssuedAt      time.Time `json:"issuedAt"`
	Seed          int64     `json:"seed"`
	Reproduce     string    `json:"reproduce"` // the certify-bot command line, secrets removed
	Verdict       Verdict   `json:"verdict"`   // passed only when every check passed (warnings allowed); interrupted when a signal stopped the run
	// Interrupted is true when a signal stopped the run before it ended;
	// NotRun then names the checks it stopped.
	Interrupted bool     `json:"interrupted"`
	NotRun      []string `json:"notRun,omitempty"`
	Summary     Summary  `json:"summary"`
	Checks      []Check  `json:"checks"`
}

// Bot names the certified bot, as the vendor gave it.
type Bot struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Check is one certification check.
type Check struct {
	ID       string  `json:"id"`                 // stable: "outbound.p2p.schema", "inbound.negative.expired-token", ...
	Group    string  `json:"group"`              // "outbound", "inbound", "negative", "robustness"
	Scenario string  `json:"scenario,omitempty"` // the documented scenario the check is about
	Title    string  `json:"title"`
	Verdict  Verdict `json:"verdict"`
	// Requirement is RequirementRequired for a check of what the documentation
	// requires, RequirementRecommended for one of what only official samples
	// do (not met: a warning, never a failure); "" when not classified.
	Requirement string     `json:"requirement,omitempty"`
	Evidence    []Evidence `json:"evidence,omitempty"`
	Duration    Duration   `json:"duration"`
}

// The requirements of a check (Check.Requirement).
const (
	RequirementRequired    = "required"
	RequirementRecommended = "recommended"
)

// Duration is the one duration type of callcheck's documents
// (result.Duration): a time.Duration that encodes as a string ("1.5s") in
// JSON.
type Duration = result.Duration

// WriteJSON writes v as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// ReadConformance decodes a conformance report and checks its schemaVersion.
func ReadConformance(r io.Reader) (*Conformance, error) {
	var c Conformance
	if err := json.NewDecoder(r).Decode(&c); err != nil {
		return nil, fmt.Errorf("report: conformance report: %w", err)
	}
	if !IsConformanceSchema(c.SchemaVersion) {
		return nil, fmt.Errorf("report: schemaVersion %q is not a conformance report (want %q)", c.SchemaVersion, ConformanceSchema)
	}
	return &c, nil
}

// ReadCertificate decodes a bot certificate and checks its schemaVersion.
func ReadCertificate(r io.Reader) (*Certificate, error) {
	var c Certificate
	if err := json.NewDecoder(r).Decode(&c); err != nil {
		return nil, fmt.Errorf("report: certificate: %w", err)
	}
	if !IsCertificateSchema(c.SchemaVersion) {
		return nil, fmt.Errorf("report: schemaVersion %q is not a bot certificate (want %q)", c.SchemaVersion, CertificateSchema)
	}
	return &c, nil
}
