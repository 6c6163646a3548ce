package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func TestTargetFlagsResolve(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // substring of the usage error; "" for success
	}{
		{"no flags: embedded emulator", nil, nil, ""},
		{"embedded with a receiver address", []string{"--listen", "127.0.0.1:9000"}, nil, ""},
		{"token without target", []string{"--token", "x"}, nil, "--token needs --target"},
		{"target without credentials", []string{"--target", "https://graph.microsoft.com/beta"}, nil, "needs credentials"},
		{"target that is not absolute", []string{"--target", "graph.microsoft.com/beta", "--token", "x"}, nil, "--target"},
		{"static token", []string{"--target", "https://graph.microsoft.com/beta", "--token", "x"}, nil, ""},
		{"token and client id together", []string{"--target", "https://g/beta", "--token", "x", "--client-id", "c"}, nil, "exclusive"},
		{"client credentials without secret", []string{"--target", "https://g/beta", "--client-id", "c", "--tenant-id", "t"}, nil, "--client-secret"},
		{"secret from the environment", []string{"--target", "https://g/beta", "--client-id", "c", "--tenant-id", "t"}, map[string]string{secretEnv: "s"}, ""},
		{"client credentials without tenant or token URL", []string{"--target", "https://g/beta", "--client-id", "c", "--client-secret", "s"}, nil, "--tenant-id or --token-url"},
		{"bad listen address", []string{"--listen", "nonsense"}, nil, "--listen"},
		{"bad callback URL", []string{"--callback-url", "ftp://x"}, nil, "--callback-url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var tf targetFlags
			tf.register(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			err := tf.resolve(env(tc.env))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			case tc.wantErr != "" && exitCode(err) != exitUsage:
				t.Fatalf("exit code = %d, want %d", exitCode(err), exitUsage)
			}
		})
	}
}

func TestTargetFlagsDefaults(t *testing.T) {
	tf := targetFlags{target: "https://graph.microsoft.com/v1.0", clientID: "app", tenantID: "ten", clientSecret: "s", scope: defaultScope}
	if err := tf.resolve(nil); err != nil {
		t.Fatal(err)
	}
	if tf.tokenURL != "https://login.microsoftonline.com/ten/oauth2/v2.0/token" || tf.appID != "app" || tf.apiVersion() != "v1.0" {
		t.Errorf("defaults: tokenURL=%q appID=%q version=%q", tf.tokenURL, tf.appID, tf.apiVersion())
	}
	if !strings.Contains(tf.notificationOpenID, "api.aps.skype.com") {
		t.Errorf("notification OpenID default = %q", tf.notificationOpenID)
	}
}
