package suites

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callcheck/callcheck/notify"
)

// maxArrivals bounds the arrivals a run keeps for its unknown-call check.
const maxArrivals = 4096

// arrival is one accepted notification as the run's receiver saw it.
type arrival struct {
	received time.Time
	callID   string // the call its resourceUrl (or legacy resource) names
	body     string // the notification, JSON (bounded, redacted)
	digest   string // sha256 of the whole notification, JSON
}

// arrivals knows the calls the run created and keeps what the receiver
// accepted, so that a notification for a call callcheck never made is
// reported at once with its body, and a contract waiting for its own call's
// notification fails fast with it instead of after its whole timeout.
type arrivals struct {
	mu    sync.Mutex
	known map[string]bool
	list  []arrival
}

func newArrivals() *arrivals { return &arrivals{known: map[string]bool{}} }

// created records a call the run created.
func (a *arrivals) created(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.known[strings.ToLower(id)] = true
}

// saw records an accepted notification (the receiver's event hook).
func (a *arrivals) saw(e notify.Event) {
	body, _ := json.Marshal(e.Notification)
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.list) >= maxArrivals {
		a.list = slices.Delete(a.list, 0, len(a.list)/2)
	}
	sum := sha256.Sum256(body)
	a.list = append(a.list, arrival{received: e.Received, callID: e.CallID, body: excerpt(body), digest: hex.EncodeToString(sum[:])})
}

// unknown returns the notifications received since since that name a call
// the run never created.
func (a *arrivals) unknown(since time.Time) []arrival {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []arrival
	for _, ar := range a.list {
		if ar.callID != "" && !ar.received.Before(since) && !a.known[strings.ToLower(ar.callID)] {
			out = append(out, ar)
		}
	}
	return out
}

// duplicates counts the notifications of the calls ids that arrived more
// than once: the same notification, byte for byte, again.
func (a *arrivals) duplicates(ids []string) int {
	want := map[string]bool{}
	for _, id := range ids {
		want[strings.ToLower(id)] = true
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	seen, n := map[string]bool{}, 0
	for _, ar := range a.list {
		if !want[strings.ToLower(ar.callID)] {
			continue
		}
		if seen[ar.digest] {
			n++
		}
		seen[ar.digest] = true
	}
	return n
}
