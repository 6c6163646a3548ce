package load

import (
	"context"
	"errors"
	"fmt"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/serve"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/target"
)

// DefaultListen is where the receiver listens when told nothing: loopback,
// a free port.
const DefaultListen = target.DefaultListen

// ReceiverConfig configures callcheck's notification receiver (the
// end-to-end measurement): its address, its public callback URL, the
// OpenID configuration of the notification keys and the app id their
// tokens name as audience.
type ReceiverConfig = target.ReceiverConfig

// receiverServer is the receiver of a run.
type receiverServer struct {
	recv        *target.Receiver
	callbackURL string
}

// startReceiver fetches the notification keys (failing fast, naming the
// OpenID URL, when they cannot be had), then serves a Receiver whose events
// go to hook.
func startReceiver(ctx context.Context, rc ReceiverConfig, hook func(notify.Event), probe time.Duration) (*receiverServer, error) {
	if rc.OpenIDConfigURL == "" || rc.AppID == "" {
		return nil, errors.New("end-to-end measurement needs the notification OpenID configuration URL and the app id")
	}
	rctx, cancel := context.WithTimeout(ctx, probe)
	defer cancel()
	recv, err := target.StartReceiver(rctx, rc, notify.WithEventHook(hook), notify.WithPendingLimits(notify.PendingLimits{}))
	var ke *target.KeysError
	var le *target.ListenError
	switch {
	case errors.As(err, &ke):
		return nil, fmt.Errorf("notification keys from %s: %w", identity.RedactURL(ke.URL), ke.Err)
	case errors.As(err, &le):
		return nil, fmt.Errorf("receiver: listening on %s: %w", le.Addr, le.Err)
	case err != nil:
		return nil, err
	}
	return &receiverServer{recv: recv, callbackURL: recv.CallbackURL()}, nil
}

// counts returns the receiver's counters.
func (rs *receiverServer) counts() result.ReceiverCounts {
	st := rs.recv.Stats()
	return result.ReceiverCounts{Posts: st.Posts, Rejected: st.Rejected, Notifications: st.Notifications}
}

// close stops the server (waiting for handlers until ctx ends) and the receiver.
func (rs *receiverServer) close(ctx context.Context) error { return rs.recv.Close(ctx) }

// startSink serves a callback endpoint that acknowledges every POST and
// looks at nothing: the callbackUri of a run without end-to-end measurement
// against the embedded emulator, which must post its notifications
// somewhere it allows.
func startSink() (*http.Server, string, error) {
	ln, err := net.Listen("tcp", DefaultListen)
	if err != nil {
		return nil, "", fmt.Errorf("notification sink: %w", err)
	}
	srv := serve.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, notify.DefaultMaxBodyBytes))
		w.WriteHeader(http.StatusAccepted)
	}))
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String() + "/callback", nil
}
