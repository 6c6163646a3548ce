//go:build !unix

package certify

import "os/exec"

// killGroup leaves cmd as it is: without process groups only the command
// itself is killed when its context ends (exec.CommandContext's default).
func killGroup(*exec.Cmd) {}
