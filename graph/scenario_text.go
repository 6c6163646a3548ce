package graph

// MarshalText encodes the scenario as its key ("p2p", "group-app", …), so
// JSON documents and logs spell a scenario as --trigger and ?scenario= do.
func (s Scenario) MarshalText() ([]byte, error) { return []byte(s.Key()), nil }

// UnmarshalText decodes a key written by MarshalText (see ParseScenario).
func (s *Scenario) UnmarshalText(text []byte) error {
	parsed, err := ParseScenario(string(text))
	if err != nil {
		return err
	}
	*s = parsed
	return nil
}
