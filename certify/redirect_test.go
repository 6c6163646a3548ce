package certify

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/refbot"
	"github.com/callcheck/callcheck/report"
)

// TestRegionRedirectFollowed certifies a bot whose callbackUri answers every
// notification with a 302 region redirect: certify-bot posts each one again
// to the Location, token and body included, as Graph does, and the bot is
// certified.
func TestRegionRedirectFollowed(t *testing.T) {
	cert := certifyRig(t, []Key{KeyP2P}, nil, func(c *Config, b *refbot.Config) {
		b.CallbackURL = strings.Replace(b.CallbackURL, "/callback", "/moved", 1)
	})
	if cert.Verdict != report.Passed {
		for _, ch := range cert.Checks {
			if ch.Verdict != report.Passed && ch.Verdict != report.NotSupported && ch.Requirement != report.RequirementRecommended {
				t.Errorf("%s is %s:\n%s", ch.ID, ch.Verdict, report.EvidenceText(ch.Evidence))
			}
		}
	}
}

// TestRedirectsBounded checks that a redirect loop ends after maxRedirects
// and that a redirect to a host certify-bot may not post to is not
// followed.
func TestRedirectsBounded(t *testing.T) {
	hits := 0
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		http.Redirect(w, r, "/again", http.StatusTemporaryRedirect)
	}))
	defer loop.Close()
	away := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://callcheck.invalid/callback", http.StatusFound)
	}))
	defer away.Close()
	d := &captureDoer{client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		excerpts: map[string]string{}, hops: map[string][]string{},
		allow: func(u string) string {
			if strings.Contains(u, "callcheck.invalid") {
				return "not allowed"
			}
			return ""
		}}
	post := func(url string) error {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"value":[]}`))
		req.Header.Set(notify.HeaderMessageID, "m1")
		resp, err := d.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := post(loop.URL + "/callback"); err == nil || !strings.Contains(err.Error(), "more than 3") {
		t.Errorf("a redirect loop: %v, want more than 3 redirects", err)
	}
	if hits != maxRedirects+1 {
		t.Errorf("the loop was posted to %d times, want %d", hits, maxRedirects+1)
	}
	if err := post(away.URL + "/callback"); err == nil || !strings.Contains(err.Error(), "not allowed") {
		t.Errorf("a redirect to a host not allowed: %v, want refused", err)
	}
}
