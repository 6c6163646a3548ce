package notify

import "time"

// Record is one delivery attempt of a Sender.
type Record struct {
	// Time is when the attempt started.
	Time time.Time `json:"time"`
	// URL is the callback URL posted to.
	URL string `json:"url"`
	// CallID is the call the batch is about.
	CallID string `json:"callId,omitempty"`
	// MessageID is the X-Microsoft-Skype-Message-ID, the same for every
	// attempt of one delivery.
	MessageID string `json:"messageId"`
	// Attempt counts from 1.
	Attempt int `json:"attempt"`
	// Final is set on the last attempt of a delivery.
	Final bool `json:"final"`
	// Notifications is the number of notifications in the batch.
	Notifications int `json:"notifications"`
	// Status is the response status, 0 when there was no response.
	Status int `json:"status,omitempty"`
	// Acknowledged is set when the status was 2xx.
	Acknowledged bool `json:"acknowledged"`
	// Latency is from the start of the attempt to the response headers (or
	// the error), in nanoseconds in JSON.
	Latency time.Duration `json:"latency"`
	// Redirect is the Location of a redirect that was refused.
	Redirect string `json:"redirect,omitempty"`
	// Defect names the deliberate defect of the delivery, if any.
	Defect string `json:"defect,omitempty"`
	// Error says why the attempt was not acknowledged.
	Error string `json:"error,omitempty"`
}

// Recorder receives every delivery attempt. Implementations must be safe
// for concurrent use and fast: Record is called on the delivery path.
type Recorder interface {
	Record(Record)
}

// RecorderFunc adapts a function to a Recorder (a callback sink).
type RecorderFunc func(Record)

// Record calls f.
func (f RecorderFunc) Record(r Record) { f(r) }

// DefaultRecordHistory is how many attempts the default recorder keeps.
const DefaultRecordHistory = 1024

// RingRecorder is a Recorder keeping the last attempts in a Ring.
type RingRecorder struct{ *Ring[Record] }

// NewRingRecorder returns a recorder keeping the last n attempts.
func NewRingRecorder(n int) RingRecorder { return RingRecorder{NewRing[Record](n)} }

// Record adds r to the ring.
func (r RingRecorder) Record(rec Record) { r.Add(rec) }
