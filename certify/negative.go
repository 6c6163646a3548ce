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
}

// forgeries are the negative set (issue 5: "no token; bad signature; a key
// id not in the published keys; wrong audience; wrong issuer; expired and
// not-yet-valid tokens", plus the classic algorithm attacks and the missing
// tenant the samples refuse, graph-calls-facts.md §6).
var forgeries = []forgery{
	{name: "no-token", noToken: true, what: "no Authorization header", quote: qBearerToken},
	{name: "malformed-token", defect: identity.DefectMalformed, what: "a bearer token that is not a JWT", quote: qValidateToken},
	{name: "alg-none", defect: identity.DefectAlgNone, what: "an unsigned token (alg none)", quote: qValidateToken},
	{name: "alg-hs256", defect: identity.DefectAlgHS256, what: "a token MACed with the public key (alg HS256)", quote: qValidateToken},
	{name: "bad-signature", defect: identity.DefectBadSignature, what: "a token whose signature does not verify with the published key it names", quote: qValidateToken},
	{name: "unknown-key", defect: identity.DefectUnknownKey, what: "a token signed by a key that is not in the published keys", quote: qValidateToken},
	{name: "wrong-audience", defect: identity.DefectWrongAudience, what: "a token for another audience than the bot's app id", quote: qBearerToken},
	{name: "wrong-issuer", defect: identity.DefectWrongIssuer, what: "a token from another issuer", quote: qValidateToken},
	{name: "expired", defect: identity.DefectExpired, what: "a token that expired an hour ago", quote: qValidateToken},
	{name: "not-yet-valid", defect: identity.DefectNotYetValid, what: "a token valid only from an hour from now", quote: qValidateToken},
	{name: "missing-tenant", defect: identity.DefectMissingTenant, what: "a token without a tid (tenant) claim", quote: qRefuse401},
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
	order := make([]int, len(forgeries))
	for i := range order {
		order[i] = i
	}
	s.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
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
// effect of the next ones cannot be told apart).
func (s *Session) forge(ctx context.Context, t *target, f forgery, res *negativeResult) report.Check {
	ch := s.newCheck("negative."+f.name, t.key)
	o := &notify.Override{Defect: f.defect, NoToken: f.noToken}
	out := s.post(ctx, t, "a forged terminated notification with "+f.what, batchOf(t.terminated(farEndResult(t.key))), o)
	if st := out.status(); st != http.StatusUnauthorized && st != http.StatusForbidden {
		ev := out.evidence(qRefuse401, "401 Unauthorized (or 403 Forbidden)")
		ev.Message = fmt.Sprintf("A notification with %s was not refused: %s", f.what, out.got())
		ch.fail(ev)
		ch.note(f.quote.evidence("The bot must verify every notification's token.", "", ""))
		if out.acked() {
			res.accepted++
		}
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

// viewUnchanged judges whether the forgeries changed the bot's view of t's
// call: from its status endpoint after each, and from whether it still hung
// the call up when told (a bot that believed a forged end has nothing left
// to hang up).
func (s *Session) viewUnchanged(t *target, res negativeResult, deleted bool) report.Check {
	ch := s.newCheck("negative.view-unchanged", t.key)
	switch {
	case res.observed && res.start:
		for _, ev := range res.changed {
			ch.fail(ev)
		}
	case s.cfg.Hangup != nil && !deleted:
		ch.fail(report.Evidence{Message: fmt.Sprintf("After the forged notifications the bot did not hang up call %s when told: it may have taken a forged end for real (see inbound.%s.end).", t.callID, t.key),
			Expected: "DELETE /communications/calls/" + t.callID, Got: "none"})
	case s.cfg.Hangup != nil:
		ch.note(report.Evidence{Message: "The bot still hung the call up after the forged notifications: it held the call live."})
	case res.observed:
		ch.skip("The bot's view of the call was not established before the forged notifications (see the checks before), so their effect cannot be observed.")
	default:
		ch.skip("The bot's view cannot be observed: give a status endpoint (--bot-status) or a hang-up trigger (--hangup).")
	}
	return ch.done()
}
