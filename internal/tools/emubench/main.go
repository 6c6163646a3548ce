// Command emubench measures, in one run and one process tree, how many
// creates per second three subjects hold on this machine:
//
//   - bare: a net/http handler that reads the body and answers a canned 201
//     (the ceiling of the HTTP stack);
//   - minimal: the least an emulator must do: decode the body, answer a
//     canned 201, and POST one canned notification batch (establishing +
//     established) to the body's callbackUri over a pooled keep-alive
//     client (the floor an emulator is measured against);
//   - emulator: callcheck's emulator with its defaults (as `callcheck
//     emulate --allow-http-loopback` serves it), sent a real access token
//     from its own authority (client credentials) and the documented
//     peer-to-peer example filled as `callcheck load create` fills it.
//
// Each subject runs as a child process of this program; the load (vegeta's
// attacker with load's open-model constant pacer) and the counting
// receiver run in this process. Each subject is attacked at stepped rates,
// one constant-rate step after another, until a step does not hold. A
// step holds when at least 99% of the offered rate was achieved, at least
// 99.9% of the creates succeeded, the p99 latency (from each hit's
// scheduled time) is under 50 ms, and every created call's established
// notification arrived (the bare handler notifies nobody). The summary
// gives each subject's held rate and the ratios emulator/minimal and
// minimal/bare.
//
//	go run ./internal/tools/emubench [--start 1000 --step 1000 --max 20000 --duration 8s --subjects bare,minimal,emulator]
//
// It exits 0 when every subject was measured and held at least one step,
// 1 when a subject could not be measured (or held nothing, so a ratio is
// missing), 2 on a bad flag. docs/emulator.md explains how to read it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/callcheck/callcheck/load"
)

func main() {
	if s := os.Getenv(serveEnv); s != "" {
		if err := profiled(os.Getenv(profileEnv), func() error { return serveChild(s, os.Stdin, os.Stdout) }); err != nil {
			fmt.Fprintf(os.Stderr, "emubench %s: %v\n", s, err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the settings of a run.
type options struct {
	ladder   stepping
	duration time.Duration
	grace    time.Duration
	maxP99   time.Duration
	tries    int
	subjects []string
	attack   attackOptions
	timeout  time.Duration
	// cpuProfiles, when set, is the directory each subject child writes
	// its CPU profile to, one file per step and try.
	cpuProfiles string
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("emubench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	start := fs.String("start", "1000/s", "first rate of the ladder")
	step := fs.String("step", "1000/s", "rate added at each step (unless --factor)")
	factor := fs.Float64("factor", 0, "multiply the rate by this at each step instead of adding --step (0: add)")
	maxRate := fs.String("max", "20000/s", "highest rate tried")
	maxSteps := fs.Int("max-steps", 20, "most steps per subject")
	duration := fs.Duration("duration", 8*time.Second, "length of each constant-rate step")
	grace := fs.Duration("grace", 5*time.Second, "how long after a step its established notifications may still arrive")
	p99 := fs.Duration("max-p99", defaultMaxP99, "bound on a held step's p99 latency (the issue's is 50ms; raise it only to explore a busy machine)")
	tries := fs.Int("tries", 1, "tries of a rate before it counts as not held (the best try counts)")
	subjects := fs.String("subjects", strings.Join(allSubjects, ","), "subjects to measure, in order: bare, minimal, emulator")
	workers := fs.Uint64("workers", load.DefaultWorkers, "vegeta's initial workers (more start when all are busy)")
	maxWorkers := fs.Uint64("max-workers", 0, "cap on vegeta's workers (0: none, the open model)")
	conns := fs.Int("connections", load.DefaultConnections, "idle keep-alive connections kept to the subject")
	reqTimeout := fs.Duration("request-timeout", 10*time.Second, "bound on one create request")
	timeout := fs.Duration("timeout", 30*time.Minute, "bound on the whole run")
	cpuProfiles := fs.String("cpuprofile", "", "directory for each subject process's CPU profile, one per step: SUBJECT-RATE-tryN.pprof (created if missing)")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected argument %q (every setting is a flag)", fs.Arg(0))
	}
	var o options
	var err error
	if o.ladder.Start, err = load.ParseRate(*start); err != nil {
		return o, fmt.Errorf("--start: %w", err)
	}
	if o.ladder.Step, err = load.ParseRate(*step); err != nil {
		return o, fmt.Errorf("--step: %w", err)
	}
	if o.ladder.Max, err = load.ParseRate(*maxRate); err != nil {
		return o, fmt.Errorf("--max: %w", err)
	}
	o.ladder.Factor, o.ladder.MaxSteps = *factor, *maxSteps
	if err := o.ladder.validate(); err != nil {
		return o, err
	}
	switch {
	case *duration <= 0:
		return o, fmt.Errorf("--duration %s must be positive", *duration)
	case *grace <= 0:
		return o, fmt.Errorf("--grace %s must be positive", *grace)
	case *p99 <= 0:
		return o, fmt.Errorf("--max-p99 %s must be positive", *p99)
	case *tries < 1:
		return o, fmt.Errorf("--tries %d must be at least 1", *tries)
	case *workers < 1:
		return o, fmt.Errorf("--workers %d must be at least 1", *workers)
	case *maxWorkers != 0 && *maxWorkers < *workers:
		return o, fmt.Errorf("--max-workers %d must be 0 or at least --workers %d", *maxWorkers, *workers)
	case *conns < 1:
		return o, fmt.Errorf("--connections %d must be at least 1", *conns)
	case *reqTimeout <= 0:
		return o, fmt.Errorf("--request-timeout %s must be positive", *reqTimeout)
	case *timeout <= 0:
		return o, fmt.Errorf("--timeout %s must be positive", *timeout)
	}
	seen := map[string]bool{}
	for _, s := range strings.Split(*subjects, ",") {
		s = strings.TrimSpace(s)
		if !isSubject(s) {
			return o, fmt.Errorf("--subjects: %q is not one of %s", s, strings.Join(allSubjects, ", "))
		}
		if seen[s] {
			return o, fmt.Errorf("--subjects: %q is named twice", s)
		}
		seen[s] = true
		o.subjects = append(o.subjects, s)
	}
	if *cpuProfiles != "" {
		if err := os.MkdirAll(*cpuProfiles, 0o755); err != nil {
			return o, fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	o.duration, o.grace, o.maxP99, o.tries, o.timeout = *duration, *grace, *p99, *tries, *timeout
	o.cpuProfiles = *cpuProfiles
	o.attack = attackOptions{Workers: *workers, MaxWorkers: *maxWorkers, Connections: *conns, Timeout: *reqTimeout}
	return o, nil
}

func isSubject(s string) bool {
	for _, a := range allSubjects {
		if s == a {
			return true
		}
	}
	return false
}

// run is the program: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "emubench: %v\n", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	fmt.Fprintf(stdout, "emubench: %d cores, GOMAXPROCS %d, %s; load average %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), loadAverage())
	fmt.Fprintf(stdout, "ladder %s; %s steps; held: achieved >= %.0f%% of offered, success >= %.1f%%, p99 < %s, every established notification\n",
		ladderText(o.ladder.rates()), o.duration, minAchieved*100, minSuccess*100, o.maxP99)
	rc, err := startReceiver()
	if err != nil {
		fmt.Fprintf(stderr, "emubench: receiver: %v\n", err)
		return 1
	}
	defer func() {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		_ = rc.close(sctx)
	}()
	held := map[string]float64{}
	capped := map[string]bool{}
	for _, s := range o.subjects {
		steps, err := measure(ctx, s, o, rc, stdout)
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			fmt.Fprintf(stderr, "emubench: %s: the run reached --timeout %s before every subject was measured\n", s, o.timeout)
			return 1
		case ctx.Err() != nil:
			fmt.Fprintf(stderr, "emubench: %s: interrupted before every subject was measured\n", s)
			return 1
		case err != nil:
			fmt.Fprintf(stderr, "emubench: %s: %v\n", s, err)
			return 1
		}
		held[s] = heldRate(steps)
		capped[s] = held[s] >= o.ladder.Max
	}
	return summarize(stdout, stderr, o.subjects, held, capped)
}

// summarize prints the held rates and the ratios; it returns 1 when a
// subject held no step. A subject capped held the top of the ladder: its
// held rate is a lower bound, marked "(--max)", and so are its ratios.
func summarize(stdout, stderr io.Writer, subjects []string, held map[string]float64, capped map[string]bool) int {
	fmt.Fprintf(stdout, "\nheld rates (load average %s):", loadAverage())
	for _, s := range subjects {
		mark := ""
		if capped[s] {
			mark = " (--max: at least)"
		}
		fmt.Fprintf(stdout, " %s %s%s;", s, load.FormatRate(held[s]), mark)
	}
	fmt.Fprintln(stdout)
	_, hasB := held[subjectBare]
	_, hasM := held[subjectMinimal]
	_, hasE := held[subjectEmulator]
	if hasE && hasM {
		fmt.Fprintf(stdout, "emulator/minimal = %s (goal >= 0.80)\n", ratio(held[subjectEmulator], held[subjectMinimal]))
	}
	if hasM && hasB {
		fmt.Fprintf(stdout, "minimal/bare = %s\n", ratio(held[subjectMinimal], held[subjectBare]))
	}
	if hasE && hasB {
		fmt.Fprintf(stdout, "emulator/bare = %s\n", ratio(held[subjectEmulator], held[subjectBare]))
	}
	code := 0
	for _, s := range subjects {
		if held[s] == 0 {
			fmt.Fprintf(stderr, "emubench: %s held no step (not even --start): no ratio with it is measured\n", s)
			code = 1
		}
	}
	return code
}

// loadAverage reads the 1, 5 and 15 minute load averages ("?" where there
// are none to read).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}
