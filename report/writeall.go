package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Format is one way of writing a result.
type Format string

// The formats. Their values are those of `callcheck report --format`.
const (
	FormatJSON     Format = "json" // the versioned document itself (WriteJSON)
	FormatJUnit    Format = "junit"
	FormatMarkdown Format = "md"   // the page people read, for a job summary
	FormatHTML     Format = "html" // the page as one self-contained file
	FormatText     Format = "text" // the summary a terminal shows
)

// Result is a result in every form report writes it. A nil member leaves
// out the formats made from it.
type Result struct {
	// Document is the versioned document (Conformance, Certificate, Bundle),
	// written as indented JSON.
	Document any
	// JUnit is the result as JUnit XML suites, for CI.
	JUnit *JUnitSuites
	// Page is what people read, as Markdown or HTML.
	Page *Page
	// Text writes the terminal summary.
	Text func(io.Writer) error
}

// File is one file of a result's output directory: the format written and
// the file's name.
type File struct {
	Format Format
	Name   string
}

// Render writes res in format f to w.
func Render(w io.Writer, res Result, f Format) error {
	switch {
	case f == FormatJSON && res.Document != nil:
		return WriteJSON(w, res.Document)
	case f == FormatJUnit && res.JUnit != nil:
		return res.JUnit.Write(w)
	case f == FormatMarkdown && res.Page != nil:
		return res.Page.WriteMarkdown(w)
	case f == FormatHTML && res.Page != nil:
		return res.Page.WriteHTML(w)
	case f == FormatText && res.Text != nil:
		return res.Text(w)
	}
	return fmt.Errorf("report: this result has no %s form", f)
}

// WriteAll writes res into dir (made if missing), one file for each of
// files, in their order, and returns the paths written: the run's list of
// report files. Each file is rendered whole before it is written, so a
// rendering error leaves no half-written file; it names the file. A
// directory or file that cannot be written gives the *fs.PathError of os.
func WriteAll(dir string, res Result, files ...File) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(files))
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		var buf bytes.Buffer
		if err := Render(&buf, res, f.Format); err != nil {
			return paths, fmt.Errorf("writing %s: %w", path, err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}
