package load

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/notify/mocks"
)

const testBotApp = "2891555a-92ff-42e6-80fa-6e1300c6b5c6"

// TestCallbacksFloodAVerifyingBot: a flood of every documented
// notification, signed with a key whose OpenID configuration the bot's
// receiver trusts, is accepted whole: every POST verified and acknowledged,
// every notification correlated to a fresh call.
func TestCallbacksFloodAVerifyingBot(t *testing.T) {
	key := testkit.Key(t, 0)
	signer, err := identity.NewNotificationSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	keys := httptest.NewServer(http.StripPrefix("/v1", signer.Handler("/v1")))
	defer keys.Close()
	verifier, err := identity.NewNotificationVerifier(keys.URL+"/v1/.well-known/OpenIdConfiguration", testBotApp)
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]bool{}
	events := make(chan notify.Event, 1024)
	recv, err := notify.NewReceiver(verifier, notify.WithEventHook(func(e notify.Event) { events <- e }), notify.WithPendingLimits(notify.PendingLimits{}))
	if err != nil {
		t.Fatal(err)
	}
	bot := httptest.NewServer(recv)
	defer bot.Close()

	mix, _ := ParseMix("all")
	notes, err := Notifications(mix, bot.URL+"/callback", "")
	if err != nil || len(notes) != 6 {
		t.Fatalf("Notifications(all) = %d, %v; want the 6 documented (Examples 1, 5, 8)", len(notes), err)
	}
	cfg := NewConfig()
	cfg.Pacer, _ = NewConstantPacer(120, 500*time.Millisecond)
	cfg.Out = t.TempDir()
	run, err := Callbacks(context.Background(), CallbacksConfig{Run: cfg, URL: bot.URL + "/callback", Notifications: notes, Signer: signer, AppID: testBotApp})
	if err != nil {
		t.Fatal(err)
	}
	s := run.Summary
	if s.Requests.Count != 60 || s.Requests.StatusCodes["202"] != 60 || run.Manifest.Kind != KindCallbacks || s.E2E != nil {
		t.Fatalf("requests %d, codes %v, kind %s; want 60 POSTs all acknowledged 202", s.Requests.Count, s.Requests.StatusCodes, run.Manifest.Kind)
	}
	st := recv.Stats()
	if st.Accepted != 60 || st.Uncorrelated != 0 || st.Rejected != 1 || recv.Rejections()[0].Status != http.StatusMethodNotAllowed {
		t.Fatalf("receiver stats %+v, rejections %+v: want 60 accepted, and only the reachability probe (a GET) refused", st, recv.Rejections())
	}
	for range st.Notifications {
		e := <-events
		calls[e.CallID] = true
	}
	if len(calls) != 60 {
		t.Errorf("%d distinct call ids over 60 POSTs: the ids are not fresh per request", len(calls))
	}
}

// TestCallbacksSignerFailure: a signer that fails stops the flood with its
// error (here a mocked signer: the failure cannot be provoked on a real key).
func TestCallbacksSignerFailure(t *testing.T) {
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) }))
	defer bot.Close()
	signer := mocks.NewTokenSigner(t)
	signer.EXPECT().Token(testBotApp, DocumentedTenant).Return("", errors.New("key unavailable"))
	mix, _ := ParseMix("1")
	notes, _ := Notifications(mix, bot.URL, "")
	cfg := NewConfig()
	cfg.Pacer, _ = NewConstantPacer(50, time.Second)
	_, err := Callbacks(context.Background(), CallbacksConfig{Run: cfg, URL: bot.URL, Notifications: notes, Signer: signer, AppID: testBotApp})
	if err == nil || !strings.Contains(err.Error(), "key unavailable") {
		t.Fatalf("err = %v, want the signer's failure", err)
	}
}

func TestNotificationsNeedSome(t *testing.T) {
	mix, _ := ParseMix("2,3")
	if _, err := Notifications(mix, "http://x", ""); err == nil || !strings.Contains(err.Error(), "1, 5, 8") {
		t.Fatalf("err = %v, want one naming the examples that show notifications", err)
	}
}
