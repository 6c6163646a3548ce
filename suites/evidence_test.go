package suites

import (
	"strings"
	"testing"

	"github.com/callcheck/callcheck/report"
)

func TestRedact(t *testing.T) {
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"
	for _, tc := range []struct{ in, want string }{
		// A JWT anywhere becomes ***.
		{`{"token":"` + jwt + `"}`, `{"token":"***"}`},
		// A bearer value keeps its scheme.
		{`Authorization: Bearer abc.def`, `Authorization: Bearer ***`},
		// Text without secrets is unchanged.
		{`{"error":{"code":"7504"}}`, `{"error":{"code":"7504"}}`},
	} {
		if got := redact(tc.in); got != tc.want {
			t.Errorf("redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("x", 2*maxExcerpt)
	if got := excerpt([]byte(long)); len(got) > maxExcerpt+len("…") {
		t.Errorf("excerpt is %d bytes", len(got))
	}
	if got := excerpt([]byte{0xff, 0xfe}); !strings.Contains(got, "not UTF-8") {
		t.Errorf("binary excerpt = %q", got)
	}
}

func TestWithResponseAndSummary(t *testing.T) {
	resp := &response{Header: map[string][]string{"Request-Id": {"rid-1"}}, Body: []byte(`{"error":{"code":"x"}}`)}
	ev := withResponse(evidence(srcCreated, "wrong", "201", "Bearer secret.token"), resp)
	if ev.RequestID != "rid-1" || ev.Excerpt == "" || ev.DocQuote != srcCreated.Quote || ev.Source != "create-call-doc.txt line 43 (Response)" || ev.Basis != report.BasisDocumented {
		t.Fatalf("evidence = %+v", ev)
	}
	if strings.Contains(ev.Got, "secret") {
		t.Fatalf("evidence kept a bearer value: %q", ev.Got)
	}
	s := summarize([]report.Evidence{ev, {Message: "second"}})
	if !strings.Contains(s, "wrong (expected 201; got Bearer ***) [create-call-doc.txt line 43 (Response)]\nsecond") {
		t.Fatalf("summary = %q", s)
	}
}
