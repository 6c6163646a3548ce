#!/usr/bin/env bash
# soak.sh runs callcheck emulate and callcheck load create --hangup against
# it, with the emulator's drop and duplicate faults, for DURATION (default
# 10m), samples both processes' resident memory every SOAK_EVERY seconds
# (default 5), and prints the series, then the run's notification accounts
# and the count of notifications the load run could not account for.
#
#   scripts/soak.sh [DURATION]          # e.g. 3m; default 10m
#   SOAK_RATE=100/s SOAK_DROP=0.1 SOAK_DUPLICATE=0.1 SOAK_EVERY=5 scripts/soak.sh 10m
#   SOAK_PROFILE=/tmp/heap scripts/soak.sh 10m   # also keep load's heap profiles
#
# With SOAK_PROFILE set, the load process writes a heap profile into that
# directory every 30 s and at its end (CALLCHECK_HEAP_PROFILE), and the
# script prints the top of the end's heap and of its growth since the
# profile taken at about one minute (go tool pprof -top -diff_base).
#
# Everything listens on loopback and is bounded: the load run ends after
# DURATION (plus its grace), the emulator is stopped after it (SIGTERM,
# 10 s deadline). Needs Go and python3 (for reading the summary).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10m}"
rate="${SOAK_RATE:-100/s}"
every="${SOAK_EVERY:-5}"
drop="${SOAK_DROP:-0.1}"
dup="${SOAK_DUPLICATE:-0.1}"
work="$(mktemp -d)"
bin="$work/callcheck"
go build -o "$bin" ./cmd/callcheck

emu_pid=""
load_pid=""
cleanup() {
	[ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
	[ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT

"$bin" emulate --listen 127.0.0.1:0 --json --allow-http-loopback --drop "$drop" --duplicate "$dup" --seed 17 \
	>"$work/emulate.json" 2>"$work/emulate.err" &
emu_pid=$!
for _ in $(seq 1 100); do
	[ -s "$work/emulate.json" ] && break
	sleep 0.1
done
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d"+sys.argv[2]))' "$work/emulate.json" "$1"; }
base="$(field '["graphBaseURLs"]["beta"]')"
CALLCHECK_HEAP_PROFILE="${SOAK_PROFILE:-}" CALLCHECK_CLIENT_SECRET="$(field '["clientSecret"]')" "$bin" load create --target "$base" \
	--client-id "$(field '["clientId"]')" --tenant-id "$(field '["tenantId"]')" --token-url "$(field '["tokenURL"]')" \
	--notification-openid "$(field '["openIDConfigURL"]')" --hangup --rate "$rate" --duration "$duration" \
	--out "$work/run" >"$work/load.out" 2>"$work/load.err" &
load_pid=$!

rss() { awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }
echo "soak: $duration at $rate, drop $drop, duplicate $dup; RSS in MB every ${every}s"
printf '%8s %12s %12s\n' "t" "emulate" "load"
start=$(date +%s)
while kill -0 "$load_pid" 2>/dev/null; do
	printf '%7ss %12s %12s\n' "$(( $(date +%s) - start ))" "$(rss "$emu_pid")" "$(rss "$load_pid")"
	sleep "$every"
done
set +e
wait "$load_pid"
load_exit=$?
load_pid=""
set -e
kill -TERM "$emu_pid"
wait "$emu_pid" || true
emu_pid=""
echo "load exit $load_exit; emulator: $(tail -1 "$work/emulate.err")"
"$bin" report --json "$work/summary.json" "$work/run" >/dev/null || true
python3 - "$work/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
e = s.get("e2e") or {}
notes = e.get("notifications") or {}
print("%-13s %9s %9s %6s %6s %11s %11s" % ("kind", "expected", "arrived", "late", "lost", "duplicates", "unexpected"))
received = 0
for k, c in notes.items():
    print("%-13s %9d %9d %6d %6d %11d %11d" % (k, c["expected"], c["arrived"], c["late"], c["lost"], c["duplicates"], c["unexpected"]))
    received += c["arrived"] + c["late"] + c["duplicates"] + c["unexpected"]
got = sum((r.get("e2e") or {}).get("receiver", {}).get("notifications", 0) for r in s.get("runs", []))
unmatched = e.get("unmatched", 0)
print("calls %d, unresolved %d; receiver accepted %d notifications, accounted %d by kind + %d unmatched" % (
    e.get("calls", 0), e.get("unresolved", 0), got, received, unmatched))
print("unaccounted notifications: %d" % (got - received - unmatched))
cl = [r.get("cleanup") for r in s.get("runs", []) if r.get("cleanup")]
for c in cl:
    print("cleanup: created %d, deleted %d, failed %d" % (c["created"], c["deleted"], c.get("failedCount", 0)))
PY
if [ -n "${SOAK_PROFILE:-}" ] && [ -f "$SOAK_PROFILE/heap-end.pprof" ]; then
	echo "load heap at the end (inuse_space):"
	go tool pprof -top -sample_index=inuse_space -nodecount=15 "$bin" "$SOAK_PROFILE/heap-end.pprof" 2>/dev/null | sed -n '/^Showing\|flat%/,$p'
	for f in "$SOAK_PROFILE"/heap-*.txt; do
		[ -f "$f" ] && echo "$(basename "$f" .txt): $(cat "$f")"
	done
	base="$(ls "$SOAK_PROFILE"/heap-00[6-9]?s.pprof 2>/dev/null | head -1)"
	if [ -n "$base" ]; then
		echo "load heap growth from $(basename "$base") to the end (inuse_space):"
		go tool pprof -top -sample_index=inuse_space -nodecount=15 -diff_base "$base" "$bin" "$SOAK_PROFILE/heap-end.pprof" 2>/dev/null | sed -n '/^Showing\|flat%/,$p'
	fi
fi
rm -rf "$work"
