//go:build !unix

package main

import "syscall"

// childProcAttr is the default on this platform.
func childProcAttr() *syscall.SysProcAttr { return nil }
