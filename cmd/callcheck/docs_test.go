package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
)

// runnableBlock matches a Markdown code block whose info string is
// "sh runnable": a block of commands the docs test executes.
var runnableBlock = regexp.MustCompile("(?s)```sh runnable\n(.*?)```")

// loopbackPort matches a fixed loopback address of a documented command;
// the docs test gives each a free port, so blocks run beside anything else.
var loopbackPort = regexp.MustCompile(`127\.0\.0\.1:([1-9][0-9]{3,4})`)

// docsBlockTimeout bounds one block.
const docsBlockTimeout = 4 * time.Minute

// docBlock is a runnable block and where it is.
type docBlock struct {
	where  string // "README.md block 2"
	script string
}

// runnableDocBlocks returns the runnable blocks of README.md and docs/*.md.
func runnableDocBlocks(t *testing.T) []docBlock {
	t.Helper()
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []docBlock
	for _, f := range append([]string{"../../README.md"}, files...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range runnableBlock.FindAllStringSubmatch(string(data), -1) {
			blocks = append(blocks, docBlock{where: fmt.Sprintf("%s runnable block %d", strings.TrimPrefix(f, "../../"), i+1), script: m[1]})
		}
	}
	return blocks
}

// docsPrelude runs before a block: it stops the block's background
// processes on exit and defines wait_for, a readiness check of a
// background server (a bounded wait for its port to accept).
const docsPrelude = `set -euo pipefail
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
wait_for() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null && return 0; sleep 0.1; done; echo "docs test: nothing listens at $1" >&2; return 1; }
`

// shellScript turns a documented block into the script the test runs: the
// binaries built for the test instead of go run, free ports instead of the
// documented ones, and a wait for every background server's --listen and
// --control address.
func shellScript(t *testing.T, block string) string {
	t.Helper()
	ports := map[string]string{}
	block = loopbackPort.ReplaceAllStringFunc(block, func(addr string) string {
		if ports[addr] == "" {
			ports[addr] = "127.0.0.1:" + testkit.FreePort(t)
		}
		return ports[addr]
	})
	block = strings.NewReplacer("go run ./cmd/callcheck", "callcheck", "go run ./cmd/refbot", "refbot").Replace(block)
	var b strings.Builder
	b.WriteString(docsPrelude)
	listen := regexp.MustCompile(`--(?:listen|control) (127\.0\.0\.1:[0-9]+)`)
	for _, line := range strings.Split(strings.ReplaceAll(block, "\\\n", " "), "\n") {
		b.WriteString(line + "\n")
		if trimmed := strings.TrimSpace(line); strings.HasSuffix(trimmed, "&") {
			for _, m := range listen.FindAllStringSubmatch(trimmed, -1) {
				fmt.Fprintf(&b, "wait_for %s\n", m[1])
			}
		}
	}
	return b.String()
}

// TestDocsRunnableBlocks runs every block of README.md and docs/*.md marked
// runnable (a fence "```sh runnable") with the binaries of this tree, in a
// temporary directory, bounded in time: a documented command that stopped
// working fails here. Each block must exit 0, so a runnable block gates
// only on what a loaded machine cannot change (success, lost calls), never
// on latency.
func TestDocsRunnableBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the docs test builds and runs the binaries")
	}
	t.Parallel() // overlaps the field-profile test, which mostly waits
	blocks := runnableDocBlocks(t)
	if len(blocks) < 3 {
		t.Fatalf("%d runnable blocks in README.md and docs/; the README's own are runnable", len(blocks))
	}
	bin := t.TempDir()
	for _, cmd := range []string{"callcheck", "refbot"} {
		testkit.GoBuild(t, "../"+cmd, filepath.Join(bin, cmd))
	}
	for _, b := range blocks {
		t.Run(b.where, func(t *testing.T) {
			t.Logf("running:\n%s", b.script)
			ctx, cancel := context.WithTimeout(context.Background(), docsBlockTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", "-c", shellScript(t, b.script))
			cmd.Dir = t.TempDir()
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			cmd.WaitDelay = 10 * time.Second
			start := time.Now()
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v after %s\n%s", b.where, err, time.Since(start).Round(time.Second), out)
			}
			t.Logf("passed in %s", time.Since(start).Round(time.Second))
		})
	}
}

// docLink matches a relative Markdown link target; docPath a backquoted
// repository path (a top-level directory of the repository, then a file or
// directory).
var (
	docLink = regexp.MustCompile(`\]\(([^)#:\s]+)(?:#[^)]*)?\)`)
	docPath = regexp.MustCompile("`((?:certify|cmd|deploy|docs|emulator|fixtures|graph|identity|internal|load|notify|refbot|report|scripts|suites|target|\\.github|\\.ci)/[A-Za-z0-9_./-]+)`")
)

// TestDocsCiteFilesThatExist: every relative link and every backquoted
// repository path in README.md and docs/*.md names a file or directory of
// the repository.
func TestDocsCiteFilesThatExist(t *testing.T) {
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append([]string{"../../README.md"}, files...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range docLink.FindAllStringSubmatch(string(data), -1) {
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), m[1])); err != nil {
				t.Errorf("%s links to %s, which is not in the repository", strings.TrimPrefix(f, "../../"), m[1])
			}
		}
		for _, m := range docPath.FindAllStringSubmatch(string(data), -1) {
			p := strings.TrimRight(m[1], ".")
			if strings.ContainsAny(p, "*{}") {
				continue
			}
			if _, err := os.Stat(filepath.Join("../..", p)); err != nil {
				t.Errorf("%s cites %s, which is not in the repository", strings.TrimPrefix(f, "../../"), p)
			}
		}
	}
}
