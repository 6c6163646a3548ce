package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"gopkg.in/yaml.v3"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/load/result"
)

// loadCLI runs callcheck in process and returns its exit code and output.
func loadCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return loadCLIEnv(t, nil, args...)
}

// loadCLIEnv is loadCLI with environment variables.
func loadCLIEnv(t *testing.T, environ map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(k string) string { return environ[k] }}
	code := run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

// loadClosedAddr returns a loopback address nobody listens at.
func loadClosedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestLoadBadInput: bad usage exits 2 with a message naming what is wrong,
// before any traffic.
func TestLoadBadInput(t *testing.T) {
	dead := "http://" + loadClosedAddr(t) + "/beta"
	notDir := filepath.Join(t.TempDir(), "package.json")
	otherSchema := filepath.Join(t.TempDir(), "other.json")
	if os.WriteFile(notDir, []byte(`{"name": "not a result"}`), 0o600) != nil || os.WriteFile(otherSchema, []byte(`{"schemaVersion": "callcheck.dev/other/v9"}`), 0o600) != nil {
		t.Fatal("writing the inputs")
	}
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no subcommand", []string{"load"}, "needs a subcommand"},
		{"unknown subcommand", []string{"load", "destroy"}, `unknown load subcommand "destroy"`},
		{"zero rate", []string{"load", "create", "--rate", "0/s"}, "--rate"},
		{"rate that is not one", []string{"load", "create", "--rate", "lots"}, "--rate"},
		{"negative duration", []string{"load", "create", "--duration", "-1s"}, "--duration"},
		{"duration that is not one", []string{"load", "create", "--duration", "soon"}, "-duration"},
		{"two schedules", []string{"load", "create", "--rate", "1/s", "--ramp", "1/s..2/s"}, "exclusive"},
		{"steps without a duration", []string{"load", "create", "--steps", "10,20"}, "--steps"},
		{"threshold without a unit", []string{"load", "create", "--threshold", "p99<200"}, `threshold "p99<200", column 5`},
		{"threshold with an unknown metric", []string{"load", "create", "--threshold", "p98<1s"}, `unknown metric "p98"`},
		{"shard out of range", []string{"load", "create", "--shard", "4/4"}, "--shard"},
		{"unknown example", []string{"load", "create", "--example", "11"}, "--example"},
		{"grace of nothing", []string{"load", "create", "--grace", "0s"}, "--grace"},
		{"hangup without e2e", []string{"load", "create", "--hangup", "--e2e=false"}, "--hangup needs --e2e"},
		{"unreachable target", []string{"load", "create", "--target", dead, "--token", "x", "--e2e=false", "--callback-url", "https://bot.test/cb", "--example", "1"}, "--target: target " + dead + " is unreachable"},
		{"remote target without a tenant", []string{"load", "create", "--target", dead, "--token", "x", "--e2e=false", "--callback-url", "https://bot.test/cb", "--example", "all"}, "example 5: its tenantId"},
		{"remote target without e2e or a callback", []string{"load", "create", "--target", dead, "--token", "x", "--e2e=false", "--example", "1"}, "--e2e=false against --target needs --callback-url"},
		{"out that cannot be created", []string{"load", "create", "--out", filepath.Join(notDir, "results")}, "--out " + filepath.Join(notDir, "results") + " cannot be created"},
		{"report of JSON of another kind", []string{"report", notDir}, "is JSON but not a callcheck result"},
		{"report of an unknown schema", []string{"report", otherSchema}, `declares schema "callcheck.dev/other/v9"`},
		{"report into an out that cannot be created", []string{"report", "--out", filepath.Join(notDir, "r"), t.TempDir()}, "cannot be created"},
		{"callbacks of an unreachable bot", []string{"load", "callbacks", "--url", dead + "/callback", "--app-id", "a", "--duration", "200ms", "--out", t.TempDir()}, "--url: target " + dead + "/callback is unreachable"},
		{"callbacks without url", []string{"load", "callbacks", "--app-id", "a"}, "--url"},
		{"callbacks without app id", []string{"load", "callbacks", "--url", "http://127.0.0.1:1/cb"}, "--app-id"},
		{"callbacks of examples without notifications", []string{"load", "callbacks", "--url", "http://127.0.0.1:1/cb", "--app-id", "a", "--example", "2"}, "show no notification"},
		{"slo that does not parse", []string{"load", "capacity", "--slo", "p99<<1s"}, "--slo"},
		{"capacity max below start", []string{"load", "capacity", "--start", "100/s", "--max", "10/s"}, "--max"},
		{"report of nothing", []string{"report"}, "needs result files"},
		{"report of a missing directory", []string{"report", filepath.Join(t.TempDir(), "nope")}, "no such file"},
		{"report with a bad threshold", []string{"report", "--threshold", "success>=1.5", t.TempDir()}, "write a percentage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := loadCLI(t, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.msg) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and a message containing %q", code, stderr, tc.msg)
			}
			if stdout != "" {
				t.Errorf("stdout %q: want nothing done on bad usage", stdout)
			}
		})
	}
}

// TestLoadCreateThenReport: a short run against the embedded emulator
// passes its thresholds; report merges its directory and exits 1 on a
// threshold it breaches, and writes the merged summary as JSON.
func TestLoadCreateThenReport(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := loadCLI(t, "load", "create", "--rate", "50/s", "--duration", "400ms", "--example", "1,5", "--out", dir,
		"--threshold", "success>=100%,lost==0,requests==20")
	if code != exitOK || !strings.Contains(out, "End to end") || !strings.Contains(out, "ok   lost==0") {
		t.Fatalf("load create: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	code, out, _ = loadCLI(t, "report", "--threshold", "p99<1ns", dir)
	if code != exitFailed || !strings.Contains(out, "FAIL p99<1ns") {
		t.Fatalf("report with a breached threshold: exit %d\n%s", code, out)
	}
	code, out, _ = loadCLI(t, "report", "--json", "-", dir)
	var s result.Summary
	if err := json.Unmarshal([]byte(out), &s); code != exitOK || err != nil || s.SchemaVersion != result.SummarySchema || s.Requests.Count != 20 {
		t.Fatalf("report --json -: exit %d, %v, %+v", code, err, s.Requests)
	}
}

// TestLoadDryRun: --dry-run prints the plan and touches nothing.
func TestLoadDryRun(t *testing.T) {
	code, out, _ := loadCLI(t, "load", "create", "--rate", "400/s", "--duration", "1m", "--shard", "2/4", "--out", "res", "--dry-run")
	if code != exitOK || !strings.Contains(out, "shard 2/4 sends 6000 hits at 100.0/s") || !strings.Contains(out, "res/shard-2-of-4") {
		t.Fatalf("exit %d, %q", code, out)
	}
}

// loadDeployCommand is one container's command line in a deploy/ manifest.
type loadDeployCommand struct {
	job  string
	args []string
	env  map[string]string
}

// loadDeployCommands reads every Job container's command line in a manifest,
// with the ConfigMap values its envFrom names.
func loadDeployCommands(t *testing.T, path string) []loadDeployCommand {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type container struct {
		Command []string `yaml:"command"`
		Args    []string `yaml:"args"`
		EnvFrom []struct {
			ConfigMapRef struct{ Name string } `yaml:"configMapRef"`
		} `yaml:"envFrom"`
	}
	type doc struct {
		Kind     string `yaml:"kind"`
		Metadata struct{ Name string }
		Data     map[string]string `yaml:"data"`
		Secret   map[string]string `yaml:"stringData"`
		Spec     struct {
			Template struct {
				Spec struct{ Containers []container }
			}
		}
	}
	configMaps := map[string]map[string]string{}
	var jobs []doc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var d doc
		if err := dec.Decode(&d); err != nil {
			if errors.Is(err, os.ErrNotExist) || err.Error() == "EOF" {
				break
			}
			t.Fatalf("%s: %v", path, err)
		}
		switch d.Kind {
		case "ConfigMap":
			configMaps[d.Metadata.Name] = d.Data
		case "Secret":
			configMaps["secret:"+d.Metadata.Name] = d.Secret
		case "Job":
			jobs = append(jobs, d)
		}
	}
	var out []loadDeployCommand
	for _, j := range jobs {
		for _, c := range j.Spec.Template.Spec.Containers {
			env := map[string]string{}
			for name, data := range configMaps { // a Secret's values, as its secretKeyRef would give them
				if strings.HasPrefix(name, "secret:") {
					for k, v := range data {
						env[k] = v
					}
				}
			}
			for _, ef := range c.EnvFrom {
				for k, v := range configMaps[ef.ConfigMapRef.Name] {
					env[k] = v
				}
			}
			if len(c.Command) != 1 || c.Command[0] != "callcheck" {
				t.Fatalf("%s: job %s runs %v, not callcheck", path, j.Metadata.Name, c.Command)
			}
			out = append(out, loadDeployCommand{job: j.Metadata.Name, args: c.Args, env: env})
		}
	}
	return out
}

var loadKubeVar = regexp.MustCompile(`\$\(([A-Z_]+)\)`)

// kubeExpand replaces $(VAR) as Kubernetes does; an unknown variable fails.
func kubeExpand(t *testing.T, arg string, env map[string]string) string {
	return loadKubeVar.ReplaceAllStringFunc(arg, func(m string) string {
		v, ok := env[loadKubeVar.FindStringSubmatch(m)[1]]
		if !ok {
			t.Fatalf("%q uses %s, which the manifest does not define", arg, m)
		}
		return v
	})
}

// TestDeployManifests: the Indexed Job's command line, for every completion
// index, is accepted by callcheck's own flag parsing (--dry-run), each index
// getting its own shard and result directory; the merge Job's command line
// is too, over a real result directory.
func TestDeployManifests(t *testing.T) {
	cmds := loadDeployCommands(t, filepath.Join("..", "..", "deploy", "load-job.yaml"))
	if len(cmds) != 1 {
		t.Fatalf("load-job.yaml: %d callcheck containers, want 1", len(cmds))
	}
	for i := range 4 {
		env := cmds[0].env
		env["JOB_COMPLETION_INDEX"] = strconv.Itoa(i)
		env["CALLCHECK_START_AT"] = "2030-01-01T00:00:00Z" // the manifest maps it from a pod annotation (downward API)
		env["CALLCHECK_CLIENT_SECRET"] = "from-the-secret" // the manifest maps it from the Secret created beside it
		var args []string
		for _, a := range cmds[0].args {
			args = append(args, kubeExpand(t, a, env))
		}
		code, out, stderr := loadCLIEnv(t, env, append(args, "--dry-run")...)
		want := "shard " + strconv.Itoa(i) + "/4 sends 60000 hits at 200.0/s"
		if code != exitOK || !strings.Contains(out, want) || !strings.Contains(out, "/results/shard-"+strconv.Itoa(i)+"-of-4") {
			t.Fatalf("index %d: %v\nexit %d, %q %q; want %q", i, args, code, out, stderr, want)
		}
	}
	merge := loadDeployCommands(t, filepath.Join("..", "..", "deploy", "load-merge-job.yaml"))
	if len(merge) != 1 || merge[0].args[0] != "report" {
		t.Fatalf("load-merge-job.yaml: %+v", merge)
	}
	results := t.TempDir()
	if code, _, stderr := loadCLI(t, "load", "create", "--rate", "20/s", "--duration", "200ms", "--out", filepath.Join(results, "shard-0-of-1")); code != exitOK {
		t.Fatalf("making results to merge: %s", stderr)
	}
	var args []string
	for _, a := range merge[0].args {
		args = append(args, strings.ReplaceAll(a, "/results", results))
	}
	if code, _, stderr := loadCLI(t, args...); code == exitUsage || code == exitAborted {
		t.Fatalf("the merge command line %v: exit %d: %s", args, code, stderr)
	}
	if _, err := os.Stat(filepath.Join(results, "merged.json")); err != nil {
		t.Fatalf("the merge job's --json: %v", err)
	}
}

// loadBuildCallcheck builds the binary once for a test.
func loadBuildCallcheck(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "callcheck")
	testkit.GoBuild(t, ".", bin)
	return bin
}

// TestLoadProcesses runs the built binary: N shard processes against one
// emulator, merged by callcheck report; and an interrupt (SIGINT) that
// stops a run and still writes its results.
func TestLoadProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := loadBuildCallcheck(t)
	emb, err := load.StartEmbedded(context.Background(), load.EmbeddedConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = emb.Close(ctx)
	}()
	app := emb.Server.DefaultApp()
	target := []string{"--target", emb.Server.GraphBaseURL("beta"), "--client-id", app.ClientID, "--tenant-id", app.TenantID,
		"--token-url", emb.Server.TokenURL(app.TenantID), "--notification-openid", emb.Server.OpenIDConfigURL()}
	environ := append(os.Environ(), "CALLCHECK_CLIENT_SECRET="+app.ClientSecret)
	command := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Env = environ
		return cmd
	}
	t.Run("shards merge", func(t *testing.T) {
		out := t.TempDir()
		before := emb.Server.Stats().Creates
		var wg sync.WaitGroup
		errs := make([]error, 3)
		outputs := make([][]byte, 3)
		for i := range 3 {
			args := append([]string{"load", "create"}, target...)
			args = append(args, "--rate", "150/s", "--duration", "1s", "--shard", strconv.Itoa(i)+"/3", "--out", out, "--threshold", "lost==0")
			wg.Go(func() { outputs[i], errs[i] = command(args...).CombinedOutput() })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("shard %d: %v\n%s", i, err, outputs[i])
			}
		}
		if created := emb.Server.Stats().Creates - before; created != 150 {
			t.Errorf("the shards created %d calls, want 150", created)
		}
		merged, err := command("report", "--threshold", "lost==0,success>=100%,requests==150", "--json", "-", out).Output()
		if err != nil {
			t.Fatalf("report: %v\n%s", err, merged)
		}
		var s result.Summary
		if err := json.Unmarshal(merged, &s); err != nil || len(s.Runs) != 3 || s.E2E.Calls != 150 || s.Requests.OfferedRate != 150 {
			t.Fatalf("merged summary: %v, %d runs, e2e %+v, offered %v", err, len(s.Runs), s.E2E, s.Requests.OfferedRate)
		}
	})
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		interruptRun(t, sig, emb, target, command)
	}
}

// interruptRun stops a load run with sig: it writes what it gathered,
// exits 3 within a bound, and leaves no call live on the target.
func interruptRun(t *testing.T, sig syscall.Signal, emb *load.Embedded, target []string, command func(args ...string) *exec.Cmd) {
	t.Run(sig.String()+" writes what was gathered and deletes every call", func(t *testing.T) {
		out := t.TempDir()
		before := emb.Server.Stats().Creates
		cmd := command(append(append([]string{"load", "create"}, target...), "--rate", "100/s", "--duration", "60s", "--hangup", "--out", out)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		loadWaitFor(t, 20*time.Second, func() bool { return emb.Server.Stats().Creates-before >= 20 })
		sent := time.Now()
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != exitAborted {
			t.Fatalf("exit: %v, want %d\n%s", err, exitAborted, stderr.String())
		}
		if took := time.Since(sent); took > 10*time.Second {
			t.Errorf("stopping took %s", took)
		}
		m, err := result.ReadManifest(out)
		if err != nil {
			t.Fatal(err)
		}
		s, err := load.Merge(out)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Interrupted || !m.Complete || m.Sent < 20 || s.Requests.Count != m.Sent || !strings.Contains(stderr.String(), "interrupted") {
			t.Fatalf("manifest interrupted=%v complete=%v sent=%d, merged %d; stderr %q", m.Interrupted, m.Complete, m.Sent, s.Requests.Count, stderr.String())
		}
		if m.Cleanup == nil || m.Cleanup.Created == 0 || m.Cleanup.Deleted != m.Cleanup.Created || m.Cleanup.FailedCount != 0 {
			t.Fatalf("cleanup %+v; want every call created deleted", m.Cleanup)
		}
		// a deleted call leaves once its terminated notification is over
		// (delivered, or given up now that the run's receiver is gone)
		loadWaitFor(t, 20*time.Second, func() bool { return emb.Server.Stats().LiveCalls == 0 })
	})
}

// loadWaitFor polls cond until it holds or the deadline passes.
func loadWaitFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", d)
		}
		<-tick.C
	}
}

func TestTokenTenant(t *testing.T) {
	key := testkit.Key(t, 0)
	withTid, err := key.Sign(jwt.MapClaims{"tid": "11111111-2222-3333-4444-555555555555"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ token, want string }{
		{withTid, "11111111-2222-3333-4444-555555555555"}, // a JWT carrying tid
		{"opaque-token", ""},                              // not a JWT
		{"", ""},
	} {
		if got := tokenTenant(tc.token); got != tc.want {
			t.Errorf("tokenTenant(%.20q) = %q, want %q", tc.token, got, tc.want)
		}
	}
}

// TestLoadDefaultOutDirsDiffer: each load subcommand writes to its own
// default directory, so a capacity search never mixes into a load run's
// report.
func TestLoadDefaultOutDirsDiffer(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"load", "create", "--dry-run"}, "results in load-results"},
		{[]string{"load", "capacity", "--dry-run"}, "result in capacity-results"},
		{[]string{"load", "callbacks", "--url", "http://127.0.0.1:1/cb", "--app-id", "a", "--dry-run"}, "results in callbacks-results"},
	} {
		code, out, stderr := loadCLI(t, tc.args...)
		if code != exitOK || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, %q %q; want %q", tc.args, code, out, stderr, tc.want)
		}
	}
}

// TestReportGateOverAnInterruptedRun: thresholds over a run that was
// interrupted fail (exit 1) unless --accept-partial, and the text report
// says the run was interrupted and what did not run.
func TestReportGateOverAnInterruptedRun(t *testing.T) {
	dir := t.TempDir()
	if code, out, stderr := loadCLI(t, "load", "create", "--rate", "50/s", "--duration", "200ms", "--example", "1", "--out", dir); code != exitOK {
		t.Fatalf("load create: exit %d\n%s\n%s", code, out, stderr)
	}
	// The manifest is rewritten as a run interrupted after a sixth of its
	// schedule writes it (TestLoadProcesses makes a real interrupt).
	path := filepath.Join(dir, result.ManifestFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var man map[string]any
	if err := json.Unmarshal(data, &man); err != nil {
		t.Fatal(err)
	}
	man["interrupted"], man["scheduled"] = true, 60
	if data, err = json.Marshal(man); err != nil || os.WriteFile(path, data, 0o600) != nil {
		t.Fatal("rewriting the manifest")
	}
	code, out, stderr := loadCLI(t, "report", "--threshold", "lost==0,success>=99.9%", dir)
	if code != exitFailed || !strings.Contains(stderr, "interrupted run") {
		t.Errorf("gate over an interrupted run: exit %d, stderr %q; want exit 1", code, stderr)
	}
	if !strings.Contains(out, "was interrupted: it sent 10 of its 60 scheduled requests") {
		t.Errorf("the text report does not say the run was interrupted:\n%s", out)
	}
	if code, _, stderr = loadCLI(t, "report", "--accept-partial", "--threshold", "lost==0,success>=99.9%", dir); code != exitOK {
		t.Errorf("--accept-partial: exit %d, %s", code, stderr)
	}
	if code, out, _ = loadCLI(t, "report", "--format", "md", dir); code != exitOK || !strings.Contains(out, "was interrupted") {
		t.Errorf("Markdown report: exit %d, lacks the interruption:\n%s", code, out)
	}
}

// TestLoadCallbacksRefusedIsAFailure: a bot that answers 401 to every
// notification fails the flood (exit 1) and the message says so, with no
// threshold given.
func TestLoadCallbacksRefusedIsAFailure(t *testing.T) {
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "untrusted token", http.StatusUnauthorized)
	}))
	defer bot.Close()
	code, out, stderr := loadCLI(t, "load", "callbacks", "--url", bot.URL+"/callback", "--app-id", "a",
		"--rate", "20/s", "--duration", "200ms", "--out", t.TempDir())
	if code != exitFailed || !strings.Contains(stderr, "every one of the 4 requests failed (status 401×4)") {
		t.Fatalf("exit %d, stderr %q; want exit 1 naming the refusals\n%s", code, stderr, out)
	}
}

// TestLoadCallbacksInsecureProbe: --insecure reaches a bot with a
// self-signed certificate, the probe before the flood included.
func TestLoadCallbacksInsecureProbe(t *testing.T) {
	bot := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) }))
	defer bot.Close()
	code, out, stderr := loadCLI(t, "load", "callbacks", "--url", bot.URL+"/callback", "--app-id", "a", "--insecure",
		"--rate", "20/s", "--duration", "200ms", "--out", t.TempDir())
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q; want exit 0 with --insecure\n%s", code, stderr, out)
	}
}

// TestNothingHeld: a run that sent nothing, or whose every request failed,
// is a failure whatever its thresholds; one success is enough to judge.
func TestNothingHeld(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  result.RequestStats
		want string // "" when the run held
	}{
		{"nothing sent", result.RequestStats{}, "no request was sent"},
		{"all refused", result.RequestStats{Count: 3, StatusCodes: map[string]uint64{"401": 3}}, "every one of the 3 requests failed (status 401×3): the target refused the tokens"},
		{"all failed, mixed", result.RequestStats{Count: 3, StatusCodes: map[string]uint64{"500": 2, "0": 1}}, "status 0×1, 500×2)"},
		{"one success", result.RequestStats{Count: 3, Success: 1.0 / 3, StatusCodes: map[string]uint64{"201": 1, "500": 2}}, ""},
	} {
		err := nothingHeld(&result.Summary{Requests: tc.req})
		var fe failedError
		if tc.want == "" && err != nil || tc.want != "" && (!errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestLostCallsAreExplained: calls that never reached established fail a
// run that has no threshold on lost calls, and the message names the lobby
// as the usual cause; a lost threshold decides instead when given.
func TestLostCallsAreExplained(t *testing.T) {
	s := &result.Summary{Requests: result.RequestStats{Count: 10, Success: 1}, E2E: &result.E2EStats{Calls: 10, Lost: 1}}
	err := unexplainedLoss(s, nil)
	if !errors.As(err, new(failedError)) || !strings.Contains(err.Error(), "1 of 10 calls never reached established") || !strings.Contains(err.Error(), "lobby") {
		t.Errorf("a loss without a lost threshold: %v", err)
	}
	ts, _ := result.ParseThresholds("lost<=1")
	if err := unexplainedLoss(s, ts); err != nil {
		t.Errorf("a loss under a lost threshold: %v, want the threshold to decide", err)
	}
	s.E2E.Lost = 0
	if err := unexplainedLoss(s, nil); err != nil {
		t.Errorf("no loss: %v", err)
	}
}
