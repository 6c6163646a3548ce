package loadreport

import (
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/load/result"
)

// stalledSeries is 10 s of 20 requests scheduled every second, all 201,
// from a generator that stalled from 3 s to 6 s and then sent its backlog:
// nothing was answered in seconds 3 to 5, and 80 responses came in second 6.
func stalledSeries() *result.Series {
	s := &result.Series{Width: result.Duration(time.Second)}
	for i := range 10 {
		b := result.Bucket{Offset: result.Duration(time.Duration(i) * time.Second), Requests: 20, Codes: map[string]uint64{"201": 20}}
		switch {
		case i >= 3 && i < 6:
		case i == 6:
			b.Answered, b.AnsweredCodes = 80, map[string]uint64{"201": 80}
		default:
			b.Answered, b.AnsweredCodes = 20, map[string]uint64{"201": 20}
		}
		s.Buckets = append(s.Buckets, b)
	}
	return s
}

// TestStatusCodesPlotAnswerTimes: the status chart plots responses by the
// time they came, so a stalled generator's burst shows as a gap and a
// spike rather than as the steady rate of its schedule.
func TestStatusCodesPlotAnswerTimes(t *testing.T) {
	c := statusCodes("codes", stalledSeries())
	if len(c.Series) != 1 {
		t.Fatalf("series: got %d, want one (201)", len(c.Series))
	}
	var got []float64
	for _, p := range c.Series[0].Points {
		got = append(got, p.Y)
	}
	want := []float64{20, 20, 20, 0, 0, 0, 80, 20, 20, 20}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("responses per second: got %v, want %v (by answer time)", got, want)
		}
	}
	if !strings.Contains(c.Desc, "by the time each response came") {
		t.Errorf("description does not say what the x axis counts: %s", c.Desc)
	}
	if _, err := c.SVG(); err != nil {
		t.Fatal(err)
	}
}

// TestStatusCodesWithoutAnswerTimes: a summary written before answer times
// were kept is drawn by scheduled time, and the chart says so.
func TestStatusCodesWithoutAnswerTimes(t *testing.T) {
	s := stalledSeries()
	for i := range s.Buckets {
		s.Buckets[i].Answered, s.Buckets[i].AnsweredCodes = 0, nil
	}
	c := statusCodes("codes", s)
	for _, p := range c.Series[0].Points {
		if p.Y != 20 {
			t.Fatalf("by scheduled time every second has 20, got %v", p.Y)
		}
	}
	if !strings.Contains(c.Desc, "scheduled send time") {
		t.Errorf("description does not say the chart is by scheduled time: %s", c.Desc)
	}
}
