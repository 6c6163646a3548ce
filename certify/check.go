package certify

import (
	"time"

	"github.com/callcheck/callcheck/report"
)

// Groups of checks, as report.Check.Group names them.
const (
	GroupOutbound   = "outbound"   // the bot's create requests
	GroupInbound    = "inbound"    // the bot's handling of each call's notifications
	GroupRobustness = "robustness" // batches, duplicates, order, unknown calls and fields, large rosters
	GroupNegative   = "negative"   // forged notifications
)

// check is a check being made: it starts passed and gets worse with each
// finding.
type check struct {
	c     report.Check
	start time.Time
	now   func() time.Time
}

// reportCheck is a passed check, about to be made.
func reportCheck(id string, info CheckInfo, key Key) report.Check {
	return report.Check{ID: id, Group: info.Group, Scenario: string(key), Title: info.Title, Verdict: report.Passed}
}

// fail records a finding that fails the check.
func (c *check) fail(ev report.Evidence) { c.add(report.Failed, ev) }

// warn records a finding that leaves the check passed with a warning.
func (c *check) warn(ev report.Evidence) { c.add(report.Warning, ev) }

// skip marks the check as not made, saying why (it is not passed).
func (c *check) skip(reason string) {
	c.c.Evidence = append(c.c.Evidence, report.Evidence{Message: reason})
	if c.c.Verdict != report.Failed {
		c.c.Verdict = report.Skipped
	}
}

// note records evidence that does not change the verdict.
func (c *check) note(ev report.Evidence) { c.c.Evidence = append(c.c.Evidence, ev) }

func (c *check) add(v report.Verdict, ev report.Evidence) {
	c.c.Evidence = append(c.c.Evidence, ev)
	if c.c.Verdict != report.Skipped {
		c.c.Verdict = report.Worst(c.c.Verdict, v)
	} else if v == report.Failed {
		c.c.Verdict = report.Failed
	}
}

func (c *check) failed() bool { return c.c.Verdict == report.Failed }

// done returns the finished check.
func (c *check) done() report.Check {
	c.c.Duration = report.Duration(c.now().Sub(c.start))
	return c.c
}
