package certify

import (
	"context"
	"fmt"
	"net/http"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/report"
)

// forgery is one forged notification of the negative set: a valid body
// whose token is missing or defective.
type forgery struct {
	name    string          // the check is negative.<name>
	defect  identity.Defect // the token's defect
	noToken bool            // no Authorization header at all
	what    string          // what is wrong, for messages
	quote   quote           // the documentation's words the refusal rests on
	// recommended: the page does not require refusing this token, only an
	// official sample does (quote is the sample's). Not refusing it is a
	// warning, and its forgery says nothing that could change the bot's
	// view (an established notification), so that a bot which accepts it
	// is judged on nothing else for it.
	recommended bool
}

// forgeries are the negative set: what the page requires a bot to verify
// (graph-calls-facts.md §6 line 488: "Validate the token, ensure it has not
// expired, check whether it has been signed by the published OpenID
// configuration. You must also check whether aud matches your App ID.";
// the issuer is the published configuration's, line 495), plus the classic
// algorithm attacks; and, recommended only, the missing tenant that the
// official samples' AuthenticationProvider refuses (line 498).
var forgeries = []forgery{
	{name: "no-token", noToken: true, what: "no Authorization header", quote: qBearerToken},
	{name: "malformed-token", defect: identity.DefectMalformed, what: "a bearer token that is not a JWT", quote: qValidateToken},
	{name: "alg-none", defect: identity.DefectAlgNone, what: "an unsigned token (alg none)", quote: qValidateToken},
	{name: "alg-hs256", defect: identity.DefectAlgHS256, what: "a token MACed with the public key (alg HS256)", quote: qValidateToken},
	{name: "bad-signature", defect: identity.DefectBadSignature, what: "a token whose signature does not verify with the published key it names", quote: qValidateToken},
	{name: "unknown-key", defect: identity.DefectUnknownKey, what: "a token signed by a key that is not in the published keys", quote: qValidateToken},
	{name: "wrong-audience", defect: identity.DefectWrongAudience, what: "a token for another audience than the bot's app id", quote: qValidateToken},
	{name: "wrong-issuer", defect: identity.DefectWrongIssuer, what: "a token from another issuer", quote: qValidIssuers},
	{name: "expired", defect: identity.DefectExpired, what: "a token that expired an hour ago", quote: qValidateToken},
	{name: "not-yet-valid", defect: identity.DefectNotYetValid, what: "a token valid only from an hour from now", quote: qValidateToken},
	{name: "missing-tenant", defect: identity.DefectMissingTenant, what: "a token without a tid (tenant) claim", quote: qSampleTenant, recommended: true},
}

// negativeResult is what the negative set showed of the bot's view.
type negativeResult struct {
	observed bool              // the status endpoint was read around each forgery
	start    bool              // the view was established before the first forgery
	intact   bool              // the view was established before the current forgery
	changed  []report.Evidence // where a forgery changed the view
	accepted int               // forgeries the bot acknowledged
}

// negative posts the forged notifications, in a seeded order, about t's
// established call: each says the call ended. Each must be refused with
// 401 or 403 and must leave the bot's view of the call established.
func (s *Session) negative(ctx context.Context, t *target) ([]report.Check, negativeResult) {
	// The required forgeries go first, in a seeded order, so that the
	// recommended ones (harmless bodies) never stand between two of them.
	var order, recommended []int
	for i, f := range forgeries {
		if f.recommended {
			recommended = append(recommended, i)
		} else {
			order = append(order, i)
		}
	}
	s.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	order = append(order, recommended...)
	checks := make([]report.Check, len(forgeries))
	var res negativeResult
	if v, ok := s.observe(ctx, t.callID); ok {
		res.observed, res.start = true, v.err == nil && v.known && v.state == graph.CallStateEstablished
		res.intact = res.start
	}
	for _, i := range order {
		checks[i] = s.forge(ctx, t, forgeries[i], &res)
	}
	return checks, res
}

// forge posts one forgery and judges the answer, and the view after it when
// the view was intact before it (once a forgery changed the view, the
// effect of the next ones cannot be told apart). A recommended forgery not
// refused is a warning.
func (s *Session) forge(ctx context.Context, t *target, f forgery, res *negativeResult) report.Check {
	ch := s.newCheck("negative."+f.name, t.key)
	o := &notify.Override{Defect: f.defect, NoToken: f.noToken}
	n, says := t.terminated(farEndResult(t.key)), "terminated"
	if f.recommended {
		n, says = t.state(graph.CallStateEstablished), "established"
	}
	out := s.post(ctx, t, "a forged "+says+" notification with "+f.what, batchOf(n), o)
	if st := out.status(); st != http.StatusUnauthorized && st != http.StatusForbidden {
		ev := out.evidence(qRefuse401, "401 Unauthorized (or 403 Forbidden)")
		ev.Message = fmt.Sprintf("A notification with %s was not refused: %s", f.what, out.got())
		if f.recommended {
			ev.Message += " (recommended only: the page does not require it; the official samples refuse it)"
			ch.warn(ev)
			ch.note(f.quote.evidence("The official samples refuse such a token.", "", ""))
			return ch.done()
		}
		ch.fail(ev)
		ch.note(f.quote.evidence("The bot must verify every notification's token.", "", ""))
		if out.acked() {
			res.accepted++
		}
	}
	if f.recommended {
		return ch.done()
	}
	v, ok := s.observe(ctx, t.callID)
	if !ok {
		return ch.done()
	}
	now := v.err == nil && v.known && v.state == graph.CallStateEstablished
	if res.intact && !now {
		ev := report.Evidence{Message: fmt.Sprintf("After a forged terminated notification with %s, the bot's status endpoint says the call is %s.", f.what, v.describe()),
			Expected: string(graph.CallStateEstablished), Got: v.describe(), Excerpt: v.url}
		ch.fail(ev)
		res.changed = append(res.changed, ev)
	}
	res.intact = now
	return ch.done()
}

// viewUnchanged judges whether the forgeries the page requires refusing
// changed the bot's view of t's call: from its status endpoint after each,
// and from whether it still hung the call up when told (a bot that believed
// a forged end has nothing left to hang up). endOfFirst is the end check of
// a call that saw no forgery: when the bot did not hang that one up either,
// a missing DELETE says nothing about the forgeries.
func (s *Session) viewUnchanged(t *target, res negativeResult, deleted bool, endOfFirst report.Check) report.Check {
	ch := s.newCheck("negative.view-unchanged", t.key)
	switch {
	case res.observed && res.start:
		for _, ev := range res.changed {
			ch.fail(ev)
		}
	case s.cfg.Hangup != nil && !deleted && endOfFirst.Verdict == report.Failed && endOfFirst.Scenario == string(t.key) && endOfFirst.ID != "":
		ch.skip(fmt.Sprintf("The bot did not hang up call %s after the forged notifications, but it did not hang up a call that saw none either (see %s), so their effect cannot be told apart.", t.callID, endOfFirst.ID))
	case s.cfg.Hangup != nil && !deleted:
		ch.fail(report.Evidence{Message: fmt.Sprintf("After the forged notifications the bot did not hang up call %s when told: it may have taken a forged end for real.", t.callID),
			Expected: "DELETE /communications/calls/" + t.callID, Got: "none"})
	case s.cfg.Hangup != nil:
		ch.note(report.Evidence{Message: "The bot still hung the call up after the forged notifications: it held the call live."})
	case res.observed:
		ch.skip("The bot's view of the call was not established before the forged notifications, so their effect cannot be observed.")
	default:
		ch.skip("The bot's view cannot be observed: give a status endpoint (--bot-status) or a hang-up trigger (--hangup).")
	}
	return ch.done()
}
