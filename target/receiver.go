package target

import (
	"context"
	"errors"
	"fmt"
	"github.com/callcheck/callcheck/internal/serve"
	"net"
	"net/http"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/notify"
)

// ReceiverConfig configures callcheck's notification receiver and the
// verifier of the notification tokens it accepts.
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

// KeysError is a failure to get the notification keys from the OpenID
// configuration before any notification arrives.
type KeysError struct {
	URL string // the OpenID configuration URL
	Err error
}

// Error names the flag and the URL.
func (e *KeysError) Error() string {
	return fmt.Sprintf("notification keys (--notification-openid %s): %v", e.URL, e.Err)
}

// Unwrap returns the cause.
func (e *KeysError) Unwrap() error { return e.Err }

// ListenError is an address that could not be listened on.
type ListenError struct {
	Addr string
	Err  error
}

// Error names the address.
func (e *ListenError) Error() string { return fmt.Sprintf("listen on %s: %v", e.Addr, e.Err) }

// Unwrap returns the cause.
func (e *ListenError) Unwrap() error { return e.Err }

// Receiver is a notify.Receiver served on a real socket.
type Receiver struct {
	*notify.Receiver
	srv         *http.Server
	callbackURL string
	served      chan error
}

// StartReceiver fetches the notification keys now (failing fast, with a
// *KeysError, when they cannot be had before ctx ends), then serves a
// notify.Receiver made with opts, verifying tokens against those keys with
// rc.AppID as audience. A busy or malformed address is a *ListenError.
func StartReceiver(ctx context.Context, rc ReceiverConfig, opts ...notify.Option) (*Receiver, error) {
	if rc.OpenIDConfigURL == "" || rc.AppID == "" {
		return nil, errors.New("the notification receiver needs the OpenID configuration URL of the notification keys and the app id")
	}
	v, err := identity.NewNotificationVerifier(rc.OpenIDConfigURL, rc.AppID)
	if err != nil {
		return nil, err
	}
	if err := v.Refresh(ctx); err != nil {
		return nil, &KeysError{URL: rc.OpenIDConfigURL, Err: err}
	}
	recv, err := notify.NewReceiver(v, opts...)
	if err != nil {
		return nil, err
	}
	addr := rc.Listen
	if addr == "" {
		addr = DefaultListen
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		recv.Close()
		return nil, &ListenError{Addr: addr, Err: err}
	}
	r := &Receiver{Receiver: recv, callbackURL: rc.CallbackURL, served: make(chan error, 1),
		srv: serve.New(recv)}
	if r.callbackURL == "" {
		r.callbackURL = "http://" + ln.Addr().String() + "/callback"
	}
	go func() { r.served <- r.srv.Serve(ln) }()
	return r, nil
}

// CallbackURL is the URL sent as callbackUri: the configured public one, or
// the receiver's own.
func (r *Receiver) CallbackURL() string { return r.callbackURL }

// Close stops the server (waiting for handlers until ctx ends), then the
// receiver's watches.
func (r *Receiver) Close(ctx context.Context) error {
	err := r.srv.Shutdown(ctx)
	r.Receiver.Close()
	if serr := <-r.served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
