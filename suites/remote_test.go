package suites_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/suites"
	"github.com/callcheck/callcheck/target"
)

// remoteEnv carries the remoteRun of a "remote" child, as JSON.
const remoteEnv = "CALLCHECK_SUITES_REMOTE"

// remoteRun is what a "remote" child runs: the contracts against an
// emulator the parent test started, as a remote target.
type remoteRun struct {
	Target, TokenURL, ClientID, ClientSecret, OpenID, AdmitURL string
	Labels                                                     string
	Strict                                                     bool
	Notification                                               time.Duration
	Gone                                                       time.Duration // 0: the default
	RetryCap                                                   time.Duration
	Listen                                                     string // the receiver's address ("" any)
	Probe                                                      bool   // send HEAD / and GET / to the receiver all through the run
	Answer                                                     string // the values' answer mode
	Unanswered                                                 time.Duration
	Lacking                                                    bool // the target knows the lackingApp of each calling role
}

// remoteResult is what a "remote" child writes.
type remoteResult struct {
	Report *report.Conformance `json:"report"`
	Probes int64               `json:"probes"` // the probes sent to the receiver during the run
}

// childRemote runs the contracts against the remote target of remoteEnv.
func childRemote() int {
	var rr remoteRun
	if err := json.Unmarshal([]byte(os.Getenv(remoteEnv)), &rr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cfg := suites.NewConfig()
	cfg.Target.URL, cfg.Strict, cfg.LabelFilter, cfg.Target.Listen = rr.Target, rr.Strict, rr.Labels, rr.Listen
	cc := &cfg.Target.ClientCredentials
	cc.ClientID, cc.ClientSecret, cc.TokenURL = rr.ClientID, rr.ClientSecret, rr.TokenURL
	cfg.Target.NotificationOpenID, cfg.Values.Lobby.AdmitURL = rr.OpenID, rr.AdmitURL
	cfg.Features, cfg.TimingProfile = suites.Features(), suites.TimingFast
	cfg.Timeouts = suites.Timeouts{Notification: rr.Notification, Gone: rr.Gone, RetryCap: rr.RetryCap, Unanswered: rr.Unanswered}
	cfg.Values.Answer = rr.Answer
	if rr.Lacking {
		cfg.Values.AppsLackingRole = map[string]suites.AppCredentials{}
		for i, role := range graph.CallingRoles() {
			env := fmt.Sprintf("CALLCHECK_LACKING_%d", i)
			if err := os.Setenv(env, lackingSecret(i)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 2
			}
			cfg.Values.AppsLackingRole[role] = suites.AppCredentials{ClientID: lackingClientID(i), ClientSecretEnv: env}
		}
	}
	var res remoteResult
	stop := make(chan struct{})
	done := make(chan struct{})
	if rr.Probe {
		go probe(rr.Listen, stop, done, &res.Probes)
		// The probes end when the last contract ends, before the report is
		// made: every probe is one the report can count.
		cfg.Progress = &onLast{left: len(suites.Contracts()), last: func() { close(stop); <-done }}
	}
	rep, err := suites.Run(context.Background(), cfg, suites.GinkgoSettings{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	res.Report = rep
	return writeChildJSON(res)
}

// probe sends HEAD / and GET / to the receiver at addr, in turn, until
// stop closes (at most 5000), as a scanner or a health check would, and
// counts those answered.
func probe(addr string, stop <-chan struct{}, done chan<- struct{}, n *int64) {
	defer close(done)
	client := &http.Client{Timeout: 5 * time.Second}
	tick := time.NewTicker(3 * time.Millisecond)
	defer tick.Stop()
	for i := 0; i < 5000; i++ {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		method := []string{http.MethodHead, http.MethodGet}[i%2]
		req, _ := http.NewRequest(method, "http://"+addr+"/", strings.NewReader(""))
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			atomic.AddInt64(n, 1)
		}
	}
}

// onLast is a progress writer that calls last on the line of the last
// contract (one line per contract).
type onLast struct {
	left int
	last func()
}

func (o *onLast) Write(p []byte) (int, error) {
	if o.left -= strings.Count(string(p), "\n"); o.left == 0 {
		o.last()
	}
	return len(p), nil
}

// lackingClientID and lackingSecret are the credentials of the app that
// holds every calling role but the i-th of graph.CallingRoles.
func lackingClientID(i int) string { return fmt.Sprintf("44444444-4444-4444-8444-%012d", i) }
func lackingSecret(i int) string   { return fmt.Sprintf("lacking-secret-%d", i) }

// lackingApps are the emulator apps a remoteRun with Lacking names: each
// holds every calling role but one, in the default app's tenant.
func lackingApps(tenant string) []target.App {
	roles := graph.CallingRoles()
	apps := make([]target.App, len(roles))
	for i, role := range roles {
		var held []string
		for _, r := range roles {
			if r != role {
				held = append(held, r)
			}
		}
		apps[i] = target.App{ClientID: lackingClientID(i), ClientSecret: lackingSecret(i), TenantID: tenant, Roles: held}
	}
	return apps
}
