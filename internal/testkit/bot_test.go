package testkit

import (
	"net/http"
	"strings"
	"testing"
)

func TestCountingBotCountsEstablishedAndAnswers202(t *testing.T) {
	bot, n := CountingBot(t)
	body := `{"value":[{"resourceData":{"state":"establishing"}},{"resourceData":{"state":"established"}},{"resourceData":{"state":"established"}}]}`
	resp, err := http.Post(bot.URL+"/cb", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || n.Load() != 2 {
		t.Errorf("status %d, count %d; want 202 and 2", resp.StatusCode, n.Load())
	}
}
