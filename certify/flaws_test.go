package certify

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/refbot"
	"github.com/callcheck/callcheck/report"
)

// matrixKeys are the scenarios the flawed bots are certified for: a
// peer-to-peer call, a group call with app-hosted media and a guest join
// cover every check without repeating each outbound failure ten times.
var matrixKeys = []Key{KeyP2P, KeyGroupApp, KeyGuest}

// docsPath is the documentation whose generated blocks the tests keep current.
const docsPath = "../docs/certify-bot.md"

// TestFlawsFailForTheRightReason certifies each broken variant of the
// reference bot and checks that exactly the checks made for its defect fail
// (and nothing is skipped): the variant × check matrix of docs/certify-bot.md.
func TestFlawsFailForTheRightReason(t *testing.T) {
	failing, warned := failingOf(t, nil)
	rows := []matrixRow{{name: "(none: the reference bot)", failing: failing, warned: warned}}
	if len(rows[0].failing) != 0 {
		t.Fatalf("the reference bot fails %v", rows[0].failing)
	}
	for _, f := range refbot.Flaws() {
		failing, warned := failingOf(t, []refbot.Flaw{f})
		t.Logf("flaw %s: %d checks fail", f, len(failing))
		if len(failing) == 0 {
			t.Errorf("flaw %s: no check fails", f)
		}
		rows = append(rows, matrixRow{name: string(f), what: f.Description(), failing: failing, warned: warned})
	}
	checkGenerated(t, docsPath, "matrix", renderMatrix(rows))
}

type matrixRow struct {
	name, what string
	failing    []string
	warned     []string // recommended checks not met
}

// failingOf certifies the reference bot with flaws for matrixKeys and
// returns the ids of the checks that failed and of the recommended checks
// not met (warnings); any other check neither passed nor failed is an error.
func failingOf(t *testing.T, flaws []refbot.Flaw) (failing, warned []string) {
	t.Helper()
	cert := certifyRig(t, matrixKeys, flaws, func(c *Config, b *refbot.Config) {
		if slices.Contains(flaws, refbot.FlawSlowAck) {
			// The bot holds its 2xx until certify-bot hangs up (a delay
			// no deadline reaches), so every 2xx is late however loaded
			// the machine; the deadline stays long enough for the answers
			// the bot makes at once (401, 400) to arrive in time on a busy
			// machine (1 s was once exceeded by a 401). Each late answer
			// costs one deadline.
			c.Timeouts.Ack, b.SlowAck = 2*time.Second, time.Hour
			return
		}
		// Every other bot answers at once, and no answer of theirs is
		// meant to be late: a long deadline costs nothing, and keeps a
		// starved machine (the soak: -race, two busy loops, every package
		// at once) from failing a prompt answer, as it did with the 5 s
		// default for negative.unknown-key (a JWKS refetch) and
		// robustness.large-roster.
		c.Timeouts.Ack = 15 * time.Second
	})
	for _, ch := range cert.Checks {
		if ch.Verdict == report.Warning && ch.Requirement == report.RequirementRecommended {
			warned = append(warned, ch.ID)
			continue
		}
		if ch.Verdict != report.Passed && ch.Verdict != report.Failed {
			t.Errorf("flaws %v: %s is %s:\n%s", flaws, ch.ID, ch.Verdict, report.EvidenceText(ch.Evidence))
		}
	}
	for _, ch := range cert.Checks {
		if ch.Verdict == report.Failed && len(ch.Evidence) > 0 {
			t.Logf("flaws %v: %s failed: %s", flaws, ch.ID, ch.Evidence[0].Message) // what a changed row failed on
		}
	}
	if cert.Verdict == report.Passed && len(flaws) > 0 {
		t.Errorf("flaws %v: the certificate passed", flaws)
	}
	return withVerdict(cert, report.Failed), warned
}

func renderMatrix(rows []matrixRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Scenarios certified: %s; seed 1; with a status endpoint and a hang-up trigger.\n\n", joinKeys(matrixKeys))
	b.WriteString("| flaw (`refbot.Flaw`) | what it breaks | checks that fail | recommendations not met (warnings) |\n|---|---|---|---|\n")
	for _, r := range rows {
		ids, warned := idList(r.failing), idList(r.warned)
		name := r.name
		if r.what != "" {
			name = "`" + name + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", name, r.what, ids, warned)
	}
	return b.String()
}

// idList renders check ids as code, "none" when there are none.
func idList(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return "`" + strings.Join(ids, "`, `") + "`"
}

func joinKeys(keys []Key) string {
	var s []string
	for _, k := range keys {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// checkGenerated compares the block between the markers
// "<!-- name:begin -->" and "<!-- name:end -->" of path with want, or
// rewrites it with -update.
func checkGenerated(t *testing.T, path, name, want string) {
	t.Helper()
	testkit.GoldenBlock(t, path, "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->", want)
}
