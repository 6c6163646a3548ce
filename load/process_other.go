//go:build !unix

package load

// maxRSS is unknown on this platform.
func maxRSS() uint64 { return 0 }
