package emulator

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/callcheck/callcheck/graph/rules"
	"github.com/callcheck/callcheck/identity"
)

// The emulator judges a create with the rulebook (graph/rules): the schema
// of the version called, then the rules of the call's members and of its
// caller. Each finding becomes a Verdict of the request's record; the first
// error answers the request with the rule's status and code.

// verdictOf is the record of a finding.
func verdictOf(f rules.Finding) Verdict {
	return Verdict{Rule: string(f.Rule), Severity: string(f.Severity), Pointer: f.Pointer, Message: f.Message, Source: f.Source}
}

func verdictsOf(fs []rules.Finding) []Verdict {
	out := make([]Verdict, len(fs))
	for i, f := range fs {
		out[i] = verdictOf(f)
	}
	return out
}

// verdictStatus maps an error verdict onto the HTTP status, Graph code and
// message that refuse the request: the rule's in the rulebook, or in the
// field profile the rule's field alternative (rules.FieldStatusOf) where it
// has one.
func (e *Emulator) verdictStatus(v Verdict) (int, string, string) {
	if e.cfg.Profile == ProfileField {
		if status, code, msg := rules.FieldStatusOf(rules.ID(v.Rule), v.Pointer); msg != "" {
			return status, code, msg
		}
	}
	status, code := rules.StatusOf(rules.ID(v.Rule))
	return status, code, v.Message
}

func errorVerdict(rule rules.ID, pointer, source, format string, args ...any) Verdict {
	return Verdict{Rule: string(rule), Severity: SeverityError, Pointer: pointer, Source: source, Message: fmt.Sprintf(format, args...)}
}

func warning(rule rules.ID, pointer, source, format string, args ...any) Verdict {
	v := errorVerdict(rule, pointer, source, format, args...)
	v.Severity = SeverityWarning
	return v
}

// callVerdicts applies the rulebook to a decoded create body and its caller.
func (e *Emulator) callVerdicts(v *createView, cl *identity.GraphClaims) []Verdict {
	caller := &rules.Caller{Roles: cl.Roles, TenantID: cl.TenantID, AppID: cl.AppID, Delegated: cl.IsDelegated()}
	return verdictsOf(rules.Check(rules.Request{Call: v.call(), Caller: caller, RingingTimeoutInSeconds: v.RingingTimeoutInSeconds}, e.policy()))
}

// policy is the rulebook's policy from the configuration: the limits, the
// loopback concession and the callback host policy.
// The configuration does not change once the emulator is built: it is
// made once (its host test is a closure).
func (e *Emulator) policy() rules.Policy {
	e.rulePolicyOnce.Do(func() {
		e.rulePolicy = rules.Policy{MaxTargets: e.cfg.Limits.MaxTargets, MaxRingingTimeout: e.cfg.Limits.MaxRingingTimeout,
			AllowHTTPLoopback: e.cfg.Safety.AllowHTTPLoopback, AllowsHost: e.cfg.Safety.AllowsHost}
	})
	return e.rulePolicy
}

// callbackAllowed reports whether the emulator may post to host.
func (e *Emulator) callbackAllowed(host string) bool { return e.cfg.Safety.AllowsHost(host) }

// AllowsHost reports whether a callback on host may be posted to: loopback
// hosts always, others when AllowAnyCallbackHost is set or one of
// AllowedCallbackHosts (an exact name or a "*.example.com" pattern) matches.
func (s Safety) AllowsHost(host string) bool {
	if rules.IsLoopback(host) || s.AllowAnyCallbackHost {
		return true
	}
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil && s.explicitAddr(a) {
		return true // an address, or a CIDR prefix, allowed explicitly
	}
	for _, pat := range s.AllowedCallbackHosts {
		if hostMatches(pat, host) {
			return true
		}
	}
	return false
}

// hostMatches matches an exact host or a "*.example.com" pattern.
func hostMatches(pattern, host string) bool {
	pattern, host = strings.ToLower(pattern), strings.ToLower(host)
	if suffix, ok := strings.CutPrefix(pattern, "*."); ok {
		return strings.HasSuffix(host, "."+suffix)
	}
	return pattern == host
}

// tolerate downgrades the error verdicts a switched-on violation accepts.
func (e *Emulator) tolerate(vs []Verdict) {
	accepts := map[rules.ID]Violation{
		rules.CallbackRequired: VMissingFieldsAccepted, rules.MediaRequired: VMissingFieldsAccepted,
		rules.TargetsMax: VTooManyTargetsAccepted, rules.CallbackHTTPS: VHTTPCallbackAccepted,
		// Accepting an http callback on a host nobody allowed: the create
		// succeeds, but the emulator still never posts there (deliverableCallback).
		rules.CallbackHost: VHTTPCallbackAccepted,
		rules.Roles:        VMissingRoleAccepted, rules.Tenant: VTenantMismatchAccepted,
		// Both 7505 refusals: a foreign tenantId, and a scheduled meeting's
		// join that names none.
		rules.MeetingTenant: VTenantMismatchAccepted,
	}
	for i, v := range vs {
		if vio, ok := accepts[rules.ID(v.Rule)]; ok && v.Severity == SeverityError && e.vio.on(vio) {
			vs[i].Severity = SeverityWarning
			vs[i].Message += " (accepted: violation " + string(vio) + ")"
		}
	}
}

// firstError returns the first error verdict.
func firstError(vs []Verdict) (Verdict, bool) {
	for _, v := range vs {
		if v.Severity == SeverityError {
			return v, true
		}
	}
	return Verdict{}, false
}
