package main

import "syscall"

// childProcAttr puts the emulator's child process in a process group of
// its own (a terminal's Ctrl-C reaches this process, which stops the child
// once its calls are deleted) and has the kernel kill it should this
// process die without stopping it (SIGKILL, a crash). Pdeathsig fires when
// the thread that started the child exits; the Go runtime ends threads
// only of goroutines locked to them, which callcheck does not use.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
