// Package version reports the harness version that reports and certificates record.
package version

import "runtime/debug"

// Version is the harness version. Release builds set it with
// -ldflags "-X github.com/callcheck/callcheck/internal/version.Version=v1.2.3";
// otherwise it is read from the module's build information.
var Version = ""

// String returns the harness version: the linker-set Version, else the main
// module's version from build information, else "devel".
func String() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
