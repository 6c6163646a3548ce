package certify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/report"
)

// The bot's view of a call is observed black-box. certify-bot sees what the
// bot answers to each POST, the requests the bot makes to Graph (its DELETE
// when asked to hang up), and, when the bot has one, its status endpoint
// (Config.BotStatus). docs/certify-bot.md says what that can and cannot show.

// view is the bot's view of a call, as its status endpoint tells it.
type view struct {
	known bool            // false: the endpoint answered 404
	state graph.CallState // when known
	url   string
	err   error // the endpoint could not be read
}

// maxStatusBody bounds what is read of a status answer.
const maxStatusBody = 64 << 10

// observe reads the bot's view of callID; false when the bot has no status
// endpoint.
func (s *Session) observe(ctx context.Context, callID string) (view, bool) {
	if s.cfg.BotStatus == "" {
		return view{}, false
	}
	v := view{url: strings.ReplaceAll(s.cfg.BotStatus, "{id}", url.PathEscape(callID))}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.url, nil)
	if err != nil {
		v.err = err
		return v, true
	}
	resp, err := s.status.Do(req)
	if err != nil {
		v.err = err
		return v, true
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxStatusBody))
	switch resp.StatusCode {
	case http.StatusNotFound:
		return v, true
	case http.StatusOK:
		var doc struct {
			State graph.CallState `json:"state"`
		}
		if err := json.Unmarshal(body, &doc); err != nil || doc.State == "" {
			v.err = fmt.Errorf("the status answer has no \"state\": %s", excerptOf(string(body)))
		}
		v.known, v.state = true, doc.State
	default:
		v.err = fmt.Errorf("the status endpoint answered %d: %s", resp.StatusCode, excerptOf(string(body)))
	}
	return v, true
}

// describe says what the view is, for evidence.
func (v view) describe() string {
	switch {
	case v.err != nil:
		return "unreadable: " + v.err.Error()
	case !v.known:
		return "unknown call (404)"
	}
	return string(v.state)
}

// expectState checks that the bot's view of t's call is want (or, with
// goneOK, that the bot no longer knows the call). Without a status endpoint
// it checks nothing.
func (s *Session) expectState(ctx context.Context, ch *check, t *target, want graph.CallState, goneOK bool, after string) {
	v, ok := s.observe(ctx, t.callID)
	if !ok || (v.err == nil && ((v.known && v.state == want) || (!v.known && goneOK))) {
		return
	}
	expected := string(want)
	if goneOK {
		expected += " (or unknown)"
	}
	ch.fail(report.Evidence{Message: fmt.Sprintf("After %s, the bot's status endpoint says the call is %s.", after, v.describe()),
		Expected: expected, Got: v.describe(), Excerpt: v.url})
}
