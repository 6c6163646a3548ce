//go:build !unix

package load

import "os"

// maxRSS is unknown on this platform.
func maxRSS() uint64 { return 0 }

// MaxRSSOf is unknown on this platform: 0.
func MaxRSSOf(*os.ProcessState) uint64 { return 0 }
