package main

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/callcheck/callcheck/certify"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/target"
)

func init() {
	register(command{name: "certify-bot", summary: "certify a calling bot: its create requests and its handling of notifications", priority: 15, run: runCertifyBot})
}

const certifyBotSynopsis = "certify-bot --bot-name NAME --bot-version VERSION (--trigger KEY=CMD ... | --wait DURATION) [flags]"

const certifyBotExamples = `  # The bot is configured with the URLs and credentials printed at start (fixed by --listen and --client-secret).
  callcheck certify-bot --bot-name "Contoso Bot" --bot-version 2.3.1 --client-secret s3cret \
      --roles Calls.Initiate.All,Calls.InitiateGroupCall.All \
      --trigger 'p2p=curl -fsS -X POST http://127.0.0.1:9000/calls?scenario=p2p' \
      --trigger 'group=curl -fsS -X POST http://127.0.0.1:9000/calls?scenario=group' \
      --hangup 'curl -fsS -X POST http://127.0.0.1:9000/calls/$CALLCHECK_CALL_ID/hangup' \
      --bot-status 'http://127.0.0.1:9000/calls/{id}' --bot-ca bot-ca.pem --out cert/

  # A bot that creates calls on its own: wait up to a minute, or until 2 creates came.
  callcheck certify-bot --bot-name "Contoso Bot" --bot-version 2.3.1 --wait 1m --calls 2 --hangup '...'

  # Reproduce a certificate: its "reproduce" field is the command line (the secret from the environment).
  CALLCHECK_CLIENT_SECRET=s3cret callcheck certify-bot ... --seed 8124551

Scenario keys (--trigger KEY=CMD): p2p, p2p-app, group, group-app, meeting, meeting-app, guest, guest-app,
pstn, pstn-app (create-call-doc.txt Examples 1-10; "-app": app-hosted media). Triggers run with sh -c and
get CALLCHECK_SCENARIO, CALLCHECK_CALL_ID (hang-up), CALLCHECK_GRAPH_URL, CALLCHECK_TOKEN_URL,
CALLCHECK_OPENID_URL, CALLCHECK_TENANT_ID, CALLCHECK_CLIENT_ID and CALLCHECK_CLIENT_SECRET in their environment.
See docs/certify-bot.md.`

// certifyBotFlags are the flags of callcheck certify-bot.
type certifyBotFlags struct {
	botName, botVersion, listen               string
	app                                       appFlags
	hangup, botCallback, botStatus, botCA     string
	triggers, allowHosts                      stringList
	wait, ack, triggerTimeout, requestTimeout time.Duration
	calls                                     int
	seed                                      int64
	out                                       string
	skipPreflight                             bool
	incomingCallback, tlsCAFile               string
	tls                                       bool
}

func (f *certifyBotFlags) register(fs *flag.FlagSet) {
	d := certify.DefaultTimeouts()
	fs.StringVar(&f.botName, "bot-name", "", "the bot's name, as the certificate states it (required)")
	fs.StringVar(&f.botVersion, "bot-version", "", "the bot's version, as the certificate states it (required)")
	fs.StringVar(&f.listen, "listen", certify.DefaultListen, "address of the emulated Graph the bot calls (host:port)")
	f.app.register(fs, "the app registration's", "comma-separated permissions granted to the app; mirror the bot's registration")
	fs.Var(&f.triggers, "trigger", "KEY=CMD: the shell command that makes the bot create a call of scenario KEY; repeatable")
	fs.DurationVar(&f.wait, "wait", 0, "instead of triggers: how long to wait for the bot to create calls on its own")
	fs.IntVar(&f.calls, "calls", 0, "with --wait: stop waiting once this many create requests came")
	fs.StringVar(&f.hangup, "hangup", "", "shell command that makes the bot hang up call $CALLCHECK_CALL_ID (default: the far side ends each call)")
	fs.StringVar(&f.botCallback, "bot-callback", "", "post notifications here instead of the callbackUri of the bot's requests")
	fs.BoolVar(&f.tls, "tls", false, "serve the emulated Graph over https with a generated CA (printed; SDKs send tokens only over https)")
	fs.StringVar(&f.tlsCAFile, "tls-ca-file", "", "with --tls: where to write the generated CA certificate (default: a temporary file, removed on exit)")
	fs.StringVar(&f.incomingCallback, "incoming-callback", "", "the bot's incoming-call webhook: someone calls the bot, which must answer or reject within 15 s")
	fs.StringVar(&f.botStatus, "bot-status", "", "the bot's status endpoint, a URL with {id}: GET answers {\"state\": ...}, 404 for an unknown call")
	fs.StringVar(&f.botCA, "bot-ca", "", "PEM file of the certificate authorities trusted for the bot's https endpoints (default: the system's)")
	fs.Var(&f.allowHosts, "allow-callback-host", "also post notifications to this host (exact, or *.example.com); repeatable; loopback is always allowed")
	fs.Int64Var(&f.seed, "seed", 0, "seed of every choice certify-bot makes (default: random; the certificate records it)")
	fs.StringVar(&f.out, "out", "", "directory to write certificate.json, certificate.md, certificate.junit.xml and certificate.html to")
	fs.DurationVar(&f.ack, "ack-timeout", d.Ack, "how long the bot has to answer a notification (graph-calls-facts.md §8: ~5 s)")
	fs.DurationVar(&f.triggerTimeout, "trigger-timeout", d.Trigger, "bound on each trigger and hang-up command")
	fs.DurationVar(&f.requestTimeout, "request-timeout", d.Request, "how long to wait for the bot's create (or DELETE) after a trigger finished")
	registerSkipPreflight(fs, &f.skipPreflight)
}

// runCertifyBot certifies a bot and writes the certificate.
func runCertifyBot(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "certify-bot", certifyBotSynopsis, certifyBotExamples)
	var f certifyBotFlags
	f.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("certify-bot takes no arguments, got %q", fs.Args())
	}
	set := flagsSet(fs)
	cfg, err := f.build(set, e.getenv)
	if err != nil {
		return err
	}
	if err := checkOutDir("--out", f.out); err != nil {
		return err
	}
	if err := certifyPreflight(f.skipPreflight, &cfg); err != nil {
		return err
	}
	cfg.Reproduce = reproduceCommand(fs, set, cfg.Seed)
	cfg.Progress = e.stdout
	var session atomic.Pointer[certify.Session]
	cfg.Started = session.Store
	inFlight := func() string {
		if s := session.Load(); s != nil {
			return s.InFlight()
		}
		return "the start of the session"
	}
	return withStopDeadline(ctx, stopDeadline, inFlight, func() error {
		cert, err := certify.Run(ctx, cfg)
		if err != nil && cert == nil {
			return certifyError(err)
		}
		return f.finish(e, cert, err)
	})
}

// certifyError turns a failure to start into a usage error (a bad setting
// or a busy --listen address) naming what is wrong.
func certifyError(err error) error {
	if errors.Is(err, context.Canceled) {
		return errors.New("interrupted before any check ran: no certificate was issued")
	}
	return usagef("%v", err)
}

// finish writes the certificate and maps its verdict onto the exit code.
func (f *certifyBotFlags) finish(e *env, cert *report.Certificate, runErr error) error {
	if f.out != "" {
		paths, err := certify.WriteFiles(f.out, cert)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Certificate written: %s\n", strings.Join(paths, ", "))
	}
	s := cert.Summary
	fmt.Fprintf(e.stdout, "Verdict: %s (%d passed, %d warnings, %d failed, %d skipped, %d not supported); seed %d\n",
		strings.ToUpper(string(cert.Verdict)), s.Passed, s.Warnings, s.Failed, s.Skipped, s.NotSupported, cert.Seed)
	if runErr != nil {
		return fmt.Errorf("interrupted: %d checks stopped (%s) and the checks after them never made; the certificate is neither certified nor refused",
			len(cert.NotRun), orNoneList(cert.NotRun))
	}
	if cert.Verdict != report.Passed {
		return failedError{fmt.Sprintf("the bot is not certified: %d checks failed, %d were skipped", s.Failed, s.Skipped)}
	}
	return nil
}

// build maps the flags onto a certify.Config; certify.Run validates it.
func (f *certifyBotFlags) build(set map[string]bool, getenv func(string) string) (certify.Config, error) {
	cfg := certify.NewConfig()
	if f.botName == "" || f.botVersion == "" {
		return cfg, usagef("--bot-name and --bot-version are required: the certificate names the bot as you give it")
	}
	cfg.Bot = report.Bot{Name: f.botName, Version: f.botVersion}
	cfg.Listen = f.listen
	cfg.Seed = f.seed
	if !set["seed"] {
		cfg.Seed = randomSeed()
	}
	if err := f.applyApp(&cfg, set, getenv); err != nil {
		return cfg, err
	}
	steps := []func(*certify.Config, map[string]bool) error{f.applyTriggers, f.applyBot}
	for _, apply := range steps {
		if err := apply(&cfg, set); err != nil {
			return cfg, err
		}
	}
	cfg.Timeouts = certify.Timeouts{Ack: f.ack, Trigger: f.triggerTimeout, Request: f.requestTimeout, Status: cfg.Timeouts.Status, Answer: cfg.Timeouts.Answer}
	return cfg, nil // certify.Run validates it, once, before anything starts or prints
}

// randomSeed draws a seed that fits in a JSON number exactly.
func randomSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 12)
}

// applyApp sets the app registration; the secret comes from
// --client-secret, else CALLCHECK_CLIENT_SECRET, else is generated.
func (f *certifyBotFlags) applyApp(cfg *certify.Config, set map[string]bool, getenv func(string) string) error {
	f.app.apply(&cfg.App, set, getenv)
	cfg.SecretSupplied = set["client-secret"] || getenv(secretEnv) != ""
	if !set["roles"] {
		return nil
	}
	if err := certify.ValidateRoles(cfg.App.Roles); err != nil {
		return usagef("--roles: %v", err)
	}
	return nil
}

// applyTriggers parses --trigger KEY=CMD, --hangup, --wait and --calls.
func (f *certifyBotFlags) applyTriggers(cfg *certify.Config, set map[string]bool) error {
	for _, t := range f.triggers {
		k, cmd, ok := strings.Cut(t, "=")
		if !ok || strings.TrimSpace(cmd) == "" {
			return usagef("--trigger %q: want KEY=CMD, e.g. 'p2p=curl -fsS -X POST http://127.0.0.1:9000/calls?scenario=p2p'", t)
		}
		key, err := certify.ParseKey(strings.TrimSpace(k))
		if err != nil {
			return usagef("--trigger %q: %v", t, err)
		}
		if _, dup := cfg.Triggers[key]; dup {
			return usagef("--trigger %q: scenario %s has a trigger already", t, key)
		}
		cfg.Triggers[key] = certify.Command(cmd)
	}
	switch {
	case len(f.triggers) > 0 && set["wait"]:
		return usagef("--trigger and --wait exclude each other: either certify-bot triggers each call, or it waits for the bot's own")
	case len(f.triggers) == 0 && f.wait <= 0:
		return usagef("nothing makes the bot create a call: give --trigger KEY=CMD (one per scenario) or --wait DURATION")
	case f.calls < 0 || (set["calls"] && !set["wait"]):
		return usagef("--calls %d: a positive count, with --wait", f.calls)
	}
	cfg.Wait, cfg.Calls = f.wait, f.calls
	if f.hangup != "" {
		cfg.Hangup = certify.Command(f.hangup)
	}
	return nil
}

// applyBot sets where the bot is reached.
func (f *certifyBotFlags) applyBot(cfg *certify.Config, _ map[string]bool) error {
	cfg.BotCallback, cfg.BotStatus, cfg.IncomingCallback = f.botCallback, f.botStatus, f.incomingCallback
	switch {
	case f.tls:
		cfg.TLS = &target.EmulatorTLS{CAFile: f.tlsCAFile}
	case f.tlsCAFile != "":
		return usagef("--tls-ca-file %q: only with --tls", f.tlsCAFile)
	}
	cfg.AllowedCallbackHosts = slices.Clone(f.allowHosts)
	if f.botCA == "" {
		return nil
	}
	data, err := os.ReadFile(f.botCA)
	if err != nil {
		return usagef("--bot-ca: %v", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return usagef("--bot-ca %s: no PEM certificate in it", f.botCA)
	}
	cfg.BotRootCAs = pool
	return nil
}

// reproduceCommand is the command line that reproduces the run: the flags
// the user set, in a fixed order, with the seed used, and the secret taken
// from the environment rather than written out.
func reproduceCommand(fs *flag.FlagSet, set map[string]bool, seed int64) string {
	parts := []string{"callcheck", "certify-bot"}
	fs.VisitAll(func(fl *flag.Flag) {
		switch {
		case fl.Name == "seed":
			parts = append(parts, "--seed", strconv.FormatInt(seed, 10))
		case !set[fl.Name]:
		case fl.Name == "client-secret":
			parts = append(parts, "--client-secret", `"$`+secretEnv+`"`)
		default:
			for _, v := range flagValues(fl) {
				parts = append(parts, "--"+fl.Name, shellQuote(v))
			}
		}
	})
	return strings.Join(parts, " ")
}

// flagValues returns a flag's values: each of a repeatable flag's.
func flagValues(fl *flag.Flag) []string {
	if l, ok := fl.Value.(*stringList); ok {
		return *l
	}
	return []string{fl.Value.String()}
}

// shellQuote quotes s for sh when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:,=@+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// orNoneList names at most three ids, then how many more; "none" for none.
func orNoneList(ids []string) string {
	switch {
	case len(ids) == 0:
		return "none"
	case len(ids) > 3:
		return strings.Join(ids[:3], ", ") + fmt.Sprintf(" and %d more", len(ids)-3)
	}
	return strings.Join(ids, ", ")
}
