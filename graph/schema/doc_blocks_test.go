package schema_test

import (
	"fmt"

	"github.com/callcheck/callcheck/fixtures"
)

// docBlocks are the JSON blocks of create-call-doc.txt (Examples 1-10), byte
// for byte as published, defects included (trailing commas, a duplicated
// key), from the fixtures that embed them verbatim; the media-session blob of
// Example 2 is not a Graph body and is left out. Names are
// "exampleNN/request", "exampleNN/response" and "exampleNN/notificationK" in
// page order.
var docBlocks = loadDocBlocks()

func loadDocBlocks() []docBlock {
	var out []docBlock
	for _, ex := range fixtures.Default().All() {
		notifications := 0
		for _, b := range ex.Blocks() {
			name := fmt.Sprintf("example%02d/", ex.Number)
			switch b.Kind {
			case fixtures.RequestBlock:
				name += "request"
			case fixtures.ResponseBlock:
				name += "response"
			case fixtures.NotificationBlock:
				notifications++
				name += fmt.Sprintf("notification%d", notifications)
			default:
				continue
			}
			out = append(out, docBlock{name: name, typeName: b.Type, text: b.Body})
		}
	}
	return out
}
