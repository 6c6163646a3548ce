// Package emulator is callcheck's reference implementation of the Microsoft
// Graph cloud-communications Create call API: an importable, runnable,
// fault-injectable emulator that behaves like the documented service closely
// enough that a bot which works against it works against Microsoft Graph.
//
// Everything it does comes from ../shared/create-call-doc.txt (the documented
// page, "the doc") and ../shared/graph-calls-facts.md ("facts §N"); where they
// contradict each other the choice made is configurable where users differ,
// and docs/emulator.md lists every behaviour with its source and the choice.
//
// It serves, on one http.Handler:
//
//   - the Graph endpoints: POST /{beta,v1.0}/communications/calls (and the
//     deprecated POST /beta/app/calls), GET and DELETE …/calls/{id}, GET
//     …/calls/{id}/participants, POST …/calls/{id}/keepAlive, and answer and
//     reject for injected incoming calls;
//   - the emulated identity platform: POST /{tenant}/oauth2/v2.0/token (client
//     credentials, so golang.org/x/oauth2/clientcredentials works unchanged);
//   - the OpenID configuration and JWKS that sign notifications, at
//     /v1/.well-known/OpenIdConfiguration and /v1/keys (the paths of
//     https://api.aps.skype.com, facts §6);
//   - inspection and admin controls under /_callcheck/ (a prefix no Graph path
//     can have): recorded requests with their verdicts, deliveries, live calls,
//     admit/reject from the lobby, end a call from the far side, inject an
//     incoming call.
//
// Start it in-process with New (an http.Handler) or Start (a real listener),
// configured by a Config from NewConfig. It judges a create with the
// rulebook (graph/rules: the request's rules, the role matrix and the
// statuses and codes of refusals) and classifies it with graph.InferKind.
// The notification sequences, the deliberate contract violations
// (Violation) and the faults are documented on their types.
package emulator
