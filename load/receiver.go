package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/notify"
)

// DefaultListen is where the receiver listens when told nothing: loopback,
// a free port.
const DefaultListen = "127.0.0.1:0"

// ReceiverConfig configures callcheck's notification receiver (the
// end-to-end measurement).
type ReceiverConfig struct {
	// Listen is the receiver's address (DefaultListen when empty).
	Listen string
	// CallbackURL is the public URL that reaches the receiver, sent as
	// callbackUri; empty: http://{listen address}/callback.
	CallbackURL string
	// OpenIDConfigURL is the OpenID configuration whose keys sign the
	// notification tokens.
	OpenIDConfigURL string
	// AppID is the audience notification tokens must carry (the bot's app id).
	AppID string
}

// receiverServer is a notify.Receiver served on a real socket.
type receiverServer struct {
	recv        *notify.Receiver
	srv         *http.Server
	callbackURL string
	served      chan error
}

// startReceiver fetches the notification keys (failing fast, naming the
// OpenID URL, when they cannot be had), then serves a Receiver whose events
// go to hook.
func startReceiver(ctx context.Context, rc ReceiverConfig, hook func(notify.Event), probe time.Duration) (*receiverServer, error) {
	if rc.OpenIDConfigURL == "" || rc.AppID == "" {
		return nil, errors.New("end-to-end measurement needs the notification OpenID configuration URL and the app id")
	}
	v, err := identity.NewNotificationVerifier(rc.OpenIDConfigURL, rc.AppID)
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, probe)
	defer cancel()
	if err := v.Refresh(rctx); err != nil {
		return nil, fmt.Errorf("notification keys from %s: %w", RedactURL(rc.OpenIDConfigURL), err)
	}
	recv, err := notify.NewReceiver(v, notify.WithEventHook(hook), notify.WithPendingLimits(notify.PendingLimits{}))
	if err != nil {
		return nil, err
	}
	listen := rc.Listen
	if listen == "" {
		listen = DefaultListen
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("receiver: listening on %s: %w", listen, err)
	}
	rs := &receiverServer{recv: recv, callbackURL: rc.CallbackURL, served: make(chan error, 1),
		srv: &http.Server{Handler: recv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}}
	if rs.callbackURL == "" {
		rs.callbackURL = "http://" + ln.Addr().String() + "/callback"
	}
	go func() { rs.served <- rs.srv.Serve(ln) }()
	return rs, nil
}

// counts returns the receiver's counters.
func (rs *receiverServer) counts() result.ReceiverCounts {
	st := rs.recv.Stats()
	return result.ReceiverCounts{Posts: st.Posts, Rejected: st.Rejected, Notifications: st.Notifications}
}

// close stops the server (waiting for handlers until ctx ends) and the receiver.
func (rs *receiverServer) close(ctx context.Context) error {
	err := rs.srv.Shutdown(ctx)
	rs.recv.Close()
	if serr := <-rs.served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// startSink serves a callback endpoint that acknowledges every POST and
// looks at nothing: the callbackUri of a run without end-to-end measurement
// against the embedded emulator, which must post its notifications
// somewhere it allows.
func startSink() (*http.Server, string, error) {
	ln, err := net.Listen("tcp", DefaultListen)
	if err != nil {
		return nil, "", fmt.Errorf("notification sink: %w", err)
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, notify.DefaultMaxBodyBytes))
		w.WriteHeader(http.StatusAccepted)
	})}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String() + "/callback", nil
}
