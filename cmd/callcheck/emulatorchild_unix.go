//go:build unix && !linux

package main

import "syscall"

// childProcAttr puts the emulator's child process in a process group of
// its own: a terminal's Ctrl-C reaches this process, which stops the child
// once its calls are deleted. (Without Linux's Pdeathsig, a child whose
// parent is killed outright is left running.)
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
