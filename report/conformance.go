package report

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

// ConformanceSection returns the section of a conformance report: a verdict
// banner, the matrix of documented examples × steps (request, response,
// each notification, cleanup), the negative contracts, every failure with
// its evidence, what was not supported, and the documentation errata cited.
func ConformanceSection(c *Conformance) Section { return conformanceSection{c} }

type conformanceSection struct{ c *Conformance }

// Heading implements Section.
func (s conformanceSection) Heading() string { return "Conformance" }

// Outcome implements Section: the report's verdict.
func (s conformanceSection) Outcome() Verdict {
	if s.c == nil {
		return Failed
	}
	return s.c.Verdict
}

// conformanceBanner says the verdict in words a person takes in at a glance.
func conformanceBanner(c *Conformance) Banner {
	s := c.Summary
	ran := s.Passed + s.Failed + s.Warnings
	b := Banner{Verdict: c.Verdict, Big: strings.ToUpper(Words(c.Verdict))}
	switch {
	case c.Interrupted || c.Verdict == Interrupted:
		b.Sentence = InterruptedSentence(len(c.NotRun), len(allContracts(c)), "contracts", c.NotRun)
		if s.Failed > 0 {
			b.Sentence += fmt.Sprintf(" Of those that ran, %d failed: %s.", s.Failed, strings.Join(failedIDs(c, 3), ", "))
		}
	case s.Failed > 0:
		b.Sentence = fmt.Sprintf("%d of %d contracts that ran failed: %s.", s.Failed, ran, strings.Join(failedIDs(c, 3), ", "))
	case ran == 0:
		b.Sentence = "No contract ran: the target claims none of the features the contracts exercise."
	default:
		b.Sentence = fmt.Sprintf("All %d contracts that ran conform to the documentation.", ran)
	}
	if s.NotSupported > 0 {
		b.Sentence += fmt.Sprintf(" %d not supported by this target (features it does not claim).", s.NotSupported)
	}
	if len(c.Undeleted) > 0 {
		b.Sentence += " " + UndeletedSentence(c.Undeleted)
	}
	return b
}

// InterruptedSentence says in one sentence that a run was interrupted and
// what did not run: notRun of total things (contracts, checks), the first
// few named.
func InterruptedSentence(notRun, total int, things string, ids []string) string {
	out := fmt.Sprintf("Interrupted (SIGINT or SIGTERM) before the run ended: %d of %d %s did not run", notRun, total, things)
	if len(ids) > 0 {
		shown := ids
		if len(shown) > 3 {
			shown = append(append([]string{}, ids[:3]...), fmt.Sprintf("and %d more", len(ids)-3))
		}
		out += " (" + strings.Join(shown, ", ") + ")"
	}
	return out + "; the verdicts shown cover only what ran, and none of them is a verdict about the whole."
}

// UndeletedSentence names the calls a run created and could not delete.
func UndeletedSentence(ids []string) string {
	return fmt.Sprintf("%d calls the run created could not be deleted and may still be live on the target: %s.", len(ids), strings.Join(ids, ", "))
}

// failedIDs names at most n failed contracts, then how many more.
func failedIDs(c *Conformance, n int) []string {
	var ids []string
	total := 0
	for _, r := range allContracts(c) {
		if r.Verdict == Failed {
			if total++; total <= n {
				ids = append(ids, r.ID)
			}
		}
	}
	if total > n {
		ids = append(ids, fmt.Sprintf("and %d more", total-n))
	}
	return ids
}

func allContracts(c *Conformance) []ContractResult {
	return append(append([]ContractResult{}, c.Examples...), c.Negative...)
}

// numberedErratum is an erratum with the number the page cites it by (E1, E2…).
type numberedErratum struct {
	N      int
	Ref    ErratumRef
	Anchor string
}

// errataIndex numbers the report's errata, then any a contract cites that
// the report's list lacks.
type errataIndex struct {
	all []numberedErratum
	id  string
}

func newErrataIndex(c *Conformance, id string) *errataIndex {
	x := &errataIndex{id: id}
	for _, e := range c.Errata {
		x.number(e)
	}
	for _, r := range allContracts(c) {
		for _, e := range r.Errata {
			x.number(e)
		}
	}
	return x
}

// number returns e's numbered entry, adding it when new.
func (x *errataIndex) number(e ErratumRef) numberedErratum {
	for _, n := range x.all {
		if n.Ref == e {
			return n
		}
	}
	n := numberedErratum{N: len(x.all) + 1, Ref: e, Anchor: fmt.Sprintf("%s-e%d", x.id, len(x.all)+1)}
	x.all = append(x.all, n)
	return n
}

func (x *errataIndex) of(r *ContractResult) []numberedErratum {
	var out []numberedErratum
	for _, e := range r.Errata {
		out = append(out, x.number(e))
	}
	return out
}

// humanDuration rounds d for people: 1.2s, 45ms, 350µs; nothing measured is a dash.
func humanDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "—"
	case d >= time.Minute:
		return d.Round(time.Second).String()
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// humanTime writes t in UTC, or "unknown" for the zero time.
func humanTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// failedSteps are the steps of r that did not pass cleanly.
func failedSteps(r *ContractResult) []*StepResult {
	var out []*StepResult
	for i := range r.Steps {
		if v := r.Steps[i].Verdict; v == Failed || v == Warning {
			out = append(out, &r.Steps[i])
		}
	}
	return out
}

// WriteMarkdown implements Section: the banner, the target, the counts, a
// table of contracts × phases, each failure's evidence folded, what was not
// supported and the errata cited.
func (s conformanceSection) WriteMarkdown(w io.Writer) error {
	if s.c == nil {
		return errors.New("report: no conformance report (nil)")
	}
	var b bytes.Buffer
	c := s.c
	banner := conformanceBanner(c)
	fmt.Fprintf(&b, "## %s Conformance: %s\n\n%s\n\n", MarkdownMark(c.Verdict), Words(c.Verdict), mdText(banner.Sentence))
	fmt.Fprintf(&b, "Target %s (%s, API %s, auth %s) · %s %s · fixtures %s · %s, %s\n",
		mdCode(c.Target.BaseURL), mdText(c.Target.Kind), mdText(c.Target.APIVersion), mdText(c.Target.Auth),
		mdText(c.Harness.Name), mdText(c.Harness.Version), mdCode(shortDigest(c.Harness.FixturesDigest)),
		humanTime(c.StartedAt), humanDuration(c.FinishedAt.Sub(c.StartedAt)))
	fmt.Fprintf(&b, "\nClaimed features: %s\n", mdText(orNone(strings.Join(c.ClaimedFeatures, ", "))))
	writeCountsMarkdown(&b, c.Summary)
	x := newErrataIndex(c, "")
	if len(c.Examples) > 0 {
		fmt.Fprintf(&b, "\n### Documented examples\n\n%s · blank: not a step of this contract\n", markdownLegend)
		writePhaseTableMarkdown(&b, c.Examples, x)
	}
	if len(c.Negative) > 0 {
		fmt.Fprintln(&b, "\n### Negative contracts")
		writePhaseTableMarkdown(&b, c.Negative, x)
	}
	writeFailuresMarkdown(&b, c)
	writeNotRunMarkdown(&b, c)
	writeErrataMarkdown(&b, x)
	_, err := w.Write(b.Bytes())
	return err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// shortDigest keeps a digest legible: its algorithm and first 12 hex digits.
func shortDigest(d string) string {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok {
		alg, hex = "", d
	}
	if len(hex) > 12 {
		hex = hex[:12] + "…"
	}
	if alg == "" {
		return hex
	}
	return alg + ":" + hex
}

// writePhaseTableMarkdown writes one row per contract with one column per
// phase (the worst verdict of its steps), compact enough for a job summary.
func writePhaseTableMarkdown(b *bytes.Buffer, rs []ContractResult, x *errataIndex) {
	m := NewMatrix(rs)
	fmt.Fprint(b, "\n| contract |")
	for _, g := range m.Groups {
		fmt.Fprintf(b, " %s |", mdText(g.Phase))
	}
	fmt.Fprint(b, " verdict | time | errata |\n|---|")
	fmt.Fprint(b, strings.Repeat(":-:|", len(m.Groups)))
	fmt.Fprintln(b, ":-:|--:|---|")
	for i := range rs {
		r := &rs[i]
		name := mdText(r.Title)
		if r.Example > 0 {
			name = fmt.Sprintf("%d. %s", r.Example, name)
		}
		fmt.Fprintf(b, "| %s<br>%s |", name, mdCode(r.ID))
		for _, g := range m.Groups {
			mark := ""
			if v, ok := PhaseVerdict(r, g.Phase); ok && !notRun(r.Verdict) {
				mark = MarkdownMark(v)
			}
			fmt.Fprintf(b, " %s |", mark)
		}
		fmt.Fprintf(b, " %s | %s | %s |\n", MarkdownMark(r.Verdict), humanDuration(time.Duration(r.Duration)), errataRanges(x.of(r)))
	}
}

// writeFailuresMarkdown writes each failed or warned contract in a
// collapsed block: the failing steps and their evidence.
func writeFailuresMarkdown(b *bytes.Buffer, c *Conformance) {
	first := true
	for _, r := range allContracts(c) {
		steps := failedSteps(&r)
		if r.Verdict != Failed && r.Verdict != Warning && len(steps) == 0 {
			continue
		}
		if first {
			fmt.Fprintln(b, "\n### Failures and warnings")
			first = false
		}
		fmt.Fprintf(b, "\n<details><summary>%s <b>%s</b>: %s</summary>\n", MarkdownMark(r.Verdict), mdText(r.ID), mdText(stepsSummary(steps)))
		for _, st := range steps {
			fmt.Fprintf(b, "\n#### %s step %s\n", MarkdownMark(st.Verdict), mdCode(st.Name))
			writeEvidenceMarkdown(b, st.Evidence)
		}
		writeDeliveryMarkdown(b, &r)
		fmt.Fprintln(b, "\n</details>")
	}
}

// stepsSummary names the failing steps and the first finding.
func stepsSummary(steps []*StepResult) string {
	if len(steps) == 0 {
		return "failed without a failing step"
	}
	var names []string
	for _, s := range steps {
		names = append(names, s.Name)
	}
	out := "step " + strings.Join(names, ", ")
	if ev := steps[0].Evidence; len(ev) > 0 {
		out += ": " + clip(ev[0].Message, 200)
	}
	return out
}

func writeNotRunMarkdown(b *bytes.Buffer, c *Conformance) {
	var lines []string
	for _, r := range allContracts(c) {
		if r.Verdict == NotSupported || r.Verdict == Skipped {
			lines = append(lines, fmt.Sprintf("- %s %s: %s", MarkdownMark(r.Verdict), mdCode(r.ID), mdText(orNone(r.Reason))))
		}
	}
	if len(lines) > 0 {
		fmt.Fprintf(b, "\n<details><summary>%d not supported or skipped</summary>\n\n%s\n\n</details>\n", len(lines), strings.Join(lines, "\n"))
	}
}

func writeErrataMarkdown(b *bytes.Buffer, x *errataIndex) {
	if len(x.all) == 0 {
		return
	}
	fmt.Fprintf(b, "\n<details><summary>%d documentation errata cited</summary>\n\n", len(x.all))
	fmt.Fprintln(b, "| ref | example | block | pointer | kind | what the page gets wrong |\n|---|--:|---|---|---|---|")
	for _, e := range x.all {
		fmt.Fprintf(b, "| E%d | %d | %s | %s | %s | %s |\n", e.N, e.Ref.Example, mdText(e.Ref.Block), mdCode(e.Ref.Pointer),
			mdText(e.Ref.Kind), mdText(e.Ref.Message))
	}
	fmt.Fprintln(b, "\n</details>")
}

// conformanceView is what the conformance template reads.
type conformanceView struct {
	ID                         string
	C                          *Conformance
	Banner                     Banner
	Started, Took              string
	Examples, Negative         *Matrix
	ExamplesView, NegativeView matrixView
	Failures                   []failureView
	NotRun                     []ContractResult
	Errata                     []numberedErratum
}

type matrixView struct {
	Caption, First string
	M              *Matrix
	Head           []headView
	Rows           []rowView
	Errata         bool
}

// headView is a phase's header: a phase of one step named like it stands
// alone over both header rows.
type headView struct {
	Phase, Step string
	Span        int
	Alone       bool
	Steps       []string
}

// errataRange is a run of consecutive errata cited together ("E3–E7").
type errataRange struct {
	Text, Anchor string
}

type rowView struct {
	R      *ContractResult
	NotRun bool // not supported or skipped: one cell with the reason
	Cells  []cellView
	Took   string
	Errata []errataRange
}

type cellView struct {
	S    *StepResult
	Link string // the anchor of the step's evidence, for failures and warnings
}

type failureView struct {
	R      *ContractResult
	Anchor string
	Steps  []stepView
}

type stepView struct {
	S      *StepResult
	Anchor string
}

// HTML implements Section: the banner, the matrices of examples and
// negative contracts × steps, the evidence, the errata.
func (s conformanceSection) HTML(id string) (template.HTML, error) {
	if s.c == nil {
		return "", errors.New("report: no conformance report (nil)")
	}
	c := s.c
	x := newErrataIndex(c, id)
	v := conformanceView{ID: id, C: c, Banner: conformanceBanner(c), Started: humanTime(c.StartedAt),
		Took: humanDuration(c.FinishedAt.Sub(c.StartedAt)), Examples: NewMatrix(c.Examples), Negative: NewMatrix(c.Negative)}
	v.ExamplesView = newMatrixView(id, "Documented examples by step", "documented example", v.Examples, x)
	v.NegativeView = newMatrixView(id, "Negative contracts by step", "negative contract", v.Negative, x)
	for _, r := range allContracts(c) {
		if steps := failedSteps(&r); r.Verdict == Failed || r.Verdict == Warning || len(steps) > 0 {
			v.Failures = append(v.Failures, newFailureView(id, &r, steps))
		}
		if r.Verdict == NotSupported || r.Verdict == Skipped {
			v.NotRun = append(v.NotRun, r)
		}
	}
	v.Errata = x.all
	return executeFragment("conformance", v)
}

func stepAnchor(id, contract, step string) string {
	return id + "-" + slug(contract) + "-" + slug(step)
}

func newMatrixView(id, caption, first string, m *Matrix, x *errataIndex) matrixView {
	v := matrixView{Caption: caption, First: first, M: m, Head: headViews(m)}
	for _, row := range m.Rows {
		rv := rowView{R: row.Contract, NotRun: notRun(row.Contract.Verdict), Took: humanDuration(time.Duration(row.Contract.Duration)),
			Errata: rangesOf(x.of(row.Contract))}
		v.Errata = v.Errata || len(rv.Errata) > 0
		for _, st := range row.Cells {
			if rv.NotRun {
				st = nil
			}
			cv := cellView{S: st}
			if st != nil && (st.Verdict == Failed || st.Verdict == Warning) {
				cv.Link = stepAnchor(id, row.Contract.ID, st.Name)
			}
			rv.Cells = append(rv.Cells, cv)
		}
		v.Rows = append(v.Rows, rv)
	}
	return v
}

func newFailureView(id string, r *ContractResult, steps []*StepResult) failureView {
	f := failureView{R: r, Anchor: id + "-" + slug(r.ID)}
	for _, st := range steps {
		f.Steps = append(f.Steps, stepView{S: st, Anchor: stepAnchor(id, r.ID, st.Name)})
	}
	return f
}

// notRun reports whether a contract's steps did not run to a verdict of
// their own: it was not supported or skipped as a whole.
func notRun(v Verdict) bool { return v == NotSupported || v == Skipped }

// errataRanges cites errata compactly: "E1–E6 E9".
func errataRanges(es []numberedErratum) string {
	var parts []string
	for _, r := range rangesOf(es) {
		parts = append(parts, r.Text)
	}
	return strings.Join(parts, " ")
}

// rangesOf groups errata with consecutive numbers, each range anchored at its first.
func rangesOf(es []numberedErratum) []errataRange {
	var out []errataRange
	for i := 0; i < len(es); {
		j := i
		for j+1 < len(es) && es[j+1].N == es[j].N+1 {
			j++
		}
		r := errataRange{Text: fmt.Sprintf("E%d", es[i].N), Anchor: es[i].Anchor}
		if j > i {
			r.Text = fmt.Sprintf("E%d–E%d", es[i].N, es[j].N)
		}
		out = append(out, r)
		i = j + 1
	}
	return out
}

func headViews(m *Matrix) []headView {
	var out []headView
	col := 0
	for _, g := range m.Groups {
		h := headView{Phase: g.Phase, Span: g.Span, Steps: m.Columns[col : col+g.Span]}
		h.Step = h.Steps[0]
		h.Alone = g.Span == 1 && StepLabel(h.Step) == g.Phase
		out = append(out, h)
		col += g.Span
	}
	return out
}

// writeDeliveryMarkdown notes a contract's retries, duplicated and lost
// notifications.
func writeDeliveryMarkdown(b *bytes.Buffer, r *ContractResult) {
	for _, rt := range r.Retries {
		fmt.Fprintf(b, "\n- retry: %s %s attempt %d answered %d (Retry-After %s), waited %s\n",
			mdText(rt.Method), mdCode(rt.Path), rt.Attempt, rt.Status, mdText(orNone(rt.RetryAfter)), rt.Wait)
	}
	if r.Duplicates > 0 {
		fmt.Fprintf(b, "\n- duplicated notifications: %d\n", r.Duplicates)
	}
	if len(r.Lost) > 0 {
		fmt.Fprintf(b, "\n- notifications awaited that never came: %s\n", mdText(strings.Join(r.Lost, ", ")))
	}
}
