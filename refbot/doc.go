// Package refbot is callcheck's reference calling bot: the smallest bot that
// speaks the Microsoft Graph Create call contract both ways, written to be read
// first by a bot vendor. `callcheck certify-bot` certifies it (see
// docs/certify-bot.md), and its deliberately broken variants (Flaw) prove that
// each certification check fails for the right reason.
//
// What a calling bot must do, and where this package does it:
//
//  1. Get an application token with the OAuth2 client-credentials grant,
//     scope https://graph.microsoft.com/.default (graph-calls-facts.md §5.2):
//     New, with golang.org/x/oauth2/clientcredentials.
//  2. Create calls with POST /communications/calls: an https callbackUri
//     (§1.1 "Must be an HTTPS URL"), a typed mediaConfig (§1.1 "Required"),
//     and what the scenario needs: targets, meeting coordinates, a guest or
//     an application-instance source: the documented example of the
//     scenario (create-call-doc.txt Examples 1–10) filled with the bot's
//     values by fixtures' request filler: Bot.Call and request.go. The app registration must grant the permission
//     each scenario needs (§5.1): Config.Permissions.
//  3. Verify the bearer token of every notification Graph posts to the
//     callback against the keys of the published OpenID configuration, with
//     the bot's app id as audience (§6), and refuse a bad one with 401:
//     Bot.ServeHTTP with identity.NotificationVerifier.
//  4. Acknowledge a valid notification with 202 at once (§6, and within ~5 s,
//     §8), whatever it holds: batches, duplicates, calls it does not know,
//     establishing and established out of order (§8), unknown properties
//     (the types are open, §2), enum values in any casing (§2).
//  5. Track each call's state without going backwards (calls.go) and hang up
//     with DELETE /communications/calls/{id} when told (§3.8): Bot.Hangup.
//
// What it leaves out, and a production bot adds: POST …/keepAlive every 15 to
// 45 minutes for long calls (§3.10), answering incoming calls (§3.7), media,
// and persistence of its calls across restarts.
//
// The control API (ControlHandler) is how an operator, or a certify-bot
// trigger, asks the bot to call and hang up, and how certify-bot observes the
// bot's view of a call (GET /calls/{id}); serve it on a private address only.
package refbot
