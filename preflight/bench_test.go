package preflight_test

import (
	"context"
	"testing"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/internal/testkit/emutest"
	"github.com/callcheck/callcheck/preflight"
	"github.com/callcheck/callcheck/target"
)

// BenchmarkEmbedded is the cost conform pays before its contracts against
// the embedded emulator (keys made beforehand, as conform shares them with
// its run): the target is to stay within a few milliseconds.
func BenchmarkEmbedded(b *testing.B) {
	ec := emutest.Config(b)
	spec, err := target.Config{Emulator: &ec}.Resolve()
	if err != nil {
		b.Fatal(err)
	}
	cfg := preflight.Config{Target: spec, TenantID: target.DefaultTenantID, Features: graph.Features()}
	for b.Loop() {
		rep := preflight.Run(context.Background(), cfg)
		if !rep.OK() {
			b.Fatalf("%v", rep.Lines())
		}
	}
}
