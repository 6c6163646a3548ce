package deploy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/load/result"
)

// The local run of the Indexed Job is the manifest's command line with
// these rewritten, and nothing else:
//   - the ConfigMap's values: the embedded emulator's URLs and app instead
//     of the example target's (as a real ConfigMap would name the real one);
//   - --listen and --callback-url: each shard's receiver on its own loopback
//     port (four processes cannot share 0.0.0.0:8443, and there is no
//     Ingress), the callback URL being the receiver's own;
//   - --rate and --duration: scaled down by simRateDivisor and to
//     simDuration, so that five processes fit on a small shared machine;
//   - --out and the merge Job's /results: a temporary directory.
const (
	simRateDivisor = 8 // 800/s becomes 100/s
	simDuration    = 4 * time.Second
	// simStartMargin is how far ahead the start time is stamped, as the
	// Job's creation would: room for every process to start, probe the
	// target and get its token on a busy machine.
	simStartMargin = 6 * time.Second
)

// The merged report of the shards equals one process at the total rate:
// the same requests and calls, the same success ratio and, within
// simRateTolerance, the same achieved rate. Latencies are not compared (a
// busy machine moves them), and a breach of a latency threshold (exit 1,
// "thresholds breached: p99<500ms (actual ...)") is accepted: the
// manifest's thresholds are written for the cluster, not for this machine.
// A breach of any other threshold (success, lost) fails the test.
const simRateTolerance = 0.10

// latencyBreachOnly reports whether err is exit 1 with only latency
// thresholds breached, as out says.
func latencyBreachOnly(err error, out []byte) bool {
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		return false
	}
	_, list, ok := strings.Cut(string(out), "thresholds breached: ")
	if !ok {
		return false
	}
	list, _, _ = strings.Cut(list, "\n")
	for _, b := range strings.Split(list, "; ") {
		if !regexp.MustCompile(`^(e2e\.)?p\d+(\.\d+)?<`).MatchString(b) {
			return false
		}
	}
	return true
}

// runAccepting runs cmd and fails the test unless it passed or only
// breached latency thresholds.
func runAccepting(t *testing.T, what string, cmd *exec.Cmd) []byte {
	t.Helper()
	out, err := cmd.CombinedOutput()
	switch {
	case err == nil:
	case latencyBreachOnly(err, out):
		t.Logf("%s breached latency thresholds on this machine: %s", what, firstLineWith(out, "thresholds breached"))
	default:
		t.Fatalf("%s: %v\n%s", what, err, out)
	}
	return out
}

func firstLineWith(out []byte, s string) string {
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// buildCallcheck builds the callcheck binary as the image does.
func buildCallcheck(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "callcheck")
	testkit.GoBuild(t, "../cmd/callcheck", bin)
	return bin
}

// kubeExpand expands $(VAR) references as the kubelet does for a
// container's args: a defined variable is replaced, an undefined one is
// left as written, and $$ is a literal $.
func kubeExpand(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		if s[i] == '$' && i+1 < len(s) && s[i+1] == '(' {
			if end := strings.IndexByte(s[i:], ')'); end > 0 {
				if v, ok := env[s[i+2:i+end]]; ok {
					b.WriteString(v)
					i += end
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// jobEnv is the environment Kubernetes gives the container: its envFrom
// ConfigMaps, then its env (a Secret's or the downward API's values are
// given by the caller in from).
func jobEnv(t *testing.T, objs *objects, c *corev1.Container, from map[string]string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, ef := range c.EnvFrom {
		for k, v := range objs.configMaps[ef.ConfigMapRef.Name].Data {
			env[k] = v
		}
	}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			env[e.Name] = kubeExpand(e.Value, env)
		default:
			v, ok := from[e.Name]
			if !ok {
				t.Fatalf("env %s comes from %+v, which the simulation does not provide", e.Name, e.ValueFrom)
			}
			env[e.Name] = v
		}
	}
	for k, v := range from {
		if _, ok := env[k]; ok || k == "JOB_COMPLETION_INDEX" {
			env[k] = v
		}
	}
	return env
}

// rewrite applies the simulation's rewrites (see above) to expanded args.
func rewrite(t *testing.T, args []string, out string) []string {
	t.Helper()
	var res []string
	for _, a := range args {
		name, value, _ := strings.Cut(a, "=")
		switch name {
		case "--listen":
			a = "--listen=127.0.0.1:0"
		case "--callback-url":
			continue
		case "--rate":
			r, unit, ok := strings.Cut(value, "/")
			n, err := strconv.ParseFloat(r, 64)
			if !ok || err != nil {
				t.Fatalf("--rate=%s: want N/UNIT", value)
			}
			a = fmt.Sprintf("--rate=%g/%s", n/simRateDivisor, unit)
		case "--duration":
			a = "--duration=" + simDuration.String()
		case "--out":
			a = "--out=" + out
		}
		res = append(res, a)
	}
	return res
}

// environ turns env into a process environment.
func environ(env map[string]string) []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir()}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// runMerge runs the merge Job's command line over dir and returns the
// summary it wrote to its --json file.
func runMerge(t *testing.T, bin string, mergeArgs []string, dir string) *result.Summary {
	t.Helper()
	var args []string
	for _, a := range mergeArgs {
		args = append(args, strings.ReplaceAll(a, "/results", dir))
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = environ(nil)
	runAccepting(t, fmt.Sprintf("the merge job's command %v", args), cmd)
	jsonPath, _ := flagValue(args, "json")
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatalf("the merge job's --json: %v", err)
	}
	var s result.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v", jsonPath, err)
	}
	return &s
}

// TestIndexedJobSimulation runs deploy/load-job.yaml as Kubernetes would,
// on this machine: N processes of the built binary, JOB_COMPLETION_INDEX
// 0..N-1, the manifest's own args expanded from its ConfigMap and env (the
// secret and the start annotation given as the Secret and the downward API
// would), against one embedded emulator; then the merge Job's command over
// their results; then one process with the same args at the total rate,
// unsharded. The merged report must equal the single one within the
// tolerances above.
func TestIndexedJobSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds callcheck and runs five load processes")
	}
	objs := readManifests(t)
	job, merge := objs.jobs[loadJob], objs.jobs[mergeJob]
	c := container(t, job)
	n := shardCount(t, c.Args)
	bin := buildCallcheck(t)

	emb, err := load.StartEmbedded(context.Background(), load.EmbeddedConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = emb.Close(ctx)
	})
	app := emb.Server.DefaultApp()
	cm := objs.configMaps[c.EnvFrom[0].ConfigMapRef.Name].Data
	for k, v := range map[string]string{"TARGET": emb.Server.GraphBaseURL("beta"), "TENANT_ID": app.TenantID, "CLIENT_ID": app.ClientID,
		"TOKEN_URL": emb.Server.TokenURL(app.TenantID), "NOTIFICATION_OPENID": emb.Server.OpenIDConfigURL()} {
		if _, ok := cm[k]; !ok {
			t.Fatalf("the ConfigMap has no %s", k)
		}
		cm[k] = v
	}

	results := t.TempDir()
	start := time.Now().Add(simStartMargin).UTC().Truncate(time.Second).Add(time.Second)
	before := emb.Server.Stats().Creates
	var wg sync.WaitGroup
	outputs, errs := make([][]byte, n), make([]error, n)
	for i := range n {
		env := jobEnv(t, objs, c, map[string]string{
			"JOB_COMPLETION_INDEX":    strconv.Itoa(i), // set by the Job controller in Indexed mode
			"CALLCHECK_CLIENT_SECRET": app.ClientSecret,
			load.StartAtEnv:           start.Format(time.RFC3339), // the pod annotation, stamped at creation
		})
		var args []string
		for _, a := range c.Args {
			args = append(args, kubeExpand(a, env))
		}
		cmd := exec.Command(bin, rewrite(t, args, results)...)
		cmd.Env = environ(env)
		wg.Go(func() { outputs[i], errs[i] = cmd.CombinedOutput() })
	}
	wg.Wait()
	for i, err := range errs {
		switch {
		case err == nil:
		case latencyBreachOnly(err, outputs[i]):
			t.Logf("shard %d/%d breached latency thresholds on this machine: %s", i, n, firstLineWith(outputs[i], "thresholds breached"))
		default:
			t.Fatalf("shard %d/%d: %v\n%s", i, n, err, outputs[i])
		}
	}
	created := emb.Server.Stats().Creates - before
	merged := runMerge(t, bin, container(t, merge).Args, results)

	// One process, the same args unsharded, started at once.
	single := t.TempDir()
	env := jobEnv(t, objs, c, map[string]string{"JOB_COMPLETION_INDEX": "0", "CALLCHECK_CLIENT_SECRET": app.ClientSecret, load.StartAtEnv: ""})
	var args []string
	for _, a := range c.Args {
		if name, _, _ := strings.Cut(a, "="); name != "--shard" && name != "--start-at" {
			args = append(args, kubeExpand(a, env))
		}
	}
	cmd := exec.Command(bin, rewrite(t, args, single)...)
	cmd.Env = environ(env)
	runAccepting(t, "the single process", cmd)
	whole := runMerge(t, bin, container(t, merge).Args, single)

	t.Log("\n" + sideBySide(whole, merged))
	compare(t, whole, merged, n, created)
	if merged.Overlap == nil || !merged.Overlap.Start.Before(merged.Overlap.End) {
		t.Errorf("the merged shards report no overlap: %+v", merged.Overlap)
	}
	for _, m := range merged.Runs {
		if !m.StartAt.Equal(start) || m.Start.Before(start) {
			t.Errorf("shard %s: start %v, began %v; want %v and not before", m.Shard, m.StartAt, m.Start, start)
		}
	}
}

// compare checks the merged summary against the single one.
func compare(t *testing.T, whole, merged *result.Summary, n int, created uint64) {
	t.Helper()
	if len(merged.Runs) != n || len(whole.Runs) != 1 {
		t.Fatalf("%d shard runs merged (want %d), %d single runs", len(merged.Runs), n, len(whole.Runs))
	}
	if merged.Requests.Count != whole.Requests.Count || created != merged.Requests.Count {
		t.Errorf("requests: merged %d (emulator saw %d), single %d; want equal", merged.Requests.Count, created, whole.Requests.Count)
	}
	if merged.Requests.Success != whole.Requests.Success {
		t.Errorf("success: merged %v, single %v; want equal", merged.Requests.Success, whole.Requests.Success)
	}
	if merged.Requests.OfferedRate != whole.Requests.OfferedRate {
		t.Errorf("offered rate: merged %v, single %v; want equal", merged.Requests.OfferedRate, whole.Requests.OfferedRate)
	}
	if d := math.Abs(merged.Requests.Rate-whole.Requests.Rate) / whole.Requests.Rate; !(d <= simRateTolerance) {
		t.Errorf("achieved rate: merged %.2f/s, single %.2f/s: %.1f%% apart, more than %.0f%%", merged.Requests.Rate, whole.Requests.Rate, 100*d, 100*simRateTolerance)
	}
	if whole.E2E == nil || merged.E2E == nil {
		t.Fatal("no end-to-end measurement")
	}
	we, me := *whole.E2E, *merged.E2E
	if we.Calls != me.Calls || we.OK != me.OK || we.Established != me.Established || we.Lost != me.Lost || we.RosterExpected != me.RosterExpected {
		t.Errorf("end to end: merged %d calls, %d ok, %d established, %d lost, %d rosters expected; single %d, %d, %d, %d, %d",
			me.Calls, me.OK, me.Established, me.Lost, me.RosterExpected, we.Calls, we.OK, we.Established, we.Lost, we.RosterExpected)
	}
}

// sideBySide renders the single and merged figures as a table.
func sideBySide(whole, merged *result.Summary) string {
	rows := [][3]string{{"", "single process", "merged shards"}}
	add := func(name, format string, w, m any) {
		rows = append(rows, [3]string{name, fmt.Sprintf(format, w), fmt.Sprintf(format, m)})
	}
	add("runs", "%d", len(whole.Runs), len(merged.Runs))
	add("requests", "%d", whole.Requests.Count, merged.Requests.Count)
	add("success", "%.4f", whole.Requests.Success, merged.Requests.Success)
	add("offered rate /s", "%.2f", whole.Requests.OfferedRate, merged.Requests.OfferedRate)
	add("achieved rate /s", "%.2f", whole.Requests.Rate, merged.Requests.Rate)
	add("latency p50", "%s", time.Duration(whole.Requests.Latency.P50), time.Duration(merged.Requests.Latency.P50))
	add("latency p99", "%s", time.Duration(whole.Requests.Latency.P99), time.Duration(merged.Requests.Latency.P99))
	add("e2e calls", "%d", whole.E2E.Calls, merged.E2E.Calls)
	add("e2e ok", "%d", whole.E2E.OK, merged.E2E.OK)
	add("e2e lost", "%d", whole.E2E.Lost, merged.E2E.Lost)
	add("e2e p99", "%s", time.Duration(whole.E2E.Latency.P99), time.Duration(merged.E2E.Latency.P99))
	add("thresholds passed", "%v", whole.Passed, merged.Passed)
	overlap := "n/a"
	if o := merged.Overlap; o != nil {
		overlap = fmt.Sprintf("%s (%.1f%%)", time.Duration(o.Duration).Round(time.Millisecond), 100*o.Ratio)
	}
	rows = append(rows, [3]string{"shard overlap", "n/a", overlap})
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-18s %-16s %s\n", r[0], r[1], r[2])
	}
	return b.String()
}

// TestLatencyBreachOnly: only an exit 1 whose breached thresholds are all
// latencies is accepted.
func TestLatencyBreachOnly(t *testing.T) {
	exit1 := exec.Command("sh", "-c", "exit 1").Run()
	exit2 := exec.Command("sh", "-c", "exit 2").Run()
	for _, tc := range []struct {
		err  error
		out  string
		want bool
	}{
		{exit1, "x\nError: thresholds breached: p99<500ms (actual 612ms); e2e.p99<3s (actual 3.2s)\n", true},
		{exit1, "Error: thresholds breached: p99<500ms (actual 612ms); lost==0 (actual 2)\n", false},
		{exit1, "Error: thresholds breached: success>=99.9% (actual 98%)\n", false},
		{exit1, "some other failure\n", false},
		{exit2, "thresholds breached: p99<500ms (actual 612ms)\n", false},
	} {
		if got := latencyBreachOnly(tc.err, []byte(tc.out)); got != tc.want {
			t.Errorf("%v %q: %v, want %v", tc.err, tc.out, got, tc.want)
		}
	}
}
