// Package preflight checks, before a run, that everything a run against a
// target needs is in place, so that a setup problem (an app without admin
// consent for a permission, a token for another tenant, a callback URL the
// target cannot reach, a values file with a placeholder left in) is told
// apart from a defect of the target, in one line naming the fix, instead of
// surfacing minutes later as failed contracts.
//
// Run makes the checks in a fixed order (Checks): the token, the
// permissions its roles grant, the values file, the callback URL, the
// notification keys, and the target's answer to an unknown call. Each gives
// one Result; a check that cannot run because an earlier one failed is
// skipped. `callcheck doctor` prints them; conform, load and certify-bot run
// them first and stop on the first failure.
package preflight
