package refbot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/callcheck/callcheck/graph"
)

// maxGraphResponse bounds what the bot reads of a Graph response.
const maxGraphResponse = 1 << 20

// Call creates a call of scenario s (POST /communications/calls) and
// returns its id. The bot then tracks the call's state from its
// notifications.
func (b *Bot) Call(ctx context.Context, s graph.Scenario) (string, error) {
	body, err := b.request(s)
	if err != nil {
		return "", err
	}
	data, err := json.Marshal(body)
	if err != nil {
		return "", fmt.Errorf("refbot: encode the %s request: %w", s, err)
	}
	status, raw, err := b.do(ctx, http.MethodPost, "/communications/calls", data)
	if err != nil {
		return "", err
	}
	if status != http.StatusCreated {
		return "", graphError("create a "+s.Key()+" call", status, raw)
	}
	var created graph.Call
	if err := json.Unmarshal(raw, &created); err != nil || created.ID == "" {
		return "", fmt.Errorf("refbot: the create response has no call id: %s", excerpt(raw))
	}
	b.calls.add(created.ID, s, created.State)
	b.log.Info("call created", "id", created.ID, "scenario", s)
	return created.ID, nil
}

// Hangup hangs up call id (DELETE /communications/calls/{id}, 204); its
// terminating and terminated notifications follow (graph-calls-facts.md §3.8).
func (b *Bot) Hangup(ctx context.Context, id string) error {
	c, ok := b.calls.get(id)
	switch {
	case !ok:
		return ErrUnknownCall
	case c.State == graph.CallStateTerminated:
		return ErrCallEnded
	case b.cfg.has(FlawIgnoreHangup):
		return nil
	}
	status, raw, err := b.do(ctx, http.MethodDelete, "/communications/calls/"+id, nil)
	if err != nil {
		return err
	}
	if status != http.StatusNoContent {
		return graphError("hang up call "+id, status, raw)
	}
	b.log.Info("hung up", "id", id)
	return nil
}

// State returns the bot's view of call id.
func (b *Bot) State(id string) (CallView, bool) { return b.calls.get(id) }

// do sends a Graph request with the app's token.
func (b *Bot) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, b.cfg.GraphURL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("refbot: %s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.graph.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("refbot: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxGraphResponse))
	return resp.StatusCode, raw, err
}

// graphError describes a Graph error response.
func graphError(what string, status int, raw []byte) error {
	if e, err := graph.ParseError(raw); err == nil {
		return fmt.Errorf("refbot: %s: Graph answered %d %s: %s", what, status, e.Error.Code, e.Error.Message)
	}
	return fmt.Errorf("refbot: %s: Graph answered %d: %s", what, status, excerpt(raw))
}

func excerpt(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// CallView is the bot's view of one of its calls, as GET /calls/{id} of the
// control API shows it.
type CallView struct {
	ID       string          `json:"id"`
	Scenario graph.Scenario  `json:"scenario"`
	State    graph.CallState `json:"state"`
	// Participants is the size of the last roster received.
	Participants int `json:"participants"`
}

// maxTrackedCalls bounds the calls the bot remembers; the oldest go first.
const maxTrackedCalls = 10000

// stateRank orders the states a call goes through. A notification never
// moves a call back: "establishing/established notifications may arrive out
// of order" (graph-calls-facts.md §8). States of equal rank replace each
// other (established and hold).
var stateRank = map[graph.CallState]int{
	graph.CallStateIncoming: 1, graph.CallStateEstablishing: 1, graph.CallStateRinging: 1,
	graph.CallStateEstablished: 2, graph.CallStateHold: 2, graph.CallStateTransferring: 2,
	graph.CallStateTransferAccepted: 2, graph.CallStateRedirecting: 2,
	graph.CallStateTerminating: 3, graph.CallStateTerminated: 4,
}

// calls tracks the bot's calls. It is safe for concurrent use.
type calls struct {
	mu    sync.Mutex
	byID  map[string]*CallView
	order []string // creation order, for eviction
	naive bool     // FlawRegressState: the last state received wins
}

func newCalls(naive bool) *calls { return &calls{byID: map[string]*CallView{}, naive: naive} }

func (c *calls) add(id string, s graph.Scenario, state graph.CallState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.order) >= maxTrackedCalls {
		delete(c.byID, c.order[0])
		c.order = c.order[1:]
	}
	c.byID[id] = &CallView{ID: id, Scenario: s, State: state}
	c.order = append(c.order, id)
}

func (c *calls) get(id string) (CallView, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.byID[id]
	if !ok {
		return CallView{}, false
	}
	return *v, true
}

// apply updates the call a notification is about; it reports whether the
// bot knows that call. Notifications about other resources of the call
// (operations, content sharing) do not change its state.
func (c *calls) apply(n *graph.CommsNotification) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.byID[n.CallID()]
	if !ok {
		return false
	}
	res, _ := graph.ParseResourceURL(n.ResourceURL)
	switch {
	case n.IsRoster():
		if ps, err := n.Participants(); err == nil {
			v.Participants = len(ps)
		}
	case res.Sub != "":
	case n.ChangeType == graph.ChangeDeleted:
		c.advance(v, graph.CallStateTerminated) // the call is gone (§2: "call ended")
	default:
		if call, err := n.Call(); err == nil && call.State != "" {
			c.advance(v, call.State)
		}
	}
	return true
}

func (c *calls) advance(v *CallView, s graph.CallState) {
	if c.naive || stateRank[s] >= stateRank[v.State] {
		v.State = s
	}
}
