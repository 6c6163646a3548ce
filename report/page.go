package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

//go:embed assets/style.css
var styleCSS string

//go:embed assets/print.js
var printJS string

// templates are the page's HTML templates, parsed once; a broken template
// fails every test of this package.
var templates = template.Must(template.New("report").Funcs(template.FuncMap{
	"class":   verdictClass,
	"symbol":  htmlSymbol,
	"words":   Words,
	"join":    strings.Join,
	"label":   StepLabel,
	"unquote": unquote,
	"wbr":     wbr,
}).ParseFS(templateFS, "templates/*.tmpl"))

// Section is one part of a report page: a conformance report, a bot
// certificate, a load run. A Page renders its sections under one title.
type Section interface {
	// Heading is the section's title ("Conformance", "Bot certificate").
	Heading() string
	// Outcome is the section's verdict, the one the page's headline shows.
	Outcome() Verdict
	// WriteMarkdown writes the section as Markdown, under a level-2 heading.
	WriteMarkdown(w io.Writer) error
	// HTML returns the section's body as an HTML fragment (the page adds the
	// heading). id is the section's unique anchor, to prefix its own anchors.
	HTML(id string) (template.HTML, error)
}

// Page is a report people read: one or more sections under a title, as
// Markdown (for a GitHub job summary) or as one self-contained HTML file
// (CSS, script and charts inline; nothing is loaded from the network).
type Page struct {
	// Title heads the page; empty uses "callcheck conformance" (the one
	// section's heading) or "callcheck report" (several sections).
	Title string
	// Harness names what made the page ("callcheck v1.2.0").
	Harness string
	// Generated is when the page was made; zero leaves it out.
	Generated time.Time
	// Sections are rendered in order.
	Sections []Section
}

// Verdict is the worst outcome of the page's sections.
func (p *Page) Verdict() Verdict {
	vs := make([]Verdict, 0, len(p.Sections))
	for _, s := range p.Sections {
		vs = append(vs, s.Outcome())
	}
	return Worst(vs...)
}

func (p *Page) title() string {
	switch {
	case p.Title != "":
		return p.Title
	case len(p.Sections) == 1:
		return "callcheck " + strings.ToLower(p.Sections[0].Heading())
	}
	return "callcheck report"
}

// WriteMarkdown writes the page as Markdown: a title when there is more
// than one section, then every section.
func (p *Page) WriteMarkdown(w io.Writer) error {
	if len(p.Sections) == 0 {
		return fmt.Errorf("report: the page has no sections")
	}
	if len(p.Sections) > 1 {
		if _, err := fmt.Fprintf(w, "# %s %s\n\n", MarkdownMark(p.Verdict()), mdText(p.title())); err != nil {
			return err
		}
	}
	for i, s := range p.Sections {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := s.WriteMarkdown(w); err != nil {
			return fmt.Errorf("report: %s: %w", s.Heading(), err)
		}
	}
	return nil
}

// pageView is what the page template reads.
type pageView struct {
	Title, Harness string
	Generated      time.Time
	Verdict        Verdict
	Sections       []sectionView
	CSS            template.CSS
	JS             template.JS
}

type sectionView struct {
	ID, Heading string
	Verdict     Verdict
	Body        template.HTML
}

// WriteHTML writes the page as one self-contained HTML document.
func (p *Page) WriteHTML(w io.Writer) error {
	if len(p.Sections) == 0 {
		return fmt.Errorf("report: the page has no sections")
	}
	v := pageView{Title: p.title(), Harness: p.Harness, Generated: p.Generated, Verdict: p.Verdict(),
		CSS: template.CSS(styleCSS), JS: template.JS(printJS)}
	if v.Harness == "" {
		v.Harness = "callcheck"
	}
	for i, s := range p.Sections {
		id := fmt.Sprintf("s%d-%s", i+1, slug(s.Heading()))
		body, err := s.HTML(id)
		if err != nil {
			return fmt.Errorf("report: %s: %w", s.Heading(), err)
		}
		v.Sections = append(v.Sections, sectionView{ID: id, Heading: s.Heading(), Verdict: s.Outcome(), Body: body})
	}
	return templates.ExecuteTemplate(w, "page", v)
}

// executeFragment runs the named template of this package into an HTML
// fragment.
func executeFragment(name string, data any) (template.HTML, error) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // html/template escaped every value
}

// slug makes an anchor from a heading: lower case letters and digits, dashes between words.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// Banner is the headline of a section: its verdict in a word or two, and a
// sentence that says what that means.
type Banner struct {
	Verdict  Verdict
	Big      string // "PASSED", "CERTIFIED", "THRESHOLDS HELD"
	Sentence string
}

// BannerHTML renders b as the page's verdict banner, for sections rendered
// outside this package.
func BannerHTML(b Banner) (template.HTML, error) { return executeFragment("banner", b) }

// MarkHTML renders a verdict as a coloured symbol followed by its words.
func MarkHTML(v Verdict) (template.HTML, error) { return executeFragment("mark", v) }

// unquote drops the quotation marks a quote may already carry, so that the
// page's own are not doubled.
func unquote(s string) string {
	return strings.Trim(strings.TrimSpace(s), "\"“”")
}

// wbr escapes an identifier and lets it break after its underscores and
// dots, so long contract and check ids wrap at their words.
func wbr(s string) template.HTML {
	e := template.HTMLEscapeString(s)
	e = strings.NewReplacer("_", "_<wbr>", ".", ".<wbr>").Replace(e)
	return template.HTML(e) // escaped above; only <wbr> is added
}
