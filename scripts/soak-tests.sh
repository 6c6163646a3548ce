#!/usr/bin/env bash
# soak-tests.sh N: runs the README's test command (go test -race ./...) N
# times in a row under two busy loops, as on a loaded 2-core CI machine, and
# prints each run's result and time, then the failures. Ginkgo refuses
# -count > 1 for a suites package, so the command itself is looped; -count=1
# keeps the test cache from answering for a run. The busy loops are stopped
# on any exit. Exit 1 when any run failed.
set -u
n=${1:?usage: scripts/soak-tests.sh N [go test flags and packages, default: -race ./...]}
shift
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(-race ./...)
cd "$(dirname "$0")/.." || exit 2

hogs=()
stop_hogs() { [ ${#hogs[@]} -gt 0 ] && kill "${hogs[@]}" 2>/dev/null; hogs=(); }
trap stop_hogs EXIT
trap 'stop_hogs; exit 130' INT TERM
for _ in 1 2; do
	yes >/dev/null &
	hogs+=($!)
done

logs=$(mktemp -d)
failed=0
for i in $(seq 1 "$n"); do
	start=$(date +%s)
	if go test -count=1 "${args[@]}" >"$logs/run-$i.log" 2>&1; then
		verdict=ok
	else
		verdict=FAIL
		failed=$((failed + 1))
	fi
	echo "run $i/$n: $verdict in $(($(date +%s) - start))s"
	if [ "$verdict" = FAIL ]; then
		grep -E '^(--- FAIL|FAIL|panic:)|\[FAIL\]' "$logs/run-$i.log" | head -20 | sed 's/^/    /'
	fi
done
echo "soak: $failed of $n runs failed (logs in $logs)"
[ "$failed" -eq 0 ]
