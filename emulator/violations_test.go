package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// violationCase switches one violation on and checks its effect, which must
// be visible to a client; check returns what is wrong, or "".
type violationCase struct {
	v     Violation
	check func(t *testing.T, h *harness) string
}

// created creates a call with body and returns the response.
func created(h *harness, body []byte) response {
	return h.do(h.client, http.MethodPost, "/beta/communications/calls", body, http.Header{"Client-Request-Id": {"crid-1"}})
}

// createdField checks one property of a p2p create's body.
func createdField(field string, want func(any, bool) bool) func(*testing.T, *harness) string {
	return func(t *testing.T, h *harness) string {
		r := created(h, p2pBody(h.callback))
		var m map[string]any
		if err := json.Unmarshal(r.body, &m); err != nil {
			return "body not JSON: " + err.Error()
		}
		v, ok := m[field]
		if !want(v, ok) {
			return "unexpected " + field + ": " + string(r.body)
		}
		return ""
	}
}

// sequence creates body and returns the kinds of notifications it got.
func sequence(t *testing.T, h *harness, body []byte) (string, []string) {
	r := created(h, body)
	var c graph.Call
	_ = json.Unmarshal(r.body, &c)
	w := h.watch(c.ID)
	h.waitIdle()
	return c.ID, kinds(t, w.Events())
}

// deleted creates a p2p call, deletes it, and returns the watch's kinds.
func deleted(t *testing.T, h *harness) (string, response, []string) {
	id := h.createOK(p2pBody(h.callback))
	w := h.watch(id)
	h.waitIdle()
	d := h.do(h.client, http.MethodDelete, "/beta/communications/calls/"+id, nil, nil)
	h.waitIdle()
	return id, d, kinds(t, w.Events())
}

// rejectedNotifications checks the receiver refused the notifications.
func rejectedNotifications(t *testing.T, h *harness) string {
	id := h.createOK(p2pBody(h.callback))
	w := h.watch(id)
	h.waitIdle()
	if len(w.Events()) != 0 || len(h.receiver.Rejections()) == 0 {
		return "notifications were accepted by a verifying receiver"
	}
	for _, d := range h.srv.Deliveries() {
		if d.Acknowledged {
			return "a delivery was acknowledged"
		}
	}
	return ""
}

// accepted sends a request and wants 201.
func accepted(client func(*harness) *http.Client, body func(*harness) []byte, hdr http.Header) func(*testing.T, *harness) string {
	return func(t *testing.T, h *harness) string {
		r := h.do(client(h), http.MethodPost, "/beta/communications/calls", body(h), hdr)
		if r.status != http.StatusCreated {
			return "not accepted: " + string(r.body)
		}
		return ""
	}
}

func defaultClient(h *harness) *http.Client { return h.client }
func noAuthClient(*harness) *http.Client    { return http.DefaultClient }

// tokenClient returns a client sending a defective token of the default app.
func tokenClient(d identity.Defect) func(*harness) *http.Client {
	return func(h *harness) *http.Client {
		tok, err := h.srv.Authority().DefectiveToken(h.srv.DefaultApp().ClientID, d)
		if err != nil {
			panic(err)
		}
		return &http.Client{Transport: bearer{tok}}
	}
}

type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

func violationCases() []violationCase {
	p2p := func(h *harness) []byte { return p2pBody(h.callback) }
	return []violationCase{
		{VCreateStatus200, func(t *testing.T, h *harness) string {
			if r := created(h, p2pBody(h.callback)); r.status != 200 {
				return "status " + r.header.Get("status")
			}
			return ""
		}},
		{VLocationIDMismatch, func(t *testing.T, h *harness) string {
			r := created(h, p2pBody(h.callback))
			if strings.HasSuffix(r.header.Get("Location"), r.json(t)["id"].(string)) {
				return "Location names the body's id"
			}
			return ""
		}},
		{VLocationRelative, func(t *testing.T, h *harness) string {
			if loc := created(h, p2pBody(h.callback)).header.Get("Location"); !strings.HasPrefix(loc, "/beta/") {
				return "Location " + loc
			}
			return ""
		}},
		{VMissingLocation, func(t *testing.T, h *harness) string {
			if loc := created(h, p2pBody(h.callback)).header.Get("Location"); loc != "" {
				return "Location " + loc
			}
			return ""
		}},
		{VMissingRequestID, func(t *testing.T, h *harness) string {
			if created(h, p2pBody(h.callback)).header.Get("request-id") != "" {
				return "request-id present"
			}
			return ""
		}},
		{VClientRequestIDNotEchoed, func(t *testing.T, h *harness) string {
			if created(h, p2pBody(h.callback)).header.Get("client-request-id") == "crid-1" {
				return "client-request-id echoed"
			}
			return ""
		}},
		{VResponseStateEstablished, createdField("state", func(v any, _ bool) bool { return v == "established" })},
		{VResponseDirectionIncoming, createdField("direction", func(v any, _ bool) bool { return v == "incoming" })},
		{VResponseMissingMyPartID, createdField("myParticipantId", func(v any, _ bool) bool { return v == nil })},
		{VResponseMalformedID, createdField("id", func(v any, _ bool) bool { s, _ := v.(string); return s != "" && !graph.IsGUID(s) })},
		{VCallbackURINotEchoed, createdField("callbackUri", func(v any, _ bool) bool { return v == nil })},
		{VTargetsNotEchoed, createdField("targets", func(v any, _ bool) bool { a, ok := v.([]any); return ok && len(a) == 0 })},
		{VMediaConfigTypeChanged, createdField("mediaConfig", func(v any, _ bool) bool {
			m, _ := v.(map[string]any)
			return m["@odata.type"] == graph.TypeAppHostedMediaConfig
		})},
		{VMissingODataType, createdField("@odata.type", func(v any, _ bool) bool { return v == nil })},
		{VUnsetPropertiesOmitted, createdField("toneInfo", func(_ any, ok bool) bool { return !ok })},
		{VNotificationUnsigned, rejectedNotifications},
		{VNotificationForeignKey, rejectedNotifications},
		{VNotificationWrongAudience, rejectedNotifications},
		{VNotificationWrongIssuer, rejectedNotifications},
		{VNotificationExpiredToken, rejectedNotifications},
		{VNotificationNoTenant, rejectedNotifications},
		{VNotificationNoEnvelope, rejectedNotifications},
		{VNoEstablishing, func(t *testing.T, h *harness) string {
			if _, k := sequence(t, h, p2pBody(h.callback)); !slices.Equal(k, []string{"established"}) {
				return strings.Join(k, ",")
			}
			return ""
		}},
		{VNoEstablished, func(t *testing.T, h *harness) string {
			if _, k := sequence(t, h, p2pBody(h.callback)); !slices.Equal(k, []string{"establishing"}) {
				return strings.Join(k, ",")
			}
			return ""
		}},
		{VWrongNotificationState, func(t *testing.T, h *harness) string {
			if _, k := sequence(t, h, p2pBody(h.callback)); !slices.Equal(k, []string{"establishing", "incoming"}) {
				return strings.Join(k, ",")
			}
			return ""
		}},
		{VResourceURLWrongCall, func(t *testing.T, h *harness) string {
			if _, k := sequence(t, h, p2pBody(h.callback)); len(k) != 0 || h.receiver.Stats().Notifications == 0 {
				return "notifications named the call: " + strings.Join(k, ",")
			}
			return ""
		}},
		{VNoRoster, func(t *testing.T, h *harness) string {
			if _, k := sequence(t, h, meetingBody(h.callback, serviceMedia)); slices.Contains(k, "roster") {
				return strings.Join(k, ",")
			}
			return ""
		}},
		{VRosterForP2P, func(t *testing.T, h *harness) string {
			if _, k := sequence(t, h, p2pBody(h.callback)); !slices.Contains(k, "roster") {
				return strings.Join(k, ",")
			}
			return ""
		}},
		{VRosterWithoutBot, rosterCheck(func(my string, ps []graph.Participant) bool {
			return !slices.ContainsFunc(ps, func(p graph.Participant) bool { return p.ID == my })
		})},
		{VRosterBotIDMismatch, rosterCheck(func(my string, ps []graph.Participant) bool {
			return len(ps) > 0 && ps[0].Info.Identity.Application != nil && ps[0].ID != my
		})},
		{VGuestNotInLobby, func(t *testing.T, h *harness) string {
			if _, k := sequence(t, h, guestBody(h.callback)); !slices.Equal(k, []string{"establishing", "roster"}) {
				return strings.Join(k, ",")
			}
			return ""
		}},
		{VGuestRosterBeforeAdmit, func(t *testing.T, h *harness) string {
			if _, k := sequence(t, h, guestBody(h.callback)); !slices.Equal(k, []string{"establishing", "roster", "lobby-roster"}) {
				return strings.Join(k, ",")
			}
			return ""
		}},
		{VNoTerminated, func(t *testing.T, h *harness) string {
			if _, _, k := deleted(t, h); slices.Contains(k, "terminated") || !slices.Contains(k, "terminating") {
				return strings.Join(k, ",")
			}
			return ""
		}},
		{VTerminatedWithoutResult, func(t *testing.T, h *harness) string {
			id := h.createOK(p2pBody(h.callback))
			w := h.watch(id)
			h.do(h.client, http.MethodDelete, "/beta/communications/calls/"+id, nil, nil)
			h.waitIdle()
			for _, ev := range w.Events() {
				if c, _ := ev.Notification.Call(); c != nil && c.State == graph.CallStateTerminated && c.ResultInfo == nil {
					return ""
				}
			}
			return "no terminated notification without resultInfo"
		}},
		{VDeleteStatus200, func(t *testing.T, h *harness) string {
			if _, d, _ := deleted(t, h); d.status != 200 {
				return "DELETE status not 200"
			}
			return ""
		}},
		{VCallSurvivesDelete, func(t *testing.T, h *harness) string {
			id, _, _ := deleted(t, h)
			if g := h.do(h.client, http.MethodGet, "/beta/communications/calls/"+id, nil, nil); g.status != 200 {
				return "GET after delete: " + string(g.body)
			}
			return ""
		}},
		{VUnknownCall200, func(t *testing.T, h *harness) string {
			if g := h.do(h.client, http.MethodGet, "/beta/communications/calls/"+graph.NewGUID(), nil, nil); g.status != 200 {
				return "GET of an unknown call: " + string(g.body)
			}
			return ""
		}},
		{VErrorBodyWithoutRequestID, func(t *testing.T, h *harness) string {
			g := h.do(h.client, http.MethodGet, "/beta/communications/calls/"+graph.NewGUID(), nil, nil)
			if e, err := graph.ParseError(g.body); err != nil || e.Error.InnerError.RequestID != "" {
				return "error body: " + string(g.body)
			}
			return ""
		}},
		{VErrorBodyNotJSON, func(t *testing.T, h *harness) string {
			g := h.do(h.client, http.MethodGet, "/beta/communications/calls/"+graph.NewGUID(), nil, nil)
			if _, err := graph.ParseError(g.body); err == nil {
				return "error body is JSON: " + string(g.body)
			}
			return ""
		}},
		{VMissingTokenAccepted, accepted(noAuthClient, p2p, http.Header{"Content-Type": {"application/json"}})},
		{VExpiredTokenAccepted, accepted(tokenClient(identity.DefectExpired), p2p, nil)},
		{VWrongAudienceAccepted, accepted(tokenClient(identity.DefectWrongAudience), p2p, nil)},
		{VDelegatedTokenAccepted, accepted(tokenClient(identity.DefectDelegated), p2p, nil)},
		{VTenantMismatchAccepted, accepted(defaultClient, func(h *harness) []byte {
			return []byte(strings.Replace(string(groupBody(h.callback, 2, serviceMedia)), DefaultTenantID, "86dc81db-c112-4228-9222-63f3e5aa1edb", 1))
		}, nil)},
		{VMissingRoleAccepted, accepted(tokenClient(identity.DefectMissingRoles), p2p, nil)},
		{VNonJSONAccepted, accepted(defaultClient, func(*harness) []byte { return []byte("not json") }, nil)},
		{VMissingFieldsAccepted, accepted(defaultClient, func(h *harness) []byte {
			return []byte(strings.Replace(string(p2pBody(h.callback)), `"callbackUri":"`+h.callback+`",`, "", 1))
		}, nil)},
		{VTooManyTargetsAccepted, accepted(defaultClient, func(h *harness) []byte { return groupBody(h.callback, 6, serviceMedia) }, nil)},
		{VHTTPCallbackAccepted, accepted(defaultClient, func(h *harness) []byte {
			return []byte(strings.Replace(string(p2pBody(h.callback)), h.callback, "http://bot.contoso.com/callback", 1))
		}, nil)},
		{VWrongContentTypeAccepted, accepted(defaultClient, p2p, http.Header{"Content-Type": {"text/plain"}})},
	}
}

// rosterCheck creates a meeting join and applies bad to the bot's
// myParticipantId and the roster.
func rosterCheck(bad func(my string, ps []graph.Participant) bool) func(*testing.T, *harness) string {
	return func(t *testing.T, h *harness) string {
		r := created(h, meetingBody(h.callback, serviceMedia))
		m := r.json(t)
		w := h.watch(m["id"].(string))
		h.waitIdle()
		for _, ev := range w.Events() {
			if ps, err := ev.Notification.Participants(); ev.IsRoster() && err == nil && bad(m["myParticipantId"].(string), ps) {
				return ""
			}
		}
		return "no roster showed the violation"
	}
}

// TestViolations switches each violation on alone and checks that it has
// its effect; the same check against a faithful emulator must fail (so
// every check can fail).
func TestViolations(t *testing.T) {
	cases := violationCases()
	covered := map[Violation]bool{}
	for _, vc := range cases {
		covered[vc.v] = true
		t.Run(string(vc.v), func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.Violations = []Violation{vc.v} })
			if msg := vc.check(t, h); msg != "" {
				t.Errorf("violation has no effect: %s", msg)
			}
			faithful := newHarness(t, nil)
			if msg := vc.check(t, faithful); msg == "" {
				t.Errorf("the check passes against a faithful emulator too")
			}
		})
	}
	for _, v := range Violations() {
		if !covered[v] {
			t.Errorf("violation %s has no test", v)
		}
		if v.Description() == "" {
			t.Errorf("violation %s has no description", v)
		}
	}
}

// TestParseViolations: names parse; an unknown one is an error naming it.
func TestParseViolations(t *testing.T) {
	vs, err := ParseViolations(" create-status-200, no-roster,,create-status-200")
	if err != nil || !slices.Equal(vs, []Violation{VCreateStatus200, VNoRoster}) {
		t.Errorf("got %v %v", vs, err)
	}
	if _, err := ParseViolations("no-roster,bogus"); err == nil || !strings.Contains(err.Error(), `"bogus"`) {
		t.Errorf("unknown name: %v", err)
	}
}
