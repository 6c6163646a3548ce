package emulator

import (
	"os"
	"strings"
	"testing"
)

// TestDocsListEverything keeps docs/emulator.md from going stale: every
// violation and every rule is named there.
func TestDocsListEverything(t *testing.T) {
	doc, err := os.ReadFile("../docs/emulator.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Violations() {
		if !strings.Contains(string(doc), "`"+string(v)+"`") {
			t.Errorf("docs/emulator.md does not list violation %s", v)
		}
	}
	for _, r := range []string{RuleContentType, RuleContentEncoding, RuleBodySize, RuleBodyRead, RuleJSONNesting, RuleJSON, RuleSchema, RuleReadOnly,
		RuleCallbackRequired, RuleCallbackURL, RuleCallbackHTTPS, RuleCallbackHost, RuleMediaRequired, RuleMediaType, RuleMediaBlob,
		RuleTargetsRequired, RuleTargetsMax, RuleTargetIdentity, RuleTargetDuplicate, RulePSTNSource, RulePSTNTarget,
		RuleMeetingInfo, RuleChatInfo, RuleRingingTimeout, RuleRoutingPolicies, RuleModalities, RuleSourceApplication,
		RuleTenant, RuleRoles} {
		if !strings.Contains(string(doc), "`"+r+"`") {
			t.Errorf("docs/emulator.md does not list rule %s", r)
		}
	}
}
