package certify

import (
	"testing"
	"time"

	"github.com/callcheck/callcheck/refbot"
	"github.com/callcheck/callcheck/report"
)

func TestZZMatrix(t *testing.T) {
	for _, f := range refbot.Flaws() {
		start := time.Now()
		cert := certifyRig(t, []Key{KeyP2P, KeyGroupApp, KeyGuest}, []refbot.Flaw{f}, func(c *Config, b *refbot.Config) {
			if f == refbot.FlawSlowAck {
				c.Timeouts.Ack = 250 * time.Millisecond
				b.SlowAck = 500 * time.Millisecond
			}
		})
		t.Logf("%s (%v): failed %v skipped %v warn %v", f, time.Since(start).Round(time.Millisecond), withVerdict(cert, report.Failed), withVerdict(cert, report.Skipped), withVerdict(cert, report.Warning))
	}
}
