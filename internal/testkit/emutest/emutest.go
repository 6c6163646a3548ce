// Package emutest starts the emulator for a test: one helper for every
// package's tests instead of a copy in each. It is imported by test code
// only.
//
// The emulator's own package tests cannot import it (emutest imports the
// emulator through target), so they keep their in-package harness.
package emutest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/target"
)

// Secret is the client secret of the default app of Config.
const Secret = "test-secret"

// closeGrace bounds the drain of an emulator closed at a test's end.
const closeGrace = 10 * time.Second

// keys are generated once per test binary: RSA key generation is the
// slowest part of starting an emulator, above all under the race detector.
var keys = sync.OnceValues(func() ([2]*identity.Key, error) {
	var ks [2]*identity.Key
	var err error
	for i := range ks {
		if ks[i], err = identity.GenerateKey(); err != nil {
			return ks, err
		}
	}
	return ks, nil
})

// Keys returns the test binary's signing key (access tokens) and
// notification key, generated on the first call.
func Keys(t testing.TB) (signing, notification *identity.Key) {
	t.Helper()
	ks, err := keys()
	if err != nil {
		t.Fatalf("generating the test keys: %v", err)
	}
	return ks[0], ks[1]
}

// Config returns the emulator's defaults for a test: the test keys, the
// default app with Secret, and plain-http callbacks on loopback allowed
// (test receivers are httptest servers).
func Config(t testing.TB) target.EmulatorConfig {
	t.Helper()
	cfg := target.NewEmulatorConfig()
	cfg.Key, cfg.NotificationKey = Keys(t)
	cfg.Apps = []target.App{target.DefaultApp(Secret)}
	cfg.Safety.AllowHTTPLoopback = true
	return cfg
}

// Start starts an emulator with Config, changed by mutate when not nil, on
// a free loopback port, and closes it when the test ends (failing the test
// when the drain fails).
func Start(t testing.TB, mutate func(*target.EmulatorConfig)) *target.Emulator {
	t.Helper()
	cfg := Config(t)
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := target.StartEmulator(context.Background(), cfg, "", nil)
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("closing the emulator: %v", err)
		}
	})
	return srv
}
