package suites

import (
	"errors"
	"strings"
	"testing"
)

// ringer is an emulator double with the answer-mode switch.
type ringer struct {
	mode string
	err  error
}

func (r *ringer) SetAnswerMode(mode string) error { r.mode = mode; return r.err }

// TestLeaveUnanswered: answer: none switches an emulator with the switch
// to "never", reports its refusal, and names the lack of the switch.
func TestLeaveUnanswered(t *testing.T) {
	r := &ringer{}
	if err := leaveUnanswered(r); err != nil || r.mode != "never" {
		t.Fatalf("err %v, mode %q", err, r.mode)
	}
	if err := leaveUnanswered(&ringer{err: errors.New("no")}); err == nil || !strings.Contains(err.Error(), "answer: none: no") {
		t.Fatalf("refusal: %v", err)
	}
	if err := leaveUnanswered(struct{}{}); err == nil || !strings.Contains(err.Error(), "cannot") {
		t.Fatalf("no switch: %v", err)
	}
}

// TestAnswerValue: the values file's answer is auto, none or empty.
func TestAnswerValue(t *testing.T) {
	for _, tc := range []struct {
		answer string
		ok     bool
	}{{"", true}, {AnswerAuto, true}, {AnswerNone, true}, {"never", false}} {
		v := DocumentedValues()
		v.Answer = tc.answer
		if err := v.validate(); (err == nil) != tc.ok {
			t.Errorf("answer %q: %v", tc.answer, err)
		}
	}
}
