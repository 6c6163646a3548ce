package report

// Marks shown for verdicts. Every mark comes with words (a legend in
// Markdown, hidden text in HTML) so that colour and symbol are never the
// only carriers of a result.

// markdownMarks are the Markdown marks: emoji render in GitHub job summaries
// and stay legible as plain text.
var markdownMarks = map[Verdict]string{
	Passed:       "✅",
	Failed:       "❌",
	NotSupported: "⚪",
	Skipped:      "⏭️",
	Warning:      "⚠️",
	Interrupted:  "⏹️",
}

// htmlSymbols are the HTML marks, drawn in the verdict's colour by the page's CSS.
var htmlSymbols = map[Verdict]string{
	Passed:       "✓",
	Failed:       "✗",
	NotSupported: "–",
	Skipped:      "↷",
	Warning:      "!",
	Interrupted:  "■",
}

// verdictWords are the verdicts in words, for people.
var verdictWords = map[Verdict]string{
	Passed:       "passed",
	Failed:       "failed",
	NotSupported: "not supported",
	Skipped:      "skipped",
	Warning:      "passed with a warning",
	Interrupted:  "interrupted",
}

// MarkdownMark returns the Markdown mark of v ("✅" for passed); an unknown
// verdict gets "❔".
func MarkdownMark(v Verdict) string {
	if m, ok := markdownMarks[v]; ok {
		return m
	}
	return "❔"
}

// Words returns v in words ("not supported"); an unknown verdict is returned as it is.
func Words(v Verdict) string {
	if w, ok := verdictWords[v]; ok {
		return w
	}
	return string(v)
}

// markdownLegend explains the marks in one line.
const markdownLegend = "✅ passed · ❌ failed · ⚪ not supported · ⏭️ skipped · ⚠️ warning"

// verdictClass is the CSS class of v ("v-passed"); unknown verdicts share one.
func verdictClass(v Verdict) string {
	if _, ok := verdictWords[v]; ok {
		return "v-" + string(v)
	}
	return "v-unknown"
}

func htmlSymbol(v Verdict) string {
	if s, ok := htmlSymbols[v]; ok {
		return s
	}
	return "?"
}
