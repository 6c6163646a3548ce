package emulator

import (
	"encoding/json"
	"strconv"

	"github.com/callcheck/callcheck/internal/jsonscan"
)

// decodeViewValid is decodeView on a body known to be valid JSON. The view
// is read straight from the bytes (fastView) when every member it reads is
// plain: names spelled exactly as the view's, strings without escapes,
// integers as integers, no chatInfo or meetingInfo. Anything else goes to
// decodeView, so both give the same view and the same errors
// (TestFastViewAgrees, FuzzFastViewAgrees). Every create reads its body's
// view; encoding/json's validity scan and reflection were about 7% of the
// emulator process's CPU per create (emubench's profile at 10,000/s).
func decodeViewValid(body []byte) (*createView, error) {
	if v, ok := fastView(body); ok {
		return v, nil
	}
	return decodeView(body)
}

// Member names of the objects fastView reads, per object.
var (
	viewNames     = []string{"callbackUri", "tenantId", "source", "targets", "mediaConfig", "chatInfo", "meetingInfo", "requestedModalities", "ringingTimeoutInSeconds", "routingPolicies"}
	infoNames     = []string{"identity"}
	identityNames = []string{"application", "applicationInstance", "guest", "phone", "user", "device", "encrypted", "onPremises", "assertedIdentity", "azureCommunicationServicesUser"}
	idNames       = []string{"id"}
	mediaNames    = []string{"@odata.type", "blob"}
)

// fastView reads the view of a valid JSON body; false when a member is not
// plain (decodeView then decides).
func fastView(body []byte) (*createView, bool) {
	it, ok := members(body)
	if !ok {
		return nil, false
	}
	v := new(createView)
	for it.next() {
		name, val, ok := it.known(viewNames)
		if !ok {
			return nil, false
		}
		switch name {
		case "":
		case "callbackUri":
			ok = plainStringInto(val, &v.CallbackURI)
		case "tenantId":
			ok = plainStringInto(val, &v.TenantID)
		case "source":
			if !isNull(val) {
				v.Source = new(viewInfo)
				ok = fastInfo(val, v.Source)
			} else {
				v.Source = nil
			}
		case "targets":
			ok = fastTargets(val, v)
		case "mediaConfig":
			if !isNull(val) {
				v.MediaConfig = new(viewMedia)
				ok = fastMedia(val, v.MediaConfig)
			} else {
				v.MediaConfig = nil
			}
		case "requestedModalities":
			v.RequestedModalities, ok = plainStrings(val)
		case "routingPolicies":
			v.RoutingPolicies, ok = plainStrings(val)
		case "ringingTimeoutInSeconds":
			ok = fastInt(val, &v.RingingTimeoutInSeconds)
		default: // chatInfo, meetingInfo: decodeView's
			ok = false
		}
		if !ok {
			return nil, false
		}
	}
	return v, it.ok
}

func fastTargets(val []byte, v *createView) bool {
	if isNull(val) {
		v.Targets = nil
		return true
	}
	it, ok := items(val)
	if !ok {
		return false
	}
	v.Targets = make([]viewInfo, 0, 4)
	for it.next() {
		v.Targets = append(v.Targets, viewInfo{})
		if !fastInfo(it.val, &v.Targets[len(v.Targets)-1]) {
			return false
		}
	}
	return it.ok
}

// fastInfo reads a participantInfo's identity, kept raw (a copy, as
// encoding/json keeps a json.RawMessage) and read for its ids.
func fastInfo(val []byte, info *viewInfo) bool {
	it, ok := members(val)
	if !ok {
		return false
	}
	for it.next() {
		name, raw, ok := it.known(infoNames)
		if !ok {
			return false
		}
		if name == "identity" {
			info.Identity = append(json.RawMessage(nil), raw...)
		}
	}
	if !it.ok {
		return false
	}
	if !present(info.Identity) {
		info.ids = nil
		return true
	}
	info.ids = new(viewIdentitySet)
	return fastIdentitySet(info.Identity, info.ids)
}

func fastIdentitySet(val []byte, s *viewIdentitySet) bool {
	it, ok := members(val)
	if !ok {
		return false
	}
	slots := [...]**viewIdentity{&s.Application, &s.ApplicationInstance, &s.Guest, &s.Phone, &s.User, &s.Device,
		&s.Encrypted, &s.OnPremises, &s.AssertedIdentity, &s.ACSUser}
	for it.next() {
		name, raw, ok := it.known(identityNames)
		if !ok {
			return false
		}
		if name == "" {
			continue
		}
		slot := slots[it.index]
		if isNull(raw) {
			*slot = nil
			continue
		}
		id := new(viewIdentity)
		if !fastIdentity(raw, id) {
			return false
		}
		*slot = id
	}
	return it.ok
}

func fastIdentity(val []byte, id *viewIdentity) bool {
	it, ok := members(val)
	if !ok {
		return false
	}
	for it.next() {
		name, raw, ok := it.known(idNames)
		if !ok || name == "id" && !plainStringInto(raw, &id.ID) {
			return false
		}
	}
	return it.ok
}

func fastMedia(val []byte, m *viewMedia) bool {
	it, ok := members(val)
	if !ok {
		return false
	}
	for it.next() {
		name, raw, ok := it.known(mediaNames)
		if !ok {
			return false
		}
		switch name {
		case "@odata.type":
			ok = plainStringInto(raw, &m.ODataType)
		case "blob":
			if isNull(raw) {
				m.Blob = nil
			} else {
				var s string
				ok = plainStringInto(raw, &s)
				m.Blob = &s
			}
		}
		if !ok {
			return false
		}
	}
	return it.ok
}

// plainStringInto sets *dst to a JSON string without escapes in valid
// UTF-8 (null leaves it, as encoding/json does); false for anything else.
func plainStringInto(val []byte, dst *string) bool {
	if isNull(val) {
		return true
	}
	s, ok := plainString(val)
	if ok {
		*dst = s
	}
	return ok
}

func plainString(val []byte) (string, bool) {
	raw, ok := jsonscan.PlainString(val)
	if !ok {
		return "", false
	}
	return string(raw), true
}

// plainStrings reads an array of plain strings (nil for null).
func plainStrings(val []byte) ([]string, bool) {
	if isNull(val) {
		return nil, true
	}
	it, ok := items(val)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, 2)
	for it.next() {
		s, ok := plainString(it.val)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, it.ok
}

// fastInt reads an integer written as one (nil for null).
func fastInt(val []byte, dst **int64) bool {
	if isNull(val) {
		*dst = nil
		return true
	}
	n, err := strconv.ParseInt(string(val), 10, 64)
	if err != nil {
		return false
	}
	*dst = &n
	return true
}

func isNull(val []byte) bool { return string(val) == "null" }

// memberIter walks the members of a JSON object in valid JSON.
type memberIter struct {
	b     []byte
	i     int
	name  []byte // the current member's name, quotes excluded
	val   []byte // its value
	index int    // known: the index of the name matched
	ok    bool   // false once the iteration met something unexpected
}

// members starts iterating the object val; false when val is not one.
func members(val []byte) (memberIter, bool) {
	if len(val) < 2 || val[0] != '{' {
		return memberIter{}, false
	}
	return memberIter{b: val, i: jsonscan.SkipSpace(val, 1), ok: true}, true
}

// next steps to the next member; false at the end of the object.
func (it *memberIter) next() bool {
	b := it.b
	if !it.ok || it.i >= len(b) || b[it.i] != '"' {
		return false
	}
	end, _ := jsonscan.StringEnd(b, it.i) // past the name's closing quote
	if end >= len(b) {
		it.ok = false
		return false
	}
	it.name = b[it.i+1 : end-1]
	i := jsonscan.SkipSpace(b, end) + 1 // the colon
	i = jsonscan.SkipSpace(b, i)
	if i >= len(b) {
		it.ok = false
		return false
	}
	vend := jsonscan.ValueEnd(b, i)
	it.val = b[i:vend]
	i = jsonscan.SkipSpace(b, vend)
	if i < len(b) && b[i] == ',' {
		i = jsonscan.SkipSpace(b, i+1)
	}
	it.i = i
	return true
}

// known matches the current member's name with names: the name matched
// (it.index its index), "" for a member the view does not read, or false
// when the name is one encoding/json would match case-insensitively, or has
// an escape or a byte outside ASCII (which it may fold onto one).
func (it *memberIter) known(names []string) (string, []byte, bool) {
	for _, c := range it.name {
		if c == '\\' || c >= 0x80 {
			return "", nil, false
		}
	}
	for i, n := range names {
		if string(it.name) == n {
			it.index = i
			return n, it.val, true
		}
	}
	for _, n := range names {
		if len(n) == len(it.name) && asciiEqualFold(n, it.name) {
			return "", nil, false
		}
	}
	return "", it.val, true
}

func asciiEqualFold(a string, b []byte) bool {
	for i := range len(a) {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// itemIter walks the items of a JSON array in valid JSON.
type itemIter struct {
	b   []byte
	i   int
	val []byte
	ok  bool
}

func items(val []byte) (itemIter, bool) {
	if len(val) < 2 || val[0] != '[' {
		return itemIter{}, false
	}
	return itemIter{b: val, i: jsonscan.SkipSpace(val, 1), ok: true}, true
}

func (it *itemIter) next() bool {
	b := it.b
	if !it.ok || it.i >= len(b) || b[it.i] == ']' {
		return false
	}
	vend := jsonscan.ValueEnd(b, it.i)
	it.val = b[it.i:vend]
	i := jsonscan.SkipSpace(b, vend)
	if i < len(b) && b[i] == ',' {
		i = jsonscan.SkipSpace(b, i+1)
	}
	it.i = i
	return true
}
