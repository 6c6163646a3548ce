package result

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseThresholds(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Threshold
	}{
		// the examples
		{"p99<200ms", []Threshold{{Metric: MetricP99, Op: OpLess, Value: float64(200 * time.Millisecond)}}},
		{"success>=99.9%", []Threshold{{Metric: MetricSuccess, Op: OpGreaterEq, Value: 99.9, Percent: true}}},
		{"e2e.p99<1s", []Threshold{{Metric: MetricE2EP99, Op: OpLess, Value: float64(time.Second)}}},
		{"lost==0", []Threshold{{Metric: MetricLost, Op: OpEqual, Value: 0}}},
		// a list, with spaces and upper case
		{" P99 < 1.5s , success >= 0.999 ", []Threshold{
			{Metric: MetricP99, Op: OpLess, Value: float64(1500 * time.Millisecond)},
			{Metric: MetricSuccess, Op: OpGreaterEq, Value: 0.999},
		}},
		// a rate with and without /s
		{"rate>=100/s,throughput>50", []Threshold{
			{Metric: MetricRate, Op: OpGreaterEq, Value: 100},
			{Metric: MetricThroughput, Op: OpGreater, Value: 50},
		}},
		// count-or-ratio metrics take either
		{"lost<0.1%,errors<=5,roster.lost!=1", []Threshold{
			{Metric: MetricLost, Op: OpLess, Value: 0.1, Percent: true},
			{Metric: MetricErrors, Op: OpLessEq, Value: 5},
			{Metric: MetricRosterLost, Op: OpNotEqual, Value: 1},
		}},
	} {
		got, err := ParseThresholds(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseThresholds(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseThresholdsErrors(t *testing.T) {
	for _, tc := range []struct {
		in     string
		column int
		msg    string
	}{
		{"", 1, "empty expression"},                   // nothing
		{"p99<1s,,success>=1%", 8, "empty threshold"}, // an empty clause
		{"p98<1s", 1, "unknown metric \"p98\""},       // a typo in the metric
		{"p99<1s,sucess>=99%", 8, "unknown metric"},   // a typo in the second clause
		{"p99 1s", 5, "expected a comparison"},        // no operator
		{"lost=0", 5, "use =="},                       // a single =
		{"p99<", 5, "expected a value"},               // no value
		{"p99<200", 5, "needs a unit"},                // a latency without unit
		{"p99<2O0ms", 5, "not a duration"},            // a letter O
		{"p99<-1s", 5, "negative"},                    // negative latency
		{"p99<48h", 5, "above 24h"},                   // absurd latency
		{"success>=99.9", 10, "write a percentage"},   // a percentage without %
		{"success>=101%", 10, "above 100%"},           // above 100%
		{"success>=-1%", 10, "not a number"},          // negative
		{"lost==0.5", 7, "whole count"},               // half a call
		{"rate>=fast", 7, "not a number"},             // not a rate
		{"%", 1, "expected a metric"},                 // junk
	} {
		_, err := ParseThresholds(tc.in)
		var te *ThresholdError
		if !errors.As(err, &te) {
			t.Errorf("ParseThresholds(%q) error = %v, want a *ThresholdError", tc.in, err)
			continue
		}
		if te.Column != tc.column || !strings.Contains(te.Msg, tc.msg) || !strings.Contains(err.Error(), tc.in) {
			t.Errorf("ParseThresholds(%q) = column %d %q; want column %d, a message containing %q, naming the expression", tc.in, te.Column, err, tc.column, tc.msg)
		}
	}
}

// fixedValues is a run's measured values for Check.
type fixedValues map[string]float64

func (f fixedValues) Value(m Metric, ratio bool) (float64, bool) {
	key := string(m)
	if ratio {
		key += "%"
	}
	if v, ok := f[key]; ok {
		return v, true
	}
	v, ok := f[string(m)]
	return v, ok && metricKinds[m] == kindRatio
}

func TestCheck(t *testing.T) {
	vs := fixedValues{"p99": float64(150 * time.Millisecond), "success": 0.998, "lost": 2, "lost%": 0.002, "rate": 99.5}
	for _, tc := range []struct {
		expr   string
		passed bool
		actual string
	}{
		{"p99<200ms", true, "150ms"},
		{"p99<100ms", false, "150ms"},
		{"success>=99.9%", false, "99.800%"},
		{"success>=0.99", true, "0.99800"},
		{"lost==0", false, "2"},
		{"lost<0.5%", true, "0.200%"},
		{"rate>=100", false, "99.5/s"},
		{"e2e.p99<1s", false, "none"}, // no data fails
	} {
		ts, err := ParseThresholds(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		v := ts[0].Check(vs)
		if v.Passed != tc.passed || v.Actual != tc.actual {
			t.Errorf("%s: passed=%v actual=%q; want %v %q", tc.expr, v.Passed, v.Actual, tc.passed, tc.actual)
		}
	}
	ts, _ := ParseThresholds("p99<200ms,lost==0")
	if _, ok := CheckAll(ts, vs); ok {
		t.Error("CheckAll passed with a breached threshold")
	}
}

func TestThresholdStringRoundTrips(t *testing.T) {
	for _, m := range Metrics() {
		in := map[valueKind]string{kindDuration: "<=1m30.5s", kindRatio: ">=99.95%", kindCount: "==7",
			kindCountOrRatio: "<0.01%", kindRate: ">12.5/s"}[metricKinds[m]]
		ts, err := ParseThresholds(string(m) + in)
		if err != nil {
			t.Fatalf("%s%s: %v", m, in, err)
		}
		again, err := ParseThresholds(ts[0].String())
		if err != nil || !reflect.DeepEqual(again, ts) {
			t.Errorf("%s%s -> %q -> %+v, %v", m, in, ts[0].String(), again, err)
		}
	}
}

// TestFormatThresholds: a list is written as ParseThresholds reads it.
func TestFormatThresholds(t *testing.T) {
	ts, err := ParseThresholds(" p99 < 200ms, success>=99.9% ,lost==0")
	if err != nil {
		t.Fatal(err)
	}
	text := FormatThresholds(ts)
	if text != "p99<200ms,success>=99.9%,lost==0" {
		t.Errorf("FormatThresholds = %q", text)
	}
	if again, err := ParseThresholds(text); err != nil || !reflect.DeepEqual(again, ts) {
		t.Errorf("%q parses back as %+v, %v", text, again, err)
	}
	if FormatThresholds(nil) != "" {
		t.Errorf("FormatThresholds(nil) = %q", FormatThresholds(nil))
	}
}
