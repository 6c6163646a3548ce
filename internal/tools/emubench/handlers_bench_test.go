package main

import (
	"testing"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/target"
)

// BenchmarkMinimalHandler is the floor of emulator.BenchmarkCreateHandlerCountingReceiver:
// the same loop (testkit.CreateLoop: a request and response writer per create, in process)
// and the same counting bot on loopback, with the minimal handler in place
// of the emulator. Its time and allocations per create are what decoding
// the body, answering 201 and one keep-alive POST of a canned batch cost
// with net/http on both ends; what the emulator spends beyond them is its
// own. It fails unless every call's established notification was counted.
func BenchmarkMinimalHandler(b *testing.B) {
	bot, established := testkit.CountingBot(b)
	ex, err := p2pExample()
	if err != nil {
		b.Fatal(err)
	}
	body, err := load.CreateBody(ex, load.BodyValues{CallbackURI: bot.URL + "/cb", TenantID: target.DefaultTenantID, AppID: target.DefaultClientID})
	if err != nil {
		b.Fatal(err)
	}
	m := newMinimal()
	testkit.CreateLoop(b, m, body, "Bearer emubench")
	m.wait()
	b.StopTimer()
	if got := established.Load(); got != int64(b.N) {
		b.Errorf("the bot counted %d established notifications, want %d", got, b.N)
	}
}
