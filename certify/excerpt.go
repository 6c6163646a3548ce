package certify

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-openapi/jsonpointer"

	"github.com/callcheck/callcheck/fixtures"
)

// maxValueExcerpt bounds a value quoted from a body as evidence.
const maxValueExcerpt = 240

// excerptOf returns the start of text, bounded.
func excerptOf(text string) string {
	if len(text) <= maxValueExcerpt {
		return text
	}
	cut := maxValueExcerpt
	for cut > 0 && text[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	return text[:cut] + "…"
}

// excerptAt returns the JSON value at pointer in body, bounded; "" when
// there is none.
func excerptAt(body, pointer string) string {
	var doc any
	if json.Unmarshal([]byte(body), &doc) != nil {
		return excerptOf(body)
	}
	p, err := jsonpointer.New(pointer)
	if err != nil {
		return ""
	}
	v, _, err := p.Get(doc)
	if err != nil {
		return ""
	}
	out, _ := json.Marshal(v)
	return excerptOf(string(out))
}

// fieldName names the field at pointer for a message.
func fieldName(pointer string) string {
	if pointer == "" {
		return "The body"
	}
	return strings.TrimPrefix(pointer, "/")
}

// exampleTitle quotes the title of the key's first documented example.
func exampleTitle(key Key) (string, string) {
	for _, n := range key.Examples() {
		if ex, err := fixtures.ByNumber(n); err == nil {
			return "Example " + fmt.Sprint(n) + ": " + ex.Title.English, fmt.Sprintf("create-call-doc.txt line %d", ex.Title.Line)
		}
	}
	return "", ""
}

// docValue quotes the line of the documentation that shows a value of role,
// from the key's examples first, then from any example.
func docValue(key Key, role fixtures.Role) (string, string) {
	var order []fixtures.Example
	for _, n := range key.Examples() {
		if ex, err := fixtures.ByNumber(n); err == nil {
			order = append(order, ex)
		}
	}
	order = append(order, fixtures.All()...)
	for _, ex := range order {
		for _, v := range ex.ValuesOf(role) {
			b, err := ex.Block(v.Block)
			if line := b.LineOf(v.Pointer); err == nil && v.Pointer != "" && line > 0 {
				return strings.TrimSpace(b.LineText(line)), fmt.Sprintf("create-call-doc.txt line %d (Example %d)", b.PageLine(line), ex.Number)
			}
		}
	}
	return "", ""
}
