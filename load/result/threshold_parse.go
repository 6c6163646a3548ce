package result

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxThresholdDuration bounds a latency limit; longer ones are typos.
const MaxThresholdDuration = 24 * time.Hour

// ThresholdError is a threshold expression that does not parse: Text is the
// whole expression, Column the 1-based position of the fault in it.
type ThresholdError struct {
	Text   string
	Column int
	Msg    string
}

// Error names the expression, the column and what is wrong.
func (e *ThresholdError) Error() string {
	return fmt.Sprintf("threshold %q, column %d: %s", e.Text, e.Column, e.Msg)
}

// ParseThresholds reads a comma-separated list of thresholds:
//
//	list      = threshold { "," threshold }
//	threshold = metric op value
//	metric    = p50 | p90 | p95 | p99 | p999 | max | min | mean
//	          | e2e.p50 | e2e.p90 | e2e.p95 | e2e.p99 | e2e.max | e2e.min | e2e.mean
//	          | roster.p50 | roster.p99 | roster.max
//	          | success | errors | requests | rate | throughput | achieved
//	          | lost | roster.lost
//	op        = "<" | "<=" | ">" | ">=" | "==" | "!="
//	value     = DURATION (latencies: 200ms, 1.5s) | PERCENT (99.9%)
//	          | NUMBER (counts; ratios as 0.999; rates, optionally with /s)
//
// Spaces around tokens are allowed. Errors are *ThresholdError.
func ParseThresholds(text string) ([]Threshold, error) {
	if strings.TrimSpace(text) == "" {
		return nil, &ThresholdError{Text: text, Column: 1, Msg: "empty expression; want e.g. p99<200ms,success>=99.9%"}
	}
	var out []Threshold
	start := 0
	for _, clause := range strings.Split(text, ",") {
		t, err := parseClause(text, start, clause)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		start += len(clause) + 1
	}
	return out, nil
}

// clauseParser reads one clause of text, which starts at byte offset base.
type clauseParser struct {
	text   string
	base   int
	clause string
	pos    int // in clause
}

func (p *clauseParser) fail(at int, format string, args ...any) error {
	return &ThresholdError{Text: p.text, Column: p.base + at + 1, Msg: fmt.Sprintf(format, args...)}
}

func (p *clauseParser) skipSpace() {
	for p.pos < len(p.clause) && (p.clause[p.pos] == ' ' || p.clause[p.pos] == '\t') {
		p.pos++
	}
}

func parseClause(text string, base int, clause string) (Threshold, error) {
	p := &clauseParser{text: text, base: base, clause: clause}
	p.skipSpace()
	if p.pos == len(clause) {
		return Threshold{}, p.fail(p.pos, "empty threshold between commas")
	}
	m, err := p.metric()
	if err != nil {
		return Threshold{}, err
	}
	p.skipSpace()
	op, err := p.op(m)
	if err != nil {
		return Threshold{}, err
	}
	p.skipSpace()
	return p.value(Threshold{Metric: m, Op: op})
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
}

func (p *clauseParser) metric() (Metric, error) {
	at := p.pos
	for p.pos < len(p.clause) && isNameByte(p.clause[p.pos]) {
		p.pos++
	}
	name := strings.ToLower(p.clause[at:p.pos])
	if name == "" {
		return "", p.fail(at, "expected a metric (p99, success, e2e.p99, lost, rate, ...), found %q", p.clause[at:])
	}
	m := Metric(name)
	if _, ok := metricKinds[m]; !ok {
		return "", p.fail(at, "unknown metric %q; known: %s", name, metricList())
	}
	return m, nil
}

func metricList() string {
	var names []string
	for _, m := range Metrics() {
		names = append(names, string(m))
	}
	return strings.Join(names, ", ")
}

func (p *clauseParser) op(m Metric) (Op, error) {
	rest := p.clause[p.pos:]
	for _, op := range []Op{OpLessEq, OpGreaterEq, OpEqual, OpNotEqual, OpLess, OpGreater} {
		if strings.HasPrefix(rest, string(op)) {
			p.pos += len(op)
			return op, nil
		}
	}
	if strings.HasPrefix(rest, "=") {
		return "", p.fail(p.pos, "a single = is not a comparison; use ==")
	}
	return "", p.fail(p.pos, "expected a comparison (<, <=, >, >=, ==, !=) after %s, found %q", m, rest)
}

// value reads the rest of the clause as t's value.
func (p *clauseParser) value(t Threshold) (Threshold, error) {
	at := p.pos
	raw := strings.TrimRight(p.clause[p.pos:], " \t")
	if raw == "" {
		return t, p.fail(at, "expected a value after %s%s", t.Metric, t.Op)
	}
	var err error
	switch kind := metricKinds[t.Metric]; {
	case kind == kindDuration:
		t.Value, err = durationValue(raw)
	case strings.HasSuffix(raw, "%") && (kind == kindRatio || kind == kindCountOrRatio):
		t.Percent = true
		t.Value, err = percentValue(raw)
	case kind == kindRatio:
		t.Value, err = ratioValue(raw)
	case kind == kindRate:
		t.Value, err = rateValue(raw)
	default:
		t.Value, err = countValue(raw)
	}
	if err != nil {
		return t, p.fail(at, "%s: %v", t.Metric, err)
	}
	return t, nil
}

func durationValue(raw string) (float64, error) {
	d, err := time.ParseDuration(raw)
	switch {
	case err != nil && isNumber(raw):
		return 0, fmt.Errorf("%q needs a unit, e.g. %sms", raw, raw)
	case err != nil:
		return 0, fmt.Errorf("%q is not a duration (e.g. 200ms, 1.5s)", raw)
	case d < 0:
		return 0, fmt.Errorf("%q is negative", raw)
	case d > MaxThresholdDuration:
		return 0, fmt.Errorf("%q is above %s", raw, MaxThresholdDuration)
	}
	return float64(d), nil
}

func percentValue(raw string) (float64, error) {
	num := strings.TrimSpace(strings.TrimSuffix(raw, "%"))
	v, err := plainNumber(num)
	if err != nil {
		return 0, err
	}
	if v > 100 {
		return 0, fmt.Errorf("%q is above 100%%", raw)
	}
	return v, nil
}

func ratioValue(raw string) (float64, error) {
	v, err := plainNumber(raw)
	if err != nil {
		return 0, err
	}
	if v > 1 {
		return 0, fmt.Errorf("ratio %q is above 1; write a percentage as %s%%", raw, raw)
	}
	return v, nil
}

func rateValue(raw string) (float64, error) {
	return plainNumber(strings.TrimSpace(strings.TrimSuffix(raw, "/s")))
}

func countValue(raw string) (float64, error) {
	n, err := strconv.ParseUint(raw, 10, 53)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole count (e.g. 0, 1000)", raw)
	}
	return float64(n), nil
}

// plainNumber reads a non-negative decimal number (no sign, no exponent).
func plainNumber(s string) (float64, error) {
	if !isNumber(s) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}

// isNumber reports whether s is digits with at most one decimal point.
func isNumber(s string) bool {
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}
