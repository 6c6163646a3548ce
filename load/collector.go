package load

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/load/result"
)

// MaxErrorBody is how much of a failed response's body a result file keeps;
// successful responses keep none (their call id is read before).
const MaxErrorBody = 512

// collector takes every result of an attack, in the attack's goroutine
// order: it moves the result onto its scheduled time, registers created calls
// with the tracker, trims the body, aggregates and encodes it.
type collector struct {
	sched   *schedule
	encode  vegeta.Encoder // nil: no file
	agg     *aggregate
	tracker *tracker // nil: no end-to-end measurement
	cleanup *cleaner // lists every call created
	window  *window  // progress over the last interval; nil without progress
	// aggMu guards agg and window, which the tracker's records and the
	// progress ticks share; it is never held while calling the tracker
	// (whose lock is taken first on the notification path).
	aggMu *sync.Mutex
	// measureFrom excludes the results due before it from the aggregate
	// (a capacity step's stabilisation period); zero counts everything.
	measureFrom time.Time

	sent                uint64
	lag                 vegeta.LatencyMetrics
	firstSend, lastSend time.Time
	firstDue, lastDue   time.Time
	noCallID            uint64
}

// add handles one result.
func (c *collector) add(r *vegeta.Result) error {
	due := c.sched.Scheduled(r.Seq)
	end := r.End()
	c.noteSend(due, r.Timestamp)
	r.Timestamp, r.Latency = due, end.Sub(due)
	if c.cleanup != nil && r.Code == http.StatusCreated {
		if id := callID(r); id != "" {
			c.cleanup.add(id)
		}
	}
	if c.tracker != nil && r.Code == http.StatusCreated {
		c.register(r, due, end)
	}
	trim(r)
	c.aggMu.Lock()
	if !due.Before(c.measureFrom) {
		c.agg.addResult(r)
	}
	if c.window != nil {
		c.window.add(r)
	}
	c.aggMu.Unlock()
	if c.encode != nil {
		return c.encode(r)
	}
	return nil
}

// noteSend keeps the send lag and the spans of sends and due times.
func (c *collector) noteSend(due, sent time.Time) {
	if due.Before(c.measureFrom) {
		return
	}
	c.sent++
	c.lag.Add(max(sent.Sub(due), 0))
	if c.firstSend.IsZero() || sent.Before(c.firstSend) {
		c.firstSend = sent
	}
	if sent.After(c.lastSend) {
		c.lastSend = sent
	}
	if c.firstDue.IsZero() || due.Before(c.firstDue) {
		c.firstDue = due
	}
	if due.After(c.lastDue) {
		c.lastDue = due
	}
}

// achieved returns how closely the sends kept to the schedule. The rate is
// measured over the longer of the sends' span and the schedule's: a
// generator that stalled and then caught up in a burst sent its hits late
// (which their latency, counted from the due time, shows), not faster than
// offered, so the achieved rate is never above the offered one.
func (c *collector) achieved() result.Achieved {
	a := result.Achieved{Ratio: 1, Lag: summarize(&c.lag, c.sent)}
	sendSpan, dueSpan := c.lastSend.Sub(c.firstSend), c.lastDue.Sub(c.firstDue)
	if span := max(sendSpan, dueSpan); c.sent > 1 && span > 0 {
		a.Rate = float64(c.sent-1) / span.Seconds()
		a.Ratio = dueSpan.Seconds() / span.Seconds()
	}
	return a
}

// register hands a created call to the tracker.
func (c *collector) register(r *vegeta.Result, due, end time.Time) {
	id := callID(r)
	if id == "" {
		c.noCallID++
		return
	}
	ex := ExampleOf(r.URL)
	c.tracker.Created(result.Record{Seq: r.Seq, Example: ex, CallID: id, Scheduled: due, RosterExpected: rosterExpected(ex),
		Expected: expectedKinds(ex)}, due, end)
}

// callID reads the created call's id from Location, else from the body.
func callID(r *vegeta.Result) string {
	if loc := r.Headers.Get("Location"); loc != "" {
		loc, _, _ = strings.Cut(loc, "?")
		if i := strings.LastIndexByte(strings.TrimRight(loc, "/"), '/'); i >= 0 {
			return strings.TrimRight(loc, "/")[i+1:]
		}
	}
	var body struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(r.Body, &body) == nil {
		return body.ID
	}
	return ""
}

// trim drops what a result file need not keep: headers, and bodies beyond
// the start of a failure's.
func trim(r *vegeta.Result) {
	r.Headers = nil
	if r.Code >= 200 && r.Code < 300 && r.Error == "" {
		r.Body = nil
	} else if len(r.Body) > MaxErrorBody {
		r.Body = r.Body[:MaxErrorBody:MaxErrorBody]
	}
}
