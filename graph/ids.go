package graph

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
)

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsGUID reports whether s is a GUID in the 8-4-4-4-12 hexadecimal form that
// Graph uses for call ids, participant ids, tenant ids and app ids.
func IsGUID(s string) bool { return guidRE.MatchString(s) }

// NewGUID returns a random (version 4) GUID in lower case.
func NewGUID() string {
	var g [1]string
	NewGUIDs(g[:])
	return g[0]
}

// maxGUIDs is the most GUIDs NewGUIDs makes at once.
const maxGUIDs = 4

// NewGUIDs fills ids (at most maxGUIDs of them) with random (version 4)
// GUIDs in lower case that share one string: one allocation for all, as a
// new call's own ids (its id, its participant id, its chain id) live as long
// as each other.
func NewGUIDs(ids []string) {
	if len(ids) > maxGUIDs {
		panic("graph: NewGUIDs: more than 4 GUIDs at once")
	}
	var b [16 * maxGUIDs]byte
	if _, err := rand.Read(b[:16*len(ids)]); err != nil {
		panic("graph: crypto/rand failed: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	var out [36 * maxGUIDs]byte
	for i := range ids {
		r, o := b[16*i:16*i+16], out[36*i:36*i+36]
		r[6] = r[6]&0x0f | 0x40
		r[8] = r[8]&0x3f | 0x80
		hex.Encode(o[0:8], r[0:4])
		hex.Encode(o[9:13], r[4:6])
		hex.Encode(o[14:18], r[6:8])
		hex.Encode(o[19:23], r[8:10])
		hex.Encode(o[24:36], r[10:16])
		o[8], o[13], o[18], o[23] = '-', '-', '-', '-'
	}
	all := string(out[:36*len(ids)])
	for i := range ids {
		ids[i] = all[36*i : 36*i+36]
	}
}
