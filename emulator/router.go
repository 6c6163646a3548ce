package emulator

import (
	"net/http"
	"strings"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// AdminPrefix is the path prefix of the inspection and admin API. No Graph
// path starts with an underscore segment, so it cannot collide.
const AdminPrefix = "/_callcheck/"

// NotificationKeysPrefix is where the OpenID configuration and JWKS of the
// notification signer are served: /v1/.well-known/OpenIdConfiguration and
// /v1/keys, the paths of https://api.aps.skype.com (facts §6).
const NotificationKeysPrefix = "/v1"

// OpenIDConfigPath is the path of the notification signer's OpenID configuration.
const OpenIDConfigPath = NotificationKeysPrefix + "/.well-known/OpenIdConfiguration"

// routes builds the top-level handler.
func (e *Emulator) routes() http.Handler {
	keys := e.signer.Handler(NotificationKeysPrefix)
	token := e.authority.TokenHandler()
	admin := e.adminHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		segs := splitPath(r.URL.Path)
		switch {
		case len(segs) > 0 && (segs[0] == "beta" || segs[0] == "v1.0"):
			e.serveGraph(w, r, segs[0], segs[1:])
		case strings.HasPrefix(r.URL.Path, AdminPrefix) || r.URL.Path == strings.TrimSuffix(AdminPrefix, "/"):
			admin.ServeHTTP(w, r)
		case len(segs) > 0 && segs[0] == "v1":
			http.StripPrefix(NotificationKeysPrefix, keys).ServeHTTP(w, r)
		case len(segs) == 4 && segs[1] == "oauth2" && segs[2] == "v2.0" && segs[3] == "token":
			token.ServeHTTP(w, r)
		default:
			if h := e.authorityRoute(segs); h != nil {
				h.ServeHTTP(w, r)
				return
			}
			e.serveGraph(w, r, "", segs)
		}
	})
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// graphRoute is a matched Graph endpoint.
type graphRoute struct {
	allow  string // the methods the path allows, for 405
	serve  func(*reqCtx, *identity.GraphClaims)
	callID string
}

// newCreateRoutes returns the routes of create, under /communications and
// under the deprecated /app, built once: they do not depend on the request.
func (e *Emulator) newCreateRoutes() [2]graphRoute {
	return [2]graphRoute{
		{allow: "POST", serve: func(rc *reqCtx, cl *identity.GraphClaims) { e.serveCreate(rc, cl, false) }},
		{allow: "POST", serve: func(rc *reqCtx, cl *identity.GraphClaims) { e.serveCreate(rc, cl, true) }},
	}
}

// serveGraph serves one Graph request and records it.
func (e *Emulator) serveGraph(w http.ResponseWriter, r *http.Request, version string, segs []string) {
	rc := e.newReqCtx(w, r, version)
	defer e.finish(rc)
	route, missing := e.match(version, segs)
	switch {
	case route == nil:
		e.fail(rc, http.StatusNotFound, CodeItemNotFound, "Resource not found for the segment '"+missing+"'.")
		return
	case !strings.Contains(","+route.allow+",", ","+r.Method+","):
		rc.w.Header().Set("Allow", strings.ReplaceAll(route.allow, ",", ", "))
		e.fail(rc, http.StatusMethodNotAllowed, CodeNotAllowed, "The HTTP method '"+r.Method+"' is not allowed on this resource; allowed: "+route.allow+".")
		return
	}
	rc.rec.CallID = route.callID
	claims, ok := e.admit(rc)
	if !ok {
		return
	}
	route.serve(rc, claims)
}

// newReqCtx starts the record of a request.
func (e *Emulator) newReqCtx(w http.ResponseWriter, r *http.Request, version string) *reqCtx {
	e.stats.requests.Add(1)
	return &reqCtx{w: w, r: r, version: version, start: e.now(), rec: RequestRecord{
		Time: e.now(), Method: r.Method, Path: r.URL.RequestURI(), Version: version, Headers: identity.RedactHeaders(r.Header),
		RequestID: graph.NewGUID(), ClientRequestID: r.Header.Get("Client-Request-Id"),
	}}
}

// finish makes sure the request was answered (and so recorded).
func (e *Emulator) finish(rc *reqCtx) {
	if !rc.done { // a handler that wrote nothing: should not happen, but never leave the client hanging
		e.fail(rc, http.StatusInternalServerError, CodeGeneralException, "The emulator produced no response.")
	}
}

// match finds the Graph endpoint of segs under version; nil and the first
// segment that matched nothing when there is none. Segments match
// case-insensitively, as Graph's do.
func (e *Emulator) match(version string, segs []string) (*graphRoute, string) {
	if version == "" {
		return nil, first(segs)
	}
	rest, ok := callsPrefix(version, segs)
	if !ok {
		return nil, first(segs)
	}
	switch len(rest) {
	case 0:
		if strings.EqualFold(segs[0], "app") {
			return &e.createRoutes[1], ""
		}
		return &e.createRoutes[0], ""
	case 1:
		id := rest[0]
		return &graphRoute{allow: "GET,DELETE", callID: id, serve: func(rc *reqCtx, cl *identity.GraphClaims) {
			if rc.r.Method == http.MethodGet {
				e.serveGet(rc, cl, id)
			} else {
				e.serveDelete(rc, cl, id)
			}
		}}, ""
	case 2:
		return e.matchAction(rest[0], rest[1])
	}
	return nil, rest[2]
}

// callsPrefix strips communications/calls (or, in beta, the deprecated
// app/calls) from segs.
func callsPrefix(version string, segs []string) ([]string, bool) {
	if len(segs) < 2 || !strings.EqualFold(segs[1], "calls") {
		return nil, false
	}
	switch {
	case strings.EqualFold(segs[0], "communications"):
		return segs[2:], true
	case strings.EqualFold(segs[0], "app") && version == "beta": // v1.0 has no app singleton (facts §7)
		return segs[2:], true
	}
	return nil, false
}

// actionNamespace qualifies a bound action's name in OData: Graph answers
// /calls/{id}/keepAlive and /calls/{id}/microsoft.graph.keepAlive alike, and
// Microsoft's OpenAPI (graph-openapi/CloudCommunications.v1.0.yml, beta too)
// names the paths with the qualified name, so generated clients call that.
const actionNamespace = "microsoft.graph."

// matchAction matches a segment under a call: the participants navigation
// property, or a bound action by plain or namespace-qualified name.
func (e *Emulator) matchAction(id, action string) (*graphRoute, string) {
	var allow string
	var serve func(*reqCtx, *identity.GraphClaims)
	name := strings.ToLower(action)
	switch qualified := strings.TrimPrefix(name, actionNamespace); {
	case name == "participants":
		allow, serve = "GET", func(rc *reqCtx, cl *identity.GraphClaims) { e.serveParticipants(rc, cl, id) }
	case qualified == "keepalive":
		allow, serve = "POST", func(rc *reqCtx, cl *identity.GraphClaims) { e.serveKeepAlive(rc, cl, id) }
	case qualified == "answer":
		allow, serve = "POST", func(rc *reqCtx, cl *identity.GraphClaims) { e.serveAnswer(rc, cl, id) }
	case qualified == "reject":
		allow, serve = "POST", func(rc *reqCtx, cl *identity.GraphClaims) { e.serveReject(rc, cl, id) }
	default:
		return nil, action
	}
	return &graphRoute{allow: allow, serve: serve, callID: id}, ""
}

func first(segs []string) string {
	if len(segs) == 0 {
		return ""
	}
	return segs[0]
}

// admit applies the request faults (latency, 5xx, throttling) and
// authenticates; false when it already answered.
func (e *Emulator) admit(rc *reqCtx) (*identity.GraphClaims, bool) {
	ord := e.reqOrdinal.Add(1)
	f := e.cfg.Faults
	if e.dice.hit(f.Latency.Rate, streamLatency, ord) && !e.sleep(rc, e.dice.delay(f.Latency.Delay, streamLatencyDelay, ord)) {
		return nil, false
	}
	claims, ok := e.authenticate(rc)
	if !ok {
		return nil, false
	}
	if ok, wait := e.throttle.take(claims.AppID, rc.r.Header.Get("Client-Request-Id"), e.now()); !ok {
		rc.w.Header().Set("Retry-After", retryAfterSeconds(wait))
		e.fail(rc, http.StatusTooManyRequests, CodeTooManyRequests, "Please retry again later.")
		return nil, false
	}
	if e.dice.hit(f.ServerErrors.Rate, streamServerError, ord) {
		e.serverError(rc, f.ServerErrors.Status)
		return nil, false
	}
	return claims, true
}

func (e *Emulator) serverError(rc *reqCtx, status int) {
	if status == http.StatusServiceUnavailable {
		rc.w.Header().Set("Retry-After", "1")
		e.fail(rc, status, CodeServiceUnavailable, "The service is temporarily unavailable. Retry after the time in Retry-After.")
		return
	}
	e.fail(rc, http.StatusInternalServerError, CodeGeneralException, "An internal server error occurred (injected fault).")
}

// sleep waits d unless the client goes away; false (and nothing written)
// when it did.
func (e *Emulator) sleep(rc *reqCtx, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-rc.r.Context().Done():
		rc.rec.ErrorMessage = "client went away during injected latency"
		e.record(rc, 499)
		return false
	}
}
