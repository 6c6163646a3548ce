package certify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/report"
)

// maxExcerpt bounds the excerpt of a bot's answer kept as evidence.
const maxExcerpt = 512

// setupSender makes the sender that plays Graph's callbacks: the emulator's
// notification signer, one attempt per delivery (Graph's retries are
// undocumented, graph-calls-facts.md §8, and a bot must answer the first
// time), the ack deadline per POST, redirects refused.
func (s *Session) setupSender() error {
	tlsCfg := &tls.Config{RootCAs: s.cfg.BotRootCAs, MinVersion: tls.VersionTLS12}
	transport := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: s.cfg.Timeouts.Ack}).DialContext,
		TLSClientConfig:       tlsCfg,
		TLSHandshakeTimeout:   s.cfg.Timeouts.Ack,
		ResponseHeaderTimeout: s.cfg.Timeouts.Ack,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	client := &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	s.doer = &captureDoer{client: client, excerpts: map[string]string{}, hops: map[string][]string{}, allow: s.deliverable}
	s.status = &http.Client{Transport: transport, Timeout: s.cfg.Timeouts.Status, CheckRedirect: client.CheckRedirect}
	sender, err := notify.NewSender(s.emu.NotificationSigner(), notify.WithDoer(s.doer), notify.WithRetryPolicy(notify.NoRetry),
		notify.WithConcurrency(1), notify.WithTimeouts(notify.Timeouts{Post: s.cfg.Timeouts.Ack, IdleConn: 30 * time.Second}))
	if err != nil {
		return fmt.Errorf("certify: %w", err)
	}
	s.sender = sender
	return nil
}

// maxRedirects bounds the region redirects followed for one notification.
// Graph's own bound is not documented; a bot redirects once, to its region
// (inferred), and a loop must end.
const maxRedirects = 3

// captureDoer keeps the start of each answer's body, by message id, as
// evidence, and follows a bot's region redirects as Graph does: the docs
// tell a bot that "needs to run in a different deployment" to reply
// "HTTP/1.1 302 Found" with "Location: your-new-location"
// (graph-calls-facts.md §6 line 510; MicrosoftDocs/msteams-docs,
// call-notifications.md "Redirects for region affinity"), and the
// PolicyRecordingBot sample answers 307: the same notification, with its
// token, is posted again to the Location, at most maxRedirects times, and
// only to a host certify-bot may post to.
type captureDoer struct {
	client   *http.Client
	allow    func(url string) string // why a URL may not be posted to ("" when it may)
	mu       sync.Mutex
	excerpts map[string]string
	hops     map[string][]string // the redirects followed, by message id
}

func (d *captureDoer) Do(req *http.Request) (*http.Response, error) {
	id := req.Header.Get(notify.HeaderMessageID)
	resp, err := d.client.Do(req)
	for n := 0; err == nil && isRedirect(resp.StatusCode); n++ {
		var next *http.Request
		next, err = d.redirect(req, resp, n)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		d.mu.Lock()
		d.hops[id] = append(d.hops[id], fmt.Sprintf("%d to %s", resp.StatusCode, next.URL))
		d.mu.Unlock()
		req = next
		resp, err = d.client.Do(req)
	}
	if err != nil {
		return resp, err
	}
	head := make([]byte, maxExcerpt)
	n, _ := io.ReadFull(resp.Body, head)
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head[:n]), resp.Body), resp.Body}
	d.mu.Lock()
	d.excerpts[id] = string(head[:n])
	d.mu.Unlock()
	return resp, nil
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// redirect is req posted again to resp's Location (the n-th redirect): the
// same method, headers and body.
func (d *captureDoer) redirect(req *http.Request, resp *http.Response, n int) (*http.Request, error) {
	loc := resp.Header.Get("Location")
	switch {
	case n >= maxRedirects:
		return nil, fmt.Errorf("the callback redirected more than %d times (last to %q)", maxRedirects, loc)
	case loc == "":
		return nil, fmt.Errorf("the callback answered %d without a Location", resp.StatusCode)
	case req.GetBody == nil:
		return nil, errors.New("the notification cannot be posted again")
	}
	u, err := req.URL.Parse(loc)
	if err != nil {
		return nil, fmt.Errorf("the callback redirected to %q, not a URL: %v", loc, err)
	}
	if why := d.allow(u.String()); why != "" {
		return nil, fmt.Errorf("the callback redirected to %s: %s", u, why)
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	next, err := http.NewRequestWithContext(req.Context(), req.Method, u.String(), body)
	if err != nil {
		return nil, err
	}
	next.Header = req.Header.Clone()
	next.GetBody, next.ContentLength = req.GetBody, req.ContentLength
	return next, nil
}

// redirects returns and forgets the redirects followed for message id.
func (d *captureDoer) redirects(id string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	h := d.hops[id]
	delete(d.hops, id)
	return h
}

// take returns and forgets the excerpt of message id.
func (d *captureDoer) take(id string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	e := d.excerpts[id]
	delete(d.excerpts, id)
	return e
}

// outcome is what came of one POST to the bot.
type outcome struct {
	what    string // "the establishing notification", ...
	url     string
	rec     notify.Record
	err     error
	excerpt string
	late    bool     // the answer came after the deadline (a stalled client may still read it)
	hops    []string // the region redirects followed
}

// post delivers batch (or o's body) to t and returns the outcome, bounded by
// the ack deadline.
func (s *Session) post(ctx context.Context, t *target, what string, batch graph.CommsNotifications, o *notify.Override) outcome {
	d := notify.Delivery{URL: t.url, AppID: s.cfg.App.ClientID, TenantID: s.cfg.App.TenantID, CallID: t.callID,
		ChainID: t.chainID, Batch: batch, Override: o}
	rec, err := s.sender.Send(ctx, d)
	id := rec.MessageID
	if o != nil && o.Header.Get(notify.HeaderMessageID) != "" {
		id = o.Header.Get(notify.HeaderMessageID) // a duplicate's, which certify-bot chose
	}
	return outcome{what: what, url: t.url, rec: rec, err: err, excerpt: s.redact(s.doer.take(id)), late: rec.Latency > s.cfg.Timeouts.Ack,
		hops: s.doer.redirects(id)}
}

// acked reports whether the bot acknowledged with a 2xx in time.
func (o outcome) acked() bool { return o.err == nil && o.rec.Acknowledged && !o.late }

// status is the bot's answer, 0 when there was none.
func (o outcome) status() int { return o.rec.Status }

// got describes what the bot did, for evidence.
func (o outcome) got() string {
	var b strings.Builder
	switch {
	case o.rec.Redirect != "":
		fmt.Fprintf(&b, "%d redirect to %s (not followed)", o.rec.Status, o.rec.Redirect)
	case o.rec.Status != 0:
		fmt.Fprintf(&b, "%d %s", o.rec.Status, http.StatusText(o.rec.Status))
	case o.err != nil:
		b.WriteString("no answer: " + o.describeErr())
	}
	fmt.Fprintf(&b, " after %v", o.rec.Latency.Round(time.Millisecond))
	if len(o.hops) > 0 {
		fmt.Fprintf(&b, ", having followed the bot's redirects (%s)", strings.Join(o.hops, ", "))
	}
	return b.String()
}

// describeErr explains a transport failure in the bot's terms.
func (o outcome) describeErr() string {
	switch {
	case o.timedOut():
		return "the callback did not answer within the deadline"
	case strings.Contains(o.err.Error(), "connection refused"):
		return "the callback refused the connection (nothing listens there)"
	case strings.Contains(o.err.Error(), "malformed HTTP"):
		return "the callback answered with something that is not HTTP"
	case strings.Contains(o.err.Error(), "EOF"), strings.Contains(o.err.Error(), "connection reset"), strings.Contains(o.err.Error(), "readLoopPeekFailLocked"):
		return "the callback closed the connection without an HTTP answer: " + o.err.Error()
	case strings.Contains(o.err.Error(), "x509:"):
		return "the callback's TLS certificate is not trusted (give its CA with --bot-ca): " + o.err.Error()
	}
	return o.err.Error()
}

// evidence describes the outcome against what was expected, quoting q.
func (o outcome) evidence(q quote, expected string) report.Evidence {
	ev := q.evidence(fmt.Sprintf("POST %s (%s): %s", o.url, o.what, o.got()), expected, o.got())
	ev.Excerpt = o.excerpt
	if len(o.hops) > 0 || o.rec.Redirect != "" {
		ev.Message += "; certify-bot follows a region redirect (302 or 307 with a Location) as Graph does, at most " + fmt.Sprint(maxRedirects) + " times, to hosts it may post to"
	}
	return ev
}
