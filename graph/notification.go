package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// CommsNotifications is microsoft.graph.commsNotifications: the batch the
// service POSTs to a call's callbackUri (graph-calls-facts.md §2).
type CommsNotifications struct {
	ODataType string              `json:"@odata.type,omitempty"`
	Value     []CommsNotification `json:"value"`
	Extra     Extra               `json:"-"`
}

// UnmarshalJSON decodes a batch, keeping undeclared properties in Extra.
func (n *CommsNotifications) UnmarshalJSON(data []byte) error {
	if n.ODataType == "" && n.Value == nil && n.Extra == nil && n.decodePlain(data) {
		return nil
	}
	type plain CommsNotifications
	return unmarshalOpen(data, (*plain)(n), &n.Extra)
}

// MarshalJSON encodes a batch with its Extra properties.
func (n CommsNotifications) MarshalJSON() ([]byte, error) {
	type plain CommsNotifications
	return marshalOpen(plain(n), n.Extra)
}

// CommsNotification is microsoft.graph.commsNotification: one change to one
// resource. Its schema declares only changeType and resourceUrl; resourceData
// ("an entity or a collection of entities"), the documentation's callbackUri
// and the legacy resource travel as additional data (graph-calls-facts.md §2,
// §9.8). They are declared here for convenience and written back unchanged.
type CommsNotification struct {
	ODataType    string          `json:"@odata.type,omitempty"`
	ChangeType   ChangeType      `json:"changeType,omitempty"`
	ResourceURL  string          `json:"resourceUrl,omitempty"`
	Resource     string          `json:"resource,omitempty"`
	CallbackURI  string          `json:"callbackUri,omitempty"`
	ResourceData json.RawMessage `json:"resourceData,omitempty"`
	Extra        Extra           `json:"-"`
}

// UnmarshalJSON decodes a notification, keeping undeclared properties in Extra.
func (n *CommsNotification) UnmarshalJSON(data []byte) error {
	type plain CommsNotification
	return unmarshalOpen(data, (*plain)(n), &n.Extra)
}

// MarshalJSON encodes a notification with its Extra properties.
func (n CommsNotification) MarshalJSON() ([]byte, error) {
	type plain CommsNotification
	return marshalOpen(plain(n), n.Extra)
}

// CallID returns the id of the call the notification is about, from its
// resourceUrl (or, failing that, the legacy resource), or "".
func (n *CommsNotification) CallID() string {
	for _, u := range []string{n.ResourceURL, n.Resource} {
		if r, ok := ParseResourceURL(u); ok {
			return r.CallID
		}
	}
	return ""
}

// IsRoster reports whether the notification is about the call's participants
// (resourceUrl /communications/calls/{id}/participants).
func (n *CommsNotification) IsRoster() bool {
	r, ok := ParseResourceURL(n.ResourceURL)
	return ok && strings.EqualFold(r.Sub, "participants")
}

// ResourceDataIsArray reports whether resourceData is a collection (a roster)
// rather than one entity.
func (n *CommsNotification) ResourceDataIsArray() bool {
	d := bytes.TrimLeft(n.ResourceData, " \t\r\n")
	return len(d) > 0 && d[0] == '['
}

// ErrNoResourceData is returned when a notification carries no resourceData.
var ErrNoResourceData = errors.New("graph: notification has no resourceData")

// Call decodes resourceData as one call. An array holding exactly one call is
// accepted too: resourceData is "an entity or a collection of entities".
func (n *CommsNotification) Call() (*Call, error) {
	if len(n.ResourceData) == 0 {
		return nil, ErrNoResourceData
	}
	if n.ResourceDataIsArray() {
		var calls []Call
		if err := json.Unmarshal(n.ResourceData, &calls); err != nil {
			return nil, fmt.Errorf("graph: resourceData: %w", err)
		}
		if len(calls) != 1 {
			return nil, fmt.Errorf("graph: resourceData holds %d entities, want one call", len(calls))
		}
		return checkCallType(&calls[0])
	}
	var c Call
	if err := json.Unmarshal(n.ResourceData, &c); err != nil {
		return nil, fmt.Errorf("graph: resourceData: %w", err)
	}
	return checkCallType(&c)
}

// checkCallType refuses an entity whose @odata.type names another type.
func checkCallType(c *Call) (*Call, error) {
	if c.ODataType != "" && !sameType(c.ODataType, TypeCall) {
		return nil, fmt.Errorf("graph: resourceData is a %s, not a call", c.ODataType)
	}
	return c, nil
}

// Participants decodes resourceData as a roster: a collection of participants
// (or a single participant, returned as a collection of one).
func (n *CommsNotification) Participants() ([]Participant, error) {
	if len(n.ResourceData) == 0 {
		return nil, ErrNoResourceData
	}
	if !n.ResourceDataIsArray() {
		var p Participant
		if err := json.Unmarshal(n.ResourceData, &p); err != nil {
			return nil, fmt.Errorf("graph: resourceData: %w", err)
		}
		return []Participant{p}, nil
	}
	var ps []Participant
	if err := json.Unmarshal(n.ResourceData, &ps); err != nil {
		return nil, fmt.Errorf("graph: resourceData: %w", err)
	}
	return ps, nil
}

// Resource is a parsed resourceUrl of the calls API.
type Resource struct {
	Prefix string // "/communications/calls" or the legacy "/app/calls"
	CallID string // the call's id
	Sub    string // what follows the id ("participants", "operations/{id}", ...), or ""
}

// ParseResourceURL parses "/communications/calls/{id}[/sub...]" and the legacy
// "/app/calls/{id}[/sub...]", with or without a host and version prefix
// ("https://graph.microsoft.com/beta/communications/calls/{id}").
func ParseResourceURL(u string) (Resource, bool) {
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		slash := strings.IndexByte(rest, '/')
		if slash < 0 {
			return Resource{}, false
		}
		u = rest[slash:]
	}
	u, _, _ = strings.Cut(u, "?")
	for _, prefix := range []string{"/communications/calls/", "/app/calls/"} {
		i := strings.Index(strings.ToLower(u), prefix)
		if i < 0 {
			continue
		}
		id, sub, _ := strings.Cut(u[i+len(prefix):], "/")
		if id == "" {
			return Resource{}, false
		}
		return Resource{Prefix: strings.TrimSuffix(prefix, "/"), CallID: id, Sub: sub}, true
	}
	return Resource{}, false
}
