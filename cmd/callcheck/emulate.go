package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/target"
)

func init() {
	register(command{name: "emulate", summary: "run the emulator of the Graph calling API as a server", priority: 20, run: runEmulate})
}

const emulateSynopsis = "emulate [--listen ADDR] [--config FILE] [flags]"

const emulateExamples = `  callcheck emulate                                  # on 127.0.0.1:8080, fast timing, a random client secret
  callcheck emulate --listen 127.0.0.1:9000 --client-secret s3cret --allow-http-loopback
  callcheck emulate --config emulator.yaml           # every setting from a YAML (or JSON) file; flags override it
  callcheck emulate --profile realistic --drop 0.05 --reorder 0.2 --seed 42
  callcheck emulate --profile field                  # notifications, ringing and errors shaped like real Graph traffic
  callcheck emulate --answer manual --no-answer-timeout 20s  # callees answer only through POST /_callcheck/calls/{id}/answer
  callcheck emulate --throttle 10,20 --server-errors 0.01
  callcheck emulate --violate no-roster,create-status-200   # deliberately break the contract
  callcheck emulate --list-violations
  callcheck emulate --listen 127.0.0.1:0 --json       # print where it listens as one JSON object
  callcheck emulate --tls --tls-ca-file ca.pem        # https; trust ca.pem (SSL_CERT_FILE=ca.pem, curl --cacert ca.pem)
  callcheck emulate --tls-cert cert.pem --tls-key key.pem   # https with your own certificate and key`

// emulateFlags are the flags of callcheck emulate.
type emulateFlags struct {
	listen, config, publicURL, profile, answer           string
	noAnswerTimeout                                      time.Duration
	app                                                  appFlags
	allowHosts                                           stringList
	allowHTTPLoopback, allowAnyHost, listViolations, asJ bool
	violate, issuer, adminToken, signingKey, notifKey    string
	throttle, latency                                    string
	serverErrors, drop, duplicate, reorder               float64
	seed                                                 uint64
	keepAlive                                            time.Duration
	maxLiveCalls, maxBatch                               int
	tls                                                  bool
	tlsCert, tlsKey, tlsCAFile                           string
}

// stringList is a repeatable string flag.
type stringList []string

// String joins the values (flag.Value).
func (s *stringList) String() string { return strings.Join(*s, ",") }

// Set adds a value (flag.Value).
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func (f *emulateFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&f.config, "config", "", "configuration file (YAML or JSON; see docs/emulator.md); flags override it")
	fs.StringVar(&f.publicURL, "public-url", "", "base URL clients reach the emulator at, for Location headers (default: the listener's)")
	fs.StringVar(&f.profile, "profile", emulator.ProfileFast, "profile: fast (milliseconds), realistic (seconds) or field (realistic timing; notifications, ringing and error bodies as real traffic shows them; docs/emulator.md)")
	fs.StringVar(&f.answer, "answer", "", "how callees of peer-to-peer and PSTN calls answer: auto (default), never, or manual (POST /_callcheck/calls/{id}/answer)")
	fs.DurationVar(&f.noAnswerTimeout, "no-answer-timeout", 0, "end a call whose callee has not answered after this long, 408/10057 (default 1m)")
	f.app.register(fs, "the default app's", "comma-separated permissions of the default app")
	fs.Var(&f.allowHosts, "allow-callback-host", "allow notifications to this host (exact, or *.example.com); repeatable; loopback is always allowed")
	fs.BoolVar(&f.allowAnyHost, "allow-any-callback-host", false, "allow notifications to any host (dangerous)")
	fs.BoolVar(&f.allowHTTPLoopback, "allow-http-loopback", false, "accept plain-http callbackUri on loopback hosts (https is required otherwise)")
	fs.StringVar(&f.violate, "violate", "", "comma-separated deliberate contract violations to make (see --list-violations)")
	fs.BoolVar(&f.listViolations, "list-violations", false, "list the deliberate contract violations and exit")
	fs.BoolVar(&f.asJ, "json", false, "print the startup information as one JSON object (the client secret included)")
	fs.StringVar(&f.issuer, "notification-issuer", "", "iss of notification tokens (default "+identity.DefaultNotificationIssuer+")")
	fs.StringVar(&f.adminToken, "admin-token", "", "bearer token the /_callcheck/ admin API requires (default: none)")
	fs.StringVar(&f.signingKey, "signing-key", "", "PEM file of the RSA key that signs access tokens (default: a new key)")
	fs.StringVar(&f.notifKey, "notification-key", "", "PEM file of the RSA key that signs notifications (default: a new key)")
	fs.StringVar(&f.throttle, "throttle", "", "per-app throttling RATE,BURST (requests per second, bucket size): 429 with Retry-After beyond")
	fs.StringVar(&f.latency, "latency", "", "added latency P,MIN,MAX: a fraction P of Graph requests is delayed by MIN..MAX (e.g. 0.1,50ms,200ms)")
	fs.Float64Var(&f.serverErrors, "server-errors", 0, "fraction of Graph requests answered 503 with Retry-After")
	fs.Float64Var(&f.drop, "drop", 0, "fraction of notifications never delivered")
	fs.Float64Var(&f.duplicate, "duplicate", 0, "fraction of notifications delivered twice")
	fs.Float64Var(&f.reorder, "reorder", 0, "fraction of calls whose established notification precedes establishing")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of every random decision (faults, timing jitter)")
	fs.DurationVar(&f.keepAlive, "keep-alive-timeout", emulator.DefaultKeepAliveTimeout, "end calls that get no keepAlive for this long (408/8537)")
	fs.IntVar(&f.maxLiveCalls, "max-live-calls", emulator.DefaultMaxLiveCalls, "most live calls held (503 beyond)")
	fs.IntVar(&f.maxBatch, "max-batch", 0, "most notifications per POST (1: never batch; default from config, 32)")
	fs.BoolVar(&f.tls, "tls", false, "serve https with a generated CA and certificate (names localhost, 127.0.0.1, ::1, the --public-url host)")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve https with this PEM certificate (chain); needs --tls-key")
	fs.StringVar(&f.tlsKey, "tls-key", "", "PEM private key of --tls-cert")
	fs.StringVar(&f.tlsCAFile, "tls-ca-file", "", "with --tls: write the generated CA certificate here (default: a temporary file, removed on exit)")
}

// startOptions maps the TLS flags onto emulator start options: --tls
// generates a CA, --tls-cert/--tls-key serve the user's pair.
func (f *emulateFlags) startOptions() ([]emulator.StartOption, error) {
	switch {
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return nil, usagef("--tls-cert and --tls-key go together; got only one")
	case f.tlsCert != "" && f.tlsCAFile != "":
		return nil, usagef("--tls-ca-file names where a generated CA goes; with --tls-cert no CA is generated")
	case f.tlsCert != "":
		return []emulator.StartOption{emulator.WithTLS(emulator.TLS{CertFile: f.tlsCert, KeyFile: f.tlsKey})}, nil
	case f.tls:
		return []emulator.StartOption{emulator.WithTLS(emulator.TLS{CAFile: f.tlsCAFile})}, nil
	case f.tlsCAFile != "":
		return nil, usagef("--tls-ca-file needs --tls")
	}
	return nil, nil
}

// runEmulate starts the emulator and serves until ctx ends (Ctrl-C).
func runEmulate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "emulate", emulateSynopsis, emulateExamples)
	var f emulateFlags
	f.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("emulate takes no arguments, got %q", fs.Args())
	}
	if f.listViolations {
		return printViolations(e.stdout)
	}
	cfg, generated, err := f.build(flagsSet(fs), e.getenv)
	if err != nil {
		return err
	}
	opts, err := f.startOptions()
	if err != nil {
		return err
	}
	// The server outlives ctx: stopEmulator below shuts it down within
	// emulateShutdown and says what it abandoned; a shutdown of its own
	// racing that one would hold the emulator's close.
	srv, err := emulator.Start(context.WithoutCancel(ctx), cfg, f.listen, opts...)
	if err != nil {
		return usagef("%v", err)
	}
	if err := printStartup(e.stdout, srv, generated, f.asJ); err != nil {
		_ = srv.Close()
		return err
	}
	if !isLoopbackAddr(srv.Addr()) && cfg.AdminToken == "" {
		fmt.Fprintf(e.stderr, "callcheck emulate: warning: listening on %s, not loopback, so the /_callcheck/ admin API is closed; set --admin-token to open it\n", srv.Addr())
	}
	<-ctx.Done()
	return stopEmulator(e.stderr, srv, emulateShutdown)
}

// emulateShutdown is how long callcheck emulate takes at most to stop once
// interrupted (SIGINT, SIGTERM), whatever its callbacks and clients do:
// requests in progress and notifications in flight get this long, then
// are cut off.
const emulateShutdown = 10 * time.Second

// stopEmulator shuts srv down within deadline and says what it abandoned:
// the notifications still queued, and the calls still live (whose
// terminated notifications will never come).
func stopEmulator(w io.Writer, srv *emulator.Server, deadline time.Duration) error {
	sctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	err := srv.Shutdown(sctx)
	st := srv.Stats()
	if err != nil || st.Abandoned > 0 || st.LiveCalls > 0 {
		fmt.Fprintf(w, "callcheck emulate: stopped (deadline %s); abandoned %d queued notifications, %d calls live, %d notifications dropped by full queues\n",
			deadline, st.Abandoned, st.LiveCalls, st.Dropped)
		return nil
	}
	fmt.Fprintln(w, "callcheck emulate: stopped")
	return nil
}

// build layers the configuration: defaults < --config file < flags set.
// It reports whether the default app's secret was generated.
func (f *emulateFlags) build(set map[string]bool, getenv func(string) string) (emulator.Config, bool, error) {
	cfg := emulator.NewConfig()
	if f.config != "" {
		if err := cfg.LoadConfigFile(f.config); err != nil {
			return cfg, false, usagef("--config: %v", err)
		}
	}
	steps := []func(*emulator.Config, map[string]bool) error{f.applyBasics, f.applyFaults, f.applyKeys}
	for _, apply := range steps {
		if err := apply(&cfg, set); err != nil {
			return cfg, false, err
		}
	}
	generated, err := f.applyApp(&cfg, set, getenv)
	if err != nil {
		return cfg, false, err
	}
	if err := cfg.Validate(); err != nil {
		return cfg, false, usagef("%v", err)
	}
	return cfg, generated, nil
}

func (f *emulateFlags) applyBasics(cfg *emulator.Config, set map[string]bool) error {
	if set["profile"] {
		if err := cfg.ApplyProfile(f.profile); err != nil {
			return usagef("--profile: %v", err)
		}
	}
	if set["violate"] {
		vs, err := emulator.ParseViolations(f.violate)
		if err != nil {
			return usagef("--violate: %v", err)
		}
		cfg.Violations = vs
	}
	ifSet(set, "public-url", func() { cfg.PublicURL = f.publicURL })
	ifSet(set, "allow-callback-host", func() { cfg.Safety.AllowedCallbackHosts = append(cfg.Safety.AllowedCallbackHosts, f.allowHosts...) })
	ifSet(set, "allow-any-callback-host", func() { cfg.Safety.AllowAnyCallbackHost = f.allowAnyHost })
	ifSet(set, "allow-http-loopback", func() { cfg.Safety.AllowHTTPLoopback = f.allowHTTPLoopback })
	ifSet(set, "notification-issuer", func() { cfg.Notifications.Issuer = f.issuer })
	ifSet(set, "admin-token", func() { cfg.AdminToken = f.adminToken })
	ifSet(set, "seed", func() { cfg.Seed = f.seed })
	ifSet(set, "keep-alive-timeout", func() { cfg.Limits.KeepAliveTimeout = f.keepAlive })
	ifSet(set, "max-live-calls", func() { cfg.Limits.MaxLiveCalls = f.maxLiveCalls })
	ifSet(set, "max-batch", func() { cfg.Notifications.MaxBatch = f.maxBatch })
	ifSet(set, "answer", func() { cfg.Ringing.Answer = f.answer })
	ifSet(set, "no-answer-timeout", func() { cfg.Ringing.NoAnswerTimeout = f.noAnswerTimeout })
	return nil
}

func ifSet(set map[string]bool, name string, apply func()) {
	if set[name] {
		apply()
	}
}

func (f *emulateFlags) applyFaults(cfg *emulator.Config, set map[string]bool) error {
	if set["throttle"] {
		rate, burst, ok := strings.Cut(f.throttle, ",")
		r, err1 := strconv.ParseFloat(rate, 64)
		b, err2 := strconv.Atoi(burst)
		if !ok || err1 != nil || err2 != nil {
			return usagef("--throttle %q: want RATE,BURST (e.g. 10,20)", f.throttle)
		}
		cfg.Faults.Throttle = emulator.Throttle{Rate: r, Burst: b}
	}
	if set["latency"] {
		rd, err := parseRateDelay(f.latency)
		if err != nil {
			return usagef("--latency %q: %v", f.latency, err)
		}
		cfg.Faults.Latency = rd
	}
	ifSet(set, "server-errors", func() { cfg.Faults.ServerErrors = emulator.ServerErrors{Rate: f.serverErrors, Status: 503} })
	ifSet(set, "drop", func() { cfg.Faults.Drop = f.drop })
	ifSet(set, "duplicate", func() { cfg.Faults.Duplicate = f.duplicate })
	ifSet(set, "reorder", func() { cfg.Faults.Reorder = f.reorder })
	return nil
}

// parseRateDelay reads "P,MIN,MAX".
func parseRateDelay(s string) (emulator.RateDelay, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return emulator.RateDelay{}, fmt.Errorf("want P,MIN,MAX (e.g. 0.1,50ms,200ms)")
	}
	p, err := strconv.ParseFloat(parts[0], 64)
	if err != nil {
		return emulator.RateDelay{}, fmt.Errorf("P %q is not a number", parts[0])
	}
	lo, err1 := time.ParseDuration(parts[1])
	hi, err2 := time.ParseDuration(parts[2])
	if err1 != nil || err2 != nil {
		return emulator.RateDelay{}, fmt.Errorf("MIN and MAX must be durations like 50ms")
	}
	return emulator.RateDelay{Rate: p, Delay: emulator.Delay{Min: lo, Max: hi}}, nil
}

func (f *emulateFlags) applyKeys(cfg *emulator.Config, _ map[string]bool) error {
	for _, k := range []struct {
		flag, path string
		dst        **identity.Key
	}{{"--signing-key", f.signingKey, &cfg.Key}, {"--notification-key", f.notifKey, &cfg.NotificationKey}} {
		if k.path == "" {
			continue
		}
		data, err := os.ReadFile(k.path)
		if err != nil {
			return usagef("%s: %v", k.flag, err)
		}
		key, err := identity.ParseKeyPEM(data)
		if err != nil {
			return usagef("%s %s: %v", k.flag, k.path, err)
		}
		*k.dst = key
	}
	return nil
}

// applyApp applies the default app's flags to the first app (made from the
// defaults when the file registers none); the secret comes from
// --client-secret, else CALLCHECK_CLIENT_SECRET, else the file, else is
// generated.
func (f *emulateFlags) applyApp(cfg *emulator.Config, set map[string]bool, getenv func(string) string) (bool, error) {
	if len(cfg.Apps) == 0 {
		cfg.Apps = []emulator.App{emulator.DefaultApp("")}
	}
	app := &cfg.Apps[0]
	f.app.apply(app, set, getenv)
	if app.ClientSecret != "" {
		return false, nil
	}
	app.ClientSecret = emulator.NewSecret()
	return true, nil
}

// startupInfo is what a client needs, printed on start.
type startupInfo struct {
	URL             string            `json:"url"`
	GraphBaseURLs   map[string]string `json:"graphBaseURLs"`
	TokenURL        string            `json:"tokenURL"`
	AuthorityHost   string            `json:"authorityHost"`
	Scope           string            `json:"scope"`
	OpenIDConfigURL string            `json:"openIDConfigURL"`
	Issuer          string            `json:"notificationIssuer"`
	TenantID        string            `json:"tenantId"`
	ClientID        string            `json:"clientId"`
	ClientSecret    string            `json:"clientSecret"`
	Roles           []string          `json:"roles"`
	AdminURL        string            `json:"adminURL"`
	Profile         string            `json:"profile"`
	Violations      []string          `json:"violations"`
	// CAFile is the generated CA certificate's path with --tls (trust it).
	CAFile string `json:"caFile,omitempty"`
}

// printStartup prints what a client needs. A generated client secret is
// the one secret callcheck prints (the user must configure the bot with
// it); a secret the user supplied is never echoed.
func printStartup(w io.Writer, srv *emulator.Server, generated, asJSON bool) error {
	ep, cfg := target.EndpointsOf(srv), srv.Config()
	if !generated {
		ep.App.ClientSecret = identity.Redacted
	}
	info := startupInfo{URL: ep.URL, GraphBaseURLs: ep.GraphURLs, TokenURL: ep.TokenURL, AuthorityHost: ep.URL + "/", Scope: ep.Scope,
		OpenIDConfigURL: ep.OpenIDConfigURL, Issuer: ep.Issuer, TenantID: ep.App.TenantID, ClientID: ep.App.ClientID,
		ClientSecret: ep.App.ClientSecret, Roles: ep.App.Roles, AdminURL: srv.AdminURL() + "/", Profile: cfg.Profile, Violations: []string{},
		CAFile: srv.CAFile()}
	for _, v := range cfg.Violations {
		info.Violations = append(info.Violations, string(v))
	}
	if asJSON {
		return json.NewEncoder(w).Encode(info)
	}
	note := "(the secret you supplied; never printed)"
	if generated {
		note = "(generated for this run and printed because your bot must be configured with it; set --client-secret or CALLCHECK_CLIENT_SECRET to keep it stable)"
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "callcheck emulate: listening on %s (timing profile %s)\n", info.URL, info.Profile)
	if info.CAFile != "" {
		fmt.Fprintf(tw, "  CA certificate:\t%s  (trust it: SSL_CERT_FILE=%[1]s, curl --cacert %[1]s)\n", info.CAFile)
	}
	for _, row := range [][2]string{
		{"Graph base URLs:", info.GraphBaseURLs["v1.0"] + "  " + info.GraphBaseURLs["beta"]},
		{"Token endpoint:", info.TokenURL + "  (client credentials, scope " + info.Scope + ")"},
		{"Authority host:", info.AuthorityHost + "  (MSAL, azidentity: authority host, instance discovery off)"},
		{"OpenID configuration:", info.OpenIDConfigURL + "  (verifies notification tokens; issuer " + info.Issuer + ")"},
		{"Tenant id:", info.TenantID}, {"Client id:", info.ClientID}, {"Client secret:", info.ClientSecret + "  " + note},
		{"Roles:", strings.Join(info.Roles, ", ")}, {"Admin API:", info.AdminURL},
		{"Violations:", orNone(info.Violations)},
	} {
		fmt.Fprintf(tw, "  %s\t%s\n", row[0], row[1])
	}
	fmt.Fprintln(tw, "Serving until interrupted (Ctrl-C).")
	return tw.Flush()
}

// isLoopbackAddr reports whether a listener's address is a loopback one.
func isLoopbackAddr(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// printViolations lists the deliberate contract violations.
func printViolations(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, v := range emulator.Violations() {
		fmt.Fprintf(tw, "%s\t%s\n", v, v.Description())
	}
	return tw.Flush()
}
