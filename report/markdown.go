package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxMarkdownField bounds one evidence field in Markdown: a GitHub job
// summary holds at most 1 MiB, and the JSON report keeps everything.
const MaxMarkdownField = 2000

// MarkdownText makes s safe as Markdown text on one line: no line breaks,
// no HTML (GitHub renders tags), table pipes escaped.
func MarkdownText(s string) string { return mdText(s) }

// MarkdownCode writes s as an inline code span, safe in a table cell.
func MarkdownCode(s string) string { return mdCode(s) }

// mdText makes s safe as Markdown text on one line: no line breaks, no
// HTML (GitHub renders tags), table pipes escaped.
func mdText(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}

// mdCode writes s as an inline code span, on one line, with a fence longer
// than any run of backticks in it (CommonMark), and pipes escaped for tables.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`).Replace(s)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// mdBlock returns s as a fenced code block whose fence no line of s can
// close, every line prefixed by indent (to sit inside a list item).
func mdBlock(s, lang, indent string) string {
	fence := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	lines := append([]string{fence + lang}, strings.Split(strings.TrimRight(s, "\n"), "\n")...)
	lines = append(lines, fence)
	return indent + strings.Join(lines, "\n"+indent) + "\n"
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// clip bounds s to n bytes (on a rune boundary), saying it was cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d more bytes in the JSON report)", len(s)-cut)
}

// warnSuffix marks a check that only warned.
func warnSuffix(warning bool) string {
	if warning {
		return " (warning only: not strict)"
	}
	return ""
}

// writeEvidenceMarkdown writes evidence as a list, each field bounded.
func writeEvidenceMarkdown(w io.Writer, ev []Evidence) {
	if len(ev) == 0 {
		fmt.Fprintln(w, "\n_No evidence was recorded for this step._")
		return
	}
	for _, e := range ev {
		fmt.Fprintf(w, "\n- **%s**\n", mdText(clip(e.Message, MaxMarkdownField)))
		if e.Basis != "" {
			fmt.Fprintf(w, "  - basis: %s%s\n", e.Basis, warnSuffix(e.Warning))
		}
		if e.URL != "" {
			fmt.Fprintf(w, "  - field report: %s\n", mdText(e.URL))
		}
		for _, kv := range [][2]string{{"expected", e.Expected}, {"got", e.Got}, {"JSON pointer", e.Pointer}, {"request-id", e.RequestID}} {
			if kv[1] != "" {
				fmt.Fprintf(w, "  - %s: %s\n", kv[0], mdCode(clip(kv[1], MaxMarkdownField)))
			}
		}
		if e.DocQuote != "" {
			fmt.Fprintf(w, "  - documentation: “%s”", mdText(clip(unquote(e.DocQuote), MaxMarkdownField)))
			if e.Source != "" {
				fmt.Fprintf(w, " — %s", mdText(e.Source))
			}
			fmt.Fprintln(w)
		} else if e.Source != "" {
			fmt.Fprintf(w, "  - source: %s\n", mdText(e.Source))
		}
		if e.Excerpt != "" {
			fmt.Fprintf(w, "\n%s", mdBlock(clip(e.Excerpt, MaxMarkdownField), "", "  "))
		}
	}
}

// writeCountsMarkdown writes a summary's counts as a one-row table.
func writeCountsMarkdown(w io.Writer, s Summary) {
	fmt.Fprintln(w, "\n| ✅ passed | ❌ failed | ⚠️ warnings | ⚪ not supported | ⏭️ skipped |\n|---:|---:|---:|---:|---:|")
	fmt.Fprintf(w, "| %d | %d | %d | %d | %d |\n", s.Passed, s.Failed, s.Warnings, s.NotSupported, s.Skipped)
	if s.Retries+s.Duplicates+s.Stray+s.UnknownCalls > 0 {
		fmt.Fprintf(w, "\nRetries (429/503/5xx, Retry-After honoured): %d · duplicated notifications: %d · stray requests to the receiver (no call named): %d · notifications for calls never created: %d\n",
			s.Retries, s.Duplicates, s.Stray, s.UnknownCalls)
	}
}
