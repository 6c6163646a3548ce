package load

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/load/result"
)

// resultFiles are the open result files of a run directory. Results are
// written by the collector alone; records and hangups come from other
// goroutines and take mu.
type resultFiles struct {
	dir     string
	closers []*os.File
	bufs    []*bufio.Writer
	results vegeta.Encoder

	mu      sync.Mutex
	records *result.RecordEncoder
	hangups vegeta.Encoder
	nrec    uint64
	err     error // the first write error of records or hangups
}

// createFiles creates dir and the result files a run writes into it,
// truncating those of an earlier run.
func createFiles(dir string, e2e, hangups bool) (*resultFiles, error) {
	if err := makeDir(dir); err != nil {
		return nil, err
	}
	f := &resultFiles{dir: dir}
	w, err := f.create(result.ResultsFile)
	if err != nil {
		return nil, err
	}
	f.results = vegeta.NewEncoder(w)
	if e2e {
		if w, err = f.create(result.E2EFile); err != nil {
			return nil, errors.Join(err, f.close())
		}
		f.records = result.NewRecordEncoder(w)
	}
	if hangups {
		if w, err = f.create(result.HangupsFile); err != nil {
			return nil, errors.Join(err, f.close())
		}
		f.hangups = vegeta.NewEncoder(w)
	}
	return f, nil
}

func (f *resultFiles) create(name string) (*bufio.Writer, error) {
	file, err := os.Create(filepath.Join(f.dir, name))
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriterSize(file, 256<<10)
	f.closers, f.bufs = append(f.closers, file), append(f.bufs, w)
	return w, nil
}

// names returns the Files of the manifest.
func (f *resultFiles) names() result.Files {
	n := result.Files{Results: result.ResultsFile}
	if f.records != nil {
		n.E2E = result.E2EFile
	}
	if f.hangups != nil {
		n.Hangups = result.HangupsFile
	}
	return n
}

// record writes an e2e record.
func (f *resultFiles) record(r *result.Record) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nrec++
	if err := f.records.Encode(r); err != nil && f.err == nil {
		f.err = fmt.Errorf("writing %s: %w", result.E2EFile, err)
	}
}

// hangup writes the result of a DELETE.
func (f *resultFiles) hangup(r *vegeta.Result) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.hangups.Encode(r); err != nil && f.err == nil {
		f.err = fmt.Errorf("writing %s: %w", result.HangupsFile, err)
	}
}

// close flushes and closes every file, returning the first error (a write
// error of records or hangups included).
func (f *resultFiles) close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	errs := []error{f.err}
	if f.records != nil {
		errs = append(errs, f.records.Flush())
	}
	for i, w := range f.bufs {
		errs = append(errs, w.Flush(), f.closers[i].Close())
	}
	f.bufs, f.closers = nil, nil
	return errors.Join(errs...)
}

// writeJSON writes v, indented, to dir/name.
func writeJSON(dir, name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name), append(data, '\n'), 0o644)
}

// makeDir creates the output directory dir.
func makeDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	return nil
}
