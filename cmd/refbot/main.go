// Command refbot runs callcheck's reference calling bot (package refbot): the
// bot a vendor reads first, and the one `callcheck certify-bot` certifies.
//
// It serves two things:
//   - the notification callback, over https, where Graph posts the changes
//     to the bot's calls (--listen, --callback-url);
//   - a control API on a private address (--control): POST /calls?scenario=p2p
//     makes a call, POST /calls/{id}/hangup hangs it up, GET /calls/{id} shows
//     the bot's view of it.
//
// With its defaults it talks to `callcheck emulate` or `callcheck certify-bot`
// on their default address, and makes itself a self-signed certificate whose
// PEM it writes to --ca-out for certify-bot's --bot-ca:
//
//	callcheck certify-bot --bot-name refbot --bot-version 1 --client-secret s3cret \
//	    --trigger 'p2p=curl -fsS -X POST http://127.0.0.1:9000/calls?scenario=p2p' \
//	    --hangup 'curl -fsS -X POST http://127.0.0.1:9000/calls/$CALLCHECK_CALL_ID/hangup' \
//	    --bot-status 'http://127.0.0.1:9000/calls/{id}' --bot-ca refbot-ca.pem
//	REFBOT_CLIENT_SECRET=s3cret refbot
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/callcheck/callcheck/internal/serve"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/callcheck/callcheck/refbot"
)

// options are refbot's flags.
type options struct {
	cfg                    refbot.Config
	listen, control        string
	tlsCert, tlsKey, caOut string
	flaws                  flawList
}

// flawList is the repeatable --flaw flag.
type flawList []refbot.Flaw

func (l *flawList) String() string { return fmt.Sprint(*l) }
func (l *flawList) Set(s string) error {
	f, err := refbot.ParseFlaw(s)
	if err != nil {
		return err
	}
	*l = append(*l, f)
	return nil
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], log); err != nil && !errors.Is(err, flag.ErrHelp) {
		log.Error("refbot stopped", "error", err)
		os.Exit(1)
	}
}

func parse(args []string) (*options, error) {
	const emu = "http://127.0.0.1:8080" // callcheck's default address
	o := &options{}
	fs := flag.NewFlagSet("refbot", flag.ContinueOnError)
	fs.StringVar(&o.cfg.GraphURL, "graph-url", emu+"/v1.0", "Graph base URL, with the version segment")
	fs.StringVar(&o.cfg.TenantID, "tenant-id", "aa67bd4c-8475-432d-bd41-39f255720e0a", "the app registration's tenant id")
	fs.StringVar(&o.cfg.ClientID, "client-id", "2891555a-92ff-42e6-80fa-6e1300c6b5c6", "the app registration's client id")
	fs.StringVar(&o.cfg.TokenURL, "token-url", "", "OAuth2 token endpoint (default: the emulator's at --graph-url's origin, for --tenant-id)")
	fs.StringVar(&o.cfg.OpenIDConfigURL, "openid-url", "", "OpenID configuration of the keys that sign notifications (default: the emulator's at --graph-url's origin)")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:9443", "address of the https notification callback")
	fs.StringVar(&o.cfg.CallbackURL, "callback-url", "", "public URL of the callback, sent as callbackUri (default https://LISTEN/callback)")
	fs.StringVar(&o.control, "control", "127.0.0.1:9000", "private address of the control API (plain http)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "PEM certificate of the callback (default: a self-signed one for 127.0.0.1 and localhost)")
	fs.StringVar(&o.tlsKey, "tls-key", "", "PEM private key of --tls-cert")
	fs.StringVar(&o.caOut, "ca-out", "refbot-ca.pem", "where to write the self-signed certificate, for certify-bot --bot-ca")
	fs.Var(&o.flaws, "flaw", "break the bot on purpose (a refbot.Flaw, e.g. skip-token-verification); repeatable")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.cfg.ClientSecret = os.Getenv("REFBOT_CLIENT_SECRET") // a secret stays out of the command line
	// callcheck's emulator serves Graph, the token endpoint and the
	// notification keys from one origin, so the defaults follow --graph-url.
	origin, err := originOf(o.cfg.GraphURL)
	if err != nil {
		return nil, err
	}
	if o.cfg.TokenURL == "" {
		o.cfg.TokenURL = origin + "/" + o.cfg.TenantID + "/oauth2/v2.0/token"
	}
	if o.cfg.OpenIDConfigURL == "" {
		o.cfg.OpenIDConfigURL = origin + "/v1/.well-known/OpenIdConfiguration"
	}
	if o.cfg.CallbackURL == "" {
		o.cfg.CallbackURL = "https://" + o.listen + "/callback"
	}
	o.cfg.Flaws = o.flaws
	return o, nil
}

// originOf returns scheme://host of an absolute URL.
func originOf(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("--graph-url %q must be an absolute URL such as http://127.0.0.1:8080/v1.0", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// run serves the bot until ctx ends.
func run(ctx context.Context, args []string, log *slog.Logger) error {
	o, err := parse(args)
	if err != nil {
		return err
	}
	o.cfg.Logger = log
	bot, err := refbot.New(ctx, o.cfg)
	if err != nil {
		return err
	}
	tlsCfg, err := o.tlsConfig()
	if err != nil {
		return err
	}
	var inflight inFlight
	callback, control := serve.New(inflight.track(bot)), serve.New(inflight.track(bot.ControlHandler()))
	callback.Addr, callback.TLSConfig, control.Addr = o.listen, tlsCfg, o.control
	errc := make(chan error, 2)
	go func() { errc <- callback.ListenAndServeTLS("", "") }()
	go func() { errc <- control.ListenAndServe() }()
	log.Info("refbot serving", "callback", o.cfg.CallbackURL, "control", "http://"+o.control, "graph", o.cfg.GraphURL)
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	return errors.Join(err, stop(log, shutdownDeadline, &inflight, callback, control))
}

// shutdownDeadline is how long refbot takes at most to stop once
// interrupted (SIGINT, SIGTERM), whatever Graph or its clients do: the
// requests still in flight then are abandoned, and logged.
const shutdownDeadline = 5 * time.Second

// stop shuts the servers down within deadline; past it, it closes them and
// logs the requests it abandoned. A signal is how a server ends: abandoning
// requests at the deadline is not an error.
func stop(log *slog.Logger, deadline time.Duration, inflight *inFlight, servers ...*http.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	var errs []error
	for _, srv := range servers {
		if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			errs = append(errs, err)
		}
	}
	if ctx.Err() == nil {
		log.Info("refbot stopped")
		return errors.Join(errs...)
	}
	abandoned := inflight.list()
	for _, srv := range servers {
		_ = srv.Close()
	}
	log.Warn("refbot stopped at its shutdown deadline", "deadline", deadline, "abandoned", len(abandoned), "requests", strings.Join(abandoned, "; "))
	return errors.Join(errs...)
}

// inFlight tracks the requests being served, to say which a shutdown
// abandoned.
type inFlight struct {
	mu   sync.Mutex
	next int
	reqs map[int]string
}

// track wraps h so that its requests are tracked while they are served.
func (f *inFlight) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if f.reqs == nil {
			f.reqs = map[int]string{}
		}
		f.next++
		id := f.next
		f.reqs[id] = fmt.Sprintf("%s %s (since %s)", r.Method, r.URL.Path, time.Now().UTC().Format(time.TimeOnly))
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			delete(f.reqs, id)
			f.mu.Unlock()
		}()
		h.ServeHTTP(w, r)
	})
}

// list names the requests in flight, oldest first.
func (f *inFlight) list() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := make([]int, 0, len(f.reqs))
	for id := range f.reqs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = f.reqs[id]
	}
	return out
}
