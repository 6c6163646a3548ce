// Package identity is callcheck's security layer: RSA signing keys and their
// JWKS (RFC 7517); an emulated Microsoft identity platform v2.0 (the
// client-credentials token endpoint and the Graph access tokens it issues,
// and their verification); notification tokens signed the way Graph signs its
// callbacks, and their verification through OpenID discovery; and the
// oauth2.TokenSource constructors clients use to call a target.
//
// The token shapes follow graph-calls-facts.md §5.2 (app tokens for Graph)
// and §6 (tokens on inbound notifications). Every verification failure is a
// *TokenError that matches, with errors.Is, ErrInvalidToken and exactly one
// reason sentinel (ErrMissingToken, ErrMalformed, ErrExpired, ...), so callers
// can map failures onto HTTP statuses and Graph error codes.
//
// Tokens with deliberate defects (expired, wrong audience, signed by a
// foreign key, ...) are minted with a Defect, for tests, negative
// conformance contracts and bot certification.
package identity
