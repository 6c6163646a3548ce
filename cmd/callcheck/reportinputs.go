package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/report"
)

// reportInputs are what callcheck report was given: conformance reports,
// bot certificates, and load results (merged by load.Merge).
type reportInputs struct {
	conformance  []*report.Conformance
	certificates []*report.Certificate
	loadPaths    []string
}

// schemaOf reads the schema version a JSON file declares in its first value
// (result.SchemaVersionOf); "" when it declares none or is not JSON.
func schemaOf(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	return result.SchemaVersionOf(f)
}

// readReportInputs sorts paths into documents and load results. A file
// declaring a report schema is read as that document; any other file is a
// load result (a manifest, capacity.json, a vegeta results file). A
// directory is searched: its report documents are read, and it is a load
// path when a run or capacity search lies in it or below it.
func readReportInputs(paths []string) (*reportInputs, error) {
	in := &reportInputs{}
	for _, p := range paths {
		if strings.HasPrefix(p, "-") && len(p) > 1 {
			return nil, fmt.Errorf("%s comes after the paths: flags go before them", p)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			if _, err := in.addFile(p, true); err != nil {
				return nil, err
			}
			continue
		}
		if err := in.addDir(p); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// addFile reads a report document, or (when anyFile) takes the file as a
// load result; it reports whether the file was a document.
func (in *reportInputs) addFile(path string, anyFile bool) (bool, error) {
	switch v := schemaOf(path); {
	case report.IsConformanceSchema(v):
		c, err := readDoc(path, report.ReadConformance)
		in.conformance = append(in.conformance, c)
		return true, err
	case report.IsCertificateSchema(v):
		c, err := readDoc(path, report.ReadCertificate)
		in.certificates = append(in.certificates, c)
		return true, err
	}
	if anyFile {
		if err := checkLoadFile(path); err != nil {
			return false, err
		}
		in.loadPaths = append(in.loadPaths, path)
	}
	return false, nil
}

// loadSchemas are the schemas of the load documents report reads as load
// results.
var loadSchemas = []string{result.ManifestSchema, result.CapacitySchema, result.SummarySchema}

// checkLoadFile refuses a file given as a load result that is JSON of
// another kind: a document declaring a schema report does not read, or a
// JSON object that is not a vegeta result (vegeta's JSON encoding always
// carries "code" and "timestamp"). Gob and CSV results pass unread.
func checkLoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var head map[string]json.RawMessage
	if json.NewDecoder(f).Decode(&head) != nil {
		return nil
	}
	if v := result.SchemaVersionOf(bytes.NewReader(mustJSON(head))); v != "" {
		if !contains(loadSchemas, v) {
			return fmt.Errorf("%s declares schema %q, which callcheck report does not read", path, v)
		}
		return nil
	}
	if _, ok := head["timestamp"]; !ok {
		return fmt.Errorf("%s is JSON but not a callcheck result: no conformance report, bot certificate, load manifest, capacity result or vegeta result", path)
	}
	if _, ok := head["code"]; !ok {
		return fmt.Errorf("%s is JSON but not a vegeta result (no \"code\")", path)
	}
	return nil
}

// mustJSON re-encodes a decoded JSON object.
func mustJSON(v map[string]json.RawMessage) []byte {
	data, _ := json.Marshal(v)
	return data
}

// readDoc reads one document, naming the file in an error.
func readDoc[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// staysInside refuses a symbolic link found under dir that leads out of it.
func staysInside(dir, path string, d fs.DirEntry) error {
	if d.Type()&fs.ModeSymlink == 0 {
		return nil
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if rel, err := filepath.Rel(root, target); err != nil || !filepath.IsLocal(rel) {
		return fmt.Errorf("%s is a symbolic link leading out of %s: only files inside it are read", path, dir)
	}
	return nil
}

// addDir reads the documents under dir and takes it as a load path when
// load results lie in it.
func (in *reportInputs) addDir(dir string) error {
	found, loads := false, false
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), ".json") {
			return err
		}
		if err := staysInside(dir, path, d); err != nil {
			return err
		}
		if d.Name() == result.ManifestFile || d.Name() == result.CapacityFile {
			loads = true
			return nil
		}
		doc, err := in.addFile(path, false)
		found = found || doc
		return err
	})
	if err != nil {
		return err
	}
	if loads {
		in.loadPaths = append(in.loadPaths, dir)
	}
	if !found && !loads {
		return errors.New(dir + " holds no conformance report, bot certificate or load results")
	}
	return nil
}
