package identity

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Redacted is what a secret is replaced with wherever callcheck writes text:
// reports, records, logs, manifests and error messages.
const Redacted = "***"

// The credentials recognised in text, each replaced by Redacted (the part
// the first group matches is kept, so the reader still sees what was there).
var (
	// jwtPattern matches a compact JWS (RFC 7515 §7.1): three base64url
	// parts, the header starting {" (eyJ).
	jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`)
	// bearerPattern matches a bearer credential (RFC 6750 §2.1).
	bearerPattern = regexp.MustCompile(`(?i)(bearer\s+)[^\s"',}]+`)
	// authorizationPattern matches the credentials of an Authorization
	// header or member of any scheme ("Authorization: Basic …").
	authorizationPattern = regexp.MustCompile(`(?i)(authorization["']?\s*[:=]\s*["']?[A-Za-z][A-Za-z0-9._-]*\s+)[^\s"',}]+`)
	// clientSecretPattern matches a client secret sent as a form field or a
	// JSON member (RFC 6749 §2.3.1: client_secret).
	clientSecretPattern = regexp.MustCompile(`(?i)(client_?secret["']?\s*[:=]\s*["']?)[^\s"'&,}]+`)
	// schemePattern is an authentication scheme name (RFC 9110 §11.1).
	schemePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{0,19}$`)
)

// Redact removes credentials from text: each of secrets (an app's client
// secret, a static token) wherever it appears, compact JWTs, bearer
// credentials, the credentials of an Authorization header of any scheme, and
// client_secret values; each becomes Redacted. Every writer of callcheck
// passes text that may hold a credential through it.
func Redact(text string, secrets ...string) string {
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, Redacted)
		}
	}
	text = jwtPattern.ReplaceAllString(text, Redacted)
	text = bearerPattern.ReplaceAllStringFunc(text, redactBearer)
	text = authorizationPattern.ReplaceAllString(text, "${1}"+Redacted)
	return clientSecretPattern.ReplaceAllString(text, "${1}"+Redacted)
}

// redactBearer redacts one bearerPattern match, sparing prose that names
// the scheme ("a bearer token", "is not a Bearer token.").
func redactBearer(m string) string {
	sub := bearerPattern.FindStringSubmatch(m)
	word := strings.ToLower(strings.TrimRight(m[len(sub[1]):], ".;:!?"))
	if word == "token" || word == "tokens" {
		return m
	}
	return sub[1] + Redacted
}

// RedactAuthorization returns an Authorization header value without its
// credentials: its scheme followed by Redacted ("Bearer ***"). A value that
// does not start with a scheme name and a space is Redacted alone, unless it
// is a well-known scheme name on its own ("Bearer"): a bare token must not be
// shown as if it were the scheme. "" stays "".
func RedactAuthorization(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	scheme, _, found := strings.Cut(v, " ")
	switch {
	case found && scheme == "Bearer": // what nearly every request carries
		return "Bearer " + Redacted
	case !found && knownSchemes[strings.ToLower(v)]:
		return v + " " + Redacted
	case !found || !schemePattern.MatchString(scheme) || strings.HasPrefix(scheme, "eyJ"):
		return Redacted
	}
	return scheme + " " + Redacted
}

// knownSchemes are the registered HTTP authentication schemes shown when a
// value holds nothing else (IANA HTTP Authentication Scheme Registry).
var knownSchemes = map[string]bool{
	"basic": true, "bearer": true, "digest": true, "dpop": true, "hoba": true, "mutual": true,
	"negotiate": true, "ntlm": true, "oauth": true, "pop": true, "scram-sha-1": true, "scram-sha-256": true, "vapid": true,
}

// RedactHeaders returns a copy of h with the credentials of its
// Authorization headers removed (RedactAuthorization of the values joined
// by commas), for records of the requests a server received.
func RedactHeaders(h http.Header) http.Header {
	n := 0
	for _, v := range h {
		n += len(v)
	}
	values := make([]string, 0, n) // one array shared by the copied values, each key's slice capped to its own
	out := make(http.Header, len(h))
	for k, v := range h {
		start := len(values)
		if strings.EqualFold(k, "Authorization") {
			values = append(values, RedactAuthorization(strings.Join(v, ",")))
		} else {
			values = append(values, v...)
		}
		out[k] = values[start:len(values):len(values)]
	}
	return out
}

// RedactURL returns a URL without its user information (user:password@)
// and its query, which may carry credentials, for manifests and messages;
// "(unparsable URL)" when raw is not a URL.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery, u.ForceQuery = "", false
	return u.String()
}
