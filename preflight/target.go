package preflight

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// checkKeys says whether the OpenID configuration of the notification
// keys (--notification-openid) loads with its keys (graph-calls-facts.md
// §6): without them no notification can be verified.
func (r *run) checkKeys(ctx context.Context) Result {
	var openid string
	switch {
	case r.tgt != nil:
		openid = r.tgt.Receiver().OpenIDConfigURL
	case !r.cfg.Target.Embedded():
		openid = r.cfg.Target.NotificationOpenID()
	default:
		return skip(CheckKeys, "the embedded emulator, which publishes them, did not start")
	}
	fix := "give --notification-openid the OpenID configuration whose keys sign the target's notifications (Graph's: " +
		"https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration)"
	v, err := identity.NewNotificationVerifier(openid, r.appID(), identity.WithTimeouts(r.keyTimeouts()))
	if err != nil {
		return fail(CheckKeys, fix, "%s", errText(err))
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeouts.Request)
	defer cancel()
	if err := v.Refresh(ctx); err != nil {
		return fail(CheckKeys, fix, "the OpenID configuration %s and its keys did not load: %s", openid, errText(err))
	}
	return pass(CheckKeys, "%s loads with %d signing key(s)", openid, len(v.KeyIDs()))
}

func (r *run) keyTimeouts() identity.Timeouts {
	t := identity.DefaultTimeouts()
	t.Discovery = r.cfg.Timeouts.Request
	return t
}

// checkTarget says whether the target answers as Graph does: an
// authenticated GET of a call id it never made is 404 with Graph's error
// body, {"error":{"code":…,"message":…}} (graph-calls-facts.md §4.1; §4.2:
// 8522 "Call not found."). A plain web server, a wrong path or a missing
// version segment answers otherwise.
func (r *run) checkTarget(ctx context.Context) Result {
	if r.tokErr != nil || r.tgt == nil {
		return skip(CheckTarget, "no application token to ask the target with")
	}
	u := strings.TrimRight(r.tgt.BaseURL(), "/") + "/communications/calls/" + graph.NewGUID()
	shown := identity.RedactURL(u)
	fix := "give --target the Graph base URL with its version segment, e.g. https://graph.microsoft.com/beta"
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeouts.Request)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fail(CheckTarget, fix, "%s", errText(err))
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	resp, err := r.client.Do(req)
	if err != nil {
		return fail(CheckTarget, fix, "GET %s failed: %s", shown, errText(err))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	code, isGraph := graphErrorCode(resp.Header.Get("Content-Type"), body)
	switch {
	case resp.StatusCode == http.StatusNotFound && isGraph:
		return pass(CheckTarget, "%s answers as Graph: an unknown call is 404 with error code %q", identity.RedactURL(r.tgt.BaseURL()), code)
	case (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) && isGraph:
		return fail(CheckTarget, "get the token for the target's resource (--scope, default https://graph.microsoft.com/.default) from its tenant",
			"GET %s answered %d with error code %q: the target refused the token", shown, resp.StatusCode, code)
	case isGraph:
		return fail(CheckTarget, fix, "GET %s answered %d with error code %q, not 404: it does not answer an unknown call as Graph does", shown, resp.StatusCode, code)
	}
	return fail(CheckTarget, fix, "GET %s answered %d %s, not Graph's 404 error body {\"error\":{\"code\":…}}: it is not a Graph API base URL",
		shown, resp.StatusCode, orNone(resp.Header.Get("Content-Type")))
}

// graphErrorCode reads a Graph error body: JSON with an error object
// carrying a string code.
func graphErrorCode(contentType string, body []byte) (string, bool) {
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" {
		return "", false
	}
	var e struct {
		Error *struct {
			Code *string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == nil || e.Error.Code == nil {
		return "", false
	}
	return *e.Error.Code, true
}
