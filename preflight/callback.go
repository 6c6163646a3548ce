package preflight

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/rules"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/target"
)

// exampleCallbackHost is the page's own callback host (create-call-doc.txt
// line 60), a placeholder.
const exampleCallbackHost = "bot.contoso.com"

// checkCallback says whether the callback URL is one the target can post
// to and whether it reaches the receiver's address: for a target that is
// not on this machine it must be https (graph-calls-facts.md §1.1, §4.4:
// "Must be https") and resolve to public addresses only; then a signed
// probe notification POSTed to it must arrive at a receiver listening on
// the receiver's address (--listen).
func (r *run) checkCallback(ctx context.Context) Result {
	spec := r.cfg.Target
	callback := spec.CallbackURL()
	if callback == "" && !r.local {
		return fail(CheckCallback, "give --callback-url https://<public host>/<path> served by a reverse proxy or tunnel that forwards to --listen "+spec.Listen(),
			"no --callback-url: the target would post notifications to the receiver's own address on this machine, which it cannot reach")
	}
	if callback != "" {
		if res, ok := r.checkCallbackAddress(ctx, callback); !ok {
			return res
		}
	}
	return r.probe(ctx, callback)
}

// checkCallbackAddress checks the scheme and the addresses of a callback
// URL for a target that is not on this machine.
func (r *run) checkCallbackAddress(ctx context.Context, callback string) (Result, bool) {
	u, err := url.Parse(callback)
	if err != nil {
		return fail(CheckCallback, "give --callback-url as an absolute https URL", "--callback-url %q is not a URL: %s", callback, errText(err)), false
	}
	if u.Hostname() == exampleCallbackHost {
		return fail(CheckCallback, "give --callback-url the public URL of your own endpoint that forwards to --listen",
			"--callback-url %s is the page's example callback (create-call-doc.txt line 60), a placeholder", callback), false
	}
	if r.local {
		return Result{}, true
	}
	if f, bad := rules.FirstError(rules.CheckCallback(callback, rules.Policy{})); bad && f.Rule == rules.CallbackHTTPS {
		return fail(CheckCallback, "serve the receiver behind https (a reverse proxy or tunnel with a certificate) and give that https URL",
			"--callback-url %s is not https: Graph requires an https callbackUri (graph-calls-facts.md §1.1, §4.4)", callback), false
	}
	addrs, err := r.lookup(ctx, u.Hostname())
	if err != nil {
		return fail(CheckCallback, "give a host name that resolves publicly (check the DNS record or the tunnel's name)",
			"--callback-url host %s does not resolve: %s", u.Hostname(), errText(err)), false
	}
	for _, a := range addrs {
		if class := nonPublic(a); class != "" {
			return fail(CheckCallback, "give a host name that resolves to a public address (a tunnel or a public reverse proxy in front of --listen)",
				"--callback-url host %s resolves to %s, a %s address the target cannot reach", u.Hostname(), a, class), false
		}
	}
	return Result{}, true
}

// nonPublic names the class of an address Graph cannot post to, or "".
func nonPublic(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast():
		return "link-local"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsMulticast(), a.IsInterfaceLocalMulticast():
		return "multicast"
	case a.Is4() && netip.MustParsePrefix("100.64.0.0/10").Contains(a):
		return "shared (carrier-grade NAT)"
	}
	return ""
}

// probe starts a receiver on the receiver's address that accepts only a
// probe token signed with a fresh key (so the probe cannot be confused
// with real traffic), POSTs one signed commsNotifications batch to the
// callback URL (the receiver's own when empty), and says whether it
// arrived.
func (r *run) probe(ctx context.Context, callback string) Result {
	spec := r.cfg.Target
	pv, err := newProbeVerifier(r.appID(), r.cfg.TenantID)
	if err != nil {
		return fail(CheckCallback, "", "making the probe key: %s", errText(err))
	}
	arrived, refused := make(chan struct{}, 1), make(chan notify.Rejection, 1)
	recv, err := notify.NewReceiver(pv, notify.WithEventHook(func(e notify.Event) {
		if e.CallID == pv.callID {
			signal(arrived, struct{}{})
		}
	}), notify.WithRejectionHook(func(rej notify.Rejection) {
		if slices.Contains(rej.CallIDs, pv.callID) || len(rej.CallIDs) == 0 {
			signal(refused, rej) // the probe, refused (a stray POST naming another call is not)
		}
	}))
	if err != nil {
		return fail(CheckCallback, "", "%s", errText(err))
	}
	defer recv.Close()
	ln, err := net.Listen("tcp", spec.Listen())
	if err != nil {
		return fail(CheckCallback, "free the address or give another --listen", "cannot listen on --listen %s: %s", spec.Listen(), errText(err))
	}
	srv := &http.Server{Handler: recv, ReadHeaderTimeout: r.cfg.Timeouts.Request}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	if callback == "" {
		callback = "http://" + ln.Addr().String() + "/callback"
	}
	return r.sendProbe(ctx, pv, callback, ln.Addr().String(), arrived, refused)
}

// sendProbe POSTs the probe and waits for it.
func (r *run) sendProbe(ctx context.Context, pv *probeVerifier, callback, listen string, arrived chan struct{}, refused chan notify.Rejection) Result {
	start := time.Now()
	fixReach := fmt.Sprintf("make %s forward POSTs, with their path, body and Authorization header, to --listen %s (is the tunnel or proxy up, and pointed there?)", callback, listen)
	status, err := r.postProbe(ctx, pv, callback)
	if err != nil {
		return fail(CheckCallback, fixReach, "a probe POSTed to %s did not get through: %s", callback, errText(err))
	}
	timer := time.NewTimer(r.cfg.Timeouts.Arrival)
	defer timer.Stop()
	select {
	case <-arrived:
		return pass(CheckCallback, "%s reaches the receiver at %s: a signed probe arrived in %s", callback, listen, time.Since(start).Round(time.Millisecond))
	case rej := <-refused:
		return fail(CheckCallback, "have the proxy or tunnel pass the Authorization header and the body unchanged",
			"a probe POSTed to %s reached the receiver at %s but was refused (%d: %s): something on the way changed it", callback, listen, rej.Status, rej.Reason)
	case <-timer.C:
		return fail(CheckCallback, fixReach, "%s answered a probe %d, but it did not arrive at the receiver at --listen %s within %s: the URL leads elsewhere",
			callback, status, listen, r.cfg.Timeouts.Arrival)
	case <-ctx.Done():
		return fail(CheckCallback, "", "waiting for the probe: %s", errText(ctx.Err()))
	}
}

// postProbe POSTs one signed notification for the probe's call.
func (r *run) postProbe(ctx context.Context, pv *probeVerifier, callback string) (int, error) {
	body, err := probeBody(pv.callID)
	if err != nil {
		return 0, err
	}
	tok, err := pv.sign()
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeouts.Request)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callback, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func probeBody(callID string) ([]byte, error) {
	n := graph.CommsNotifications{ODataType: "#microsoft.graph.commsNotifications", Value: []graph.CommsNotification{{
		ODataType: "#microsoft.graph.commsNotification", ChangeType: "updated",
		ResourceURL:  "/communications/calls/" + callID,
		ResourceData: []byte(`{"@odata.type":"#microsoft.graph.call","id":"` + callID + `"}`),
	}}}
	return n.MarshalJSON()
}

// signal sends v on c unless c is full.
func signal[T any](c chan T, v T) {
	select {
	case c <- v:
	default:
	}
}

// appID is the audience notification tokens carry: the receiver's.
func (r *run) appID() string {
	if r.tgt != nil {
		if a := r.tgt.Receiver().AppID; a != "" {
			return a
		}
	}
	if a := r.cfg.Target.AppID(); a != "" {
		return a
	}
	return "callcheck-preflight"
}

// probeVerifier signs and verifies the probe's token: ES256 with a key
// made for this probe only (an RSA key takes far longer to make), the
// receiver's app id as audience, as Graph's notification tokens carry it
// (graph-calls-facts.md §6).
type probeVerifier struct {
	key            *ecdsa.PrivateKey
	audience, tid  string
	callID, issuer string
}

func newProbeVerifier(audience, tenant string) (*probeVerifier, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	if tenant == "" {
		tenant = target.DefaultTenantID
	}
	return &probeVerifier{key: key, audience: audience, tid: tenant, callID: graph.NewGUID(), issuer: "callcheck-preflight-probe"}, nil
}

func (p *probeVerifier) sign() (string, error) {
	now := time.Now()
	c := identity.NotificationClaims{Audience: p.audience, Issuer: p.issuer, TenantID: p.tid,
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)), ExpiresAt: jwt.NewNumericDate(now.Add(5 * time.Minute))}
	return jwt.NewWithClaims(jwt.SigningMethodES256, &c).SignedString(p.key)
}

// Verify accepts only the probe's own token.
func (p *probeVerifier) Verify(_ context.Context, authorization string) (*identity.NotificationClaims, error) {
	tok, err := identity.BearerToken(authorization)
	if err != nil {
		return nil, err
	}
	var c identity.NotificationClaims
	_, err = jwt.ParseWithClaims(tok, &c, func(*jwt.Token) (any, error) { return &p.key.PublicKey, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodES256.Alg()}), jwt.WithAudience(p.audience), jwt.WithIssuer(p.issuer))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", identity.ErrInvalidToken, err)
	}
	return &c, nil
}

var _ notify.TokenVerifier = (*probeVerifier)(nil)
