//go:build unix

package certify

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd the leader of a process group and, when its context
// ends, kills the whole group: a trigger's children (a bot it started, a
// curl it waits for) cannot outlive the bound.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
