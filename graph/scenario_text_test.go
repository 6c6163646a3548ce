package graph

import (
	"encoding/json"
	"testing"
)

func TestScenarioJSONIsItsKey(t *testing.T) {
	for _, s := range Scenarios() {
		b, err := json.Marshal(struct{ S Scenario }{s})
		if want := `{"S":"` + s.Key() + `"}`; err != nil || string(b) != want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", s, b, err, want)
		}
		var back struct{ S Scenario }
		if err := json.Unmarshal(b, &back); err != nil || back.S != s {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", b, back.S, err, s)
		}
	}
	var bad struct{ S Scenario }
	if err := json.Unmarshal([]byte(`{"S":"voip"}`), &bad); err == nil {
		t.Error("Unmarshal accepted an unknown scenario")
	}
}
