package schema_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph/schema"
)

// docBlock is one JSON block of the documented page, verbatim (doc_blocks_test.go).
type docBlock struct {
	name     string
	typeName string
	text     string
}

// docInvalidJSON lists the blocks that are not valid JSON as published, with the line of the first error:
// each has a trailing comma before a closing brace (graph-calls-facts.md §9.18).
var docInvalidJSON = map[string]int{
	"example01/response": 56, // mediaConfig: "preFetchMedia": [ … ], }
	"example02/response": 41, // mediaConfig: "blob": "…", }
	"example05/request":  19, // mediaConfig: "preFetchMedia": [ … ], }
	"example05/response": 38, // mediaConfig: "preFetchMedia": [ … ], }
	"example06/request":  11, // mediaConfig: "blob": "…", }
	"example07/request":  19, // mediaConfig: "preFetchMedia": [ … ], }
	"example08/request":  30, // mediaConfig: "preFetchMedia": [ … ], }
	"example09/request":  13, // source.identity: "applicationInstance": { … }, }
	"example09/response": 17, // source.identity: "applicationInstance": { … }, }
	"example10/request":  13, // source.identity: "applicationInstance": { … }, }
	"example10/response": 17, // source.identity: "applicationInstance": { … }, }
}

// docViolations lists what Validate reports on each block once trailing commas are removed; blocks not
// listed conform.
var docViolations = map[string][]string{
	// Examples 3 and 4 type their second target #microsoft.graph.participantInfo: targets is
	// Collection(invitationParticipantInfo), which no longer derives from participantInfo (§1.4, §9.18).
	"example03/request": {"/targets/1/@odata.type type-mismatch"},
	"example04/request": {"/targets/1/@odata.type type-mismatch"},
}

// docReadOnly lists what ValidateRequest adds on the request blocks: read-only properties sent (§9.3).
var docReadOnly = map[string][]string{
	"example03/request": {"/direction read-only", "/tenantId read-only"},
	"example04/request": {"/direction read-only", "/tenantId read-only"},
	"example05/request": {"/tenantId read-only"}, // organizer.user has tenantId twice (the fixtures report it); both are strings
	"example06/request": {"/direction read-only", "/tenantId read-only"},
}

// TestDocumentedBlocksAsPublished validates the verbatim blocks: the ones with trailing commas are
// reported as invalid JSON at the right line, the others as the schema says.
func TestDocumentedBlocksAsPublished(t *testing.T) {
	v := mustLoad(t, schema.Beta)
	if len(docBlocks) != 21 {
		t.Fatalf("%d documented blocks, the page has 21", len(docBlocks))
	}
	for _, b := range docBlocks {
		got := v.Validate(b.typeName, []byte(b.text))
		line, invalid := docInvalidJSON[b.name]
		if !invalid {
			assertViolations(t, b.name, got, docViolations[b.name])
			continue
		}
		if len(got) != 1 || got[0].Kind != schema.KindInvalidJSON || !strings.Contains(got[0].Message, fmt.Sprintf("line %d,", line)) {
			t.Errorf("%s: got %v, want one invalid-json violation at line %d", b.name, got, line)
		}
	}
}

// TestDocumentedBlocksCanonical validates the blocks once their trailing commas are removed (what the
// fixtures' tolerant parser yields), with Validate and, for requests, ValidateRequest.
func TestDocumentedBlocksCanonical(t *testing.T) {
	v := mustLoad(t, schema.Beta)
	for _, b := range docBlocks {
		body := []byte(withoutTrailingCommas(b.text))
		assertViolations(t, b.name, v.Validate(b.typeName, body), docViolations[b.name])
		if strings.HasSuffix(b.name, "/request") {
			want := slices.Concat(docViolations[b.name], docReadOnly[b.name])
			assertViolations(t, b.name+" (request)", v.ValidateRequest(b.typeName, body), want)
		}
	}
}

// assertViolations compares violations, as "pointer kind", with want, in any order.
func assertViolations(t *testing.T, name string, got []schema.Violation, want []string) {
	t.Helper()
	var keys []string
	for _, g := range got {
		keys = append(keys, g.Pointer+" "+string(g.Kind))
	}
	slices.Sort(keys)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(keys, want) {
		t.Errorf("%s: violations %q, want %q; all: %v", name, keys, want, got)
	}
}

// withoutTrailingCommas removes every comma that is followed, after white space, by '}' or ']', outside
// strings. It is the one deviation of the page's blocks from RFC 8259; the text is otherwise unchanged.
func withoutTrailingCommas(s string) string {
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			inString = escaped || c != '"'
			escaped = !escaped && c == '\\'
		case c == '"':
			inString = true
		case c == ',' && closesNext(s[i+1:]):
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func closesNext(rest string) bool {
	rest = strings.TrimLeft(rest, " \t\r\n")
	return rest != "" && (rest[0] == '}' || rest[0] == ']')
}
