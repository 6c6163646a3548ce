package identity

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxTokenRequestBytes bounds a token request body.
const maxTokenRequestBytes = 64 << 10

// TokenPathPattern is the route of the token endpoint, as on
// login.microsoftonline.com.
const TokenPathPattern = "/{tenant}/oauth2/v2.0/token"

// TokenURL returns the token endpoint URL for tenant under base (the
// Authority's server root, e.g. "https://login.microsoftonline.com").
func TokenURL(base, tenant string) string {
	return strings.TrimRight(base, "/") + "/" + url.PathEscape(tenant) + "/oauth2/v2.0/token"
}

// TokenResponse is the token endpoint's success body (§5.2).
type TokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

// TokenErrorResponse is the token endpoint's error body, shaped like the
// identity platform's.
type TokenErrorResponse struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
}

// aadError is a refusal of the token endpoint.
type aadError struct {
	status int
	code   string // OAuth 2.0 error code
	aadsts int    // AADSTS number
	desc   string
}

func badRequest(code string, aadsts int, format string, args ...any) *aadError {
	return &aadError{http.StatusBadRequest, code, aadsts, fmt.Sprintf(format, args...)}
}

// TokenHandler serves POST TokenPathPattern: the client-credentials grant
// (client_id, client_secret by client_secret_post or HTTP Basic, scope
// "{resource}/.default", grant_type=client_credentials), answering like the
// identity platform, so golang.org/x/oauth2/clientcredentials works against
// it unchanged. Mount it at the server root (or under http.StripPrefix).
func (a *Authority) TokenHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(TokenPathPattern, a.serveToken)
	return mux
}

func (a *Authority) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeAADError(w, badRequest("invalid_request", 900561, "The endpoint only accepts POST requests. Received a %s request.", r.Method))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequestBytes)
	if err := r.ParseForm(); err != nil {
		writeAADError(w, badRequest("invalid_request", 900144, "The request body could not be read as a form: %v", err))
		return
	}
	app, aerr := a.authenticate(r.PathValue("tenant"), r)
	if aerr == nil {
		aerr = a.checkScope(r.PostForm.Get("scope"), app.TenantID)
	}
	if aerr != nil {
		writeAADError(w, aerr)
		return
	}
	a.writeToken(w, app)
}

// authenticate checks the grant type and the client's credentials.
func (a *Authority) authenticate(tenant string, r *http.Request) (App, *aadError) {
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		return App{}, missingParam("grant_type")
	default:
		return App{}, badRequest("unsupported_grant_type", 70003, "The app requested an unsupported grant type '%s'.", gt)
	}
	id, secret, aerr := clientCredentials(r)
	if aerr != nil {
		return App{}, aerr
	}
	app, aerr := a.appInTenant(id, tenant)
	if aerr != nil {
		return App{}, aerr
	}
	if secret == "" {
		return App{}, &aadError{http.StatusUnauthorized, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."}
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(app.ClientSecret)) != 1 {
		return App{}, &aadError{http.StatusUnauthorized, "invalid_client", 7000215, fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", app.ClientID)}
	}
	return app, nil
}

// clientCredentials reads the client id and secret from HTTP Basic (each
// form-url-encoded, RFC 6749 §2.3.1) or from the form (client_secret_post).
func clientCredentials(r *http.Request) (id, secret string, aerr *aadError) {
	formID := r.PostForm.Get("client_id")
	if user, pass, ok := r.BasicAuth(); ok {
		id, err1 := url.QueryUnescape(user)
		secret, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil {
			return "", "", badRequest("invalid_request", 900144, "The Authorization header's client credentials are not form-url-encoded.")
		}
		if formID != "" && formID != id {
			return "", "", badRequest("invalid_request", 900144, "The client_id parameter and the Authorization header name different clients.")
		}
		return id, secret, nil
	}
	if formID == "" {
		return "", "", missingParam("client_id")
	}
	return formID, r.PostForm.Get("client_secret"), nil
}

func (a *Authority) appInTenant(clientID, tenant string) (App, *aadError) {
	app, ok := a.App(clientID)
	if ok && strings.EqualFold(app.TenantID, tenant) {
		return app, nil
	}
	if !a.knowsTenant(tenant) {
		return App{}, badRequest("invalid_request", 90002, "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant)
	}
	return App{}, badRequest("unauthorized_client", 700016, "Application with identifier '%s' was not found in the directory '%s'.", clientID, tenant)
}

func (a *Authority) knowsTenant(tenant string) bool {
	for _, app := range a.Apps() {
		if strings.EqualFold(app.TenantID, tenant) {
			return true
		}
	}
	return false
}

// oidcScopes are the OpenID Connect scopes MSAL adds to every token request,
// client credentials included (microsoft-authentication-library-for-go,
// accesstokens.AppendDefaultScopes: "openid offline_access profile"), so
// azidentity's ClientSecretCredential sends them; the identity platform
// ignores them beside a "/.default" scope.
var oidcScopes = map[string]bool{"openid": true, "offline_access": true, "profile": true}

// checkScope requires "{resource}/.default" for an accepted resource,
// ignoring OpenID Connect scopes beside it. The sample quirk
// "https://graph.microsoft.com//.default" (graph-calls-facts §5.2, §9.19) is
// accepted, as the real endpoint evidently accepts it.
func (a *Authority) checkScope(scope, tenant string) *aadError {
	fields := strings.Fields(scope)
	if len(fields) == 0 {
		return missingParam("scope")
	}
	if resourceScopes := slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return oidcScopes[f] }); len(resourceScopes) > 0 {
		fields = resourceScopes
	}
	var resource string
	for _, f := range fields {
		r, ok := strings.CutSuffix(f, "/.default")
		if !ok {
			return badRequest("invalid_scope", 1002012, "The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", f)
		}
		r = strings.TrimRight(r, "/")
		if resource != "" && !strings.EqualFold(resource, r) {
			return badRequest("invalid_scope", 28000, "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope %s is not valid.", scope)
		}
		resource = r
	}
	if !a.acceptsResource(resource) {
		return badRequest("invalid_resource", 500011, "The resource principal named %s was not found in the tenant named %s.", resource, tenant)
	}
	return nil
}

func (a *Authority) acceptsResource(resource string) bool {
	for _, aud := range a.audiences {
		if strings.EqualFold(strings.TrimRight(aud, "/"), resource) {
			return true
		}
	}
	return false
}

func missingParam(name string) *aadError {
	return badRequest("invalid_request", 900144, "The request body must contain the following parameter: '%s'.", name)
}

func (a *Authority) writeToken(w http.ResponseWriter, app App) {
	token, err := signWithDefect(DefectNone, a.claimsFor(app), a.key, a.foreign)
	if err != nil {
		writeAADError(w, &aadError{http.StatusInternalServerError, "server_error", 90033, "A transient error has occurred. " + err.Error()})
		return
	}
	secs := int(a.lifetime / time.Second)
	writeJSON(w, http.StatusOK, TokenResponse{TokenType: "Bearer", ExpiresIn: secs, ExtExpiresIn: secs, AccessToken: token})
}

func writeAADError(w http.ResponseWriter, e *aadError) {
	trace, corr := NewGUID(), NewGUID()
	now := time.Now().UTC()
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="callcheck identity"`)
	}
	writeJSON(w, e.status, TokenErrorResponse{
		Error: e.code,
		ErrorDescription: fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
			e.aadsts, e.desc, trace, corr, now.Format("2006-01-02 15:04:05Z")),
		ErrorCodes: []int{e.aadsts}, Timestamp: now.Format("2006-01-02 15:04:05Z"),
		TraceID: trace, CorrelationID: corr,
		ErrorURI: fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", e.aadsts),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
