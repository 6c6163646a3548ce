package schema_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/callcheck/callcheck/graph/schema"
)

// TestLoad checks the versions Load knows, that a bad one is refused by name, and that a version is
// built once.
func TestLoad(t *testing.T) {
	for _, tc := range []struct {
		version schema.Version
		wantErr string
	}{
		{schema.Beta, ""},                  // the documented page's version
		{schema.V1, ""},                    // the stable version
		{"v2.0", `unknown version "v2.0"`}, // no such Graph version
		{"", `unknown version ""`},         // the zero Version
		{"Beta", `want "beta" or "v1.0"`},  // versions are spelled as in the URL
	} {
		v, err := schema.Load(tc.version)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || v != nil {
				t.Errorf("Load(%q) = %v, %v; want an error containing %q", tc.version, v, err, tc.wantErr)
			}
			continue
		}
		if err != nil || v.Version() != tc.version {
			t.Fatalf("Load(%q) = %v, %v", tc.version, v, err)
		}
		if again, _ := schema.Load(tc.version); again != v {
			t.Errorf("Load(%q) built the Validator twice", tc.version)
		}
	}
}

// TestLoadConcurrent loads and validates from many goroutines at once (run with -race): Load builds each
// version once, and validation shares the compiled schema, with and without options.
func TestLoadConcurrent(t *testing.T) {
	bodies := []string{createP2P, establishing, lobbyRoster, `{"state":"Establishing","targets":[{"@odata.type":"#microsoft.graph.participantInfo"}]}`}
	names := []string{schema.TypeCall, schema.TypeCommsNotifications, schema.TypeCommsNotifications, schema.TypeCall}
	want := make([]string, len(bodies))
	beta := mustLoad(t, schema.Beta)
	for i, b := range bodies {
		want[i] = fmt.Sprint(beta.Validate(names[i], []byte(b)))
	}
	if want[3] == "[]" {
		t.Fatal("the last body should not conform")
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := schema.Load(schema.Beta)
			if err != nil || v != beta {
				errs <- fmt.Sprintf("goroutine %d: Load = %p, %v", g, v, err)
				return
			}
			lenient := v.With(schema.CaseInsensitiveEnums())
			for i := range 50 {
				k := (g + i) % len(bodies)
				if got := fmt.Sprint(v.Validate(names[k], []byte(bodies[k]))); got != want[k] {
					errs <- fmt.Sprintf("goroutine %d body %d: %s, want %s", g, k, got, want[k])
					return
				}
				lenient.Validate(names[k], []byte(bodies[k]))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestWithDoesNotChangeTheOriginal checks that options apply to the returned Validator only.
func TestWithDoesNotChangeTheOriginal(t *testing.T) {
	v := mustLoad(t, schema.Beta)
	body := []byte(`{"state":"Established"}`)
	if got := v.With(schema.CaseInsensitiveEnums()).Validate(schema.TypeCall, body); len(got) != 0 {
		t.Errorf("lenient: %v", got)
	}
	if got := v.Validate(schema.TypeCall, body); len(got) != 1 {
		t.Errorf("strict after With: %v, want one violation", got)
	}
}

// TestIntrospection checks the helpers that describe the subset.
func TestIntrospection(t *testing.T) {
	v := mustLoad(t, schema.Beta)
	types := v.Types()
	for _, name := range []string{schema.TypeCall, schema.TypeParticipant, schema.TypeCommsNotification, schema.TypeCommsNotifications,
		schema.TypeODataError, "microsoft.graph.organizerMeetingInfo", "microsoft.graph.mediaInfo", "microsoft.graph.communicationsGuestIdentity"} {
		if !slices.Contains(types, name) {
			t.Errorf("Types() lacks %s", name)
		}
	}
	if slices.Contains(types, "microsoft.graph.callState") || !slices.IsSorted(types) {
		t.Error("Types() lists an enum or is not sorted")
	}
	checks := []struct {
		what string
		got  any
		want any
	}{
		{"BaseType(organizerMeetingInfo)", v.BaseType("microsoft.graph.organizerMeetingInfo"), "microsoft.graph.meetingInfo"},
		{"BaseType(call) with #", v.BaseType("#microsoft.graph.call"), "microsoft.graph.entity"},
		{"BaseType(unknown)", v.BaseType("microsoft.graph.nope"), ""},
		{"DerivesFrom(outgoingCallOptions, callOptions)", v.DerivesFrom("microsoft.graph.outgoingCallOptions", "microsoft.graph.callOptions"), true},
		{"DerivesFrom(invitationParticipantInfo, participantInfo)", v.DerivesFrom("microsoft.graph.invitationParticipantInfo", "microsoft.graph.participantInfo"), false},
		{"DerivesFrom(call, call)", v.DerivesFrom(schema.TypeCall, schema.TypeCall), true},
		{"Abstract(mediaConfig)", v.Abstract("microsoft.graph.mediaConfig"), true},
		{"Abstract(serviceHostedMediaConfig)", v.Abstract("microsoft.graph.serviceHostedMediaConfig"), false},
		// Read-only facts (graph-calls-facts.md §1.2): the slices carry none.
		{"ReadOnly(call, state)", v.ReadOnly(schema.TypeCall, "state"), true},
		{"ReadOnly(call, tenantId)", v.ReadOnly(schema.TypeCall, "tenantId"), true},
		{"ReadOnly(call, id) inherited", v.ReadOnly(schema.TypeCall, "id"), true},
		{"ReadOnly(call, callbackUri)", v.ReadOnly(schema.TypeCall, "callbackUri"), false},
		{"ReadOnly(call, nope)", v.ReadOnly(schema.TypeCall, "nope"), false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

// TestPropertyAndTypeOf checks declared-property lookups, by name and by JSON pointer.
func TestPropertyAndTypeOf(t *testing.T) {
	v := mustLoad(t, schema.Beta)
	for _, tc := range []struct {
		typeName, pointer string
		want              schema.Property
		ok                bool
	}{
		// The type itself.
		{schema.TypeCall, "", schema.Property{Type: schema.TypeCall}, true},
		// A collection of a structured type.
		{schema.TypeCall, "/targets", schema.Property{Name: "targets", Type: "microsoft.graph.invitationParticipantInfo", Collection: true, Nullable: true}, true},
		// Through an array index, into identitySet (Nullable=false in the CSDL).
		{schema.TypeCall, "/targets/0/identity", schema.Property{Name: "identity", Type: "microsoft.graph.identitySet"}, true},
		// A communications member admitted on identitySet.
		{schema.TypeCall, "/source/identity/guest", schema.Property{Name: "guest", Type: "microsoft.graph.identity", Nullable: true, DeclaredIn: "microsoft.graph.communicationsIdentitySet"}, true},
		// An enum property, read-only.
		{schema.TypeCall, "/state", schema.Property{Name: "state", Type: "microsoft.graph.callState", Nullable: true, ReadOnly: true,
			ReadOnlySource: "graph-calls-facts.md §1.2: the generated SDK strips it before sending"}, true},
		// A primitive.
		{"microsoft.graph.resultInfo", "/code", schema.Property{Name: "code", Type: "integer"}, true},
		// Leaves the declared properties (meetingInfo's subtypes' members are not on meetingInfo).
		{schema.TypeCall, "/meetingInfo/organizer", schema.Property{}, false},
		{schema.TypeCall, "/nope", schema.Property{}, false},
		{schema.TypeCall, "state", schema.Property{}, false}, // not a pointer
		{"microsoft.graph.nope", "", schema.Property{}, false},
	} {
		got, ok := v.TypeOf(tc.typeName, tc.pointer)
		if ok != tc.ok || got != tc.want {
			t.Errorf("TypeOf(%s, %q) = %+v, %v; want %+v, %v", tc.typeName, tc.pointer, got, ok, tc.want, tc.ok)
		}
	}
	props := v.Properties("microsoft.graph.mediaInfo")
	if len(props) != 2 || props[0].Name != "resourceId" || props[1].Name != "uri" || props[1].Nullable {
		t.Errorf("Properties(mediaInfo) = %+v", props)
	}
	if _, ok := v.Property("microsoft.graph.mediaInfo", "nope"); ok {
		t.Error("Property(mediaInfo, nope) found")
	}
}

// TestViolationString checks the one-line rendering.
func TestViolationString(t *testing.T) {
	for _, tc := range []struct {
		v    schema.Violation
		want string
	}{
		{schema.Violation{Pointer: "/state", Kind: schema.KindSchema, Message: "m"}, "/state: schema: m"},
		{schema.Violation{Kind: schema.KindInvalidJSON, Message: "m"}, "(body): invalid-json: m"},
	} {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

// TestCanonicalEnums checks that enum values in another case are found with
// their members' spelling, nested and in collections, and nothing else is.
func TestCanonicalEnums(t *testing.T) {
	v := mustLoad(t, schema.V1)
	body := `{"@odata.type":"#microsoft.graph.call","state":"Established","direction":"outgoing","requestedModalities":["Audio","video"],
		"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"},"callbackUri":"https://bot.contoso.com/cb",
		"unknownProperty":"Kept"}`
	var value any
	if err := json.Unmarshal([]byte(body), &value); err != nil {
		t.Fatal(err)
	}
	got := v.CanonicalEnums(schema.TypeCall, value)
	want := []schema.EnumFix{
		{Pointer: "/requestedModalities/0", Got: "Audio", Member: "audio"},
		{Pointer: "/state", Got: "Established", Member: "established"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CanonicalEnums = %+v, want %+v", got, want)
	}
	if got := v.Validate(schema.TypeCall, []byte(body)); len(got) != 2 {
		t.Errorf("strict Validate: %v, want the two casing violations", got)
	}
}
