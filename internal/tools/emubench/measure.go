package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/target"
)

// childStartWait bounds a subject's start.
const childStartWait = 30 * time.Second

// p2pExample returns the documented peer-to-peer example, the one `load
// create --example 1` sends.
func p2pExample() (fixtures.Example, error) {
	for _, ex := range fixtures.All() {
		if ex.Kind == graph.KindPeerToPeer {
			return ex, nil
		}
	}
	return fixtures.Example{}, fmt.Errorf("the fixtures hold no %s example", graph.KindPeerToPeer)
}

// subjectEndpoint makes what the driver sends to a started subject: the
// p2p example filled for the receiver, and for the emulator a token from
// its authority (the client-credentials flow); the handlers check no token
// and get a placeholder.
func subjectEndpoint(ctx context.Context, subject string, info childInfo, callback string) (endpoint, oauth2.TokenSource, error) {
	ex, err := p2pExample()
	if err != nil {
		return endpoint{}, nil, err
	}
	tenant, app := target.DefaultTenantID, target.DefaultClientID
	var ts oauth2.TokenSource
	if subject == subjectEmulator {
		tenant, app = info.TenantID, info.ClientID
		tctx, cancel := context.WithTimeout(ctx, childStartWait)
		defer cancel()
		ts, err = target.FetchingSource(tctx, identity.ClientCredentials{TokenURL: info.TokenURL, ClientID: info.ClientID, ClientSecret: info.Secret})
		if err != nil {
			return endpoint{}, nil, err
		}
	} else if ts, err = identity.StaticTokenSource("emubench"); err != nil {
		return endpoint{}, nil, err
	}
	body, err := load.CreateBody(ex, load.BodyValues{CallbackURI: callback, TenantID: tenant, AppID: app})
	if err != nil {
		return endpoint{}, nil, fmt.Errorf("filling example %d: %w", ex.Number, err)
	}
	return endpoint{URL: info.URL, Body: body, Notifies: subject != subjectBare,
		Header: http.Header{"Content-Type": {"application/json"}}}, ts, nil
}

// measure climbs the ladder against subject until a rate does not hold
// (each rate tried up to o.tries times) and prints a row per try. Every try
// gets a subject started afresh: the calls an emulator holds from earlier
// steps (it is never sent a hang-up) would otherwise weigh on the later ones
// and, past its live-call limit (DefaultMaxLiveCalls), make it answer 503 —
// a step's result would depend on the steps before it.
func measure(ctx context.Context, subject string, o options, rc *receiver, out io.Writer) (steps []stepResult, err error) {
	fmt.Fprintf(out, "\n%s (a new process for every step)\n", subject)
	fmt.Fprintf(out, "%10s %10s %8s %9s %8s %12s %7s %7s  %s\n", "rate", "achieved", "success", "p99", "created", "established", "notes", "posts", "held")
	for _, rate := range o.ladder.rates() {
		var best stepResult
		for try := 0; try < o.tries; try++ {
			s, err := stepOnNewChild(ctx, subject, rate, try, o, rc)
			if err != nil {
				return steps, fmt.Errorf("step at %s: %w", load.FormatRate(rate), err)
			}
			fmt.Fprintln(out, row(s))
			if try == 0 || s.held() || (!best.held() && s.Achieved > best.Achieved) {
				best = s
			}
			if best.held() {
				break
			}
		}
		steps = append(steps, best)
		if !best.held() {
			break
		}
	}
	return steps, nil
}

// stepOnNewChild starts subject as a child, runs one step against it and
// stops it. With o.cpuProfiles the child profiles its CPU from its start to
// its exit (the step, and the grace for its notifications).
func stepOnNewChild(ctx context.Context, subject string, rate float64, try int, o options, rc *receiver) (s stepResult, err error) {
	profile := ""
	if o.cpuProfiles != "" {
		profile = filepath.Join(o.cpuProfiles, fmt.Sprintf("%s-%.0f-try%d.pprof", subject, rate, try+1))
	}
	c, err := startChild(subject, childStartWait, profile)
	if err != nil {
		return s, err
	}
	defer func() {
		if serr := c.stop(15 * time.Second); serr != nil && err == nil {
			err = fmt.Errorf("stopping the subject: %w", serr)
		}
	}()
	ep, ts, err := subjectEndpoint(ctx, subject, c.info, rc.callback)
	if err != nil {
		return s, err
	}
	return runStep(ctx, ep, ts, rate, o, rc)
}

// runStep runs one step and waits (at most o.grace) for its established
// notifications.
func runStep(ctx context.Context, ep endpoint, ts oauth2.TokenSource, rate float64, o options, rc *receiver) (stepResult, error) {
	tok, err := ts.Token()
	if err != nil {
		return stepResult{}, fmt.Errorf("token: %w", err)
	}
	ep.Header = ep.Header.Clone()
	ep.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	rc.reset()
	s, created, err := attackStep(ctx, ep, rate, o.duration, o.attack)
	if err != nil {
		return s, err
	}
	s.MaxP99 = o.maxP99
	if ep.Notifies {
		wctx, cancel := context.WithTimeout(ctx, o.grace)
		s.Missing = rc.waitEstablished(wctx, created)
		cancel()
		if ctx.Err() != nil {
			return s, ctx.Err()
		}
		s.Established = s.Created - s.Missing
	}
	s.Notifications, s.Posts, _ = rc.counts()
	return s, nil
}

// row writes one step as a table row.
func row(s stepResult) string {
	established, notes, posts := "-", "-", "-"
	if s.Notifies {
		established, notes, posts = fmt.Sprint(s.Established), fmt.Sprint(s.Notifications), fmt.Sprint(s.Posts)
	}
	held := "yes"
	if f := s.failures(); len(f) > 0 {
		held = "no: " + strings.Join(f, "; ")
	}
	return fmt.Sprintf("%10s %8.0f/s %8.4f %9s %8d %12s %7s %7s  %s", load.FormatRate(s.Rate), s.Achieved, s.Success,
		s.P99.Round(10*time.Microsecond), s.Created, established, notes, posts, held)
}
