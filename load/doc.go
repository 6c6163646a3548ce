// Package load measures how much call-creation and callback traffic a system
// sustains and where it breaks, on vegeta's attack engine
// (github.com/tsenart/vegeta/v12/lib).
//
// Three runs share one machinery:
//
//   - Create (callcheck load create) creates calls at a rate against a target
//     (the embedded emulator by default), with bodies from the documented
//     examples, fresh ids and a current token, and a callbackUri that reaches
//     callcheck's own notify.Receiver. Besides vegeta's per-request metrics it
//     measures end to end: from each request's scheduled send time to its
//     established (and, where documented, roster) notification.
//   - Callbacks (callcheck load callbacks) floods a bot's callback endpoint
//     with documented, properly signed notifications.
//   - Capacity (callcheck load capacity) steps then bisects the offered rate
//     to find the highest one that still meets an objective, and records the
//     whole curve.
//
// # Open model
//
// Pacers here know when each hit is due (Pacer.Due), not only how long to
// wait for the next one. A result's latency is counted from the hit's
// scheduled time, so a target (or a load generator) that falls behind shows
// its queueing in the latencies instead of hiding it (coordinated omission).
// The result files hold that: a vegeta Result's Timestamp is the scheduled
// send time and its Latency runs from there to the end of the response. The
// actual send lag is measured apart (result.Manifest.Achieved) and a run whose
// achieved rate falls short of the offered one says so loudly.
//
// # Result files
//
// A run writes a directory (docs/load.md has the layout): manifest.json
// (result.Manifest), results.gob (vegeta's own gob encoding, readable by
// `vegeta report`), e2e.jsonl (one result.Record per created call) and
// hangups.gob. Merge reads any number of such directories, from any number
// of shards or machines, into a result.Summary over which thresholds
// (result.Threshold) are evaluated. The documents themselves live in package
// load/result, which imports nothing of callcheck's, so that reports read
// them without this package.
package load
