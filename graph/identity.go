package graph

import "iter"

// IdentitySet is microsoft.graph.identitySet with the members of
// communicationsIdentitySet, which the service and its samples put straight
// into an identitySet payload (graph-calls-facts.md §1.4): a guest source
// (Example 8), an applicationInstance source and a phone target (Examples 9, 10).
type IdentitySet struct {
	ODataType                      string       `json:"@odata.type,omitempty"`
	Application                    *Identity    `json:"application,omitempty"`
	Device                         *Identity    `json:"device,omitempty"`
	User                           *Identity    `json:"user,omitempty"`
	ApplicationInstance            *Identity    `json:"applicationInstance,omitempty"`
	AssertedIdentity               *Identity    `json:"assertedIdentity,omitempty"`
	AzureCommunicationServicesUser *Identity    `json:"azureCommunicationServicesUser,omitempty"`
	Encrypted                      *Identity    `json:"encrypted,omitempty"`
	Guest                          *Identity    `json:"guest,omitempty"`
	OnPremises                     *Identity    `json:"onPremises,omitempty"`
	Phone                          *Identity    `json:"phone,omitempty"`
	EndpointType                   EndpointType `json:"endpointType,omitempty"`
	Extra                          Extra        `json:"-"`
}

// UnmarshalJSON decodes an identitySet, keeping undeclared properties in Extra.
func (s *IdentitySet) UnmarshalJSON(data []byte) error {
	type plain IdentitySet
	return unmarshalOpen(data, (*plain)(s), &s.Extra)
}

// MarshalJSON encodes an identitySet with its Extra properties.
func (s IdentitySet) MarshalJSON() ([]byte, error) {
	type plain IdentitySet
	return marshalOpen(plain(s), s.Extra)
}

// Members returns the identities the set holds, keyed by member name
// ("user", "application", "guest", "phone", ...), for the set's declared members.
func (s *IdentitySet) Members() map[string]*Identity {
	m := map[string]*Identity{}
	for name, id := range s.All() {
		m[name] = id
	}
	return m
}

// All yields what Members holds, in member-name order, without building a
// map: the rules judge every create's identities with it.
func (s *IdentitySet) All() iter.Seq2[string, *Identity] {
	return func(yield func(string, *Identity) bool) {
		if s == nil {
			return
		}
		for _, m := range [...]struct {
			name string
			id   *Identity
		}{
			{"application", s.Application}, {"applicationInstance", s.ApplicationInstance},
			{"assertedIdentity", s.AssertedIdentity}, {"azureCommunicationServicesUser", s.AzureCommunicationServicesUser},
			{"device", s.Device}, {"encrypted", s.Encrypted}, {"guest", s.Guest}, {"onPremises", s.OnPremises},
			{"phone", s.Phone}, {"user", s.User},
		} {
			if m.id != nil && !yield(m.name, m.id) {
				return
			}
		}
	}
}

// Identity is microsoft.graph.identity (and communicationsUserIdentity, which
// adds tenantId): an id and a display name.
type Identity struct {
	ODataType   string `json:"@odata.type,omitempty"`
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	TenantID    string `json:"tenantId,omitempty"`
	Extra       Extra  `json:"-"`
}

// UnmarshalJSON decodes an identity, keeping undeclared properties in Extra.
func (i *Identity) UnmarshalJSON(data []byte) error {
	type plain Identity
	return unmarshalOpen(data, (*plain)(i), &i.Extra)
}

// MarshalJSON encodes an identity with its Extra properties.
func (i Identity) MarshalJSON() ([]byte, error) {
	type plain Identity
	return marshalOpen(plain(i), i.Extra)
}
