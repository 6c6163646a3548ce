package load

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/target"
)

// Notification is one documented notification block a callback flood
// sends: a commsNotifications body with its call ids made fresh per request.
type Notification struct {
	Example int    // the example that shows it
	Block   string // its block name: fixtures.BlockEstablished, ...
	parts   [][]byte
}

// Name returns "example05_…/notification-roster".
func (n Notification) Name() string {
	ex, _ := fixtures.ByNumber(n.Example)
	return ex.Name() + "/" + n.Block
}

// body returns the notification with callID for the documented call id.
func (n Notification) body(callID string) []byte {
	return bytes.Join(n.parts, []byte(callID))
}

// notificationBlocks are the block names that are notifications.
var notificationBlocks = []string{fixtures.BlockEstablishing, fixtures.BlockEstablished, fixtures.BlockRoster}

// Notifications returns the documented notifications of the examples in
// mix (the examples that show none are skipped; none at all is an error),
// read the consistent way: callbackUri is url, every tenantId is tenant
// (when given), and every documented call id — the resourceUrl's and the
// resourceData's, which the page does not always keep equal — is one id,
// fresh for each request.
func Notifications(mix Mix, url, tenant string) ([]Notification, error) {
	var out []Notification
	for _, e := range mix.Entries() {
		ex, err := fixtures.ByNumber(e.Example)
		if err != nil {
			return nil, err
		}
		for _, name := range notificationBlocks {
			b, err := ex.Block(name)
			if err != nil {
				continue
			}
			n, err := newNotification(ex, b, url, tenant)
			if err != nil {
				return nil, err
			}
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("examples %s show no notification; examples with notifications: 1, 5, 8", mix)
	}
	return out, nil
}

func newNotification(ex fixtures.Example, b fixtures.Block, url, tenant string) (Notification, error) {
	var body map[string]any
	if err := json.Unmarshal(b.Canonical(), &body); err != nil {
		return Notification{}, fmt.Errorf("example %d %s: %w", ex.Number, b.Name, err)
	}
	values, _ := body["value"].([]any)
	for _, v := range values {
		if m, ok := v.(map[string]any); ok && url != "" {
			m["callbackUri"] = url
		}
	}
	if tenant != "" {
		setTenants(body, tenant)
	}
	data, err := json.Marshal(body)
	if err != nil {
		return Notification{}, err
	}
	const marker = "\x00call\x00"
	for _, v := range ex.ValuesOf(fixtures.RoleCallID) {
		if v.Block == b.Name && v.Value != "" {
			data = bytes.ReplaceAll(data, []byte(v.Value), []byte(marker))
		}
	}
	return Notification{Example: ex.Number, Block: b.Name, parts: bytes.Split(data, []byte(marker))}, nil
}

// setTenants sets every tenantId member in obj to tenant.
func setTenants(obj map[string]any, tenant string) {
	for k, v := range obj {
		switch x := v.(type) {
		case map[string]any:
			setTenants(x, tenant)
		case []any:
			for _, item := range x {
				if m, ok := item.(map[string]any); ok {
					setTenants(m, tenant)
				}
			}
		case string:
			if k == "tenantId" {
				obj[k] = tenant
			}
		}
	}
}

// DocumentedTenant is the tenant of the documented notifications
// (create-call-doc.txt Example 1), the tid of a flood's tokens by default.
const DocumentedTenant = target.DefaultTenantID

// CallbacksConfig configures a callback flood (callcheck load callbacks).
type CallbacksConfig struct {
	// Run holds the schedule, shard, attack options, timeouts, output,
	// progress and log; its Target, Mix, E2E and Kind are set by Callbacks.
	Run Config
	// URL is the bot's callback endpoint.
	URL string
	// Notifications are what is sent, in round robin.
	Notifications []Notification
	// Signer signs each POST's token for AppID (the audience) in TenantID
	// (DocumentedTenant when empty); *identity.NotificationSigner is one.
	Signer          notify.TokenSigner
	AppID, TenantID string
}

// Callbacks floods a callback endpoint with documented notifications,
// signed as Graph signs them, and measures the acknowledgements (statuses
// and latencies, from the scheduled time). It writes the same result files
// as Create, without end-to-end records.
func Callbacks(ctx context.Context, cfg CallbacksConfig) (*Run, error) {
	switch {
	case cfg.URL == "":
		return nil, errors.New("--url: no callback URL")
	case len(cfg.Notifications) == 0:
		return nil, errors.New("no notification to send")
	case cfg.Signer == nil || cfg.AppID == "":
		return nil, errors.New("a callback flood needs a signer and the bot's app id (--app-id)")
	}
	if cfg.TenantID == "" {
		cfg.TenantID = DocumentedTenant
	}
	run := cfg.Run
	run.Kind, run.E2E, run.Hangup = KindCallbacks, false, false
	tokens := &signerTokens{s: cfg.Signer, audience: cfg.AppID, tenant: cfg.TenantID}
	url, _, _ := strings.Cut(cfg.URL, "#")
	run.Target = Target{BaseURL: url, Tokens: tokens}
	run.Mix = notificationMix(cfg.Notifications)
	run.targets = &callbackTargets{url: url, notes: cfg.Notifications, tokens: tokens}
	return Create(ctx, run)
}

// notificationMix describes the notifications as a mix, for the manifest.
func notificationMix(ns []Notification) Mix {
	entries := make([]MixEntry, len(ns))
	for i, n := range ns {
		entries[i] = MixEntry{Example: n.Example, Name: n.Name(), Weight: 1}
	}
	return newMix(entries)
}

// signerTokens adapts a notify.TokenSigner to an oauth2.TokenSource.
type signerTokens struct {
	s                notify.TokenSigner
	audience, tenant string
}

func (st *signerTokens) Token() (*oauth2.Token, error) {
	tok, err := st.s.Token(st.audience, st.tenant)
	if err != nil {
		return nil, err
	}
	return &oauth2.Token{AccessToken: tok, TokenType: "Bearer"}, nil
}

// callbackTargets makes the notification POSTs of a flood.
type callbackTargets struct {
	url    string
	notes  []Notification
	tokens oauth2.TokenSource
	n      atomic.Uint64
	err    atomic.Pointer[error]
}

func (ct *callbackTargets) targeter() vegeta.Targeter {
	return func(t *vegeta.Target) error {
		tok, err := ct.tokens.Token()
		if err != nil {
			err = fmt.Errorf("signing a notification token: %w", err)
			ct.err.CompareAndSwap(nil, &err)
			return err
		}
		n := ct.notes[(ct.n.Add(1)-1)%uint64(len(ct.notes))]
		t.Method, t.Body = http.MethodPost, n.body(graph.NewGUID())
		t.URL = ct.url + exampleFragment + strconv.Itoa(n.Example) + "-" + strings.TrimPrefix(n.Block, "notification-")
		t.Header = http.Header{
			"Authorization":        {"Bearer " + tok.AccessToken},
			"Content-Type":         {"application/json"},
			"User-Agent":           {notify.DefaultUserAgent},
			notify.HeaderChainID:   {graph.NewGUID()},
			notify.HeaderMessageID: {graph.NewGUID()},
		}
		return nil
	}
}

func (ct *callbackTargets) Err() error {
	if p := ct.err.Load(); p != nil {
		return *p
	}
	return nil
}
