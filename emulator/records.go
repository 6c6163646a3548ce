package emulator

import (
	"net/http"
	"time"

	"github.com/callcheck/callcheck/graph"
)

// Severities of a Verdict.
const (
	SeverityError   = "error"   // the request is refused for it
	SeverityWarning = "warning" // accepted, but not as the documentation asks
)

// Verdict is one finding of the emulator's checks on a request: a rule that
// failed, where, and why. Errors refuse the request (the first one by
// precedence decides the response); warnings are recorded only, for bot
// certification (every verdict names the field).
type Verdict struct {
	// Rule is the stable name of the check (see the Rule constants).
	Rule string `json:"rule"`
	// Severity is SeverityError or SeverityWarning.
	Severity string `json:"severity"`
	// Pointer is the RFC 6901 JSON pointer of the field at fault ("" for the
	// whole request).
	Pointer string `json:"pointer,omitempty"`
	// Message says what is wrong, naming the field.
	Message string `json:"message"`
	// Source cites the documentation the rule comes from.
	Source string `json:"source,omitempty"`
}

// TokenInfo is what a request's access token said, as far as it could be read.
type TokenInfo struct {
	AppID     string   `json:"appid,omitempty"`
	TenantID  string   `json:"tid,omitempty"`
	Roles     []string `json:"roles,omitempty"`
	Delegated bool     `json:"delegated,omitempty"`
	// Valid is false when verification failed; Error says why.
	Valid bool   `json:"valid"`
	Error string `json:"error,omitempty"`
}

// RequestRecord is one Graph API request the emulator received, with what it
// made of it. Records are kept in a ring buffer of Limits.RequestRecords.
type RequestRecord struct {
	Seq     uint64      `json:"seq"`
	Time    time.Time   `json:"time"`
	Method  string      `json:"method"`
	Path    string      `json:"path"`
	Version string      `json:"version,omitempty"` // "beta" or "v1.0"
	Headers http.Header `json:"headers"`           // Authorization redacted
	// Body is the request body, at most Limits.RecordBodyBytes of it.
	Body          string `json:"body,omitempty"`
	BodyBytes     int64  `json:"bodyBytes"`
	BodyTruncated bool   `json:"bodyTruncated,omitempty"`
	// Token is what the access token said (nil: no Authorization header).
	Token *TokenInfo `json:"token,omitempty"`
	// Scenario is the scenario inferred from a create body; Media its media kind.
	Scenario graph.Kind      `json:"scenario,omitempty"`
	Media    graph.MediaKind `json:"media,omitempty"`
	// Status is the response status; ErrorCode and ErrorMessage the Graph
	// error body's, when it was an error.
	Status       int    `json:"status"`
	ErrorCode    string `json:"errorCode,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	// CallID is the call created or addressed.
	CallID          string        `json:"callId,omitempty"`
	RequestID       string        `json:"requestId"`
	ClientRequestID string        `json:"clientRequestId,omitempty"`
	Verdicts        []Verdict     `json:"verdicts,omitempty"`
	Latency         time.Duration `json:"latency"`
}
