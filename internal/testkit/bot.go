package testkit

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// CountingBot serves, on loopback until the test ends, the least a bot
// does: it reads each POST, adds the notifications whose state is
// established to the count it returns, and answers 202. Benchmarks use it
// so that a bot's own verification is not counted as the sender's cost.
func CountingBot(tb testing.TB) (*httptest.Server, *atomic.Int64) {
	tb.Helper()
	var established atomic.Int64
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		established.Add(int64(bytes.Count(body, []byte(`"state":"established"`))))
		w.WriteHeader(http.StatusAccepted)
	}))
	tb.Cleanup(bot.Close)
	return bot, &established
}
