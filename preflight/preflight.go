package preflight

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/target"
)

// The checks, in the order Run makes them.
const (
	CheckToken       = "token"
	CheckPermissions = "permissions"
	CheckValues      = "values"
	CheckCallback    = "callback"
	CheckKeys        = "notification-keys"
	CheckTarget      = "target"
)

// Checks returns the names of the checks in the order Run makes them.
func Checks() []string {
	return []string{CheckToken, CheckPermissions, CheckValues, CheckCallback, CheckKeys, CheckTarget}
}

// Status is the outcome of one check.
type Status int

// The outcomes.
const (
	// Passed: the prerequisite holds.
	Passed Status = iota
	// Failed: it does not; the Result names the fix.
	Failed
	// Skipped: an earlier failure left nothing to check with.
	Skipped
)

// Mark returns the status's mark: ✓, ✗ or -.
func (s Status) Mark() string {
	switch s {
	case Passed:
		return "✓"
	case Failed:
		return "✗"
	}
	return "-"
}

// Result is the outcome of one check.
type Result struct {
	// Check is the check's name (CheckToken, ...).
	Check string
	// Status says whether it held.
	Status Status
	// Detail says what was found, in one sentence without a secret.
	Detail string
	// Fix says what to change when the check failed.
	Fix string
}

// Line returns the result as one line: "✓ token: …" or
// "✗ token: … — fix: …".
func (r Result) Line() string {
	line := fmt.Sprintf("%s %s: %s", r.Status.Mark(), r.Check, r.Detail)
	if r.Status == Failed && r.Fix != "" {
		line += " — fix: " + r.Fix
	}
	return line
}

func pass(check, format string, args ...any) Result {
	return Result{Check: check, Status: Passed, Detail: fmt.Sprintf(format, args...)}
}

func fail(check, fix, format string, args ...any) Result {
	return Result{Check: check, Status: Failed, Detail: fmt.Sprintf(format, args...), Fix: fix}
}

func skip(check, why string) Result {
	return Result{Check: check, Status: Skipped, Detail: "skipped: " + why}
}

// Report is the outcome of every check, in order.
type Report struct {
	Results []Result
	// Took is how long the checks took together.
	Took time.Duration
}

// OK reports whether every check held (none failed, none skipped).
func (r Report) OK() bool {
	for _, res := range r.Results {
		if res.Status != Passed {
			return false
		}
	}
	return len(r.Results) > 0
}

// FirstFailure returns the first failed check.
func (r Report) FirstFailure() (Result, bool) {
	for _, res := range r.Results {
		if res.Status == Failed {
			return res, true
		}
	}
	return Result{}, false
}

// Lines returns one line per result.
func (r Report) Lines() []string {
	out := make([]string, len(r.Results))
	for i, res := range r.Results {
		out[i] = res.Line()
	}
	return out
}

// Resolver looks host names up; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Timeouts bound the waits of the checks.
type Timeouts struct {
	// Request bounds each request a check makes (the token, the probe, the
	// keys, the target's answer) and each name lookup.
	Request time.Duration
	// Arrival is how long, after the probe POST was answered, the probe may
	// take to arrive at the receiver (a receiver answers after it has the
	// notification, so an answered probe that did not arrive went elsewhere).
	Arrival time.Duration
}

// DefaultTimeouts are the timeouts Run uses where Config leaves them zero.
func DefaultTimeouts() Timeouts { return Timeouts{Request: 15 * time.Second, Arrival: 2 * time.Second} }

// Values are the ids a run fills the documented requests with, as the
// values check reads them.
type Values struct {
	// File is the values file they came from; "" when none was given (the
	// page's own ids).
	File string
	// Run are the values themselves (the callback URI is not read).
	Run fixtures.RunValues
	// AdmitURL is the lobby admission URL (lobby-admission-control).
	AdmitURL string
}

// Config says what to check.
type Config struct {
	// Target is the resolved target: the embedded emulator (started for the
	// checks and stopped after) or a remote base URL with its credentials,
	// receiver address, callback URL and notification keys.
	Target target.Spec
	// App is the embedded emulator's app the tokens are for, registered
	// first (zero: the emulator's default app); unused for a remote target.
	App target.App
	// TenantID is the tenant the run works in: the token's tid must be it
	// ("": not compared).
	TenantID string
	// Features are the claimed features; the values check reads the ids
	// they need, and Scenarios defaults to theirs.
	Features []graph.Feature
	// Scenarios are the scenarios the run creates calls of; the token's
	// roles must grant their permissions. Nil: ScenariosOf(Features).
	Scenarios []graph.Scenario
	// NoNotifications says the run receives no notification (load without
	// its end-to-end measurement): the callback and notification-keys
	// checks are left out.
	NoNotifications bool
	// Values, when set, are checked for every id the features need; nil: no
	// values check (load and certify-bot send the page's own ids).
	Values *Values
	// Resolver looks the callback's and the target's hosts up; nil:
	// net.DefaultResolver.
	Resolver Resolver
	// HTTPClient sends the probe and the target's request; nil: a client
	// that follows no redirect.
	HTTPClient *http.Client
	// Timeouts bound the waits; zero fields take DefaultTimeouts.
	Timeouts Timeouts
}

// ScenariosOf returns the scenarios a run claiming features creates calls
// of: every kind and media (the channel meeting included) whose features
// are all claimed.
func ScenariosOf(features []graph.Feature) []graph.Scenario {
	claimed := map[graph.Feature]bool{}
	for _, f := range features {
		claimed[f] = true
	}
	var out []graph.Scenario
	for _, k := range graph.Kinds() {
		for _, m := range []graph.MediaKind{graph.MediaServiceHosted, graph.MediaAppHosted} {
			s := graph.Scenario{Kind: k, Media: m}
			all := true
			for _, f := range s.Features() {
				all = all && claimed[f]
			}
			if all {
				out = append(out, s)
			}
		}
	}
	return out
}

// run is one Run's state: the configuration with defaults, and what the
// checks found for the ones after them.
type run struct {
	cfg    Config
	client *http.Client
	tgt    *target.Target
	token  string
	local  bool // the target is on this machine (embedded or a loopback host)
	tokErr error
}

// Run makes every check in order and returns their results. It starts what
// it needs (the embedded emulator, a probe receiver on the receiver's
// address) and stops it before returning, so the run that follows can use
// the same address. ctx bounds everything.
func Run(ctx context.Context, cfg Config) Report {
	start := time.Now()
	r := &run{cfg: cfg, client: cfg.HTTPClient}
	d := DefaultTimeouts()
	if r.cfg.Timeouts.Request <= 0 {
		r.cfg.Timeouts.Request = d.Request
	}
	if r.cfg.Timeouts.Arrival <= 0 {
		r.cfg.Timeouts.Arrival = d.Arrival
	}
	if r.cfg.Resolver == nil {
		r.cfg.Resolver = net.DefaultResolver
	}
	if r.client == nil {
		r.client = &http.Client{Timeout: r.cfg.Timeouts.Request,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if r.cfg.Scenarios == nil {
		r.cfg.Scenarios = ScenariosOf(cfg.Features)
	}
	defer r.close()
	var rep Report
	r.local = r.targetIsLocal(ctx)
	rep.Results = append(rep.Results, r.checkToken(ctx), r.checkPermissions())
	if cfg.Values != nil {
		rep.Results = append(rep.Results, r.checkValues())
	}
	if !cfg.NoNotifications {
		rep.Results = append(rep.Results, r.checkCallback(ctx), r.checkKeys(ctx))
	}
	rep.Results = append(rep.Results, r.checkTarget(ctx))
	rep.Took = time.Since(start)
	return rep
}

func (r *run) close() {
	if r.tgt != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.tgt.Close(ctx)
	}
}

// targetIsLocal reports whether the target is the embedded emulator or a
// host whose every address is loopback (`callcheck emulate` on this
// machine): such a target reaches callcheck's receiver on loopback, over
// plain http, and accepts the page's own ids.
func (r *run) targetIsLocal(ctx context.Context) bool {
	if r.cfg.Target.Embedded() {
		return true
	}
	u, err := url.Parse(r.cfg.Target.URL())
	if err != nil {
		return false
	}
	addrs, err := r.lookup(ctx, u.Hostname())
	if err != nil || len(addrs) == 0 {
		return false
	}
	for _, a := range addrs {
		if !a.Unmap().IsLoopback() {
			return false
		}
	}
	return true
}

// lookup resolves host (an IP literal is itself), bounded by the request
// timeout.
func (r *run) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{a}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeouts.Request)
	defer cancel()
	return r.cfg.Resolver.LookupNetIP(ctx, "ip", host)
}

// errText is err's message in one line; a *url.Error of the check's own
// request loses the method and URL the line already names.
func errText(err error) string {
	if ue, ok := err.(*url.Error); ok {
		err = ue.Err
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}
