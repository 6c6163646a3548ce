package derive

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

var (
	derivedOnce sync.Once
	derivedDocs map[string][]byte
	derivedErr  error
)

// derived runs the derivation once for the package's tests.
func derived(t *testing.T) map[string][]byte {
	t.Helper()
	derivedOnce.Do(func() {
		in, err := ReadInputs(os.DirFS("../../upstream"))
		if err != nil {
			derivedErr = err
			return
		}
		derivedDocs, derivedErr = DeriveAll(in)
	})
	if derivedErr != nil {
		t.Fatal(derivedErr)
	}
	return derivedDocs
}

// schemas decodes components.schemas of the derived document of version.
func schemas(t *testing.T, version string) map[string]map[string]any {
	t.Helper()
	var doc struct {
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(derived(t)[version], &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Components.Schemas
}

// prop returns the schema of property name of type typeName.
func prop(t *testing.T, s map[string]map[string]any, typeName, name string) map[string]any {
	t.Helper()
	ts, ok := s[typeName]
	if !ok {
		t.Fatalf("no type %s", typeName)
	}
	props, _ := ts["properties"].(map[string]any)
	p, ok := props[name].(map[string]any)
	if !ok {
		t.Fatalf("%s has no property %s", typeName, name)
	}
	return p
}

// TestDeterministic derives twice: map iteration order must not reach the output.
func TestDeterministic(t *testing.T) {
	in, err := ReadInputs(os.DirFS("../../upstream"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := DeriveAll(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Versions {
		if !bytes.Equal(again[v], derived(t)[v]) {
			t.Errorf("%s: two derivations from the same inputs differ", v)
		}
	}
}

// TestFixes checks the effect of each fix on the derived documents.
func TestFixes(t *testing.T) {
	for _, v := range Versions {
		s := schemas(t, v)
		t.Run(v, func(t *testing.T) {
			for name, ts := range s {
				// open-objects: no schema keeps additionalProperties.
				if _, ok := ts["additionalProperties"]; ok {
					t.Errorf("%s keeps additionalProperties", name)
				}
				// flatten-allOf: no type schema is an allOf.
				if _, ok := ts["allOf"]; ok {
					t.Errorf("%s is still an allOf", name)
				}
			}
			// flatten-allOf: call inherits id from entity and records its base.
			if got := prop(t, s, "microsoft.graph.call", "id")[ExtDeclaredIn]; got != "microsoft.graph.entity" {
				t.Errorf("call.id declared in %v", got)
			}
			if got := s["microsoft.graph.organizerMeetingInfo"][ExtBaseType]; got != "microsoft.graph.meetingInfo" {
				t.Errorf("organizerMeetingInfo base %v", got)
			}
			// nullable-refs: call.resultInfo is nullable, participantInfo.identity (Nullable=false) is not.
			if prop(t, s, "microsoft.graph.call", "resultInfo")["nullable"] != true {
				t.Error("call.resultInfo not nullable")
			}
			if _, ok := prop(t, s, "microsoft.graph.participantInfo", "identity")["nullable"]; ok {
				t.Error("participantInfo.identity nullable, the CSDL says Nullable=false")
			}
			// csdl-types: the types the slices lack come from the CSDL.
			for _, name := range []string{"microsoft.graph.commsNotification", "microsoft.graph.serviceHostedMediaConfig",
				"microsoft.graph.joinMeetingIdMeetingInfo", "microsoft.graph.mediaInfo"} {
				if s[name][ExtSource] != CSDLV1.File {
					t.Errorf("%s source %v", name, s[name][ExtSource])
				}
			}
			// csdl-members: callOptions gains isDeltaRosterEnabled from the CSDL.
			if prop(t, s, "microsoft.graph.callOptions", "isDeltaRosterEnabled")[ExtSource] != CSDLV1.File {
				t.Error("callOptions.isDeltaRosterEnabled not added from the CSDL")
			}
			// abstract-open: mediaConfig is abstract, identitySet open.
			if s["microsoft.graph.mediaConfig"][ExtAbstract] != true || s["microsoft.graph.identitySet"][ExtOpenType] != true {
				t.Error("mediaConfig not abstract or identitySet not open")
			}
			// communications-identity: identitySet declares guest, from communicationsIdentitySet.
			if prop(t, s, "microsoft.graph.identitySet", "guest")[ExtDeclaredIn] != "microsoft.graph.communicationsIdentitySet" {
				t.Error("identitySet.guest not admitted from communicationsIdentitySet")
			}
			// read-only: call.state is read-only, call.callbackUri is not.
			if prop(t, s, "microsoft.graph.call", "state")["readOnly"] != true || prop(t, s, "microsoft.graph.call", "callbackUri")["readOnly"] == true {
				t.Error("read-only marks wrong on call.state or call.callbackUri")
			}
			// inner-error-members: request-id is a declared string.
			if prop(t, s, "microsoft.graph.ODataErrors.InnerError", "request-id")["type"] != "string" {
				t.Error("InnerError.request-id not declared")
			}
			// changeType-unknownFutureValue.
			if enum, _ := s["microsoft.graph.changeType"]["enum"].([]any); !slices.Contains(enum, any("unknownFutureValue")) {
				t.Errorf("changeType enum %v", enum)
			}
			// flags-enums: a flags enum is a pattern admitting combinations.
			if p, _ := s["microsoft.graph.onlineMeetingVideoDisabledReason"]["pattern"].(string); !strings.Contains(p, ",") {
				t.Errorf("flags enum pattern %q", p)
			}
		})
	}
}

// TestVersionsDiffer checks what only beta has, as graph-openapi/README.md describes it.
func TestVersionsDiffer(t *testing.T) {
	beta, v1 := schemas(t, "beta"), schemas(t, "v1.0")
	for _, tc := range []struct {
		check    func(map[string]map[string]any) bool
		beta, v1 bool
		what     string
	}{
		{func(s map[string]map[string]any) bool {
			return slices.Contains(s["microsoft.graph.callState"]["enum"].([]any), any("ringing"))
		}, true, false, "callState ringing"},
		{func(s map[string]map[string]any) bool {
			return slices.Contains(s["microsoft.graph.modality"]["enum"].([]any), any("unknown"))
		}, true, false, "modality unknown"},
		{func(s map[string]map[string]any) bool {
			_, ok := s["microsoft.graph.call"]["properties"].(map[string]any)["ringingTimeoutInSeconds"]
			return ok
		}, true, false, "call.ringingTimeoutInSeconds"},
		{func(s map[string]map[string]any) bool {
			_, ok := s["microsoft.graph.call"]["properties"].(map[string]any)["callbackUri"]
			return ok
		}, true, true, "call.callbackUri"},
	} {
		if got := tc.check(beta); got != tc.beta {
			t.Errorf("beta: %s = %v, want %v", tc.what, got, tc.beta)
		}
		if got := tc.check(v1); got != tc.v1 {
			t.Errorf("v1.0: %s = %v, want %v", tc.what, got, tc.v1)
		}
	}
}

// TestFlagsPattern checks the flags pattern on combinations.
func TestFlagsPattern(t *testing.T) {
	got := flagsPattern([]string{"a", "b.c"})
	if want := `^(a|b\.c)(, ?(a|b\.c))*$`; got != want {
		t.Errorf("flagsPattern = %q, want %q", got, want)
	}
}

// TestUnsupportedKeyword checks that a slice keyword the derivation does not handle stops it, named.
func TestUnsupportedKeyword(t *testing.T) {
	slice := []byte("components:\n  schemas:\n    microsoft.graph.x:\n      type: object\n      oneOf: []\n")
	s, err := parseSlice(slice, "test.yml")
	if err != nil {
		t.Fatal(err)
	}
	b := &builder{version: "test", sliceFile: "test.yml", slice: s, csdl: &csdlModel{}, types: map[string]*typeDef{}}
	b.need("microsoft.graph.x")
	if err := b.run(); err == nil || !strings.Contains(err.Error(), `"oneOf"`) {
		t.Errorf("run = %v, want an error naming oneOf", err)
	}
}

// TestMissingType checks that a type found nowhere stops the derivation, named.
func TestMissingType(t *testing.T) {
	b := &builder{version: "test", sliceFile: "test.yml", slice: map[string]*sliceSchema{}, csdl: &csdlModel{}, types: map[string]*typeDef{}}
	b.need("microsoft.graph.nowhere")
	if err := b.run(); err == nil || !strings.Contains(err.Error(), "microsoft.graph.nowhere") {
		t.Errorf("run = %v, want an error naming the type", err)
	}
}
