package result

import (
	"sort"
	"strings"
)

// The notification kinds a call's scenario produces, as load accounts for
// them: the call's states (establishing, established, and after a hang-up
// terminating, terminated), its roster (resourceUrl .../participants), the
// lobby roster of a guest waiting to be admitted (create-call-doc.txt
// Example 8), and other for notifications of none of these.
const (
	KindEstablishing = "establishing"
	KindEstablished  = "established"
	KindRoster       = "roster"
	KindLobby        = "lobby"
	KindTerminating  = "terminating"
	KindTerminated   = "terminated"
	KindOther        = "other"
)

// NotificationKinds are the kinds, in the order a call meets them.
func NotificationKinds() []string {
	return []string{KindEstablishing, KindEstablished, KindRoster, KindLobby, KindTerminating, KindTerminated, KindOther}
}

// NotificationCounts account for one kind of notification over the calls
// of a run: each notification a call's scenario must produce is expected
// once; it arrived in time (before the call's record was written), late
// (after it), or never (lost). Further copies are duplicates, kinds the
// scenario does not produce unexpected. Expected = Arrived + Late + Lost
// for the calls resolved.
type NotificationCounts struct {
	Expected   uint64 `json:"expected"`
	Arrived    uint64 `json:"arrived"`
	Late       uint64 `json:"late"`
	Lost       uint64 `json:"lost"`
	Duplicates uint64 `json:"duplicates"`
	Unexpected uint64 `json:"unexpected"`
}

// Add adds o to c.
func (c *NotificationCounts) Add(o NotificationCounts) {
	c.Expected += o.Expected
	c.Arrived += o.Arrived
	c.Late += o.Late
	c.Lost += o.Lost
	c.Duplicates += o.Duplicates
	c.Unexpected += o.Unexpected
}

// Received is every notification of the kind that arrived: in time, late,
// duplicated or unexpected.
func (c NotificationCounts) Received() uint64 {
	return c.Arrived + c.Late + c.Duplicates + c.Unexpected
}

// NotificationTally is NotificationCounts by kind.
type NotificationTally map[string]*NotificationCounts

// Of returns the counts of kind, adding them when absent.
func (t NotificationTally) Of(kind string) *NotificationCounts {
	c := t[kind]
	if c == nil {
		c = &NotificationCounts{}
		t[kind] = c
	}
	return c
}

// AddAll adds every kind of o to t.
func (t NotificationTally) AddAll(o NotificationTally) {
	for k, c := range o {
		if c != nil {
			t.Of(k).Add(*c)
		}
	}
}

// Total sums every kind.
func (t NotificationTally) Total() NotificationCounts {
	var sum NotificationCounts
	for _, c := range t {
		if c != nil { // a decoded tally may hold null
			sum.Add(*c)
		}
	}
	return sum
}

// Kinds returns the kinds present, in NotificationKinds order (unknown
// ones after, sorted).
func (t NotificationTally) Kinds() []string {
	var out, rest []string
	for _, k := range NotificationKinds() {
		if t[k] != nil {
			out = append(out, k)
		}
	}
	for k, c := range t {
		if c != nil && !strings.Contains(" "+strings.Join(NotificationKinds(), " ")+" ", " "+k+" ") {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// notificationValue returns a notification metric: lost, duplicates, late
// or unexpected, over every kind or one ("lost.terminated"); a ratio is
// over the notifications expected.
func (s *Summary) notificationValue(m Metric, ratio bool) (float64, bool) {
	if s.E2E == nil || s.E2E.Notifications == nil {
		return 0, false
	}
	name, kind, _ := strings.Cut(string(m), ".")
	c := s.E2E.Notifications.Total()
	if kind != "" {
		if n := s.E2E.Notifications[kind]; n != nil {
			c = *n
		} else {
			c = NotificationCounts{}
		}
	}
	v := map[string]uint64{"lost": c.Lost, "duplicates": c.Duplicates, "late": c.Late, "unexpected": c.Unexpected}[name]
	return countOrRatio(v, c.Expected, ratio)
}

// notificationMetrics are the metrics over notifications, by kind.
func notificationMetrics() []Metric {
	var out []Metric
	for _, name := range []string{"lost", "duplicates", "late", "unexpected"} {
		out = append(out, Metric(name))
		for _, k := range NotificationKinds() {
			out = append(out, Metric(name+"."+k))
		}
	}
	return out
}

func init() {
	for _, m := range notificationMetrics() {
		metricKinds[m] = kindCountOrRatio
	}
}

// IsNotificationMetric reports whether m counts notifications (lost,
// duplicates, late, unexpected, over every kind or one).
func IsNotificationMetric(m Metric) bool {
	name, _, _ := strings.Cut(string(m), ".")
	switch name {
	case "lost", "duplicates", "late", "unexpected":
		return m != MetricRosterLost
	}
	return false
}
