package certify

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestQuotesAreVerbatim checks every quote of graph-calls-facts.md that
// checks cite: verbatim on the line it names, and that line in the section it
// names.
func TestQuotesAreVerbatim(t *testing.T) {
	data, err := os.ReadFile("../fixtures/data/" + factsFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	quotes := []quote{qCallbackHTTPS, qOpenType, qCallbackAlways, qMediaAlways, qMediaTypes, qModalities, qSourceFromToken,
		qTenantMismatch, qPermP2P, qPermGroup, qPermMeeting, qPermGuest, qPermMedia, qTargets, qMeetingInfo, qSourceInPractice,
		qReadOnlySet, qReadOnlySent, qMaxTargets, qSameIdentity, qPhone, qDelegated, qDefaultScope, qAppHostedMedia, qBearerToken,
		qValidateToken, qAccepted202, qRefuse401, qBadBody400, qRegionRedirect, qRespondIn5s, qOutOfOrder, qBatch, qResourceData,
		qLegacyResource, qCaseInsensitive, qPascalCase, qP2PNoRoster, qGuestLobbyRoster, qDelete204, qDeleteTerminating, qValidIssuers, qSampleTenant, qAnswer15s}
	for _, f := range forgeries {
		quotes = append(quotes, f.quote)
	}
	for _, q := range quotes {
		if q.Line < 1 || q.Line > len(lines) || !strings.Contains(lines[q.Line-1], q.Text) {
			t.Errorf("%s: %q is not on that line", q.source(), q.Text)
			continue
		}
		if s := sectionOf(lines, q.Line); !strings.HasPrefix(q.Section, s) {
			t.Errorf("%s: the line is in section %s", q.source(), s)
		}
	}
	if n := reflect.TypeOf(quote{}).NumField(); n != 3 {
		t.Fatalf("quote has %d fields; update this test", n)
	}
}

// sectionOf finds the "## N." or "### N.M" heading above line n.
func sectionOf(lines []string, n int) string {
	for i := n - 1; i >= 0; i-- {
		l := lines[i]
		if strings.HasPrefix(l, "## ") || strings.HasPrefix(l, "### ") {
			num, _, _ := strings.Cut(strings.TrimLeft(l, "# "), " ")
			return "§" + strings.TrimSuffix(num, ".")
		}
	}
	return ""
}
