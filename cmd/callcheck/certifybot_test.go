package main

import (
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/refbot"
	"github.com/callcheck/callcheck/report"
)

// TestCertifyBotUsage: bad flags exit 2 naming what is wrong.
func TestCertifyBotUsage(t *testing.T) {
	bot := []string{"--bot-name", "b", "--bot-version", "1"}
	trig := []string{"--trigger", "p2p=true"}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{trig, "--bot-name and --bot-version are required"},
		{bot, "give --trigger KEY=CMD"},
		{append(bot, "--trigger", "voip=true"), `--trigger "voip=true": unknown scenario "voip"`},
		{append(bot, "--trigger", "p2p"), `--trigger "p2p": want KEY=CMD`},
		{append(bot, "--trigger", "p2p=a", "--trigger", "p2p=b"), "scenario p2p has a trigger already"},
		{append(append(bot, trig...), "--wait", "1s"), "--trigger and --wait exclude each other"},
		{append(append(bot, trig...), "--calls", "2"), "--calls 2: a positive count, with --wait"},
		{append(append(bot, trig...), "--roles", "Calls.InitiateGroupCalls.All"), "the real permission is Calls.InitiateGroupCall.All"},
		{append(append(bot, trig...), "--bot-ca", "no/such.pem"), "--bot-ca"},
		{append(append(bot, trig...), "--bot-status", "http://127.0.0.1:9000/calls"), "must contain {id}"},
		{append(append(bot, trig...), "--ack-timeout", "0s"), "Timeouts.Ack"},
		{append(append(bot, trig...), "--listen", "256.0.0.1:0"), "listen"},
		{append(bot, "extra"), "no arguments"},
		{append(append(bot, trig...), "--tls-ca-file", "ca.pem"), "--tls-ca-file \"ca.pem\": only with --tls"},
		{append(append(bot, trig...), "--incoming-callback", "/incoming"), "IncomingCallback"},
	} {
		code, stdout, stderr := runCLI(append([]string{"certify-bot"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("certify-bot %v: exit %d, want %d with %q\nstdout: %s\nstderr: %s", tt.args, code, exitUsage, tt.want, stdout, stderr)
		}
	}
	if code, stdout, _ := runCLI("certify-bot", "--help"); code != exitOK || !strings.Contains(stdout, "Scenario keys") {
		t.Errorf("--help: exit %d\n%s", code, stdout)
	}
}

// TestCertifyBotHelperPOST is not a test: certify-bot's triggers run the
// test binary as a process with CERTIFYBOT_POST set, and it POSTs there.
func TestCertifyBotHelperPOST(t *testing.T) {
	url := os.Getenv("CERTIFYBOT_POST")
	if url == "" {
		t.Skip("a helper process for TestCertifyBot")
	}
	resp, err := http.Post(url, "", nil)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, string(body))
	if resp.StatusCode >= 300 {
		os.Exit(1)
	}
	os.Exit(0)
}

// postCommand is a shell command that POSTs to url through the helper.
func postCommand(url string) string {
	return fmt.Sprintf(`CERTIFYBOT_POST="%s" '%s' -test.run='^TestCertifyBotHelperPOST$'`, url, os.Args[0])
}

// cliBot is a reference bot served on loopback for a certify-bot process
// on listen: its https callback, its control API, its CA in a PEM file.
type cliBot struct {
	control string
	caFile  string
}

func startCLIBot(t *testing.T, listen, secret string, flaws ...refbot.Flaw) cliBot {
	t.Helper()
	var bot atomic.Pointer[refbot.Bot]
	cb := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { bot.Load().ServeHTTP(w, r) }))
	ctl := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { bot.Load().ControlHandler().ServeHTTP(w, r) }))
	t.Cleanup(func() { cb.Close(); ctl.Close() })
	graph := "http://" + listen
	b, err := refbot.New(t.Context(), refbot.Config{GraphURL: graph + "/v1.0", TokenURL: graph + "/" + emulator.DefaultTenantID + "/oauth2/v2.0/token",
		TenantID: emulator.DefaultTenantID, ClientID: emulator.DefaultClientID, ClientSecret: secret,
		OpenIDConfigURL: graph + emulator.OpenIDConfigPath, CallbackURL: cb.URL + "/callback", Flaws: flaws})
	if err != nil {
		t.Fatal(err)
	}
	bot.Store(b)
	ca := filepath.Join(t.TempDir(), "bot-ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cb.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	return cliBot{control: ctl.URL, caFile: ca}
}

// TestCertifyBot runs certify-bot against the reference bot, with shell
// triggers that drive the bot's control API, and against a broken variant.
func TestCertifyBot(t *testing.T) {
	const secret = "s3cret-for-the-test"
	for _, tc := range []struct {
		name  string
		flaws []refbot.Flaw
		code  int
		want  string
	}{
		{"reference bot", nil, exitOK, "Verdict: PASSED"},
		{"skips token verification", []refbot.Flaw{refbot.FlawSkipTokenVerification}, exitFailed, "FAILED        negative.expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			listen := testkit.FreeAddr(t)
			bot := startCLIBot(t, listen, secret, tc.flaws...)
			out := filepath.Join(t.TempDir(), "cert")
			args := []string{"certify-bot", "--bot-name", "refbot", "--bot-version", "test", "--listen", listen,
				"--client-secret", secret, "--roles", "Calls.Initiate.All,Calls.InitiateGroupCall.All", "--seed", "7",
				"--trigger", "p2p=" + postCommand(bot.control+"/calls?scenario=p2p"),
				"--trigger", "group=" + postCommand(bot.control+"/calls?scenario=group"),
				"--hangup", postCommand(bot.control + "/calls/$CALLCHECK_CALL_ID/hangup"),
				"--bot-status", bot.control + "/calls/{id}", "--bot-ca", bot.caFile, "--out", out,
				// No answer of these bots is meant to be late; a starved machine
				// (-race, busy loops) took 5.2 s to acknowledge the large roster.
				"--ack-timeout", "15s"}
			code, stdout, stderr := runCLI(args...)
			if code != tc.code || !strings.Contains(stdout, tc.want) {
				t.Fatalf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, tc.code, tc.want, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, secret) {
				t.Error("certify-bot echoed the client secret the user supplied")
			}
			checkCertificate(t, out, secret)
		})
	}
}

// checkCertificate reads the certificate written and checks what it says
// about its own reproduction.
func checkCertificate(t *testing.T, dir, secret string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "certificate.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cert, err := report.ReadCertificate(f)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Seed != 7 || !strings.Contains(cert.Reproduce, "--seed 7") || !strings.Contains(cert.Reproduce, `--client-secret "$CALLCHECK_CLIENT_SECRET"`) {
		t.Errorf("seed %d, reproduce %s", cert.Seed, cert.Reproduce)
	}
	for _, name := range []string{"certificate.json", "certificate.md", "certificate.junit.xml"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || strings.Contains(string(data), secret) {
			t.Errorf("%s: err %v, or the secret is in it", name, err)
		}
	}
}

// TestReproduceCommand: the flags set, in a fixed order, quoted for sh;
// the seed always; the secret from the environment.
func TestReproduceCommand(t *testing.T) {
	fs := newFlagSet(&env{stderr: io.Discard}, "certify-bot", "", "")
	var f certifyBotFlags
	f.register(fs)
	args := []string{"--trigger", "p2p=curl -X POST 'http://h/calls?scenario=p2p'", "--client-secret", "x", "--bot-name", "Contoso Bot", "--bot-version", "1"}
	if err := parseFlags(fs, args); err != nil {
		t.Fatal(err)
	}
	got := reproduceCommand(fs, flagsSet(fs), 99)
	want := `callcheck certify-bot --bot-name 'Contoso Bot' --bot-version 1 --client-secret "$CALLCHECK_CLIENT_SECRET" --seed 99 --trigger 'p2p=curl -X POST '\''http://h/calls?scenario=p2p'\'''`
	if got != want {
		t.Errorf("reproduce\n got %s\nwant %s", got, want)
	}
}
