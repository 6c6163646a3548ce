// Package certify is bot certification, `callcheck certify-bot`: it plays
// Microsoft Graph against a vendor's calling bot and issues a certificate
// (report.Certificate) saying whether the bot speaks the documented Create
// call contract both ways.
//
// Outbound, the bot creates calls — on a Trigger per scenario Key, or on its
// own while certify-bot waits — against the emulator (package emulator),
// started on a real socket; each create request is judged against the
// request contract of its scenario's documented examples
// (create-call-doc.txt Examples 1–10, graph-calls-facts.md §1.2, §4.4, §5):
// schema, required fields, the permissions its token holds, an https
// callback, well-formed identities, no read-only property (a warning where
// the doc's own example sends it).
//
// Inbound, certify-bot posts to the bot's callback, signed as Graph signs
// (notify.Sender, the emulator's notification key), the documented
// notification sequence of each call, then on one call a robustness set
// (duplicates, out of order, batches, enum casing, unknown properties,
// malformed JSON, an unknown call, a large roster) and a negative set of
// forged notifications that must be refused and must not change the bot's
// view of the call, and finally the call's end. The bot's view is observed
// black-box: its answers, its requests to Graph (its DELETE when told to
// hang up), and its status endpoint when it has one.
//
// Every choice is seeded (Config.Seed) so a run reproduces, and every wait is
// bounded (Timeouts). Start a Session, configure the bot with its
// Endpoints, Certify, and write the certificate with WriteFiles; Run does all
// of it. docs/certify-bot.md documents the checks (Catalog), what can and
// cannot be observed, and the flaw × check matrix that proves each check can
// fail (package refbot's flaws).
package certify
