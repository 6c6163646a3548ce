package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// The inspection and admin API, JSON under AdminPrefix:
//
//	GET    /_callcheck/                     what is where (URLs, default app without its secret)
//	GET    /_callcheck/requests?since=N&limit=M   recorded requests with verdicts
//	DELETE /_callcheck/requests             forget recorded requests and deliveries
//	GET    /_callcheck/deliveries?since=N&limit=M delivery attempts
//	GET    /_callcheck/calls                live calls; GET /_callcheck/calls/{id} one
//	GET    /_callcheck/ended                recently ended calls
//	POST   /_callcheck/calls/{id}/admit     admit a guest from the lobby
//	POST   /_callcheck/calls/{id}/reject    turn a guest away from the lobby
//	POST   /_callcheck/calls/{id}/end       end from the far side; body {"resultInfo":{...}} optional
//	POST   /_callcheck/calls/{id}/answer    the ringing callee answers
//	POST   /_callcheck/calls/{id}/no-answer the ringing callee rings out now (terminated, 408/10057)
//	PUT    /_callcheck/ringing              how callees of new calls answer; body {"answer":"auto|never|manual"}
//	POST   /_callcheck/incoming             inject an incoming call; body IncomingCall
//	GET    /_callcheck/violations           the violations switched on, and all known ones
//	GET    /_callcheck/stats                running totals
//	POST   /_callcheck/wait-idle?timeout=5s wait until no notification is pending
//
// Every request must name this emulator in Host and come from no other
// origin; a POST or DELETE must say Content-Type: application/json; beyond
// loopback the admin token is required (adminguard.go).

// adminHandler builds the /_callcheck/ handler.
func (e *Emulator) adminHandler() http.Handler {
	mux := http.NewServeMux()
	p := AdminPrefix
	mux.HandleFunc("GET "+p+"{$}", e.adminIndex)
	mux.HandleFunc("GET "+p+"requests", e.adminRequests)
	mux.HandleFunc("DELETE "+p+"requests", func(w http.ResponseWriter, _ *http.Request) { e.Reset(); w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("GET "+p+"deliveries", e.adminDeliveries)
	mux.HandleFunc("GET "+p+"calls", func(w http.ResponseWriter, _ *http.Request) { adminJSON(w, http.StatusOK, e.Calls()) })
	mux.HandleFunc("GET "+p+"calls/{id}", e.adminCall)
	mux.HandleFunc("GET "+p+"ended", func(w http.ResponseWriter, _ *http.Request) { adminJSON(w, http.StatusOK, e.EndedCalls()) })
	mux.HandleFunc("POST "+p+"calls/{id}/admit", e.adminControl(e.Admit))
	mux.HandleFunc("POST "+p+"calls/{id}/reject", e.adminControl(e.RejectFromLobby))
	mux.HandleFunc("POST "+p+"calls/{id}/end", e.adminEnd)
	mux.HandleFunc("POST "+p+"calls/{id}/answer", e.adminControl(e.Answer))
	mux.HandleFunc("POST "+p+"calls/{id}/no-answer", e.adminControl(e.RingOut))
	mux.HandleFunc("PUT "+p+"ringing", e.adminAnswerMode)
	mux.HandleFunc("POST "+p+"incoming", e.adminIncoming)
	mux.HandleFunc("GET "+p+"violations", e.adminViolations)
	mux.HandleFunc("GET "+p+"stats", func(w http.ResponseWriter, _ *http.Request) { adminJSON(w, http.StatusOK, e.Stats()) })
	mux.HandleFunc("POST "+p+"wait-idle", e.adminWaitIdle)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status, msg := e.adminRefusal(r); status != 0 {
			if status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="callcheck admin"`)
			}
			adminError(w, status, msg)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"encode"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func adminError(w http.ResponseWriter, status int, msg string) {
	adminJSON(w, status, map[string]any{"error": map[string]string{"code": http.StatusText(status), "message": msg}})
}

// AdminIndex is what GET /_callcheck/ shows: where everything is.
type AdminIndex struct {
	URL             string            `json:"url"`
	GraphBaseURLs   map[string]string `json:"graphBaseURLs"`
	TokenURL        string            `json:"tokenURL"`
	OpenIDConfigURL string            `json:"openIDConfigURL"`
	DefaultApp      App               `json:"defaultApp"` // secret shown as ***
	Violations      []Violation       `json:"violations"`
	Profile         string            `json:"profile"`
}

func (e *Emulator) adminIndex(w http.ResponseWriter, r *http.Request) {
	base := e.PublicURL()
	if base == "" {
		base = "http://" + r.Host
	}
	app := e.DefaultApp()
	app.ClientSecret = identity.Redacted
	adminJSON(w, http.StatusOK, AdminIndex{URL: base,
		GraphBaseURLs:   map[string]string{"beta": base + "/beta", "v1.0": base + "/v1.0"},
		TokenURL:        base + "/" + app.TenantID + "/oauth2/v2.0/token",
		OpenIDConfigURL: base + OpenIDConfigPath, DefaultApp: app, Violations: e.cfg.Violations, Profile: e.cfg.Profile})
}

// sinceLimit reads ?since=N&limit=M.
func sinceLimit(r *http.Request) (uint64, int, error) {
	q := r.URL.Query()
	var since uint64
	var limit int
	var err error
	if s := q.Get("since"); s != "" {
		if since, err = strconv.ParseUint(s, 10, 64); err != nil {
			return 0, 0, fmt.Errorf("since %q is not a sequence number", s)
		}
	}
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 0 {
			return 0, 0, fmt.Errorf("limit %q is not a non-negative integer", s)
		}
	}
	return since, limit, nil
}

func (e *Emulator) adminRequests(w http.ResponseWriter, r *http.Request) {
	since, limit, err := sinceLimit(r)
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	adminJSON(w, http.StatusOK, e.RequestsSince(since, limit))
}

func (e *Emulator) adminDeliveries(w http.ResponseWriter, r *http.Request) {
	since, limit, err := sinceLimit(r)
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	adminJSON(w, http.StatusOK, e.DeliveriesSince(since, limit))
}

func (e *Emulator) adminCall(w http.ResponseWriter, r *http.Request) {
	c, ok := e.Call(r.PathValue("id"))
	if !ok {
		adminError(w, http.StatusNotFound, "no call "+r.PathValue("id"))
		return
	}
	adminJSON(w, http.StatusOK, c)
}

// adminControl serves an action on one call.
func (e *Emulator) adminControl(action func(string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := action(r.PathValue("id")); err != nil {
			adminError(w, controlStatus(err), err.Error())
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func controlStatus(err error) int {
	if errors.Is(err, ErrNoCall) {
		return http.StatusNotFound
	}
	return http.StatusConflict
}

// readAdminBody decodes an optional JSON body (at most 64 KiB) into v.
func readAdminBody(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil || len(body) == 0 {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("the body is not the expected JSON: %w", err)
	}
	return nil
}

func (e *Emulator) adminEnd(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ResultInfo *graph.ResultInfo `json:"resultInfo"`
	}
	if err := readAdminBody(r, &req); err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := e.EndCall(r.PathValue("id"), req.ResultInfo); err != nil {
		adminError(w, controlStatus(err), err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) adminIncoming(w http.ResponseWriter, r *http.Request) {
	var in IncomingCall
	if err := readAdminBody(r, &in); err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	id, err := e.InjectIncoming(in)
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	adminJSON(w, http.StatusCreated, map[string]string{"id": id})
}

// ViolationInfo describes one violation for the admin API and the CLI.
type ViolationInfo struct {
	Name        Violation `json:"name"`
	Description string    `json:"description"`
	On          bool      `json:"on"`
}

func (e *Emulator) adminViolations(w http.ResponseWriter, _ *http.Request) {
	var out []ViolationInfo
	for _, v := range Violations() {
		out = append(out, ViolationInfo{Name: v, Description: v.Description(), On: e.vio.on(v)})
	}
	adminJSON(w, http.StatusOK, out)
}

func (e *Emulator) adminWaitIdle(w http.ResponseWriter, r *http.Request) {
	timeout := 5 * time.Second
	if s := r.URL.Query().Get("timeout"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 || d > time.Minute {
			adminError(w, http.StatusBadRequest, fmt.Sprintf("timeout %q must be a duration between 0 and 1m", s))
			return
		}
		timeout = d
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	if err := e.WaitIdle(ctx); err != nil {
		adminError(w, http.StatusGatewayTimeout, err.Error())
		return
	}
	adminJSON(w, http.StatusOK, e.Stats())
}
