package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// hazardous is a conformance report whose every text field carries what a
// renderer must not pass through raw: HTML, Markdown table pipes, backtick
// runs, line breaks; with a warning, a skipped contract and an unknown verdict.
func hazardous() *Conformance {
	ev := []Evidence{{
		Message: "Location <b>names</b> | another call", Expected: "`/calls/1`", Got: "``/calls/2``|x",
		Pointer: "/id", RequestID: "req-1", Excerpt: "{\"id\":\"</pre><script>alert(1)</script>\"}\n```\nfence",
		DocQuote: "Location: <https://graph/…>", Source: "create-call-doc.txt Example 1",
	}}
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	return &Conformance{
		SchemaVersion: ConformanceSchema, Harness: Harness{Name: "callcheck", Version: "v0.0.0-test", FixturesDigest: "sha256:0123456789abcdef0123"},
		Target:          Target{BaseURL: "https://example.test/beta?x=<y>", Kind: "remote", APIVersion: "beta", Auth: "static-token"},
		ClaimedFeatures: []string{"peer-to-peer"}, StartedAt: start, FinishedAt: start.Add(2500 * time.Millisecond),
		Verdict: Failed, Summary: Summary{Passed: 0, Failed: 1, Warnings: 1, Skipped: 1, NotSupported: 1},
		Examples: []ContractResult{
			{ID: "example01_x", Example: 1, Title: "P2P <call> | one", Verdict: Failed, Duration: Duration(time.Second),
				Steps: []StepResult{{Name: "request", Verdict: Passed}, {Name: "response", Verdict: Failed, Evidence: ev},
					{Name: "notification:established", Verdict: Skipped}},
				Errata: []ErratumRef{{Example: 1, Block: "response", Pointer: "/a|b", Kind: "invalid-json", Message: "trailing comma <here>"}}},
			{ID: "example02_y", Example: 2, Title: "App media", Verdict: Warning,
				Steps: []StepResult{{Name: "request", Verdict: Warning, Evidence: []Evidence{{Message: "read-only property sent"}}},
					{Name: "cleanup:delete", Verdict: Passed}}},
			{ID: "example03_z", Example: 3, Title: "Group", Verdict: NotSupported, Reason: "group-call is not claimed"},
		},
		Negative: []ContractResult{
			{ID: "negative_a", Title: "Missing token", Verdict: Skipped, Reason: "", Steps: []StepResult{{Name: "get", Verdict: "weird"}}},
		},
	}
}

func TestConformanceGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *Conformance
	}{
		{"conformance-passed", readConformanceFile(t, "conformance-passed.json")}, // a real run against the embedded emulator
		{"conformance-failed", readConformanceFile(t, "conformance-failed.json")}, // a real run against an emulator with three violations, four features unclaimed
		{"conformance-hazards", hazardous()},                                      // hostile text in every field
	} {
		t.Run(tc.name, func(t *testing.T) {
			md, html := render(t, fixedPage(ConformanceSection(tc.c)))
			golden(t, tc.name+".md.golden", md)
			golden(t, tc.name+".html.golden", html)
		})
	}
}

func TestConformanceMarkdownSaysWhatFailed(t *testing.T) {
	md, _ := render(t, fixedPage(ConformanceSection(readConformanceFile(t, "conformance-failed.json"))))
	for _, want := range []string{
		"## ❌ Conformance: failed",
		"6 of 22 contracts that ran failed: example01_create_peer_to_peer_voip_call_service_media",
		"7 not supported by this target",
		"<details><summary>❌ <b>example03_create_group_call_service_media</b>: step notification:roster: no roster notification",
		"| 8. Join channel meeting as a guest", // the guest join example row
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}

func TestConformanceEscapesHostileText(t *testing.T) {
	md, html := render(t, fixedPage(ConformanceSection(hazardous())))
	for name, doc := range map[string][]byte{"Markdown": md, "HTML": html} {
		if bytes.Contains(outsideFences(doc), []byte("<script>alert")) {
			t.Errorf("%s passes a script tag through", name)
		}
		if bytes.Contains(doc, []byte("<b>names</b>")) {
			t.Errorf("%s passes markup of an evidence message through", name)
		}
	}
	for _, want := range []string{
		"P2P &lt;call&gt; \\| one", // title in a table cell
		"``` ``/calls/2``\\|x ```", // code span longer than the backtick runs inside, pipe escaped
		"\n  ````\n",               // excerpt fence longer than the ``` inside it, indented in its list item
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if !strings.Contains(string(html), "&lt;/pre&gt;&lt;script&gt;") {
		t.Error("HTML does not escape the excerpt")
	}
}

func TestMatrixColumnsFollowTheSteps(t *testing.T) {
	rs := []ContractResult{
		{ID: "p2p", Steps: steps("request", "response", "notification:establishing", "notification:established", "notification:no-roster", "cleanup:delete")},
		{ID: "group", Steps: steps("request", "response", "notification:establishing", "notification:established", "notification:roster", "cleanup:delete")},
		{ID: "guest", Steps: steps("request", "response", "notification:establishing", "notification:lobby", "lobby:admission", "notification:established", "notification:roster", "cleanup:delete")},
		{ID: "early", Steps: steps("prepare", "request")}, // a new first step goes before the known one
		{ID: "unrelated", Steps: steps("get", "delete")},  // no known step: added at the end
	}
	m := NewMatrix(rs)
	want := "prepare request response notification:establishing notification:lobby lobby:admission notification:established notification:roster notification:no-roster cleanup:delete get delete"
	if got := strings.Join(m.Columns, " "); got != want {
		t.Errorf("columns\n got %s\nwant %s", got, want)
	}
	var groups []string
	for _, g := range m.Groups {
		groups = append(groups, g.Phase+":"+itoaTest(g.Span))
	}
	if got := strings.Join(groups, " "); got != "prepare:1 request:1 response:1 notifications:6 cleanup:1 get:1 delete:1" {
		t.Errorf("groups = %s", got)
	}
	if m.Rows[0].Cells[4] != nil || m.Rows[0].Cells[6] == nil || m.Rows[0].Cells[6].Name != "notification:established" {
		t.Errorf("p2p row cells misplaced: %+v", m.Rows[0].Cells)
	}
}

func steps(names ...string) []StepResult {
	var out []StepResult
	for _, n := range names {
		out = append(out, StepResult{Name: n, Verdict: Passed})
	}
	return out
}

func itoaTest(i int) string { return string(rune('0' + i)) }

func TestPageWithoutSectionsIsAnError(t *testing.T) {
	var b bytes.Buffer
	if err := (&Page{}).WriteHTML(&b); err == nil {
		t.Error("WriteHTML of an empty page: no error")
	}
	if err := (&Page{}).WriteMarkdown(&b); err == nil {
		t.Error("WriteMarkdown of an empty page: no error")
	}
}

// outsideFences drops Markdown fenced code blocks (inert text) from doc.
func outsideFences(doc []byte) []byte {
	var out []string
	fence := ""
	for _, line := range strings.Split(string(doc), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case fence == "" && strings.HasPrefix(trimmed, "```"):
			fence = trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, "`"))]
		case fence != "" && strings.TrimSpace(trimmed) == fence:
			fence = ""
		case fence == "":
			out = append(out, line)
		}
	}
	return []byte(strings.Join(out, "\n"))
}

func TestNilDocumentsAreErrors(t *testing.T) {
	for name, s := range map[string]Section{"conformance": ConformanceSection(nil), "certificate": CertificateSection(nil)} {
		var b bytes.Buffer
		if err := fixedPage(s).WriteHTML(&b); err == nil || !strings.Contains(err.Error(), "(nil)") {
			t.Errorf("%s: WriteHTML = %v", name, err)
		}
		if err := fixedPage(s).WriteMarkdown(&b); err == nil || !strings.Contains(err.Error(), "(nil)") {
			t.Errorf("%s: WriteMarkdown = %v", name, err)
		}
		if s.Outcome() != Failed {
			t.Errorf("%s: a missing document must not pass", name)
		}
	}
}

// TestEvidenceBasisAndDeliveriesShown: each finding's basis (and whether it
// only warned, and its field report), a contract's retries, duplicates and
// lost notifications, and the run's counts are in the Markdown, the HTML and
// the JUnit renderings.
func TestEvidenceBasisAndDeliveriesShown(t *testing.T) {
	c := hazardous()
	c.Summary.Retries, c.Summary.Duplicates, c.Summary.Stray = 2, 1, 5
	c.Examples[1].Steps[0].Evidence = []Evidence{{Message: "Location under another base URL", Basis: BasisInferred, Warning: true}}
	c.Examples[0].Steps[1].Evidence[0].Basis = BasisField
	c.Examples[0].Steps[1].Evidence[0].URL = "https://github.com/o/r/issues/17"
	c.Examples[0].Retries = []Retry{{Method: "POST", Path: "/communications/calls", Attempt: 1, Status: 429, RetryAfter: "1", Wait: Duration(time.Second)}}
	c.Examples[0].Duplicates, c.Examples[0].Lost = 1, []string{"established"}
	md, html := render(t, fixedPage(ConformanceSection(c)))
	for _, want := range []string{"basis: field", "field report: https://github.com/o/r/issues/17", "basis: inferred (warning only: not strict)",
		"retry: POST `/communications/calls` attempt 1 answered 429 (Retry-After 1), waited 1s", "duplicated notifications: 1",
		"never came: established", "Retries (429/503/5xx, Retry-After honoured): 2 · duplicated notifications: 1 · stray requests to the receiver (no call named): 5 · notifications for calls never created: 0"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	for _, want := range []string{"<dt>basis</dt><dd>field — <cite>https://github.com/o/r/issues/17</cite>", "inferred (warning only: not strict)", "<b>2</b> retries", "<b>5</b> stray requests"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if text := EvidenceText(c.Examples[0].Steps[1].Evidence); !strings.Contains(text, "basis: field") || !strings.Contains(text, "field report: https://github.com/o/r/issues/17") {
		t.Errorf("JUnit evidence text %q lacks the basis", text)
	}
}

// interruptedRun is a real run's report as a signal would have left it: the
// first contract passed, the others did not run.
func interruptedRun(t *testing.T) *Conformance {
	c := readConformanceFile(t, "conformance-passed.json")
	c.SchemaVersion, c.Verdict, c.Interrupted, c.Summary = ConformanceSchema, Interrupted, true, Summary{}
	for i := range c.Examples {
		if i > 0 {
			c.Examples[i].Verdict, c.Examples[i].Reason = Skipped, "not run (interrupted)"
			c.NotRun = append(c.NotRun, c.Examples[i].ID)
		}
		c.Summary.Add(c.Examples[i].Verdict)
	}
	return c
}

// TestInterruptedConformanceSaysSo: the page of an interrupted run says
// "interrupted" and what did not run, in Markdown and HTML, and its verdict
// dominates any other section's.
func TestInterruptedConformanceSaysSo(t *testing.T) {
	c := interruptedRun(t)
	md, html := render(t, fixedPage(ConformanceSection(c)))
	for _, want := range []string{"## ⏹️ Conformance: interrupted", "Interrupted (SIGINT or SIGTERM) before the run ended: 9 of",
		"example02_create_peer_to_peer_voip_call_app_media", "not run (interrupted)"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("Markdown lacks %q\n%s", want, md)
		}
	}
	for _, want := range []string{`class="banner v-interrupted"`, "INTERRUPTED", "Interrupted (SIGINT or SIGTERM)"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	failed := readConformanceFile(t, "conformance-failed.json")
	p := &Page{Sections: []Section{ConformanceSection(failed), ConformanceSection(c)}}
	if v := p.Verdict(); v != Interrupted {
		t.Errorf("a page with an interrupted section reads %q, want interrupted", v)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, c); err != nil {
		t.Fatal(err)
	}
	back, err := ReadConformance(&buf)
	if err != nil || !back.Interrupted || back.Verdict != Interrupted || len(back.NotRun) != 9 {
		t.Errorf("read back %+v, %v", back, err)
	}
}

// TestJUnitInterruptedIsAnError: a case an interrupt kept from running is
// an error (CI reads it red), counted on the suite and the root.
func TestJUnitInterruptedIsAnError(t *testing.T) {
	var s JUnitSuites
	s.AddSuite("x", time.Time{}, 0, []JUnitCase{NewJUnitCase("c", "ran", Passed, 0, "", nil), NewInterruptedCase("c", "stopped", 0, "not run (interrupted)")},
		JUnitProperty{Name: "interrupted", Value: "true"})
	var buf bytes.Buffer
	if err := s.Write(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`errors="1"`, `<property name="interrupted" value="true">`, `<error message="not run (interrupted)" type="interrupted">`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("JUnit lacks %s\n%s", want, buf.String())
		}
	}
}
