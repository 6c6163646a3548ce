package rules

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/callcheck/callcheck/internal/jsonptr"
)

// CheckDuplicateMembers judges a request body's member names: an object
// that names the same member twice (names compared case-insensitively, as
// the service and encoding/json match them) is refused, wherever it is
// nested. A body that is not JSON passes: the json and schema rules judge
// it. It returns the finding, false when there is none.
func CheckDuplicateMembers(body []byte) (Finding, bool) {
	// The scan runs on any bytes and checks that they are JSON only once it
	// has found something: a valid body without duplicates (every create)
	// is read once, not twice.
	ptr, name, ok := firstDuplicate(body)
	if !ok {
		return Finding{}, false
	}
	return finding(DuplicateMember, ptr, "each member named once", name,
		fmt.Sprintf("The request body names the member %q twice in the object at %q.", name, pointerOrRoot(ptr))), true
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// dupFrame is one object or array being scanned: where its member names
// start in the scanner's name list (objects; a map once it is large), the
// name whose value comes next or the next index, and whether a name is due.
type dupFrame struct {
	object    bool
	nameDue   bool
	index     int
	key       [2]int // the current member's name, as a range of the body (quotes excluded)
	namesFrom int
	large     map[string]bool
}

// linearNames is how many names an object compares one by one before it
// keeps them in a map: most objects are small, and a large one must not
// cost the square of its size.
const linearNames = 16

// dupScanner finds the first object naming a member twice in a body that
// is valid JSON, in one pass over its bytes. A name is compared by its
// folded form: the name lower-cased as strings.ToLower does; a plain ASCII
// name (no escape) is folded in place, any other is decoded first.
type dupScanner struct {
	body  []byte
	stack []dupFrame
	names []foldedName
}

// foldedName is one member name of an open object: its raw range in the
// body when it is plain ASCII, else its folded form.
type foldedName struct {
	start, end int
	folded     string
	plain      bool
}

// firstDuplicate returns the pointer of the first object in body (valid
// JSON) naming a member twice, and that name as decoded. Bytes that are not
// valid JSON have none.
func firstDuplicate(body []byte) (ptr, name string, found bool) {
	s := dupScanners.Get().(*dupScanner)
	s.body = body
	ptr, name, found = s.scan()
	clear(s.stack[:cap(s.stack)]) // drops the large objects' maps
	s.body, s.stack, s.names = nil, s.stack[:0], s.names[:0]
	dupScanners.Put(s)
	return ptr, name, found
}

// dupScanners keeps the scanners' stacks and name lists between bodies.
var dupScanners = sync.Pool{New: func() any {
	return &dupScanner{stack: make([]dupFrame, 0, 8), names: make([]foldedName, 0, 32)}
}}

func (s *dupScanner) scan() (string, string, bool) {
	b := s.body
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '{', '[':
			s.stack = append(s.stack, dupFrame{object: c == '{', nameDue: c == '{', namesFrom: len(s.names)})
		case '}', ']':
			if len(s.stack) == 0 {
				return "", "", false // not JSON
			}
			top := &s.stack[len(s.stack)-1]
			if top.object {
				s.names = s.names[:top.namesFrom]
			}
			s.stack = s.stack[:len(s.stack)-1]
		case ',':
			if len(s.stack) == 0 {
				return "", "", false // not JSON
			}
			if top := &s.stack[len(s.stack)-1]; top.object {
				top.nameDue = true
			} else {
				top.index++
			}
		case '"':
			end := stringEnd(b, i)
			if end == len(b) {
				return "", "", false // an unterminated string: not JSON
			}
			if n := len(s.stack); n > 0 && s.stack[n-1].object && s.stack[n-1].nameDue {
				top := &s.stack[n-1]
				top.nameDue, top.key = false, [2]int{i + 1, end}
				if s.seen(top, i+1, end) {
					if !json.Valid(b) {
						return "", "", false // what was found means nothing in bytes that are not JSON
					}
					return s.pointer(), s.decoded(i+1, end), true
				}
			}
			i = end
		}
	}
	return "", "", false
}

// stringEnd returns the index of the quote closing the string opened at i.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return len(b)
}

// seen adds the name body[start:end] to top's names and reports whether an
// equal one (folded) was there already.
func (s *dupScanner) seen(top *dupFrame, start, end int) bool {
	n := s.fold(start, end)
	if top.large != nil {
		f := n.fold(s.body)
		if top.large[f] {
			return true
		}
		top.large[f] = true
		return false
	}
	for _, m := range s.names[top.namesFrom:] {
		if s.equal(n, m) {
			return true
		}
	}
	s.names = append(s.names, n)
	if len(s.names)-top.namesFrom > linearNames {
		top.large = make(map[string]bool, 2*linearNames)
		for _, m := range s.names[top.namesFrom:] {
			top.large[m.fold(s.body)] = true
		}
		s.names = s.names[:top.namesFrom]
	}
	return false
}

// fold makes the name body[start:end] comparable.
func (s *dupScanner) fold(start, end int) foldedName {
	for _, c := range s.body[start:end] {
		if c >= 0x80 || c == '\\' {
			return foldedName{folded: strings.ToLower(s.decoded(start, end))}
		}
	}
	return foldedName{start: start, end: end, plain: true}
}

// fold is the name's folded form as a string.
func (n foldedName) fold(body []byte) string {
	if !n.plain {
		return n.folded
	}
	return strings.ToLower(string(body[n.start:n.end]))
}

// equal reports whether two folded names are the same.
func (s *dupScanner) equal(a, b foldedName) bool {
	switch {
	case a.plain && b.plain:
		return asciiEqualFold(s.body[a.start:a.end], s.body[b.start:b.end])
	case !a.plain && !b.plain:
		return a.folded == b.folded
	case a.plain:
		a, b = b, a
	}
	// a is decoded and folded, b plain ASCII.
	raw := s.body[b.start:b.end]
	if len(a.folded) != len(raw) {
		return false
	}
	for i := range raw {
		if a.folded[i] != asciiLower(raw[i]) {
			return false
		}
	}
	return true
}

func asciiEqualFold(x, y []byte) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if asciiLower(x[i]) != asciiLower(y[i]) {
			return false
		}
	}
	return true
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// decoded is the name body[start:end] as encoding/json decodes it.
func (s *dupScanner) decoded(start, end int) string {
	var name string
	_ = json.Unmarshal(s.body[start-1:end+1], &name) // the body is valid JSON
	return name
}

// pointer is the pointer of the innermost open object.
func (s *dupScanner) pointer() string {
	var p strings.Builder
	for _, f := range s.stack[:len(s.stack)-1] {
		p.WriteByte('/')
		if f.object {
			p.WriteString(jsonptr.Escape(s.decoded(f.key[0], f.key[1])))
		} else {
			p.WriteString(strconv.Itoa(f.index))
		}
	}
	return p.String()
}
