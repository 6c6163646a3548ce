package result

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Outcome is how a created call's notifications ended.
type Outcome string

// The outcomes of a Record.
const (
	// OutcomeOK: every expected notification arrived.
	OutcomeOK Outcome = "ok"
	// OutcomeLost: the established notification did not arrive within the grace.
	OutcomeLost Outcome = "lost"
	// OutcomeRosterLost: established arrived, the documented roster did not.
	OutcomeRosterLost Outcome = "roster-lost"
	// OutcomeUnresolved: the run was interrupted before the grace ended.
	OutcomeUnresolved Outcome = "unresolved"
)

// Record is the end-to-end record of one created call (one line of
// e2e.jsonl). Latencies are nanoseconds from the request's scheduled send
// time; 0 means the notification never arrived.
type Record struct {
	// Seq is the request's vegeta sequence number in its shard.
	Seq uint64 `json:"seq"`
	// Example is the documented example the request came from.
	Example int `json:"example"`
	// CallID is the id of the call created.
	CallID string `json:"callId"`
	// Scheduled is when the request was due.
	Scheduled time.Time `json:"scheduled"`
	// CreatedNs is when the 201 response ended.
	CreatedNs int64 `json:"createdNs"`
	// EstablishedNs is when the established notification arrived.
	EstablishedNs int64 `json:"establishedNs,omitempty"`
	// RosterNs is when the first roster notification arrived.
	RosterNs int64 `json:"rosterNs,omitempty"`
	// RosterExpected is set when the example documents a roster notification.
	RosterExpected bool `json:"rosterExpected,omitempty"`
	// Outcome is how it ended.
	Outcome Outcome `json:"outcome"`
	// Expected are the notification kinds the call's scenario must produce
	// (result.NotificationKinds), terminating and terminated when it was
	// hung up; Arrivals how many of each kind arrived before the record was
	// written (more than one: duplicates; a kind not expected: unexpected).
	Expected []string       `json:"expected,omitempty"`
	Arrivals map[string]int `json:"arrivals,omitempty"`
}

// Tally returns the record's notification counts by kind. An unresolved
// record's missing notifications are not counted as lost.
func (r *Record) Tally() NotificationTally {
	t := NotificationTally{}
	for _, k := range r.Expected {
		c := t.Of(k)
		c.Expected++
		if r.Arrivals[k] > 0 {
			c.Arrived++
		} else if r.Outcome != OutcomeUnresolved {
			c.Lost++
		}
	}
	for k, n := range r.Arrivals {
		if n <= 0 { // a decoded record may say anything
			continue
		}
		c := t.Of(k)
		switch {
		case t[k].Expected > 0:
			c.Duplicates += uint64(n - 1)
		default:
			c.Unexpected += uint64(n)
		}
	}
	return t
}

// Established returns the end-to-end latency to established, and whether it arrived.
func (r *Record) Established() (time.Duration, bool) {
	return time.Duration(r.EstablishedNs), r.EstablishedNs > 0
}

// Roster returns the end-to-end latency to the first roster, and whether it arrived.
func (r *Record) Roster() (time.Duration, bool) {
	return time.Duration(r.RosterNs), r.RosterNs > 0
}

// RecordEncoder writes Records as JSON lines. It buffers: Flush at the end.
type RecordEncoder struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewRecordEncoder returns an encoder writing to w.
func NewRecordEncoder(w io.Writer) *RecordEncoder {
	bw := bufio.NewWriterSize(w, 64<<10)
	return &RecordEncoder{w: bw, enc: json.NewEncoder(bw)}
}

// Encode writes r as one line.
func (e *RecordEncoder) Encode(r *Record) error { return e.enc.Encode(r) }

// Flush writes what is buffered.
func (e *RecordEncoder) Flush() error { return e.w.Flush() }

// RecordDecoder reads Records from JSON lines.
type RecordDecoder struct {
	sc   *bufio.Scanner
	line int
	name string
}

// NewRecordDecoder returns a decoder reading r; name labels its errors.
func NewRecordDecoder(r io.Reader, name string) *RecordDecoder {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	return &RecordDecoder{sc: sc, name: name}
}

// Decode reads the next record into r; it returns io.EOF at the end, and an
// error naming the file and line for a line that is not a record.
func (d *RecordDecoder) Decode(r *Record) error {
	for d.sc.Scan() {
		d.line++
		if len(d.sc.Bytes()) == 0 {
			continue
		}
		*r = Record{}
		if err := json.Unmarshal(d.sc.Bytes(), r); err != nil {
			return fmt.Errorf("%s line %d: %w", d.name, d.line, err)
		}
		if r.Outcome == "" || r.Scheduled.IsZero() {
			return fmt.Errorf("%s line %d: not an end-to-end record (no outcome or scheduled time)", d.name, d.line)
		}
		return nil
	}
	if err := d.sc.Err(); err != nil {
		return fmt.Errorf("%s line %d: %w", d.name, d.line+1, err)
	}
	return io.EOF
}
