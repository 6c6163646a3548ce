package refbot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/callcheck/callcheck/identity"
)

// Flaw is a deliberate defect that turns the reference bot into a broken
// variant of itself. The variants exist to prove that certify-bot fails each
// defect on the check made for it (the variant × check matrix in
// docs/certify-bot.md). They are kept apart from the bot's own code, as
// wrappers where they can be, so that the bot reads as it should be written.
type Flaw string

// The flaws. Each one's Description says what it breaks.
const (
	FlawSkipTokenVerification  Flaw = "skip-token-verification"
	FlawAcceptExpiredToken     Flaw = "accept-expired-token"
	FlawAcceptWrongAudience    Flaw = "accept-wrong-audience"
	FlawDuplicate500           Flaw = "duplicate-500"
	FlawGroupCallP2PPermission Flaw = "group-call-p2p-permission"
	FlawHTTPCallback           Flaw = "http-callback"
	FlawNoMediaConfig          Flaw = "no-media-config"
	FlawUnknownFields500       Flaw = "unknown-fields-500"
	FlawMalformedJSON500       Flaw = "malformed-json-500"
	FlawSlowAck                Flaw = "slow-ack"
	FlawRegressState           Flaw = "regress-state"
	FlawSmallBodyLimit         Flaw = "small-body-limit"
	FlawIgnoreHangup           Flaw = "ignore-hangup"
)

var flawDescriptions = map[Flaw]string{
	FlawSkipTokenVerification:  "accepts every notification without verifying its token",
	FlawAcceptExpiredToken:     "accepts a notification token that has expired",
	FlawAcceptWrongAudience:    "accepts a notification token issued for another app",
	FlawDuplicate500:           "answers 500 to a notification whose message id it has seen",
	FlawGroupCallP2PPermission: "declares Calls.Initiate.All (peer-to-peer) for group calls",
	FlawHTTPCallback:           "sends a plain-http callbackUri and serves its callback over http",
	FlawNoMediaConfig:          "creates calls without mediaConfig",
	FlawUnknownFields500:       "answers 500 to a batch or notification with a property it does not know",
	FlawMalformedJSON500:       "answers 500 to a body that is not JSON",
	FlawSlowAck:                "acknowledges every notification late (Config.SlowAck, default 6 s)",
	FlawRegressState:           "lets the last state received win, so a late establishing undoes established",
	FlawSmallBodyLimit:         "refuses notification bodies over 8 KiB (a large roster) with 413",
	FlawIgnoreHangup:           "says it hangs up but never sends DELETE",
}

// Flaws returns every flaw, sorted.
func Flaws() []Flaw {
	out := make([]Flaw, 0, len(flawDescriptions))
	for f := range flawDescriptions {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// Description says what the flaw breaks, or "" for an unknown one.
func (f Flaw) Description() string { return flawDescriptions[f] }

// ParseFlaw returns the flaw named s.
func ParseFlaw(s string) (Flaw, error) {
	if _, ok := flawDescriptions[Flaw(s)]; ok {
		return Flaw(s), nil
	}
	return "", fmt.Errorf("refbot: unknown flaw %q (see refbot.Flaws)", s)
}

// smallBodyLimit is FlawSmallBodyLimit's body limit.
const smallBodyLimit = 8 << 10

// defaultSlowAck is FlawSlowAck's delay: above the ~5 s a bot has to answer
// (graph-calls-facts.md §8).
const defaultSlowAck = 6 * time.Second

// applyFlaws builds the callback handler, wrapped by the flaws configured.
func (b *Bot) applyFlaws() {
	switch {
	case b.cfg.has(FlawSkipTokenVerification):
		b.verifier = acceptAny{}
	case b.cfg.has(FlawAcceptExpiredToken), b.cfg.has(FlawAcceptWrongAudience):
		t := tolerant{next: b.verifier}
		if b.cfg.has(FlawAcceptExpiredToken) {
			t.ignore = append(t.ignore, identity.ErrExpired)
		}
		if b.cfg.has(FlawAcceptWrongAudience) {
			t.ignore = append(t.ignore, identity.ErrWrongAudience)
		}
		b.verifier = t
	}
	if b.cfg.has(FlawSmallBodyLimit) {
		b.cfg.MaxBodyBytes = smallBodyLimit
	}
	var h http.Handler = http.HandlerFunc(b.serveNotification)
	wrappers := []struct {
		flaw Flaw
		wrap func(http.Handler) http.Handler
	}{
		{FlawUnknownFields500, b.unknownFields500},
		{FlawMalformedJSON500, b.malformed500},
		{FlawDuplicate500, newDuplicate500},
		{FlawSlowAck, b.slowAck},
	}
	for _, w := range wrappers {
		if b.cfg.has(w.flaw) {
			h = w.wrap(h)
		}
	}
	b.handler = h
}

// acceptAny is FlawSkipTokenVerification's verifier.
type acceptAny struct{}

func (acceptAny) Verify(context.Context, string) (*identity.NotificationClaims, error) {
	return &identity.NotificationClaims{}, nil
}

// tolerant is a verifier that lets tokens through when they fail only for
// one of the reasons it ignores (FlawAcceptExpiredToken, FlawAcceptWrongAudience).
type tolerant struct {
	next   tokenVerifier
	ignore []error
}

func (t tolerant) Verify(ctx context.Context, authorization string) (*identity.NotificationClaims, error) {
	claims, err := t.next.Verify(ctx, authorization)
	for _, reason := range t.ignore {
		if errors.Is(err, reason) {
			return &identity.NotificationClaims{}, nil
		}
	}
	return claims, err
}

// peekBody reads the request body (bounded) and puts it back for the next
// handler.
func (b *Bot) peekBody(r *http.Request) []byte {
	body, _ := io.ReadAll(io.LimitReader(r.Body, b.cfg.MaxBodyBytes))
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body
}

// unknownFields500 is FlawUnknownFields500: a strict decoder whose error
// escapes as a 500.
func (b *Bot) unknownFields500(next http.Handler) http.Handler {
	known := map[string]bool{"@odata.type": true, "value": true, "changeType": true, "resourceUrl": true,
		"callbackUri": true, "resourceData": true}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var batch struct {
			Value []map[string]json.RawMessage `json:"value"`
		}
		var envelope map[string]json.RawMessage
		body := b.peekBody(r)
		if json.Unmarshal(body, &envelope) == nil && json.Unmarshal(body, &batch) == nil {
			for _, m := range append(batch.Value, envelope) {
				for k := range m {
					if !known[k] {
						http.Error(w, "unexpected property "+k, http.StatusInternalServerError)
						return
					}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// malformed500 is FlawMalformedJSON500.
func (b *Bot) malformed500(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !json.Valid(b.peekBody(r)) {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// duplicate500 is FlawDuplicate500: it remembers the last message ids.
type duplicate500 struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string]bool
}

func newDuplicate500(next http.Handler) http.Handler {
	return &duplicate500{next: next, seen: map[string]bool{}}
}

func (d *duplicate500) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("X-Microsoft-Skype-Message-ID")
	d.mu.Lock()
	dup := id != "" && d.seen[id]
	if len(d.seen) > 4096 {
		clear(d.seen)
	}
	d.seen[id] = true
	d.mu.Unlock()
	if dup {
		http.Error(w, "duplicate message", http.StatusInternalServerError)
		return
	}
	d.next.ServeHTTP(w, r)
}

// slowAck is FlawSlowAck: the notification is processed at once, but a 2xx
// answer is held back.
func (b *Bot) slowAck(next http.Handler) http.Handler {
	d := b.cfg.SlowAck
	if d <= 0 {
		d = defaultSlowAck
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&slowWriter{ResponseWriter: w, ctx: r.Context(), delay: d}, r)
	})
}

type slowWriter struct {
	http.ResponseWriter
	ctx   context.Context
	delay time.Duration
}

func (s *slowWriter) WriteHeader(code int) {
	if code >= 200 && code < 300 {
		t := time.NewTimer(s.delay)
		select {
		case <-t.C:
		case <-s.ctx.Done():
		}
		t.Stop()
	}
	s.ResponseWriter.WriteHeader(code)
}
