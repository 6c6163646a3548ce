package deploy_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/callcheck/callcheck/load"
)

// objects are the decoded documents of the manifests in deploy/.
type objects struct {
	jobs       map[string]*batchv1.Job
	configMaps map[string]*corev1.ConfigMap
	claims     map[string]*corev1.PersistentVolumeClaim
	files      map[string]string // object "Kind/name" → file
}

// decodeStrict decodes one YAML document into v as the API server's strict
// field validation (kubectl --validate=strict) does, with the same
// libraries: sigs.k8s.io/yaml converts it to JSON, refusing a duplicated
// field, and sigs.k8s.io/json decodes that case-sensitively, refusing an
// unknown field (encoding/json would take "completionmode" for
// completionMode).
func decodeStrict(doc []byte, v any) error {
	j, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return err
	}
	strict, err := sigsjson.UnmarshalStrict(j, v, sigsjson.DisallowUnknownFields, sigsjson.DisallowDuplicateFields)
	if err != nil {
		return err
	}
	return errors.Join(strict...)
}

// splitDocs splits a multi-document YAML file at its "---" lines.
func splitDocs(data []byte) [][]byte {
	var docs [][]byte
	for _, d := range regexp.MustCompile(`(?m)^---[ \t]*$`).Split(string(data), -1) {
		if strings.TrimSpace(stripComments(d)) != "" {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}

func stripComments(s string) string {
	return regexp.MustCompile(`(?m)^\s*#.*$`).ReplaceAllString(s, "")
}

// decodeFile decodes every document of one manifest into its API type.
func decodeFile(path string, into *objects) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for i, doc := range splitDocs(data) {
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal(doc, &tm); err != nil {
			return fmt.Errorf("%s document %d: %w", path, i+1, err)
		}
		var obj interface{ GetName() string }
		switch tm.APIVersion + " " + tm.Kind {
		case "batch/v1 Job":
			obj = &batchv1.Job{}
		case "v1 ConfigMap":
			obj = &corev1.ConfigMap{}
		case "v1 PersistentVolumeClaim":
			obj = &corev1.PersistentVolumeClaim{}
		default:
			return fmt.Errorf("%s document %d: %s %s is not a kind these tests know (Secrets are created by kubectl, never written here)", path, i+1, tm.APIVersion, tm.Kind)
		}
		if err := decodeStrict(doc, obj); err != nil {
			return fmt.Errorf("%s document %d (%s): %w", path, i+1, tm.Kind, err)
		}
		name := obj.GetName()
		if name == "" {
			return fmt.Errorf("%s document %d (%s) has no metadata.name", path, i+1, tm.Kind)
		}
		key := tm.Kind + "/" + name
		if prev, dup := into.files[key]; dup {
			return fmt.Errorf("%s is defined twice, in %s and %s", key, prev, path)
		}
		into.files[key] = path
		switch o := obj.(type) {
		case *batchv1.Job:
			into.jobs[name] = o
		case *corev1.ConfigMap:
			into.configMaps[name] = o
		case *corev1.PersistentVolumeClaim:
			into.claims[name] = o
		}
	}
	return nil
}

// readManifests decodes every YAML file in deploy/.
func readManifests(t *testing.T) *objects {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in deploy/: %v", err)
	}
	objs := &objects{jobs: map[string]*batchv1.Job{}, configMaps: map[string]*corev1.ConfigMap{}, claims: map[string]*corev1.PersistentVolumeClaim{}, files: map[string]string{}}
	for _, f := range files {
		if err := decodeFile(f, objs); err != nil {
			t.Fatal(err)
		}
	}
	return objs
}

// The Jobs of deploy/.
const (
	loadJob  = "callcheck-load"
	mergeJob = "callcheck-load-merge"
)

// container returns the one container of a Job, which runs callcheck from
// the image the release publishes.
func container(t *testing.T, j *batchv1.Job) *corev1.Container {
	t.Helper()
	cs := j.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("job %s has %d containers, want 1", j.Name, len(cs))
	}
	c := &cs[0]
	if len(c.Command) != 1 || c.Command[0] != "callcheck" {
		t.Errorf("job %s runs %v, want callcheck", j.Name, c.Command)
	}
	if image, _, _ := strings.Cut(c.Image, ":"); image != "ghcr.io/callcheck/callcheck" {
		t.Errorf("job %s runs image %s, not the one release.yml publishes (ghcr.io/callcheck/callcheck)", j.Name, c.Image)
	}
	return c
}

// flagValue returns the value of --name=VALUE in args.
func flagValue(args []string, name string) (string, bool) {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// TestManifestsDecodeStrictly: every document in deploy/ is a Job,
// ConfigMap or PersistentVolumeClaim whose every field the Kubernetes API
// types know, and both Jobs are there.
func TestManifestsDecodeStrictly(t *testing.T) {
	objs := readManifests(t)
	for _, name := range []string{loadJob, mergeJob} {
		if objs.jobs[name] == nil {
			t.Errorf("job %s is missing", name)
		}
	}
	t.Logf("%d jobs, %d config maps, %d claims decoded", len(objs.jobs), len(objs.configMaps), len(objs.claims))
}

// TestStrictDecodingCatchesMistakes: the decoding is strict: a misspelt
// field, a field at the wrong level and a duplicated field are errors,
// which a plain YAML decoding would drop without a word.
func TestStrictDecodingCatchesMistakes(t *testing.T) {
	good, err := os.ReadFile("load-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, from, to, want string }{
		{"a misspelt field", "completionMode: Indexed", "completionmode: Indexed", `unknown field "spec.completionmode"`},
		{"a field at the wrong level", "      restartPolicy: Never", "      restartPolicy: Never\n      image: x", `unknown field "spec.template.spec.image"`},
		{"a duplicated field", "  parallelism: 4", "  parallelism: 4\n  parallelism: 8", `"parallelism" already set`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := bytes.Replace(good, []byte(tc.from), []byte(tc.to), 1)
			if bytes.Equal(bad, good) {
				t.Fatalf("%q is not in load-job.yaml", tc.from)
			}
			path := filepath.Join(t.TempDir(), "bad.yaml")
			if err := os.WriteFile(path, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			objs := &objects{jobs: map[string]*batchv1.Job{}, configMaps: map[string]*corev1.ConfigMap{}, claims: map[string]*corev1.PersistentVolumeClaim{}, files: map[string]string{}}
			err := decodeFile(path, objs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// shardCount reads N from the load Job's --shard=$(JOB_COMPLETION_INDEX)/N.
func shardCount(t *testing.T, args []string) int {
	t.Helper()
	shard, ok := flagValue(args, "shard")
	count, found := strings.CutPrefix(shard, "$(JOB_COMPLETION_INDEX)/")
	n, err := strconv.Atoi(count)
	if !ok || !found || err != nil || n < 2 {
		t.Fatalf("the load job's --shard is %q, want $(JOB_COMPLETION_INDEX)/N with N >= 2: each pod's completion index must pick its shard", shard)
	}
	return n
}

// TestLoadJobIsIndexed: the load Job runs N pods at once, one per
// completion index, each of which sends shard INDEX/N, starting at the
// instant its pod annotation names and writing under the results volume.
func TestLoadJobIsIndexed(t *testing.T) {
	objs := readManifests(t)
	j := objs.jobs[loadJob]
	if j == nil {
		t.Fatalf("job %s is missing", loadJob)
	}
	c := container(t, j)
	n := shardCount(t, c.Args)
	spec := j.Spec
	if spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("completionMode is %v, want Indexed: only an Indexed Job sets JOB_COMPLETION_INDEX", spec.CompletionMode)
	}
	if spec.Completions == nil || spec.Parallelism == nil || int(*spec.Completions) != n || int(*spec.Parallelism) != n {
		t.Errorf("completions %v, parallelism %v; want both %d, the shard count in --shard: every shard once, all at the same time", deref(spec.Completions), deref(spec.Parallelism), n)
	}
	if spec.BackoffLimit == nil || *spec.BackoffLimit != 0 {
		t.Errorf("backoffLimit %v, want 0: a shard retried later would not overlap the others", deref(spec.BackoffLimit))
	}
	// --start-at comes from the pod annotation, through the downward API.
	if v, _ := flagValue(c.Args, "start-at"); v != "$("+load.StartAtEnv+")" {
		t.Errorf("--start-at=%q, want $(%s)", v, load.StartAtEnv)
	}
	want := "metadata.annotations['" + load.StartAtAnnotation + "']"
	if ev := envVar(c, load.StartAtEnv); ev == nil || ev.ValueFrom == nil || ev.ValueFrom.FieldRef == nil || ev.ValueFrom.FieldRef.FieldPath != want {
		t.Errorf("env %s is %+v, want it from the downward API field %s", load.StartAtEnv, ev, want)
	}
	stamp, ok := j.Spec.Template.Annotations[load.StartAtAnnotation]
	if _, err := load.ParseStartAt(stamp); !ok || err != nil {
		t.Errorf("the pod template annotation %s is %q (%v), want an RFC 3339 placeholder that creating the Job replaces", load.StartAtAnnotation, stamp, err)
	}
	// Every $(VAR) in the args is defined: by the Job controller, env or the ConfigMap.
	defined := map[string]bool{"JOB_COMPLETION_INDEX": true}
	for _, e := range c.Env {
		defined[e.Name] = true
	}
	for _, ef := range c.EnvFrom {
		if ef.ConfigMapRef == nil || objs.configMaps[ef.ConfigMapRef.Name] == nil {
			t.Fatalf("envFrom %+v names no ConfigMap of deploy/", ef)
		}
		for k := range objs.configMaps[ef.ConfigMapRef.Name].Data {
			defined[k] = true
		}
	}
	for _, a := range c.Args {
		for _, m := range kubeVar.FindAllStringSubmatch(a, -1) {
			if !defined[m[1]] {
				t.Errorf("%q uses $(%s), which nothing defines: Kubernetes would pass it through unexpanded", a, m[1])
			}
		}
	}
}

var kubeVar = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

func deref(p *int32) any {
	if p == nil {
		return nil
	}
	return *p
}

func envVar(c *corev1.Container, name string) *corev1.EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

// TestJobsAreBoundedAndUnprivileged: both Jobs request and limit CPU and
// memory (requests within limits), run as the image's non-root user with
// no privilege escalation and a read-only root file system.
func TestJobsAreBoundedAndUnprivileged(t *testing.T) {
	objs := readManifests(t)
	for _, name := range []string{loadJob, mergeJob} {
		j := objs.jobs[name]
		if j == nil {
			t.Fatalf("job %s is missing", name)
		}
		c := container(t, j)
		for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, hasReq := c.Resources.Requests[res]
			lim, hasLim := c.Resources.Limits[res]
			if !hasReq || !hasLim {
				t.Errorf("job %s: %s request %v, limit %v; want both", name, res, hasReq, hasLim)
			} else if req.Cmp(lim) > 0 {
				t.Errorf("job %s: %s request %s above its limit %s", name, res, req.String(), lim.String())
			}
		}
		pod := j.Spec.Template.Spec.SecurityContext
		if pod == nil || pod.RunAsNonRoot == nil || !*pod.RunAsNonRoot || pod.RunAsUser == nil || *pod.RunAsUser == 0 {
			t.Errorf("job %s: pod securityContext %+v, want runAsNonRoot and a non-zero runAsUser", name, pod)
		} else if *pod.RunAsUser != 65532 {
			t.Errorf("job %s runs as uid %d, want 65532, the image's user", name, *pod.RunAsUser)
		}
		sc := c.SecurityContext
		if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
			sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
			t.Errorf("job %s: container securityContext %+v, want no privilege escalation, a read-only root and every capability dropped", name, sc)
		}
		if j.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyNever {
			t.Errorf("job %s: restartPolicy %q, want Never", name, j.Spec.Template.Spec.RestartPolicy)
		}
	}
}

// secretish names an environment variable that holds a credential.
var secretish = regexp.MustCompile(`(?i)secret|password|token$|key$`)

// TestSecretsByReferenceOnly: the client secret reaches the load Job by a
// secretKeyRef naming a Secret, never as a value; no manifest defines a
// Secret or puts a credential in a ConfigMap.
func TestSecretsByReferenceOnly(t *testing.T) {
	objs := readManifests(t)
	for key := range objs.files {
		if strings.HasPrefix(key, "Secret/") {
			t.Errorf("%s is written in %s: create it with kubectl instead", key, objs.files[key])
		}
	}
	for name, cm := range objs.configMaps {
		for k := range cm.Data {
			if secretish.MatchString(k) {
				t.Errorf("ConfigMap %s holds %s: a credential belongs in a Secret", name, k)
			}
		}
	}
	c := container(t, objs.jobs[loadJob])
	ev := envVar(c, "CALLCHECK_CLIENT_SECRET")
	if ev == nil || ev.Value != "" || ev.ValueFrom == nil || ev.ValueFrom.SecretKeyRef == nil || ev.ValueFrom.SecretKeyRef.Name == "" || ev.ValueFrom.SecretKeyRef.Key == "" {
		t.Errorf("CALLCHECK_CLIENT_SECRET is %+v, want a secretKeyRef with a name and key", ev)
	}
	for _, name := range []string{loadJob, mergeJob} {
		for _, e := range container(t, objs.jobs[name]).Env {
			if secretish.MatchString(e.Name) && (e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil) {
				t.Errorf("job %s: env %s is not taken from a Secret", name, e.Name)
			}
		}
		for _, a := range container(t, objs.jobs[name]).Args {
			if f, _, _ := strings.Cut(a, "="); f == "--client-secret" || f == "--token" {
				t.Errorf("job %s passes %s on its command line", name, f)
			}
		}
	}
}

// claimAt returns the claim of the volume mounted at path in j.
func claimAt(t *testing.T, j *batchv1.Job, path string) string {
	t.Helper()
	c := container(t, j)
	for _, m := range c.VolumeMounts {
		if m.MountPath != path {
			continue
		}
		for _, v := range j.Spec.Template.Spec.Volumes {
			if v.Name == m.Name && v.PersistentVolumeClaim != nil {
				return v.PersistentVolumeClaim.ClaimName
			}
		}
	}
	t.Fatalf("job %s mounts no claim at %s", j.Name, path)
	return ""
}

// TestResultsVolumeShared: the load Job writes --out on a claim every pod
// can write at once (ReadWriteMany), and the merge Job reads its argument
// from the same claim.
func TestResultsVolumeShared(t *testing.T) {
	objs := readManifests(t)
	out, ok := flagValue(container(t, objs.jobs[loadJob]).Args, "out")
	if !ok {
		t.Fatal("the load job has no --out=DIR")
	}
	claim := claimAt(t, objs.jobs[loadJob], out)
	merge := container(t, objs.jobs[mergeJob])
	if len(merge.Args) == 0 || merge.Args[0] != "report" {
		t.Fatalf("the merge job runs callcheck %v, want report", merge.Args)
	}
	in := merge.Args[len(merge.Args)-1]
	if got := claimAt(t, objs.jobs[mergeJob], in); got != claim {
		t.Errorf("the merge job reads claim %s at %s, the load job writes claim %s", got, in, claim)
	}
	pvc := objs.claims[claim]
	if pvc == nil {
		t.Fatalf("claim %s is not defined in deploy/", claim)
	}
	rwx := false
	for _, m := range pvc.Spec.AccessModes {
		rwx = rwx || m == corev1.ReadWriteMany
	}
	if !rwx {
		t.Errorf("claim %s has access modes %v, want ReadWriteMany: the shards' pods run on several nodes at once", claim, pvc.Spec.AccessModes)
	}
}
