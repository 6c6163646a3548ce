package main

import (
	"os"
	"strings"
	"testing"
)

// asCallcheckEnv makes the test binary run as callcheck itself: load
// capacity re-executes its own binary as `callcheck emulate`, and under
// `go test` that binary is this one. TestMain sets it for the processes the
// tests start; a test that re-executes the binary as a test (its first
// argument a -test. flag, e.g. certify-bot's triggers) still runs tests.
const asCallcheckEnv = "CALLCHECK_TEST_AS_CALLCHECK"

func TestMain(m *testing.M) {
	if os.Getenv(asCallcheckEnv) == "1" && len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-test.") {
		main() // exits
	}
	if err := os.Setenv(asCallcheckEnv, "1"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
