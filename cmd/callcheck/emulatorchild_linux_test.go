//go:build linux && (amd64 || arm64)

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// sysPidfdOpen is pidfd_open(2) on amd64 and arm64 (the syscall package
// does not name it).
const sysPidfdOpen = 434

// TestCapacityChildDiesWithTheSearch: a search killed outright (SIGKILL,
// no chance to stop anything) takes its emulator's child process down
// (Pdeathsig). The search is this test binary run as callcheck (TestMain);
// its child is found once the search prints its preflight line, and its
// exit is awaited through a pidfd, bounded.
func TestCapacityChildDiesWithTheSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a search in another process")
	}
	cmd := exec.Command(os.Args[0], "load", "capacity", "--start", "20/s", "--max", "20/s", "--step-duration", "1m",
		"--stabilize", "0s", "--quiet", "--out", filepath.Join(t.TempDir(), "out"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "preflight:") {
	}
	children := childrenOf(t, cmd.Process.Pid)
	if len(children) != 1 {
		t.Fatalf("the search has children %v, want its emulator alone", children)
	}
	child := children[0]
	pidfd, _, errno := syscall.Syscall(sysPidfdOpen, uintptr(child), 0, 0)
	if errno != 0 {
		t.Skipf("pidfd_open: %v", errno)
	}
	defer syscall.Close(int(pidfd))
	t.Cleanup(func() { _ = syscall.Kill(child, syscall.SIGKILL) })
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if !exitsWithin(t, int(pidfd), 15000) {
		t.Fatalf("the emulator process %d outlived its killed search by 15 s", child)
	}
}

// childrenOf lists pid's children, from every one of its threads.
func childrenOf(t *testing.T, pid int) []int {
	t.Helper()
	tasks, err := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	if err != nil || len(tasks) == 0 {
		t.Skipf("no /proc/%d/task/*/children: %v", pid, err)
	}
	var out []int
	for _, f := range tasks {
		data, err := os.ReadFile(f)
		if err != nil {
			continue // a thread that ended
		}
		for _, field := range strings.Fields(string(data)) {
			if n, err := strconv.Atoi(field); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// exitsWithin waits at most ms milliseconds for the process of pidfd to
// exit (the pidfd becomes readable).
func exitsWithin(t *testing.T, pidfd, ms int) bool {
	t.Helper()
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(ep)
	if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, pidfd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(pidfd)}); err != nil {
		t.Fatal(err)
	}
	events := make([]syscall.EpollEvent, 1)
	for {
		n, err := syscall.EpollWait(ep, events, ms)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
}
