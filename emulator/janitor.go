package emulator

import (
	"time"
)

// startJanitor runs the sweep that ends inactive calls (keep-alive timeout,
// facts §3.10: "A call that does not receive this request within 45 minutes
// is considered inactive and will subsequently end", 408/8537), so memory
// stays bounded whatever clients forget to delete.
func (e *Emulator) startJanitor() {
	e.janitorStop, e.janitorDone = make(chan struct{}), make(chan struct{})
	interval := min(max(e.cfg.Limits.KeepAliveTimeout/4, 10*time.Millisecond), time.Second)
	go func() {
		defer close(e.janitorDone)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				e.sweep(e.now())
			case <-e.janitorStop:
				return
			}
		}
	}()
}

// sweep ends the calls idle beyond the keep-alive timeout and evicts ended
// calls a violation kept.
func (e *Emulator) sweep(now time.Time) {
	timeout := e.cfg.Limits.KeepAliveTimeout
	for _, c := range e.store.all() {
		c.mu.Lock()
		switch {
		case c.ended && now.Sub(c.endedAt) > timeout:
			info := c.info()
			c.mu.Unlock()
			e.store.remove(c, info)
			continue
		case !c.ending && now.Sub(c.keepAlive) > timeout:
			c.ending = true
			e.replaceStepsLocked(c, e.endSteps(c, resultKeepAliveTimeout())...)
		}
		c.mu.Unlock()
	}
}
