package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// maxDrainBytes is how much of a response body is read (and discarded) so
// the connection can be reused.
const maxDrainBytes = 64 << 10

// prepared is a delivery ready to post: body encoded, ids chosen.
type prepared struct {
	d         Delivery
	body      []byte
	callID    string
	messageID string
	chainID   string
	defect    string
	policy    RetryPolicy
}

func (s *Sender) prepare(d Delivery) (*prepared, error) {
	if d.URL == "" {
		return nil, errors.New("notify: delivery has no URL")
	}
	p := &prepared{d: d, callID: d.CallID, messageID: graph.NewGUID(), chainID: d.ChainID, policy: s.retry}
	if p.callID == "" && len(d.Batch.Value) > 0 {
		p.callID = d.Batch.Value[0].CallID()
	}
	if p.chainID == "" {
		p.chainID = graph.NewGUID()
	}
	if o := d.Override; o != nil {
		p.body = o.Body
		if o.NoRetry {
			p.policy = NoRetry
		}
		p.defect = overrideName(o)
	}
	if p.body == nil {
		if len(d.Batch.Value) == 0 {
			return nil, fmt.Errorf("notify: delivery to %s has no notifications", d.URL)
		}
		body, err := json.Marshal(d.Batch)
		if err != nil {
			return nil, fmt.Errorf("notify: encode batch for %s: %w", d.URL, err)
		}
		p.body = body
	}
	return p, nil
}

func overrideName(o *Override) string {
	switch {
	case o.NoToken:
		return "no-token"
	case o.Authorization != "":
		return "authorization-override"
	case o.Defect != identity.DefectNone:
		return o.Defect.String()
	case o.Body != nil:
		return "body-override"
	case o.Header != nil:
		return "header-override"
	}
	return ""
}

// send runs the attempts of one delivery.
func (s *Sender) send(ctx context.Context, d Delivery) (Record, error) {
	p, err := s.prepare(d)
	if err != nil {
		return Record{URL: d.URL, CallID: d.CallID, Final: true, Error: err.Error()}, err
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	defer context.AfterFunc(s.base, stop)()
	for n := 1; ; n++ {
		rec, retryAfter, err := s.attempt(ctx, p, n)
		last := err == nil || n >= p.policy.attempts() || errors.Is(err, errPermanent) ||
			!p.policy.retryable(rec.Status, err) || ctx.Err() != nil
		rec.Final = last
		s.recorder.Record(rec)
		if last {
			return rec, err
		}
		if werr := Sleep(ctx, p.policy.delay(n, retryAfter)); werr != nil {
			return s.abandon(p, n+1, werr)
		}
	}
}

// errPermanent marks failures no retry can fix (a bad URL, no token).
var errPermanent = errors.New("not retryable")

// abandon records attempt n as given up (the context ended during the
// backoff before it), so the records show how the delivery ended.
func (s *Sender) abandon(p *prepared, n int, err error) (Record, error) {
	err = fmt.Errorf("notify: retry of %s abandoned: %w", p.d.URL, err)
	rec := Record{Time: s.now(), URL: p.d.URL, CallID: p.callID, MessageID: p.messageID,
		Attempt: n, Final: true, Notifications: len(p.d.Batch.Value), Defect: p.defect, Error: err.Error()}
	s.recorder.Record(rec)
	return rec, err
}

// attempt makes one POST within a concurrency slot and the per-POST timeout.
func (s *Sender) attempt(ctx context.Context, p *prepared, n int) (Record, time.Duration, error) {
	rec := Record{Time: s.now(), URL: p.d.URL, CallID: p.callID, MessageID: p.messageID,
		Attempt: n, Notifications: len(p.d.Batch.Value), Defect: p.defect}
	fail := func(err error) (Record, time.Duration, error) {
		rec.Error = err.Error()
		return rec, 0, err
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	// The token is signed before the per-POST timeout starts: signing is
	// callcheck's own work (a defect's foreign key is even generated on
	// first use, RSA taking up to seconds on a busy machine), and the
	// timeout bounds the callback's answer only.
	req, err := s.request(ctx, p)
	if err != nil {
		return fail(err)
	}
	actx, cancel := context.WithTimeout(ctx, s.timeouts.Post)
	defer cancel()
	req = req.WithContext(actx)
	start := time.Now()
	resp, err := s.doer.Do(req)
	rec.Latency = time.Since(start)
	if err != nil {
		return fail(fmt.Errorf("notify: POST %s: %w", p.d.URL, err))
	}
	return s.judge(rec, resp)
}

// judge reads the response into the record.
func (s *Sender) judge(rec Record, resp *http.Response) (Record, time.Duration, error) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrainBytes))
	_ = resp.Body.Close()
	rec.Status = resp.StatusCode
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		rec.Acknowledged = true
		return rec, 0, nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		rec.Redirect = resp.Header.Get("Location")
		err := fmt.Errorf("%w: %d to %q", ErrRedirect, resp.StatusCode, rec.Redirect)
		rec.Error = err.Error()
		return rec, 0, err
	}
	err := fmt.Errorf("%w: %s answered %d", ErrNotAcknowledged, rec.URL, resp.StatusCode)
	rec.Error = err.Error()
	return rec, retryAfterOf(resp.Header.Get("Retry-After")), err
}

// request builds one attempt's POST with Graph's headers and a token.
func (s *Sender) request(ctx context.Context, p *prepared) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.d.URL, bytes.NewReader(p.body))
	if err != nil {
		return nil, fmt.Errorf("notify: callback URL %q: %w (%w)", p.d.URL, err, errPermanent)
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")
	h.Set("User-Agent", s.userAgent)
	h[chainIDKey] = []string{p.chainID}
	h[messageIDKey] = []string{p.messageID}
	auth, err := s.authorization(p.d)
	if err != nil {
		return nil, err
	}
	if auth != "" {
		h.Set("Authorization", auth)
	}
	if o := p.d.Override; o != nil {
		applyHeaders(h, o.Header)
	}
	return req, nil
}

func (s *Sender) authorization(d Delivery) (string, error) {
	o := d.Override
	if o != nil && o.NoToken {
		return "", nil
	}
	if o != nil && o.Authorization != "" {
		return o.Authorization, nil
	}
	var token string
	var err error
	if o != nil && o.Defect != identity.DefectNone {
		token, err = s.signer.DefectiveToken(d.AppID, d.TenantID, o.Defect)
	} else {
		token, err = s.signer.Token(d.AppID, d.TenantID)
	}
	if err != nil {
		return "", fmt.Errorf("notify: token for %s: %w (%w)", d.URL, err, errPermanent)
	}
	return "Bearer " + token, nil
}

func applyHeaders(h, over http.Header) {
	for k, vs := range over {
		if len(vs) == 0 {
			h.Del(k)
			continue
		}
		h[http.CanonicalHeaderKey(k)] = vs
	}
}

// retryAfterOf is the wait a Retry-After asks for, 0 when it asks none.
func retryAfterOf(v string) time.Duration {
	d, _ := ParseRetryAfter(v, time.Now())
	return d
}
