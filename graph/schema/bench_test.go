package schema_test

import (
	"encoding/json"
	"testing"

	"github.com/callcheck/callcheck/graph/schema"
)

// docBody returns the documented block name (doc_blocks_test.go) as a body, trailing commas removed.
func docBody(tb testing.TB, name string) []byte {
	tb.Helper()
	for _, b := range docBlocks {
		if b.name == name {
			return []byte(withoutTrailingCommas(b.text))
		}
	}
	tb.Fatalf("no documented block %s", name)
	return nil
}

// benchValidate measures Validate (decoding included) on one body, checking the result once.
func benchValidate(b *testing.B, typeName string, body []byte, violations int) {
	v := mustLoad(b, schema.Beta)
	if got := v.Validate(typeName, body); len(got) != violations {
		b.Fatalf("%d violations, want %d: %v", len(got), violations, got)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		v.Validate(typeName, body)
	}
}

// BenchmarkValidateCreateRequest: a typical create request (Example 1: P2P, service-hosted media).
func BenchmarkValidateCreateRequest(b *testing.B) {
	benchValidate(b, schema.TypeCall, docBody(b, "example01/request"), 0)
}

// BenchmarkValidateCreateRequestWithViolation: a group-call request whose target is mistyped (Example 3).
func BenchmarkValidateCreateRequestWithViolation(b *testing.B) {
	benchValidate(b, schema.TypeCall, docBody(b, "example03/request"), 1)
}

// BenchmarkValidateResponse201: a full 201 response (Example 1), nulls and all.
func BenchmarkValidateResponse201(b *testing.B) {
	benchValidate(b, schema.TypeCall, docBody(b, "example01/response"), 0)
}

// BenchmarkValidateRosterNotification: a roster notification with two participants (Example 5).
func BenchmarkValidateRosterNotification(b *testing.B) {
	benchValidate(b, schema.TypeCommsNotifications, docBody(b, "example05/notification3"), 0)
}

// BenchmarkValidateValueCreateRequest: the create request already decoded, as the emulator may hold it.
func BenchmarkValidateValueCreateRequest(b *testing.B) {
	v := mustLoad(b, schema.Beta)
	var value any
	if err := json.Unmarshal(docBody(b, "example01/request"), &value); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if got := v.ValidateValue(schema.TypeCall, value); len(got) != 0 {
			b.Fatal(got)
		}
	}
}

// BenchmarkValidateParallel: create requests validated from every core at once, as under load.
func BenchmarkValidateParallel(b *testing.B) {
	v := mustLoad(b, schema.Beta)
	body := docBody(b, "example01/request")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			v.Validate(schema.TypeCall, body)
		}
	})
}
