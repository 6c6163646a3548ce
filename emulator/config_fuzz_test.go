package emulator

import (
	"strings"
	"testing"
)

// FuzzLoadConfig feeds arbitrary configuration files to the loader and
// the validation. Invariants: no panic, no hang; an error is one line that names the file or
// the field at fault.
func FuzzLoadConfig(f *testing.F) {
	for _, seed := range []string{"", "profile: fast\n", "profile: realistic\ntiming:\n  established: {min: 1s, max: 2s}\n",
		"faults: {drop: 0.1, duplicate: 0.1}\n", "notifications: {maxQueue: 0}\n", "safety: {allowedCallbackHosts: ['10.0.0.0/8']}\n",
		"apps:\n  - {clientId: x, clientSecret: y, tenantId: z, roles: [Calls.Initiate.All]}\n", "bogus: 1\n", "timing: {established: {min: -1s}}\n",
		"a: &a [*a, *a, *a]\n", "faults: {drop: .nan}\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := NewConfig()
		err := c.LoadConfig(data, "emulator.yaml")
		if err == nil {
			err = c.Validate()
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("error is not a clear message: %q", err)
		}
	})
}
