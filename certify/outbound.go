package certify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/report"
	tgt "github.com/callcheck/callcheck/target"
)

// created is one create request of the bot, with what certify-bot made of it.
type created struct {
	key  Key // the scenario it was triggered for, or (--wait) the one it describes
	rec  tgt.RequestRecord
	call *graph.Call // nil when the body is not a call object
}

// callID is the id of the call the emulated Graph created ("" when none).
func (c *created) callID() string {
	if c.rec.Status != http.StatusCreated {
		return ""
	}
	return c.rec.CallID
}

// isCreate reports whether r is a create request (POST …/calls).
func isCreate(r tgt.RequestRecord) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(strings.ToLower(strings.TrimRight(r.Path, "/")), "/calls")
}

// decodeCall reads a recorded create body; nil when it is not a call object.
func decodeCall(body string) *graph.Call {
	var c graph.Call
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return nil
	}
	return &c
}

// attempt is one scenario certify-bot tried to certify: triggered, or seen
// with --wait. created is nil when no create request came.
type attempt struct {
	key     Key
	created *created
	why     string // why no notification can be posted about it
}

// outbound makes the bot create its calls and judges each create request.
func (s *Session) outbound(ctx context.Context) []attempt {
	if s.cfg.Wait > 0 {
		var out []attempt
		for _, c := range s.waitCreates(ctx) {
			out = append(out, attempt{key: c.key, created: c})
		}
		return out
	}
	var out []attempt
	for _, key := range Keys() {
		if t, ok := s.cfg.Triggers[key]; ok {
			out = append(out, attempt{key: key, created: s.triggerCreate(ctx, key, t)})
		}
	}
	return out
}

// triggerCreate runs key's trigger and waits for the create it asked for;
// nil (and a failed request check) when none came.
func (s *Session) triggerCreate(ctx context.Context, key Key, t Trigger) *created {
	ch := s.newCheck("outbound."+string(key)+".request", key)
	since := s.emu.Stats().LastRequest
	out, err := s.runTrigger(ctx, t, s.triggerEnv(key, ""))
	if err != nil {
		ch.fail(report.Evidence{Message: fmt.Sprintf("The %s trigger failed: %v", key, err), Expected: "the trigger succeeds", Got: err.Error(), Excerpt: out})
		s.record(ch.done())
		return nil
	}
	rec, ok := s.waitRequest(ctx, since, isCreate)
	if !ok {
		ch.fail(report.Evidence{Message: fmt.Sprintf("No create request (POST /communications/calls) arrived within %v after the %s trigger finished.", s.cfg.Timeouts.Request, key),
			Expected: "a create request", Got: "none", Excerpt: out})
		s.record(ch.done())
		return nil
	}
	s.record(ch.done())
	c := &created{key: key, rec: rec, call: decodeCall(rec.Body)}
	s.record(s.judgeCreate(c)...)
	return c
}

// waitRequest waits, bounded by the request timeout, for the first request
// recorded after since that match accepts.
func (s *Session) waitRequest(ctx context.Context, since uint64, match func(tgt.RequestRecord) bool) (tgt.RequestRecord, bool) {
	return s.waitRequestWithin(ctx, since, s.cfg.Timeouts.Request, match)
}

// waitRequestWithin is waitRequest bounded by d.
func (s *Session) waitRequestWithin(ctx context.Context, since uint64, d time.Duration, match func(tgt.RequestRecord) bool) (tgt.RequestRecord, bool) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var found tgt.RequestRecord
	ok := s.arrivals.wait(ctx, func() bool {
		for _, r := range s.emu.RequestsSince(since, 0) {
			if match(r) {
				found = r
				return true
			}
		}
		return false
	})
	return found, ok
}

// waitCreates waits for the bot's own calls (--wait): until the wait is over
// or Calls create requests came. The first create of each scenario is judged
// and certified; later ones are counted in its request check.
func (s *Session) waitCreates(ctx context.Context) []*created {
	since := s.emu.Stats().LastRequest
	wctx, cancel := context.WithTimeout(ctx, s.cfg.Wait)
	defer cancel()
	creates := func() []tgt.RequestRecord {
		var out []tgt.RequestRecord
		for _, r := range s.emu.RequestsSince(since, 0) {
			if isCreate(r) {
				out = append(out, r)
			}
		}
		return out
	}
	s.arrivals.wait(wctx, func() bool { return s.cfg.Calls > 0 && len(creates()) >= s.cfg.Calls })
	return s.judgeWaited(creates())
}

// judgeWaited judges the first create of each scenario seen.
func (s *Session) judgeWaited(recs []tgt.RequestRecord) []*created {
	if len(recs) == 0 {
		ch := s.newCheck("outbound.request", "")
		ch.fail(report.Evidence{Message: fmt.Sprintf("The bot sent no create request (POST /communications/calls) within --wait %v.", s.cfg.Wait),
			Expected: "a create request", Got: "none"})
		s.record(ch.done())
		return nil
	}
	order, byKey := groupByKey(recs)
	var out []*created
	for _, k := range order {
		first := byKey[k][0]
		ch := s.newCheck("outbound."+string(k)+".request", k)
		if n := len(byKey[k]) - 1; n > 0 {
			ch.note(report.Evidence{Message: fmt.Sprintf("%d more create requests of this scenario came; the first (request-id %s) is the one certified.", n, first.rec.RequestID)})
		}
		s.record(ch.done())
		s.record(s.judgeCreate(first)...)
		out = append(out, first)
	}
	return out
}

// groupByKey groups create requests by the scenario their body describes,
// in the order the scenarios first appear.
func groupByKey(recs []tgt.RequestRecord) ([]Key, map[Key][]*created) {
	byKey := map[Key][]*created{}
	var order []Key
	for _, r := range recs {
		c := &created{key: keyUnknown, rec: r, call: decodeCall(r.Body)}
		if c.call != nil {
			if k, ok := KeyFor(graph.InferScenario(c.call)); ok {
				c.key = k
			}
		}
		if byKey[c.key] == nil {
			order = append(order, c.key)
		}
		byKey[c.key] = append(byKey[c.key], c)
	}
	return order, byKey
}
