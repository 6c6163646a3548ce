package main

import (
	"os"
	"testing"
)

// asCallcheckEnv makes the test binary run as callcheck itself: load
// capacity re-executes its own binary as `callcheck emulate`, and under
// `go test` that binary is this one. TestMain sets it for the processes the
// tests start.
const asCallcheckEnv = "CALLCHECK_TEST_AS_CALLCHECK"

func TestMain(m *testing.M) {
	if os.Getenv(asCallcheckEnv) == "1" {
		main() // exits
	}
	if err := os.Setenv(asCallcheckEnv, "1"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
