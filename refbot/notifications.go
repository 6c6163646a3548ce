package refbot

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// serveNotification is the callback endpoint: Graph POSTs a
// commsNotifications batch here for every change to the bot's calls
// (graph-calls-facts.md §2, §6).
func (b *Bot) serveNotification(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	// 1. The token first: "Validate the token, ensure it has not expired,
	// check whether it has been signed by the published OpenID
	// configuration. You must also check whether aud matches your App ID"
	// (§6). Nothing of a request that fails is read, let alone trusted.
	if _, err := b.verifier.Verify(r.Context(), r.Header.Get("Authorization")); err != nil {
		b.refuseToken(w, err)
		return
	}
	// 2. The body: bounded, and a commsNotifications batch.
	var batch graph.CommsNotifications
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, b.cfg.MaxBodyBytes))
	if err == nil {
		err = json.Unmarshal(body, &batch)
	}
	if err != nil {
		b.refuseBody(w, err)
		return
	}
	// 3. Every notification of the batch, in order. One about a call the
	// bot does not know is acknowledged all the same: Graph would retry it
	// otherwise, and it may be a call this instance never made.
	for i := range batch.Value {
		if !b.calls.apply(&batch.Value[i]) {
			b.log.Info("notification for a call this bot does not know", "resourceUrl", batch.Value[i].ResourceURL)
		}
	}
	// 4. 202 Accepted, at once, as the samples do (§6).
	w.WriteHeader(http.StatusAccepted)
}

// refuseToken answers a notification whose token failed: 401 (the samples'
// answer, §6, §9.13), or 503 when the signing keys could not be fetched, so
// the sender tries again later.
func (b *Bot) refuseToken(w http.ResponseWriter, err error) {
	b.log.Warn("notification refused", "error", err)
	if errors.Is(err, identity.ErrInvalidToken) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	http.Error(w, "notification keys unavailable", http.StatusServiceUnavailable)
}

// refuseBody answers a body that is too large or not a batch: 413 or 400.
func (b *Bot) refuseBody(w http.ResponseWriter, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	http.Error(w, "not a commsNotifications batch", http.StatusBadRequest)
}
