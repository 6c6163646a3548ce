// Package notify carries call notifications both ways.
//
// A Sender plays Graph: it POSTs commsNotifications batches to callback URLs
// with the headers Graph sends (graph-calls-facts §2 "Transport of a
// notification") and a bearer token from a TokenSigner, over pooled
// keep-alive connections, with bounded concurrency, a per-POST timeout, a
// retry policy, redirects refused, and every attempt recorded in a bounded
// Recorder.
//
// A Receiver plays a bot's callback endpoint for callcheck itself: it
// verifies every POST's token with a TokenVerifier, parses the envelope
// strictly, correlates each notification to its call by resourceUrl and
// streams Events: to a global hook (the load module's low-overhead path) and
// to CallWatches (the conformance suites' path: wait for the notifications
// of one call, in any order, under a context deadline). Everything it keeps
// is bounded.
package notify
