package main

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/load"
)

// endpoint is a subject as the driver attacks it.
type endpoint struct {
	URL    string      // the create URL
	Header http.Header // Content-Type and Authorization
	Body   []byte      // the create body, callbackUri the receiver's
	// Notifies is false for a subject that posts no notifications.
	Notifies bool
}

// attackOptions tune vegeta's attacker for every step.
type attackOptions struct {
	Workers, MaxWorkers uint64
	Connections         int
	Timeout             time.Duration
}

// schedule wraps a load.Pacer and notes when the attack began, so that
// the due time of hit Seq is known as a point in time (vegeta numbers a
// hit no earlier than its turn in the schedule: load's collector does the
// same).
type schedule struct {
	load.Pacer
	once  sync.Once
	began time.Time
}

func (s *schedule) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	s.once.Do(func() { s.began = time.Now().Add(-elapsed) })
	return s.Pacer.Pace(elapsed, hits)
}

func (s *schedule) scheduled(seq uint64) time.Time {
	at, _ := s.Due(seq)
	return s.began.Add(at)
}

// attackStep sends rate creates per second for d to ep (the open model: a
// hit is sent when due, whatever is in flight, unless MaxWorkers caps the
// workers) and measures the step; the notifications are counted apart.
// It returns the ids of the calls created.
func attackStep(ctx context.Context, ep endpoint, rate float64, d time.Duration, o attackOptions) (stepResult, []string, error) {
	pacer, err := load.NewConstantPacer(rate, d)
	if err != nil {
		return stepResult{}, nil, err
	}
	sched := &schedule{Pacer: pacer}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost: o.Connections,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: o.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	opts := []func(*vegeta.Attacker){vegeta.Client(client), vegeta.MaxBody(load.DefaultMaxBody), vegeta.Workers(max(o.Workers, 1))}
	if o.MaxWorkers > 0 {
		opts = append(opts, vegeta.MaxWorkers(o.MaxWorkers))
	}
	atk := vegeta.NewAttacker(opts...)
	tgt := vegeta.Target{Method: http.MethodPost, URL: ep.URL, Body: ep.Body, Header: ep.Header}
	res := stepResult{Rate: rate, Notifies: ep.Notifies}
	lat := make([]time.Duration, 0, int(rate*d.Seconds())+1)
	var created []string
	var lastSend time.Time
	ok := 0
	results := atk.Attack(vegeta.NewStaticTargeter(tgt), sched, 0, "emubench")
	for r := range results {
		if ctx.Err() != nil {
			atk.Stop()
			continue
		}
		res.Requests++
		if r.Timestamp.After(lastSend) {
			lastSend = r.Timestamp
		}
		end := r.Timestamp.Add(r.Latency)
		lat = append(lat, end.Sub(sched.scheduled(r.Seq)))
		if r.Code >= 200 && r.Code < 300 && r.Error == "" {
			ok++
		}
		if r.Code == http.StatusCreated {
			if id := createdID(r); id != "" {
				created = append(created, id)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return res, nil, err
	}
	res.Created = len(created)
	if res.Requests > 0 {
		res.Success = float64(ok) / float64(res.Requests)
		res.Achieved = float64(res.Requests) / (lastSend.Sub(sched.began) + time.Duration(float64(time.Second)/rate)).Seconds()
		res.P99 = percentile(lat, 0.99)
	}
	return res, created, nil
}

// createdID reads the call id of a 201 from its Location header.
func createdID(r *vegeta.Result) string {
	loc, _, _ := strings.Cut(r.Headers.Get("Location"), "?")
	loc = strings.TrimRight(loc, "/")
	if i := strings.LastIndexByte(loc, '/'); i >= 0 {
		return loc[i+1:]
	}
	return ""
}

// percentile returns the q-quantile of d (nearest rank); d is sorted.
func percentile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(q*float64(len(d))+0.999999) - 1
	return d[min(max(i, 0), len(d)-1)]
}
