package result

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ManifestSchema names the version of the manifest format.
const ManifestSchema = "callcheck.dev/load-run/v1"

// Manifest describes one run (one shard of it): what was asked, what was
// achieved and which files hold the results. It is written at the start
// (Complete false) and again at the end.
type Manifest struct {
	SchemaVersion string `json:"schemaVersion"` // ManifestSchema
	// Kind is what made the run: "create", "callbacks" or "capacity-step"
	// (package load's KindCreate, KindCallbacks, KindCapacityStep).
	Kind string `json:"kind"`
	// Harness is callcheck's version; FixturesDigest the digest of the
	// documented examples the requests came from.
	Harness        string `json:"harness"`
	FixturesDigest string `json:"fixturesDigest"`
	// Target is the URL attacked, without credentials; Embedded is set when
	// it was the embedded emulator.
	Target   string `json:"target"`
	Embedded bool   `json:"embedded,omitempty"`
	// Shard is this process's part of the load.
	Shard Shard `json:"shard"`
	// Pacing describes the whole schedule (all shards); OfferedRate is this
	// shard's mean offered rate and TotalRate all shards'.
	Pacing      string   `json:"pacing"`
	OfferedRate float64  `json:"offeredRate"`
	TotalRate   float64  `json:"totalRate"`
	Duration    Duration `json:"duration"`
	// Examples is the mix of documented examples (create) or notifications
	// (callbacks) sent.
	Examples []MixEntry `json:"examples,omitempty"`
	// StartAt is the start every shard was given (--start-at), if any;
	// Start is when hit 0 was due; End when the run finished.
	StartAt time.Time `json:"startAt,omitzero"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end,omitzero"`
	// Scheduled is the number of hits in this shard's schedule, Sent the
	// number of requests sent.
	Scheduled uint64 `json:"scheduled"`
	Sent      uint64 `json:"sent"`
	// Achieved is how closely the sends kept to the schedule.
	Achieved Achieved `json:"achieved"`
	// E2E describes the end-to-end measurement; nil when it was off.
	E2E *E2EInfo `json:"e2e,omitempty"`
	// Files names the result files, relative to the manifest.
	Files Files `json:"files"`
	// Complete is false while the run is in progress (or if it crashed).
	Complete bool `json:"complete"`
	// Interrupted is set when the run was stopped before its schedule ended.
	Interrupted bool `json:"interrupted,omitempty"`
	// Error is why the run stopped early, if it did.
	Error string `json:"error,omitempty"`
	// Warnings are what the run said loudly (a shortfall of the achieved rate).
	Warnings []string `json:"warnings,omitempty"`
	// Process is the load generator's resource use.
	Process Process `json:"process"`
	// Cleanup is what the run's cleanup did: every call the run created
	// is deleted, established or not, hung up or not.
	Cleanup *Cleanup `json:"cleanup,omitempty"`
}

// Achieved measures the sends against the schedule: Rate is the requests
// sent per second between the first and the last send, Ratio that over the
// offered rate of the same hits; Lag is how late sends were (actual send time
// minus due time).
type Achieved struct {
	Rate  float64        `json:"rate"`
	Ratio float64        `json:"ratio"`
	Lag   LatencySummary `json:"lag"`
}

// E2EInfo is how the end-to-end measurement was made, with the counts that
// are not in the records.
type E2EInfo struct {
	// CallbackURL is the callbackUri sent (where the receiver listened).
	CallbackURL string `json:"callbackUrl"`
	// Grace is how long after its creation a call's notifications may arrive.
	Grace Duration `json:"grace"`
	// Hangup is set when each established call was deleted.
	Hangup bool `json:"hangup,omitempty"`
	// Records is the number of records written.
	Records uint64 `json:"records"`
	// Unmatched counts notifications of no call the run knew (late ones
	// included); Evicted calls given up to keep memory bounded.
	Unmatched uint64 `json:"unmatched"`
	Evicted   uint64 `json:"evicted,omitempty"`
	// AfterRecords counts the notifications of calls that arrived after
	// their record was written: late ones (an expected kind that had not
	// arrived, so the record counts it lost: the summary moves it from lost
	// to late), duplicates and unexpected ones.
	AfterRecords NotificationTally `json:"afterRecords,omitempty"`
	// Receiver counts what the receiver saw.
	Receiver ReceiverCounts `json:"receiver"`
}

// Cleanup is what a run's cleanup did with the calls it created.
type Cleanup struct {
	// Created is how many calls the run created; Deleted how many it
	// deleted (a 2xx or a 404: the call was gone).
	Created uint64 `json:"created"`
	Deleted uint64 `json:"deleted"`
	// Failed are the ids of the calls it could not delete (at most
	// MaxCleanupIDs; FailedCount is the whole number).
	Failed      []string `json:"failed,omitempty"`
	FailedCount uint64   `json:"failedCount,omitempty"`
}

// MaxCleanupIDs bounds the call ids a Cleanup lists.
const MaxCleanupIDs = 100

// ReceiverCounts are the notification receiver's counters.
type ReceiverCounts struct {
	Posts         uint64 `json:"posts"`
	Rejected      uint64 `json:"rejected"`
	Notifications uint64 `json:"notifications"`
}

// Files are the names of a run's result files, relative to its directory.
type Files struct {
	Results string `json:"results"`           // vegeta results (gob)
	E2E     string `json:"e2e,omitempty"`     // e2e records (JSON lines)
	Hangups string `json:"hangups,omitempty"` // vegeta results of the DELETEs (gob)
}

// The file names of a run directory.
const (
	ManifestFile = "manifest.json"
	ResultsFile  = "results.gob"
	E2EFile      = "e2e.jsonl"
	HangupsFile  = "hangups.gob"
	SummaryFile  = "summary.json"
	CapacityFile = "capacity.json"
)

// Process is the load generator's resource use over the run.
type Process struct {
	// MaxRSSBytes is the peak resident set size of the process (getrusage).
	MaxRSSBytes uint64 `json:"maxRssBytes"`
	// PeakHeapBytes is the largest heap in use seen at the progress ticks.
	PeakHeapBytes uint64 `json:"peakHeapBytes"`
}

// WriteManifest writes m to dir/manifest.json, atomically (a temporary file
// renamed), so a reader never sees half a manifest.
func WriteManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".manifest-*.json")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := errors.Join(tmp.Chmod(0o644), tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, ManifestFile))
}

// ReadManifest reads dir/manifest.json; the error names the file and what is
// wrong with it.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m.SchemaVersion != ManifestSchema {
		return nil, fmt.Errorf("%s: schemaVersion %q, want %q", path, m.SchemaVersion, ManifestSchema)
	}
	if !m.Shard.Valid() {
		return nil, fmt.Errorf("%s: shard %s is not INDEX/COUNT with 0 <= INDEX < COUNT", path, m.Shard)
	}
	if err := m.Files.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// Check refuses file names that would lead out of the run directory: each
// must be a local path (filepath.IsLocal: not absolute, no "..", not
// empty unless optional).
func (f Files) Check() error {
	for _, c := range []struct{ field, name string }{{"results", f.Results}, {"e2e", f.E2E}, {"hangups", f.Hangups}} {
		if c.name != "" && !filepath.IsLocal(c.name) {
			return fmt.Errorf("files.%s %q is not a file inside the run directory", c.field, c.name)
		}
	}
	return nil
}

// OpenInside opens name inside dir, refusing a name, or a symbolic link
// on its way, that leads out of dir (os.OpenInRoot).
func OpenInside(dir, name string) (*os.File, error) {
	if !filepath.IsLocal(name) {
		return nil, fmt.Errorf("%q is not a file inside %s", name, dir)
	}
	f, err := os.OpenInRoot(dir, name)
	if err != nil {
		return nil, fmt.Errorf("opening %s inside %s: %w", name, dir, err)
	}
	return f, nil
}

// UnmarshalJSON decodes a manifest, reading the schema version under its
// older name "schema" too.
func (m *Manifest) UnmarshalJSON(data []byte) error {
	type plain Manifest // without this method
	return decodeVersioned(data, (*plain)(m), &m.SchemaVersion)
}
