//go:build unix

package load

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSS returns the process's peak resident set size in bytes.
func maxRSS() uint64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return rssBytes(&ru)
}

// MaxRSSOf returns the peak resident set size in bytes of a child process
// that exited (ps from its Wait), or 0 when it is unknown.
func MaxRSSOf(ps *os.ProcessState) uint64 {
	if ps == nil {
		return 0
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0
	}
	return rssBytes(ru)
}

func rssBytes(ru *syscall.Rusage) uint64 {
	if runtime.GOOS == "darwin" {
		return uint64(ru.Maxrss) // bytes on macOS
	}
	return uint64(ru.Maxrss) * 1024 // KiB on Linux and the BSDs
}
