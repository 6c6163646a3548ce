package report

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"
)

// certificateGroups are the check groups in the order a certificate shows
// them; groups not listed follow in the order they first appear.
var certificateGroups = []string{"outbound", "inbound", "negative", "robustness"}

// CertificateSection returns the section of a bot certificate: a verdict
// banner, the bot and how to reproduce the run, then the checks by group,
// each failure or warning with its evidence.
func CertificateSection(c *Certificate) Section { return certificateSection{c} }

type certificateSection struct{ c *Certificate }

// Heading implements Section.
func (s certificateSection) Heading() string { return "Bot certificate" }

// Outcome implements Section: the certificate's verdict.
func (s certificateSection) Outcome() Verdict {
	if s.c == nil {
		return Failed
	}
	return s.c.Verdict
}

func certificateBanner(c *Certificate) Banner {
	s := c.Summary
	ran := s.Passed + s.Failed + s.Warnings
	b := Banner{Verdict: c.Verdict}
	name := strings.TrimSpace(c.Bot.Name + " " + c.Bot.Version)
	switch {
	case c.Interrupted || c.Verdict == Interrupted:
		b.Big = "INTERRUPTED"
		b.Sentence = InterruptedSentence(len(c.NotRun), len(c.Checks), "checks", c.NotRun)
		b.Sentence = strings.Replace(b.Sentence, "did not run", "did not run to a verdict", 1)
		b.Sentence += fmt.Sprintf(" %s is neither certified nor refused.", name)
	case c.Verdict == Passed || c.Verdict == Warning:
		b.Big = "CERTIFIED"
		b.Sentence = fmt.Sprintf("%s passed all %d checks it was given", name, ran)
		if s.Warnings > 0 {
			b.Sentence += fmt.Sprintf(", %d of them with a warning", s.Warnings)
		}
		b.Sentence += "."
	case c.Verdict == Failed:
		b.Big = "NOT CERTIFIED"
		b.Sentence = fmt.Sprintf("%s failed %d of %d checks.", name, s.Failed, ran)
	default:
		b.Big = strings.ToUpper(Words(c.Verdict))
		b.Sentence = fmt.Sprintf("No check of %s ran to a verdict.", name)
	}
	return b
}

// checkGroup is the checks of one group.
type checkGroup struct {
	Name, Anchor string
	Passed       int
	Checks       []checkView
}

type checkView struct {
	C      *Check
	Took   string
	Anchor string // set for failures and warnings, whose evidence follows the table
}

// groupChecks sorts the checks into CertificateGroups order, keeping their
// order within a group.
func groupChecks(c *Certificate, id string) []checkGroup {
	var names []string
	names = append(names, certificateGroups...)
	for _, ch := range c.Checks {
		if !slices.Contains(names, ch.Group) {
			names = append(names, ch.Group)
		}
	}
	var out []checkGroup
	for _, n := range names {
		g := checkGroup{Name: n, Anchor: id + "-" + slug(n)}
		for i := range c.Checks {
			ch := &c.Checks[i]
			if ch.Group != n {
				continue
			}
			cv := checkView{C: ch, Took: humanDuration(time.Duration(ch.Duration))}
			if ch.Verdict == Failed || ch.Verdict == Warning {
				cv.Anchor = id + "-" + slug(ch.ID)
			}
			if ch.Verdict == Passed || ch.Verdict == Warning {
				g.Passed++
			}
			g.Checks = append(g.Checks, cv)
		}
		if len(g.Checks) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// WriteMarkdown implements Section: the banner, the bot, the checks by group
// and each failure's evidence folded.
func (s certificateSection) WriteMarkdown(w io.Writer) error {
	if s.c == nil {
		return errors.New("report: no bot certificate (nil)")
	}
	var b bytes.Buffer
	c := s.c
	banner := certificateBanner(c)
	fmt.Fprintf(&b, "## %s Bot certificate: %s\n\n%s\n\n", MarkdownMark(c.Verdict), strings.ToLower(banner.Big), mdText(banner.Sentence))
	fmt.Fprintf(&b, "Bot **%s** %s · issued %s · %s %s · fixtures %s · seed %s\n\nReproduce: %s\n",
		mdText(c.Bot.Name), mdText(c.Bot.Version), humanTime(c.IssuedAt), mdText(c.Harness.Name), mdText(c.Harness.Version),
		mdCode(shortDigest(c.Harness.FixturesDigest)), mdCode(fmt.Sprint(c.Seed)), mdCode(c.Reproduce))
	writeCountsMarkdown(&b, c.Summary)
	fmt.Fprintf(&b, "\n%s\n", markdownLegend)
	for _, g := range groupChecks(c, "") {
		fmt.Fprintf(&b, "\n### %s (%d of %d passed)\n\n| check | scenario | verdict | time |\n|---|---|:-:|--:|\n", mdText(g.Name), g.Passed, len(g.Checks))
		for _, cv := range g.Checks {
			fmt.Fprintf(&b, "| %s%s<br>%s | %s | %s | %s |\n", mdText(cv.C.Title), recommendedMark(cv.C), mdCode(cv.C.ID), mdText(cv.C.Scenario), MarkdownMark(cv.C.Verdict), cv.Took)
		}
		for _, cv := range g.Checks {
			if cv.Anchor != "" {
				fmt.Fprintf(&b, "\n<details><summary>%s <b>%s</b>: %s</summary>\n", MarkdownMark(cv.C.Verdict), mdText(cv.C.ID), mdText(firstEvidence(cv.C.Evidence)))
				writeEvidenceMarkdown(&b, cv.C.Evidence)
				fmt.Fprintln(&b, "\n</details>")
			}
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func firstEvidence(ev []Evidence) string {
	if len(ev) == 0 {
		return "no evidence recorded"
	}
	return clip(ev[0].Message, 200)
}

// certificateView is what the certificate template reads.
type certificateView struct {
	C      *Certificate
	Banner Banner
	Issued string
	Groups []checkGroup
}

// HTML implements Section.
func (s certificateSection) HTML(id string) (template.HTML, error) {
	if s.c == nil {
		return "", errors.New("report: no bot certificate (nil)")
	}
	c := s.c
	return executeFragment("certificate", certificateView{C: c, Banner: certificateBanner(c), Issued: humanTime(c.IssuedAt), Groups: groupChecks(c, id)})
}

// recommendedMark marks a recommended check in a certificate's table.
func recommendedMark(c *Check) string {
	if c.Requirement == RequirementRecommended {
		return " *(recommended)*"
	}
	return ""
}
