package notify

import (
	"net/http"
	"strings"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// Event is one accepted notification, as it arrived at a Receiver.
type Event struct {
	// Received is when the POST carrying it arrived (before verification).
	Received time.Time
	// CallID is the call its resourceUrl (or legacy resource) names; "" when
	// it names none.
	CallID string
	// Resource is the parsed resourceUrl.
	Resource graph.Resource
	// Notification is the notification itself.
	Notification graph.CommsNotification
	// Index is its position in the POST's batch, BatchSize the batch's length.
	Index, BatchSize int
	// MessageID and ChainID are the POST's X-Microsoft-Skype-Message-ID and
	// X-Microsoft-Skype-Chain-ID.
	MessageID, ChainID string
	// Claims are the verified token's claims.
	Claims *identity.NotificationClaims
	// Header is the POST's header, shared by the batch: read only.
	Header http.Header
}

// IsRoster reports whether the event is about the call's participants.
func (e Event) IsRoster() bool { return strings.EqualFold(e.Resource.Sub, "participants") }

// IsCall reports whether the event is about the call itself (resourceUrl
// /communications/calls/{id}, nothing after the id).
func (e Event) IsCall() bool { return e.CallID != "" && e.Resource.Sub == "" }

// State returns the call state a call event reports, or "" when the event
// is not about the call or its resourceData has no readable state.
func (e Event) State() graph.CallState {
	if !e.IsCall() {
		return ""
	}
	c, err := e.Notification.Call()
	if err != nil {
		return ""
	}
	return c.State
}

// StateIs matches call events reporting state (enum casing ignored).
func StateIs(state graph.CallState) func(Event) bool {
	return func(e Event) bool { return strings.EqualFold(string(e.State()), string(state)) }
}

// IsRoster matches roster events.
func IsRoster(e Event) bool { return e.IsRoster() }

// Rejection is a POST a Receiver refused.
type Rejection struct {
	// Received is when the POST arrived.
	Received time.Time `json:"received"`
	// Status is the status answered: 401 (token), 400 (body), 413 (too
	// large), 405 (not POST), 503 (keys unavailable or receiver closed).
	Status int `json:"status"`
	// Reason says what was wrong (never the token).
	Reason string `json:"reason"`
	// Err is the error behind Reason (identity.ErrExpired, ...).
	Err error `json:"-"`
	// CallIDs are the calls the body names, read without trusting it, so a
	// call's watch can see that one of its notifications was refused.
	CallIDs []string `json:"callIds,omitempty"`
	// MessageID and ChainID are the POST's X-Microsoft-Skype-* headers.
	MessageID string `json:"messageId,omitempty"`
	ChainID   string `json:"chainId,omitempty"`
	// RemoteAddr is the sender's address.
	RemoteAddr string `json:"remoteAddr,omitempty"`
	// Excerpt is the start of the body (at most 512 bytes).
	Excerpt string `json:"excerpt,omitempty"`
}
