package certify

import (
	"context"
	"fmt"
	"github.com/callcheck/callcheck/identity"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/internal/version"
	"github.com/callcheck/callcheck/report"
)

// Certify makes the bot create its calls, judges each create request,
// then plays Graph's notifications to the bot's callback for each call, and
// returns the certificate. It runs the checks one at a time; every wait is
// bounded by cfg.Timeouts. A Session certifies once.
//
// The error is ctx's when the run was interrupted (the certificate then
// holds what was checked so far); a bot that fails checks is not an error.
func (s *Session) Certify(ctx context.Context) (*report.Certificate, error) {
	issued := s.now()
	var checks []report.Check
	s.sink = func(c report.Check) { checks = append(checks, c) }
	s.runCtx = ctx
	attempts := s.outbound(ctx)
	s.inbound(ctx, attempts)
	s.incoming(ctx)
	c := s.certificate(issued, checks)
	if ctx.Err() != nil {
		// Cancellation is never a verdict about the bot: the certificate of
		// an interrupted run is neither certified nor refused.
		c.Verdict, c.Interrupted = report.Interrupted, true
		for _, ch := range c.Checks {
			if ch.Verdict == report.Skipped && len(ch.Evidence) > 0 && ch.Evidence[0].Message == ReasonInterrupted {
				c.NotRun = append(c.NotRun, ch.ID)
			}
		}
	}
	return c, ctx.Err()
}

// ReasonInterrupted is the evidence of a check an interrupt (SIGINT,
// SIGTERM) stopped: it did not run to a verdict.
const ReasonInterrupted = "not run (interrupted)"

// interrupted turns a check that did not pass into one that did not run
// once the run was interrupted: what a cancelled wait saw is not evidence
// about the bot.
func (s *Session) interrupted(c report.Check) report.Check {
	if s.runCtx == nil || s.runCtx.Err() == nil || c.Verdict == report.Passed || c.Verdict == report.NotSupported {
		return c
	}
	c.Verdict, c.Evidence = report.Skipped, []report.Evidence{{Message: ReasonInterrupted}}
	return c
}

// record adds finished checks to the certificate and reports each.
func (s *Session) record(cs ...report.Check) {
	for _, c := range cs {
		c = s.interrupted(c)
		id := c.ID
		s.lastDone.Store(&id)
		if s.sink != nil {
			s.sink(c)
		}
		if s.cfg.Progress == nil {
			continue
		}
		fmt.Fprintf(s.cfg.Progress, "%-13s %s  %s\n", strings.ToUpper(string(c.Verdict)), c.ID, c.Title)
		if c.Verdict != report.Passed && len(c.Evidence) > 0 {
			fmt.Fprintf(s.cfg.Progress, "              %s\n", c.Evidence[0].Message)
		}
	}
}

// inbound certifies each call the bot created: its sequence, its end, and
// on one of them (seeded, one with rosters preferred) the robustness and
// negative sets.
func (s *Session) inbound(ctx context.Context, attempts []attempt) {
	targets := map[Key]*target{}
	var usable []*target
	for i, a := range attempts {
		if a.created == nil {
			continue
		}
		t, why := s.targetOf(a.created)
		if t == nil {
			attempts[i].why = why
			continue
		}
		targets[a.key] = t
		usable = append(usable, t)
	}
	robust, roster := s.pickRobust(usable)
	for _, a := range attempts {
		t := targets[a.key]
		if t == nil {
			s.recordSkippedCall(a)
			continue
		}
		s.certifyCall(ctx, t, t == robust, roster)
	}
	if robust == nil {
		s.recordSkippedSets()
	}
}

// certifyCall runs the checks of one call. The negative set goes to a call
// of its own when the bot can be asked for one (a trigger), so that a
// forgery the bot believed never decides another check: the call whose end
// inbound.<key>.end judges has seen no forgery.
func (s *Session) certifyCall(ctx context.Context, t *target, robust bool, roster *target) {
	s.record(s.sequence(ctx, t))
	if !robust {
		end, _ := s.end(ctx, t)
		s.record(end)
		return
	}
	s.record(s.robustness(ctx, t, roster)...)
	if trig, ok := s.cfg.Triggers[t.key]; ok {
		end, _ := s.end(ctx, t)
		s.record(end)
		s.negativeOnOwnCall(ctx, t.key, trig, end)
		return
	}
	// The bot makes its own calls (--wait): the forgeries go to this call,
	// before its end, and an end the bot was talked out of by a forgery it
	// acknowledged is not judged.
	negatives, res := s.negative(ctx, t)
	s.record(negatives...)
	end, deleted := s.end(ctx, t)
	if end.Verdict == report.Failed && res.accepted > 0 {
		end.Verdict = report.Skipped
		end.Evidence = append(end.Evidence, report.Evidence{Message: fmt.Sprintf(
			"Not judged: the bot acknowledged %d forged notifications saying this call ended (see the negative checks), so its end cannot be told apart from their effect.", res.accepted)})
	}
	s.record(end, s.viewUnchanged(t, res, deleted, report.Check{}))
}

// negativeOnOwnCall asks the bot for another call of key, establishes it,
// posts the negative set about it and hangs it up; endOfFirst is the end
// check of the key's first call, which tells whether the bot hangs up at all.
func (s *Session) negativeOnOwnCall(ctx context.Context, key Key, trig Trigger, endOfFirst report.Check) {
	n, why := s.extraCall(ctx, key, trig)
	if n == nil {
		for _, id := range negativeCheckIDs() {
			ch := s.newCheck(id, key)
			ch.skip(why)
			s.record(ch.done())
		}
		return
	}
	for _, st := range s.sequenceSteps(n) {
		if st.before != nil {
			st.before()
		}
		s.post(ctx, n, "the "+st.what+" notification (the negative set's own call)", batchOf(st.n), nil)
	}
	negatives, res := s.negative(ctx, n)
	s.record(negatives...)
	_, deleted := s.end(ctx, n)
	s.record(s.viewUnchanged(n, res, deleted, endOfFirst))
}

// extraCall makes the bot create one more call of key, not judged (its
// first one was), and returns it, or says why there is none.
func (s *Session) extraCall(ctx context.Context, key Key, trig Trigger) (*target, string) {
	since := s.emu.Stats().LastRequest
	if _, err := s.runTrigger(ctx, trig, s.triggerEnv(key, "")); err != nil {
		return nil, fmt.Sprintf("The %s trigger failed for the negative set's own call: %v", key, err)
	}
	rec, ok := s.waitRequest(ctx, since, isCreate)
	if !ok {
		return nil, fmt.Sprintf("No create request arrived within %v after the %s trigger for the negative set's own call.", s.cfg.Timeouts.Request, key)
	}
	return s.targetOf(&created{key: key, rec: rec, call: decodeCall(rec.Body)})
}

// negativeCheckIDs are the ids of the negative checks, in catalog order.
func negativeCheckIDs() []string {
	var ids []string
	for _, c := range Catalog() {
		if c.Group == GroupNegative {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// pickRobust picks the call of the robustness and negative sets, seeded,
// among the calls with rosters when there are any; roster is the call the
// large roster goes to.
func (s *Session) pickRobust(ts []*target) (robust, roster *target) {
	if len(ts) == 0 {
		return nil, nil
	}
	withRoster := slices.DeleteFunc(slices.Clone(ts), func(t *target) bool { return !t.key.hasRoster() })
	pool := ts
	if len(withRoster) > 0 {
		pool = withRoster
	}
	robust = pool[s.rng.IntN(len(pool))]
	if robust.key.hasRoster() {
		roster = robust
	}
	return robust, roster
}

// recordSkippedCall records the inbound checks of a call certify-bot could
// not post to, skipped with the reason.
func (s *Session) recordSkippedCall(a attempt) {
	why := a.why
	if why == "" {
		why = fmt.Sprintf("The bot created no %s call (see outbound.%s.request).", a.key, a.key)
	}
	for _, name := range []string{"sequence", "end"} {
		ch := s.newCheck("inbound."+string(a.key)+"."+name, a.key)
		ch.skip(why)
		s.record(ch.done())
	}
}

// recordSkippedSets records the robustness and negative checks as skipped
// when no call could be posted to.
func (s *Session) recordSkippedSets() {
	why := "No call the bot created could be posted to, so these checks were not made."
	for _, id := range setCheckIDs() {
		ch := s.newCheck(id, "")
		ch.skip(why)
		s.record(ch.done())
	}
}

// setCheckIDs are the ids of the robustness and negative checks, in
// catalog order.
func setCheckIDs() []string {
	var ids []string
	for _, c := range Catalog() {
		if c.Group == GroupRobustness || c.Group == GroupNegative {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// groupRank orders the checks of a certificate.
var groupRank = map[string]int{GroupOutbound: 0, GroupInbound: 1, GroupRobustness: 2, GroupNegative: 3}

// certificate assembles the certificate of the checks made.
func (s *Session) certificate(issued time.Time, checks []report.Check) *report.Certificate {
	slices.SortStableFunc(checks, func(a, b report.Check) int { return groupRank[a.Group] - groupRank[b.Group] })
	c := &report.Certificate{
		SchemaVersion: report.CertificateSchema,
		Bot:           s.cfg.Bot,
		Harness:       report.Harness{Name: "callcheck", Version: version.String(), FixturesDigest: fixtures.Digest()},
		IssuedAt:      issued.UTC(),
		Seed:          s.cfg.Seed,
		Reproduce:     s.redact(s.cfg.Reproduce),
		Checks:        checks,
	}
	for _, ch := range checks {
		c.Summary.Add(ch.Verdict)
	}
	c.Verdict = Verdict(c.Summary)
	return c
}

// Verdict is a certificate's verdict from its summary: passed only when
// every check passed (warnings allowed) — none failed, none was skipped —
// and at least one did.
func Verdict(sum report.Summary) report.Verdict {
	if sum.Failed > 0 || sum.Skipped > 0 || sum.Passed+sum.Warnings == 0 {
		return report.Failed
	}
	return report.Passed
}

// printEndpoints tells the vendor what the bot must use.
func (s *Session) printEndpoints() {
	if s.cfg.Progress != nil {
		ep := s.Endpoints()
		if s.cfg.SecretSupplied {
			ep.App.ClientSecret = identity.Redacted
		}
		_ = PrintEndpoints(s.cfg.Progress, ep)
	}
}

// PrintEndpoints writes what the bot must be configured with, a generated
// client secret included (the bot cannot authenticate without it); a secret
// given as identity.Redacted is shown as such.
func PrintEndpoints(w io.Writer, ep Endpoints) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "callcheck certify-bot: the emulated Graph listens on %s\n", ep.URL)
	if ep.CAFile != "" {
		fmt.Fprintf(tw, "  %s\t%s\n", "CA certificate:", ep.CAFile+"  (trust it: SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, curl --cacert)")
	}
	for _, row := range [][2]string{
		{"Graph base URLs:", ep.GraphURLs["v1.0"] + "  " + ep.GraphURLs["beta"]},
		{"Token endpoint:", ep.TokenURL + "  (client credentials, scope " + ep.Scope + ")"},
		{"OpenID configuration:", ep.OpenIDConfigURL + "  (verifies notification tokens; issuer " + ep.Issuer + ")"},
		{"Tenant id:", ep.App.TenantID}, {"Client id:", ep.App.ClientID},
		{"Client secret:", secretRow(ep.App.ClientSecret)},
		{"Roles granted:", orNone(ep.App.Roles)},
	} {
		fmt.Fprintf(tw, "  %s\t%s\n", row[0], row[1])
	}
	return tw.Flush()
}

// secretRow is the client secret as printed.
func secretRow(secret string) string {
	if secret == identity.Redacted {
		return secret + "  (the secret you supplied; never printed)"
	}
	return secret + "  (generated, and printed because the bot must be configured with it)"
}
