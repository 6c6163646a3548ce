package suites

import (
	"os"
	"strings"
	"testing"
)

// allSources lists every Source of the package.
var allSources = map[string]Source{
	"created": srcCreated, "authHeader": srcAuthHeader, "contentType": srcContentType, "allProperties": srcAllProperties,
	"p2pStatesOnly": srcP2PStatesOnly, "groupMax": srcGroupMax, "meetingRoster": srcMeetingRoster, "lobby": srcLobby,
	"noRosterInLobby": srcNoRosterInLobby, "appHostedRole": srcAppHostedRole, "location": srcLocation, "fullCall": srcFullCall,
	"unsetProperties": srcUnsetProperties, "requestID": srcRequestID, "envelope": srcEnvelope, "stateResource": srcStateResource,
	"rosterResource": srcRosterResource, "notificationToken": srcNotificationToken, "validateToken": srcValidateToken,
	"outOfOrder": srcOutOfOrder, "lobbyRoster": srcLobbyRoster, "delete204": srcDelete204, "terminating": srcTerminating,
	"terminated": srcTerminated, "gone": srcGone, "callNotFound": srcCallNotFound, "errorBody": srcErrorBody,
	"errorRequestID": srcErrorRequestID, "statusTable": srcStatusTable, "missingRole": srcMissingRole,
	"tenantMismatch": srcTenantMismatch, "delegated": srcDelegated, "callbackRequired": srcCallbackRequired,
	"mediaRequired": srcMediaRequired, "https": srcHTTPS,
	"fieldNoAnswer": srcFieldNoAnswer, "noAnswerCodes": srcNoAnswerCodes, "field9999": srcField9999,
	"terminatingOptional": srcTerminatingOptional, "throttle": srcThrottle, "duplicates": srcDuplicates,
	"fieldMeetingTenant": srcFieldMeetingTenant,
}

// TestSourcesQuoteTheDocuments: every quote is verbatim in its document (the
// copies the fixtures embed), in the section it names.
func TestSourcesQuoteTheDocuments(t *testing.T) {
	docs := map[string]string{}
	for _, name := range []string{docPage, docFacts} {
		data, err := os.ReadFile("../fixtures/data/" + name)
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = string(data)
	}
	for name, s := range allSources {
		switch s.Basis {
		case Documented, Schema, Field, Inferred:
		default:
			t.Errorf("%s: basis %q is not one of documented, schema, field, inferred", name, s.Basis)
		}
		if s.Basis == Field && !strings.HasPrefix(s.URL, "https://github.com/") {
			t.Errorf("%s: a field source must cite its public report's URL, got %q", name, s.URL)
		}
		text, ok := docs[s.Doc]
		if !ok && s.Basis == Field {
			continue // a thread, not a document of fixtures/data: cited by URL
		}
		if !ok {
			t.Errorf("%s: unknown document %q", name, s.Doc)
			continue
		}
		if lines := strings.Split(text, "\n"); s.Line < 1 || s.Line > len(lines) || !strings.Contains(lines[s.Line-1], s.Quote) {
			t.Errorf("%s: the quote is not on line %d of %s", name, s.Line, s.Doc)
		}
		if s.Quote == "" || !strings.Contains(text, s.Quote) {
			t.Errorf("%s: %q is not in %s", name, s.Quote, s.Doc)
			continue
		}
		if s.Doc == docFacts && !inSection(text, s.Quote, "## "+strings.TrimPrefix(strings.SplitN(s.Where, ".", 2)[0], "§")+".") {
			t.Errorf("%s: the quote is not in section %s", name, s.Where)
		}
	}
	for _, c := range Contracts() {
		for _, s := range c.Sources {
			if !sourceKnown(s) {
				t.Errorf("%s cites a source not in allSources: %v", c.ID, s)
			}
		}
	}
}

// inSection reports whether quote occurs under a heading starting with heading.
func inSection(text, quote, heading string) bool {
	for off := 0; ; {
		i := strings.Index(text[off:], quote)
		if i < 0 {
			return false
		}
		if strings.HasPrefix(sectionBefore(text, off+i), heading) {
			return true
		}
		off += i + 1
	}
}

// sectionBefore returns the "## N." heading above offset i.
func sectionBefore(text string, i int) string {
	j := strings.LastIndex(text[:i], "\n## ")
	if j < 0 {
		return ""
	}
	line := text[j+1:]
	return line[:strings.IndexByte(line, '\n')]
}

func sourceKnown(s Source) bool {
	for _, k := range allSources {
		if k == s {
			return true
		}
	}
	return false
}
