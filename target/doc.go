// Package target resolves, once, what a run of conform, certify-bot or load
// talks to: the embedded emulator (started on loopback for the run) or a
// remote Graph base URL given with --target; the token source that
// authorises the requests (OAuth2 client credentials through
// golang.org/x/oauth2, or a static token); and callcheck's notification
// receiver (its listen address and public callback URL) with the verifier
// of the notification tokens (the OpenID configuration whose keys sign
// them, the bot's app id as audience).
//
// A Config is what the user gives (flags or a library caller's fields);
// Resolve validates it once, naming the flag at fault, into a Spec, an
// immutable value; Open starts or connects to the target the Spec
// describes. Nothing is changed while setting up: the defaults a started
// target supplies (the embedded emulator's OpenID configuration, its app)
// are read from the Target, not written back into the Spec.
//
// The package is also the one door to the emulator for the rest of
// callcheck: the emulator's types a caller must name (its configuration,
// an app registration, a recorded request, a deliberate violation) are
// re-exported here, so that only cmd/callcheck and this package import
// the emulator.
package target
