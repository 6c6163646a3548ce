package load

import (
	"context"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/load/result"
)

// cleaner tracks every call a run created until it is deleted, as
// csi-test's tracking client tracks what it created: the run's own
// hang-ups delete calls as they go, and at its end (done, failed, timed
// out or interrupted) the cleanup deletes every call still listed, with a
// bounded drain, and reports by id those it could not delete.
type cleaner struct {
	mu      sync.Mutex
	live    map[string]struct{}
	failed  map[string]string // id → why its last DELETE failed
	created uint64
	deleted uint64
}

func newCleaner() *cleaner {
	return &cleaner{live: map[string]struct{}{}, failed: map[string]string{}}
}

// created lists a call the run created.
func (c *cleaner) add(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live[id] = struct{}{}
	c.created++
}

// result takes a DELETE's result: a 2xx or a 404 (the call is gone) takes
// the call off the list.
func (c *cleaner) result(res *vegeta.Result) {
	id := path.Base(res.URL)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.live[id]; !ok {
		return
	}
	if res.Error == "" && res.Code >= 200 && res.Code < 300 || res.Code == http.StatusNotFound {
		delete(c.live, id)
		delete(c.failed, id)
		c.deleted++
		return
	}
	why := res.Error
	if why == "" {
		why = http.StatusText(int(res.Code))
	}
	c.failed[id] = why
}

// remaining returns the calls not deleted yet, sorted.
func (c *cleaner) remaining() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.live))
	for id := range c.live {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// report says what the cleanup did; the calls left are the failures.
func (c *cleaner) report() *result.Cleanup {
	left := c.remaining()
	c.mu.Lock()
	defer c.mu.Unlock()
	r := &result.Cleanup{Created: c.created, Deleted: c.deleted, FailedCount: uint64(len(left))}
	for _, id := range left[:min(len(left), result.MaxCleanupIDs)] {
		r.Failed = append(r.Failed, id)
	}
	return r
}

// failure describes the calls left, by id, for a warning.
func (c *cleaner) failure(r *result.Cleanup) string {
	var b strings.Builder
	for i, id := range r.Failed {
		if i > 0 {
			b.WriteString(", ")
		}
		c.mu.Lock()
		why := c.failed[id]
		c.mu.Unlock()
		if why == "" {
			why = "not attempted before the deadline"
		}
		b.WriteString(id + " (" + why + ")")
	}
	if r.FailedCount > uint64(len(r.Failed)) {
		b.WriteString(", …")
	}
	return b.String()
}

// drain deletes every call still listed through a hanger of its own,
// until ctx ends; the calls then left stay listed.
func (c *cleaner) drain(ctx context.Context, newHanger func(ctx context.Context, emit func(*vegeta.Result)) *hanger) {
	ids := c.remaining()
	if len(ids) == 0 {
		return
	}
	h := newHanger(ctx, c.result)
	for _, id := range ids {
		if !h.EnqueueWait(ctx, id) {
			break
		}
	}
	h.Close()
}
