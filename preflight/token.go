package preflight

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/target"
)

const (
	fixCredentials = "check --client-id, the client secret (--client-secret or CALLCHECK_CLIENT_SECRET) and --tenant-id or --token-url: the secret must be one of this app's, in this tenant"
	fixDelegated   = "get an application token with client credentials (--client-id, --client-secret, --tenant-id) instead of a user's --token"
)

// checkToken opens the target (for a remote one, the token endpoint gives
// a first token now) and reads the token's claims without verifying them:
// it is callcheck's own token, read to explain what the target will make
// of it. An application token has roles and no scp (graph-calls-facts.md
// §5.2); its tid must be the run's tenant (a mismatch is 403 7505, §4.2).
func (r *run) checkToken(ctx context.Context) Result {
	var opts []target.Option
	if r.cfg.Target.Embedded() && r.cfg.App.ClientID != "" {
		opts = append(opts, target.WithApps(r.cfg.App))
	}
	octx, cancel := context.WithTimeout(ctx, r.cfg.Timeouts.Request)
	defer cancel()
	tgt, err := target.Open(octx, r.cfg.Target, opts...)
	if err != nil {
		r.tokErr = err
		return fail(CheckToken, fixCredentials, "%s", errText(err))
	}
	r.tgt = tgt
	tok, err := tgt.Tokens().Token()
	if err != nil {
		r.tokErr = err
		return fail(CheckToken, fixCredentials, "getting a token: %s", errText(err))
	}
	r.token = tok.AccessToken
	c, err := claimsOf(r.token)
	if err != nil {
		r.tokErr = err
		return fail(CheckToken, "use an application token from the client-credentials flow (--client-id, --client-secret)",
			"the token is not a JWT whose claims can be read (%s), so its roles and tenant are unknown", errText(err))
	}
	return r.judgeClaims(c)
}

// claimsOf decodes a JWT's claims without verifying its signature.
func claimsOf(token string) (*identity.GraphClaims, error) {
	var c identity.GraphClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// judgeClaims says whether the claims are an application token's for the
// run's tenant.
func (r *run) judgeClaims(c *identity.GraphClaims) Result {
	app := c.AppID
	if app == "" {
		app = "(no appid)"
	}
	switch {
	case c.IsDelegated():
		r.tokErr = fmt.Errorf("delegated token")
		return fail(CheckToken, fixDelegated, "a delegated (user) token (scp %q%s): Create call takes application tokens only, "+
			"Graph answers 7500 \"Unsupported AAD Identity.\" (graph-calls-facts.md §4.2, §4.4)", c.Scope, userOf(c))
	case len(c.Roles) == 0:
		r.tokErr = fmt.Errorf("no roles")
		return fail(CheckToken, "add the Calls.* application permissions to app "+app+" and grant admin consent (graph-calls-facts.md §5.1)",
			"an application token of app %s with no roles claim: no application permission is granted to it", app)
	case r.cfg.TenantID != "" && !strings.EqualFold(c.TenantID, r.cfg.TenantID):
		r.tokErr = fmt.Errorf("wrong tenant")
		return fail(CheckToken, "give --tenant-id (and tenantId in the values file) of the tenant the app's token is for, or a client secret of the app in tenant "+r.cfg.TenantID,
			"the token is for tenant %s, not the run's tenant %s: Graph answers 403 7505 \"Request authorization tenant mismatch.\" (graph-calls-facts.md §4.2)",
			orNone(c.TenantID), r.cfg.TenantID)
	}
	return pass(CheckToken, "application token of app %s in tenant %s, roles %s", app, orNone(c.TenantID), strings.Join(c.Roles, ", "))
}

func userOf(c *identity.GraphClaims) string {
	if c.UserName == "" {
		return ""
	}
	return ", user " + c.UserName
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// checkPermissions says whether the token's roles grant every permission
// the run's scenarios need (graph.Scenario.Permissions: the real, singular
// names, graph-calls-facts.md §5.1 and §9.1). A missing one is 403 7504 on
// every create of that scenario (§4.2).
func (r *run) checkPermissions() Result {
	if r.tokErr != nil {
		return skip(CheckPermissions, "no application token to read roles from")
	}
	c, _ := claimsOf(r.token)
	return RolesCover(c.AppID, c.Roles, r.cfg.Scenarios, "grant it to app %s as an application permission and have an admin consent, or claim fewer features (--features)")
}

// RolesCover is the permissions check on roles granted to app: every
// permission the scenarios need must be among them. fix is the advice when
// one is missing, with %s for the app. The missing permission is named with
// the first scenario that needs it.
func RolesCover(app string, roles []string, scenarios []graph.Scenario, fix string) Result {
	var missing []string
	needed := map[string]bool{}
	for _, s := range scenarios {
		for _, p := range s.Permissions() {
			if needed[p] {
				continue
			}
			needed[p] = true
			if !slices.Contains(roles, p) {
				missing = append(missing, fmt.Sprintf("%s, which scenario %s (%s) needs", p, scenarioName(s), featureList(s)))
			}
		}
	}
	if len(missing) > 0 {
		return fail(CheckPermissions, fmt.Sprintf(fix, app),
			"app %s lacks %s: Graph answers 403 7504 \"Insufficient enterprise tenant permissions\" to such a create (graph-calls-facts.md §4.2, §5.1)",
			app, strings.Join(missing, "; and "))
	}
	perms := make([]string, 0, len(needed))
	for _, p := range graph.CallingRoles() {
		if needed[p] {
			perms = append(perms, p)
		}
	}
	if len(perms) == 0 {
		return pass(CheckPermissions, "no scenario claimed needs a calling permission")
	}
	return pass(CheckPermissions, "the roles grant what the %d scenarios claimed need (%s)", len(scenarios), strings.Join(perms, ", "))
}

// scenarioName names a scenario by its key, a channel meeting as such.
func scenarioName(s graph.Scenario) string {
	if s.Kind == graph.KindChannelMeeting {
		name := "channel-meeting"
		if s.Media == graph.MediaAppHosted {
			name += "-app"
		}
		return name
	}
	return s.Key()
}

func featureList(s graph.Scenario) string {
	fs := s.Features()
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = string(f)
	}
	return "features " + strings.Join(names, ", ")
}
