package emulator

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
)

// TestLoadConfig: YAML and JSON set fields over the defaults; a profile in
// the file applies before the file's own timing; unknown fields and bad
// values are errors naming them.
func TestLoadConfig(t *testing.T) {
	cfg := NewConfig()
	yaml := "profile: realistic\ntiming:\n  roster: {min: 1ms, max: 2ms}\nfaults:\n  drop: 0.5\nsafety:\n  allowedCallbackHosts: ['*.contoso.com']\n"
	if err := cfg.LoadConfig([]byte(yaml), "test.yaml"); err != nil {
		t.Fatal(err)
	}
	realistic, _ := ProfileTiming(ProfileRealistic)
	if cfg.Timing.Established != realistic.Established || cfg.Timing.Roster != (Delay{time.Millisecond, 2 * time.Millisecond}) ||
		cfg.Faults.Drop != 0.5 || cfg.Safety.AllowedCallbackHosts[0] != "*.contoso.com" || cfg.Limits.MaxTargets != DefaultMaxTargets {
		t.Errorf("loaded %+v", cfg)
	}
	jsonCfg := NewConfig()
	if err := jsonCfg.LoadConfig([]byte(`{"seed": 42, "violations": ["no-roster"], "limits": {"keepAliveTimeout": "90s"}}`), "test.json"); err != nil {
		t.Fatal(err)
	}
	if jsonCfg.Seed != 42 || jsonCfg.Violations[0] != VNoRoster || jsonCfg.Limits.KeepAliveTimeout != 90*time.Second {
		t.Errorf("loaded %+v", jsonCfg)
	}
	empty := NewConfig()
	if err := empty.LoadConfig(nil, "empty"); err != nil {
		t.Errorf("an empty file: %v", err)
	}
	for _, tt := range []struct{ doc, want string }{
		{"bogus: 1", "bogus"},                  // unknown field
		{"profile: slow", "slow"},              // unknown profile
		{"limits: {maxTargets: many}", "many"}, // wrong type
		{"seed: [", "test"},                    // not YAML
	} {
		c := NewConfig()
		if err := c.LoadConfig([]byte(tt.doc), "test"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want one naming %q", tt.doc, err, tt.want)
		}
	}
}

// TestConfigValidate: each invalid setting is refused with its name.
func TestConfigValidate(t *testing.T) {
	tests := []struct {
		mutate func(*Config)
		want   string
	}{
		{func(c *Config) { c.Apps = []App{{ClientID: "a", ClientSecret: "s", TenantID: "t"}} }, "apps[0].tenantId"},
		{func(c *Config) { c.Apps = []App{DefaultApp("s"), DefaultApp("s")} }, "registered twice"},
		{func(c *Config) { c.Timing.Roster = Delay{Min: 2, Max: 1} }, "timing.roster"},
		{func(c *Config) { c.Notifications.MaxBatch = 0 }, "notifications.maxBatch"},
		{func(c *Config) { c.Limits.MaxBodyBytes = 0 }, "limits.maxBodyBytes"},
		{func(c *Config) { c.Faults.Duplicate = 1.5 }, "faults.duplicate"},
		{func(c *Config) { c.Faults.ServerErrors = ServerErrors{Rate: 0.1, Status: 418} }, "faults.serverErrors.status"},
		{func(c *Config) { c.Faults.Throttle = Throttle{Rate: 1} }, "faults.throttle"},
		{func(c *Config) { c.Faults.Stuck = Stuck{Rate: 1} }, "faults.stuck.for"},
		{func(c *Config) { c.Violations = []Violation{"nope"} }, `"nope"`},
		{func(c *Config) { c.Behaviour.DeleteSubcode = 1 }, "behaviour.deleteSubcode"},
	}
	for _, tt := range tests {
		c := NewConfig()
		tt.mutate(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error %v, want one naming %q", err, tt.want)
		}
	}
	if c := NewConfig(); c.Validate() != nil {
		t.Errorf("defaults invalid: %v", c.Validate())
	}
}

// TestRing: the ring keeps the last items with growing sequence numbers.
func TestRing(t *testing.T) {
	r := newRing[int](3)
	for i := 1; i <= 5; i++ {
		r.add(i*10, nil)
	}
	if got := r.since(0, 0); len(got) != 3 || got[0] != 30 || got[2] != 50 {
		t.Errorf("since 0: %v", got)
	}
	if got := r.since(4, 0); len(got) != 1 || got[0] != 50 {
		t.Errorf("since 4: %v", got)
	}
	if got := r.since(0, 2); len(got) != 2 || got[1] != 40 {
		t.Errorf("limit 2: %v", got)
	}
	r.reset()
	r.add(60, nil)
	if got := r.since(0, 0); len(got) != 1 || got[0] != 60 || r.last() != 6 {
		t.Errorf("after reset: %v, last %d", got, r.last())
	}
}

// TestViewKind: the view's classification of a body is graph.InferKind's,
// over the classification order.
func TestViewKind(t *testing.T) {
	ids := func(set graph.IdentitySet) *graph.IdentitySet { return &set }
	user := &graph.Identity{ID: "u"}
	target := graph.InvitationParticipantInfo{Identity: ids(graph.IdentitySet{User: user})}
	phone := graph.InvitationParticipantInfo{Identity: ids(graph.IdentitySet{Phone: &graph.Identity{ID: "+12345678901"}})}
	guest := &graph.ParticipantInfo{Identity: ids(graph.IdentitySet{Guest: user})}
	appInstance := &graph.ParticipantInfo{Identity: ids(graph.IdentitySet{ApplicationInstance: user})}
	meeting := &graph.MeetingInfo{ODataType: graph.TypeOrganizerMeetingInfo}
	tests := []struct {
		name string
		call *graph.Call
		want graph.Kind
	}{
		{"empty", &graph.Call{}, graph.KindUnknown},
		{"one target", &graph.Call{Targets: []graph.InvitationParticipantInfo{target}}, graph.KindPeerToPeer},
		{"two targets", &graph.Call{Targets: []graph.InvitationParticipantInfo{target, target}}, graph.KindGroupCall},
		{"meeting info", &graph.Call{MeetingInfo: meeting}, graph.KindMeetingJoin},
		{"chat info only", &graph.Call{ChatInfo: &graph.ChatInfo{}}, graph.KindMeetingJoin},
		// A guest source wins over the meeting info a guest join carries.
		{"guest", &graph.Call{Source: guest, MeetingInfo: meeting}, graph.KindGuestJoin},
		{"phone target", &graph.Call{Targets: []graph.InvitationParticipantInfo{phone}}, graph.KindPSTN},
		{"application instance", &graph.Call{Source: appInstance, Targets: []graph.InvitationParticipantInfo{target}}, graph.KindPSTN},
		// Meeting info wins over targets.
		{"meeting with targets", &graph.Call{MeetingInfo: meeting, Targets: []graph.InvitationParticipantInfo{target, target}}, graph.KindMeetingJoin},
	}
	for _, tt := range tests {
		body, err := json.Marshal(tt.call)
		if err != nil {
			t.Fatal(err)
		}
		v, err := decodeView(body)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got, infer := v.kind(), graph.InferKind(tt.call); got != tt.want || infer != tt.want {
			t.Errorf("%s: view %q, graph.InferKind %q, want %q", tt.name, got, infer, tt.want)
		}
	}
}
