package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/load/result"
)

// inputs are the result sources Merge found.
type inputs struct {
	runs     []string // run directories (with a manifest)
	capacity []string // capacity.json files
	bare     []string // vegeta results files without a manifest
}

// findInputs resolves paths: a run directory (manifest.json), a capacity
// directory (capacity.json), a directory holding such directories at any
// depth, a manifest.json or capacity.json file, or a bare vegeta results
// file in any of vegeta's encodings.
func findInputs(paths []string) (*inputs, error) {
	in := &inputs{}
	seen := map[string]bool{}
	add := func(list *[]string, p string) {
		if abs, err := filepath.Abs(p); err == nil && !seen[abs] {
			seen[abs] = true
			*list = append(*list, p)
		}
	}
	for _, p := range paths {
		if err := in.find(p, add); err != nil {
			return nil, err
		}
	}
	if len(in.runs)+len(in.capacity)+len(in.bare) == 0 {
		return nil, errors.New("no result files given")
	}
	return in, nil
}

func (in *inputs) find(p string, add func(*[]string, string)) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	switch {
	case !st.IsDir() && filepath.Base(p) == result.ManifestFile:
		add(&in.runs, filepath.Dir(p))
	case !st.IsDir() && filepath.Base(p) == result.CapacityFile:
		add(&in.capacity, p)
	case !st.IsDir():
		add(&in.bare, p)
	default:
		return in.walk(p, add)
	}
	return nil
}

// walk finds the run and capacity directories under dir.
func (in *inputs) walk(dir string, add func(*[]string, string)) error {
	found := false
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch d.Name() {
		case result.ManifestFile:
			add(&in.runs, filepath.Dir(path))
			found = true
		case result.CapacityFile:
			add(&in.capacity, path)
			found = true
		}
		return nil
	})
	if err == nil && !found {
		err = fmt.Errorf("%s holds no load results (no %s or %s in it or below it)", dir, result.ManifestFile, result.CapacityFile)
	}
	return err
}

// Merge reads the results at paths (see findInputs) and merges them into one
// result.Summary: vegeta results into one set of metrics, e2e records into one
// end-to-end summary, manifests side by side (their offered and achieved
// rates add up, as shards run at the same time), capacity results as they
// are. Memory stays bounded whatever the files' size: everything is
// streamed into t-digests and counters.
func Merge(paths ...string) (*result.Summary, error) {
	in, err := findInputs(paths)
	if err != nil {
		return nil, err
	}
	m := &merger{}
	if err := m.readManifests(in.runs); err != nil {
		return nil, err
	}
	ov, err := overlap(m.manifests, in.runs)
	if err != nil {
		return nil, err
	}
	if ov != nil {
		m.notes = append(m.notes, overlapNote(ov, len(m.manifests)))
	}
	if err := m.start(in.bare); err != nil {
		return nil, err
	}
	for i, dir := range in.runs {
		if err := m.readRun(dir, m.manifests[i]); err != nil {
			return nil, err
		}
	}
	for _, f := range in.bare {
		m.notes = append(m.notes, fmt.Sprintf("%s has no manifest: its offered and achieved rates are unknown", f))
		if err := m.readResults(source{name: f}, m.agg.addResult); err != nil {
			return nil, err
		}
	}
	for _, f := range in.capacity {
		if err := m.readCapacity(f); err != nil {
			return nil, err
		}
	}
	s := m.agg.summary()
	s.Notes, s.Overlap = m.notes, ov
	return s, nil
}

// merger holds a merge in progress.
type merger struct {
	manifests []*result.Manifest
	agg       *aggregate
	notes     []string
}

func (m *merger) readManifests(dirs []string) error {
	kind := ""
	for _, dir := range dirs {
		man, err := result.ReadManifest(dir)
		if err != nil {
			return err
		}
		if kind != "" && man.Kind != kind {
			return fmt.Errorf("cannot merge a %s run (%s) with %s runs", man.Kind, dir, kind)
		}
		kind = man.Kind
		if !man.Complete {
			m.notes = append(m.notes, fmt.Sprintf("%s is incomplete: the run stopped before writing its final manifest", dir))
		}
		if man.Interrupted {
			m.notes = append(m.notes, interruptedNote(dir, man))
		}
		m.manifests = append(m.manifests, man)
	}
	return nil
}

// start makes the aggregate, its series spanning every run.
func (m *merger) start(bare []string) error {
	var origin, end time.Time
	for _, man := range m.manifests {
		if origin.IsZero() || man.Start.Before(origin) {
			origin = man.Start
		}
		if e := man.Start.Add(time.Duration(man.Duration)); e.After(end) {
			end = e
		}
	}
	for _, f := range bare { // their span is only known by reading them
		if err := m.readResults(source{name: f}, func(r *vegeta.Result) {
			if origin.IsZero() || r.Timestamp.Before(origin) {
				origin = r.Timestamp
			}
			end = maxTime(end, r.Timestamp)
		}); err != nil {
			return err
		}
	}
	m.agg = newAggregate(origin, result.SeriesWidth(end.Sub(origin)))
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (m *merger) readRun(dir string, man *result.Manifest) error {
	files := man.Files
	if files.Results == "" {
		files.Results = result.ResultsFile
	}
	if err := m.readResults(inside(dir, files.Results), m.agg.addResult); err != nil {
		return err
	}
	if files.E2E != "" {
		if err := m.readRecords(inside(dir, files.E2E)); err != nil {
			return err
		}
	}
	if files.Hangups != "" {
		if err := m.readResults(inside(dir, files.Hangups), m.agg.addHangup); err != nil {
			return err
		}
	}
	m.agg.addRun(*man)
	return nil
}

// source is a file to read: a path given by the user, or a name a
// manifest gave, to be opened inside its run directory.
type source struct{ dir, name string }

func inside(dir, name string) source { return source{dir: dir, name: name} }

func (s source) String() string {
	if s.dir == "" {
		return s.name
	}
	return filepath.Join(s.dir, s.name)
}

func (s source) open() (*os.File, error) {
	if s.dir == "" {
		return os.Open(s.name)
	}
	return result.OpenInside(s.dir, s.name)
}

// readResults streams a vegeta results file (gob, JSON or CSV) into add. A
// file cut short (a run that crashed) keeps what was read, with a note.
func (m *merger) readResults(src source, add func(*vegeta.Result)) error {
	path := src.String()
	f, err := src.open()
	if err != nil {
		return err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		return nil
	}
	dec := vegeta.DecoderFor(f)
	if dec == nil {
		return fmt.Errorf("%s is not a vegeta results file (gob, JSON or CSV)", path)
	}
	for n := 0; ; n++ {
		var r vegeta.Result
		switch err := dec.Decode(&r); {
		case errors.Is(err, io.EOF):
			return nil
		case errors.Is(err, io.ErrUnexpectedEOF):
			m.notes = append(m.notes, fmt.Sprintf("%s is cut short after %d results", path, n))
			return nil
		case err != nil:
			return fmt.Errorf("%s: result %d: %w", path, n+1, err)
		}
		add(&r)
	}
}

func (m *merger) readRecords(src source) error {
	path := src.String()
	f, err := src.open()
	if err != nil {
		return err
	}
	defer f.Close()
	dec := result.NewRecordDecoder(f, path)
	for {
		var r result.Record
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		m.agg.addRecord(&r)
	}
}

func (m *merger) readCapacity(path string) error {
	c, err := result.ReadCapacity(path)
	if err != nil {
		return err
	}
	m.agg.capacity = append(m.agg.capacity, c)
	sort.SliceStable(m.agg.capacity, func(i, j int) bool { return m.agg.capacity[i].Start.Before(m.agg.capacity[j].Start) })
	return nil
}

// interruptedNote says that a run was interrupted and what of its schedule
// did not run.
func interruptedNote(dir string, man *result.Manifest) string {
	if man.Scheduled == 0 {
		return fmt.Sprintf("%s was interrupted before its schedule ended; what it did not send was not measured", dir)
	}
	return fmt.Sprintf("%s was interrupted: it sent %d of its %d scheduled requests (%.0f%%); the other %d did not run",
		dir, man.Sent, man.Scheduled, 100*float64(man.Sent)/float64(man.Scheduled), man.Scheduled-min(man.Sent, man.Scheduled))
}

// Partial lists the runs of a merged summary that were interrupted or did
// not finish: a gate over it judges only part of the schedule.
func Partial(s *result.Summary) []string {
	var out []string
	for _, man := range s.Runs {
		if man.Interrupted || !man.Complete {
			out = append(out, fmt.Sprintf("%s %s", man.Kind, man.Shard))
		}
	}
	return out
}
