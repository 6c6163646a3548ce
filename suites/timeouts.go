package suites

import (
	"fmt"
	"time"
)

// Timeouts bounds every wait of the suites. Waits end as soon as what they
// wait for arrives (Gomega's Eventually polls what the receiver holds); the
// values are ceilings, except NoRoster, which is the time a silence must last
// to count as "nothing came". A zero field takes the value of the timing
// profile (FastTimeouts for the embedded emulator, RealisticTimeouts for any
// other target).
type Timeouts struct {
	// Setup bounds getting the first access token, the OpenID keys of the
	// notification signer and starting the embedded emulator and receiver.
	Setup time.Duration `yaml:"setup" json:"setup"`
	// Request bounds one HTTP request to the target, from dialling to the
	// last byte of the response.
	Request time.Duration `yaml:"request" json:"request"`
	// Notification bounds the wait for one expected notification (a state
	// change or a roster). The page gives no figure; the official SDK waits
	// 30 s for an operation's final notification (graph-calls-facts.md §8).
	Notification time.Duration `yaml:"notification" json:"notification"`
	// NoRoster is how long the absence of a roster must last to conclude that
	// none came: for a peer-to-peer call after it is established ("For
	// peer-to-peer calls, the expected notifications are for call state
	// changes only", create-call-doc.txt Example 2), and for a guest in the
	// lobby before admission ("The application will not receive the roster
	// for participants in the meeting until its admitted from lobby",
	// Example 8). The documentation bounds neither, so this is a judgement:
	// long against the target's notification latency. The contract also
	// checks, once the call has terminated, that none came during its life.
	NoRoster time.Duration `yaml:"noRoster" json:"noRoster"`
	// Gone bounds the wait, after the terminated notification, for GET of
	// the call to answer 404 ("a request to a call that has already ended
	// will result in a 404", graph-calls-facts.md §3.10).
	Gone time.Duration `yaml:"gone" json:"gone"`
	// Poll is the polling interval of every Eventually and Consistently.
	Poll time.Duration `yaml:"poll" json:"poll"`
	// Contract bounds one whole contract (its Ginkgo NodeTimeout).
	Contract time.Duration `yaml:"contract" json:"contract"`
	// Cleanup bounds deleting what a contract left behind (the tracking
	// client's reverse-order cleanup), which runs even when the contract failed.
	Cleanup time.Duration `yaml:"cleanup" json:"cleanup"`
	// Unanswered bounds the wait, with answer: none, for an unanswered
	// peer-to-peer or PSTN call to end: about a minute in the field
	// (comms-samples #17), ringingTimeoutInSeconds at most 115 (facts §1.2).
	Unanswered time.Duration `yaml:"unanswered" json:"unanswered"`
	// RetryCap bounds one wait before a retry: the target's Retry-After
	// (429, 503: graph-calls-facts.md §4.3) is honoured up to it, and
	// without one the client backs off exponentially from a second up to it.
	RetryCap time.Duration `yaml:"retryCap" json:"retryCap"`
}

// Timing profiles of Timeouts, named like the emulator's.
const (
	TimingFast      = "fast"
	TimingRealistic = "realistic"
)

// FastTimeouts are for the embedded emulator's fast timing profile, whose
// notifications follow within milliseconds.
func FastTimeouts() Timeouts {
	return Timeouts{
		Setup: 10 * time.Second, Request: 5 * time.Second, Notification: 5 * time.Second,
		NoRoster: 150 * time.Millisecond, Gone: 2 * time.Second, Poll: 2 * time.Millisecond,
		Contract: 30 * time.Second, Cleanup: 10 * time.Second, RetryCap: 2 * time.Second, Unanswered: 20 * time.Second,
	}
}

// RealisticTimeouts are for Microsoft Graph and targets with its latencies:
// establishing within a second or so, established after ringing, rosters
// within seconds (graph-calls-facts.md §3.2, §8).
func RealisticTimeouts() Timeouts {
	return Timeouts{
		Setup: 30 * time.Second, Request: 30 * time.Second, Notification: 60 * time.Second,
		NoRoster: 5 * time.Second, Gone: 30 * time.Second, Poll: 50 * time.Millisecond,
		Contract: 5 * time.Minute, Cleanup: time.Minute, RetryCap: 30 * time.Second, Unanswered: 150 * time.Second,
	}
}

// TimeoutsFor returns the Timeouts of a timing profile.
func TimeoutsFor(profile string) (Timeouts, error) {
	switch profile {
	case TimingFast:
		return FastTimeouts(), nil
	case TimingRealistic:
		return RealisticTimeouts(), nil
	}
	return Timeouts{}, fmt.Errorf("unknown timing profile %q (want %q or %q)", profile, TimingFast, TimingRealistic)
}

// orDefaults returns t with every zero field taken from d.
func (t Timeouts) orDefaults(d Timeouts) Timeouts {
	for _, f := range []struct{ dst, src *time.Duration }{
		{&t.Setup, &d.Setup}, {&t.Request, &d.Request}, {&t.Notification, &d.Notification},
		{&t.NoRoster, &d.NoRoster}, {&t.Gone, &d.Gone}, {&t.Poll, &d.Poll},
		{&t.Contract, &d.Contract}, {&t.Cleanup, &d.Cleanup}, {&t.RetryCap, &d.RetryCap}, {&t.Unanswered, &d.Unanswered},
	} {
		if *f.dst == 0 {
			*f.dst = *f.src
		}
	}
	return t
}

// validate reports the first negative field.
func (t Timeouts) validate() error {
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"setup", t.Setup}, {"request", t.Request}, {"notification", t.Notification}, {"noRoster", t.NoRoster},
		{"gone", t.Gone}, {"poll", t.Poll}, {"contract", t.Contract}, {"cleanup", t.Cleanup}, {"retryCap", t.RetryCap}, {"unanswered", t.Unanswered}} {
		if f.d < 0 {
			return fmt.Errorf("timeouts.%s is negative (%s)", f.name, f.d)
		}
	}
	return nil
}
