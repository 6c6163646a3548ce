//go:build race

// Package race tells tests whether the race detector is on: it changes what
// allocates (testing.AllocsPerRun), so allocation assertions hold only
// without it.
package race

// Enabled is true when the binary was built with -race.
const Enabled = true
