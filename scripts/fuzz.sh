#!/usr/bin/env bash
# fuzz.sh runs every fuzz target of the module (every func FuzzXxx in a
# _test.go file) for SECONDS each, one after the other, and prints each
# target's run time and executions. A crasher fails the script; Go saves it
# under the package's testdata/fuzz/FuzzXxx, where it becomes a seed: commit
# it as a regression test once fixed.
#
#   scripts/fuzz.sh [SECONDS]     # default 10
#
# CI runs it with a short time. Everything stays in-process; nothing goes on
# the network.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
if ! [[ "$secs" =~ ^[0-9]+$ ]] || [ "$secs" -lt 1 ]; then
	echo "fuzz.sh: SECONDS must be a positive whole number, got '$secs'" >&2
	exit 2
fi
failed=0
printf '%-45s %10s %14s  %s\n' "target" "time" "execs" "result"
while IFS=: read -r file name; do
	pkg="./$(dirname "$file")"
	log="$(mktemp)"
	start=$(date +%s)
	if go test -run '^$' -fuzz "^${name}\$" -fuzztime "${secs}s" -parallel 1 "$pkg" >"$log" 2>&1; then
		status=ok
	elif grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
		# Go's fuzzing engine can report its own -fuzztime deadline as a
		# failure of the input it was running when time ran out; no input
		# failed (none was written), so this is not a finding.
		status="ok (the engine's deadline, no failing input)"
	else
		status=FAILED
		failed=1
	fi
	took=$(( $(date +%s) - start ))
	execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	printf '%-45s %9ss %14s  %s\n' "$pkg.$name" "$took" "${execs:-?}" "$status"
	if [ "$status" = FAILED ]; then
		sed 's/^/    /' "$log" | tail -30
	fi
	rm -f "$log"
done < <(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sed 's/:func /:/' | sed 's|^\./||' | sort)
exit "$failed"
