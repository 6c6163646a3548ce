package main

import (
	"strings"
	"testing"
)

// TestLoadStartAt: --start-at, or $CALLCHECK_START_AT without it, sets the
// schedule's start (the plan shows it); a bad value is a usage error naming
// its source; a shard in a Job without one is warned about.
func TestLoadStartAt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"the flag", nil, []string{"--start-at", "2030-01-01T00:00:00Z"}, exitOK, "start: 2030-01-01T00:00:00Z", ""},
		{"the environment", map[string]string{"CALLCHECK_START_AT": "2030-01-01T01:00:00+01:00"}, nil, exitOK, "start: 2030-01-01T00:00:00Z", ""},
		{"the flag over the environment", map[string]string{"CALLCHECK_START_AT": "bad"}, []string{"--start-at=2030-01-01T00:00:00Z"}, exitOK, "start: 2030-01-01T00:00:00Z", ""},
		{"a bad flag", nil, []string{"--start-at", "tomorrow"}, exitUsage, "", `--start-at: start "tomorrow" is not an RFC 3339 time`},
		{"a bad environment", map[string]string{"CALLCHECK_START_AT": "1970"}, nil, exitUsage, "", `$CALLCHECK_START_AT: start "1970" is not an RFC 3339 time`},
		{"a Job shard without one", map[string]string{"JOB_COMPLETION_INDEX": "1"}, []string{"--shard", "1/4"}, exitOK, "shard 1/4", "warning: shard 1/4 starts at once"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tc.env {
				env[k] = v
			}
			code, out, stderr := loadCLIEnv(t, env, append([]string{"load", "create", "--dry-run"}, tc.args...)...)
			if code != tc.code || !strings.Contains(out, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, out, stderr, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}
