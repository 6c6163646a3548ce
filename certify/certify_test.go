package certify

import (
	"strings"
	"testing"

	"github.com/callcheck/callcheck/report"
)

// TestReferenceBotIsCertified certifies the reference bot for every
// scenario: every check passes.
func TestReferenceBotIsCertified(t *testing.T) {
	cert := certifyRig(t, Keys(), nil, nil)
	dump(t, cert)
	if cert.Verdict != report.Passed {
		t.Fatalf("verdict %s, summary %+v", cert.Verdict, cert.Summary)
	}
}

func TestPrintCert(t *testing.T) {
	cert := certifyRig(t, Keys(), nil, nil)
	var b strings.Builder
	_ = WriteMarkdown(&b, cert)
	t.Log(b.String())
}
