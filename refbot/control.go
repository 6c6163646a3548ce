package refbot

import (
	"encoding/json"
	"errors"
	"net/http"
)

// ControlHandler serves the bot's control API, for its operator and for
// certify-bot's triggers. Serve it on a private (loopback) address: it has no
// authentication of its own.
//
//	POST /calls?scenario=p2p     make a call; 201 {"id": ..., "scenario": ..., "state": ...}
//	POST /calls/{id}/hangup      hang it up; 202, 404 unknown call, 409 already ended
//	GET  /calls/{id}             the bot's view of the call; 404 unknown call
//
// Errors are plain text naming what went wrong.
func (b *Bot) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /calls", b.controlCall)
	mux.HandleFunc("POST /calls/{id}/hangup", b.controlHangup)
	mux.HandleFunc("GET /calls/{id}", b.controlState)
	return mux
}

func (b *Bot) controlCall(w http.ResponseWriter, r *http.Request) {
	s, err := ParseScenario(r.URL.Query().Get("scenario"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, err := b.Call(r.Context(), s)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	v, _ := b.State(id)
	writeJSON(w, http.StatusCreated, v)
}

func (b *Bot) controlHangup(w http.ResponseWriter, r *http.Request) {
	err := b.Hangup(r.Context(), r.PathValue("id"))
	switch {
	case err == nil:
		w.WriteHeader(http.StatusAccepted)
	case errors.Is(err, ErrUnknownCall):
		http.Error(w, err.Error(), http.StatusNotFound)
	case errors.Is(err, ErrCallEnded):
		http.Error(w, err.Error(), http.StatusConflict)
	default:
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

func (b *Bot) controlState(w http.ResponseWriter, r *http.Request) {
	v, ok := b.State(r.PathValue("id"))
	if !ok {
		http.Error(w, ErrUnknownCall.Error(), http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
