package testkit

import (
	"net"
	"testing"
	"time"
)

func TestKeyIsSharedPerIndex(t *testing.T) {
	a, b := Key(t, 0), Key(t, 1)
	if a == nil || b == nil || a == b || a.ID() == b.ID() {
		t.Fatalf("keys 0 and 1: %v, %v", a, b)
	}
	if Key(t, 0) != a {
		t.Error("key 0 was generated twice")
	}
}

func TestClock(t *testing.T) {
	var zero Clock
	if !zero.Now().Equal(ClockStart) {
		t.Errorf("zero Clock reads %v", zero.Now())
	}
	c := NewClock()
	c.Advance(90 * time.Second)
	if got := c.Now().Sub(ClockStart); got != 90*time.Second {
		t.Errorf("after Advance(90s) the clock moved %v", got)
	}
}

func TestFreeAddr(t *testing.T) {
	addr := FreeAddr(t)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("FreeAddr %s cannot be listened on: %v", addr, err)
	}
	ln.Close()
	if p := FreePort(t); p == "" || p == "0" {
		t.Errorf("FreePort = %q", p)
	}
}

func TestContextEnds(t *testing.T) {
	ctx := Context(t, time.Nanosecond)
	<-ctx.Done()
	if ctx.Err() == nil {
		t.Error("the context did not end")
	}
}
