#!/usr/bin/env bash
# compare.sh: the highest rate `callcheck load create` sustains against a bare
# net/http endpoint on loopback, versus the vegeta CLI (same version as the
# library, v12.13.0) run the same way: same endpoint, same request (the body
# callcheck sends, captured by the endpoint), same headers, keep-alive, no
# worker cap, results written to a file by both.
#
# A rate is sustained when the achieved send rate is at least 97% of it and
# at least 99.9% of the responses succeed. Rates climb by STEP from START
# until both tools have failed twice in a row. Each rate is tried REPEAT
# times per tool, alternating the tools, and the best try counts: the
# machine is shared, and a neighbour's burst should not decide the result.
#
#   load/bench/compare.sh                  # defaults
#   START=2000 STEP=2000 MAX=40000 DURATION=5s load/bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

START=${START:-2000}
STEP=${STEP:-2000}
MAX=${MAX:-40000}
DURATION=${DURATION:-5s}
REPEAT=${REPEAT:-2}
VEGETA=${VEGETA:-$(command -v vegeta || echo /tmp/toolbin/vegeta)}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true # many connections when a side stalls
work=$(mktemp -d)
trap 'kill $target_pid 2>/dev/null || true; rm -rf "$work"' EXIT

if [ ! -x "$VEGETA" ]; then
  GOBIN="$work" go install github.com/tsenart/vegeta/v12@v12.13.0
  VEGETA="$work/vegeta"
fi
echo "vegeta: $VEGETA ($(go version -m "$VEGETA" 2>/dev/null | awk '$1=="mod"{print $3}'))"
go build -o "$work/callcheck" ./cmd/callcheck
go build -o "$work/target" ./load/bench/target

"$work/target" -dump "$work/body.json" >"$work/addr" &
target_pid=$!
for _ in $(seq 50); do [ -s "$work/addr" ] && break; sleep 0.1; done
addr=$(head -1 "$work/addr")
url="http://$addr/beta"
echo "target: $url (pid $target_pid); cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

callcheck_run() { # rate → "achieved success"
  local out="$work/cc-$1"
  "$work/callcheck" load create --target "$url" --token bench --e2e=false --example 1 \
    --rate "$1/s" --duration "$DURATION" --out "$out" --quiet >/dev/null 2>"$work/cc.err" || true
  python3 - "$out" <<'PY'
import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
s = json.load(open(sys.argv[1] + "/summary.json"))
print(m["achieved"]["rate"], s["requests"]["success"])
PY
  rm -rf "$out"
}

vegeta_run() { # rate → "achieved success"
  echo "POST $url/communications/calls" | "$VEGETA" attack -rate "$1/s" -duration "$DURATION" \
    -header "Content-Type: application/json" -header "Authorization: Bearer bench" \
    -body "$work/body.json" -output "$work/v.bin"
  "$VEGETA" report -type json "$work/v.bin" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["rate"], r["success"])'
  rm -f "$work/v.bin"
}

sustained() { # rate achieved success → 0 when sustained
  python3 -c "import sys; r,a,s=map(float,sys.argv[1:]); sys.exit(0 if a>=0.97*r and s>=0.999 else 1)" "$@"
}

# capture the body callcheck sends, for vegeta to send the same
"$work/callcheck" load create --target "$url" --token bench --e2e=false --example 1 \
  --rate 10/s --duration 200ms --out "$work/warm" --quiet >/dev/null 2>&1
test -s "$work/body.json"

best_cc=0 best_v=0 fails_cc=0 fails_v=0
printf '%8s  %22s  %22s\n' rate/s "vegeta achieved,succ" "callcheck achieved,succ"
for ((rate = START; rate <= MAX; rate += STEP)); do
  ok_v=1 ok_cc=1 va=0 vs=0 ca=0 cs=0
  for ((try = 0; try < REPEAT; try++)); do
    read -r a s < <(vegeta_run "$rate")
    if sustained "$rate" "$a" "$s"; then ok_v=0; fi
    if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$a" "$va"; then va=$a vs=$s; fi
    read -r a s < <(callcheck_run "$rate")
    if sustained "$rate" "$a" "$s"; then ok_cc=0; fi
    if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$a" "$ca"; then ca=$a cs=$s; fi
  done
  if [ "$ok_v" = 0 ]; then best_v=$rate fails_v=0; else fails_v=$((fails_v + 1)); fi
  if [ "$ok_cc" = 0 ]; then best_cc=$rate fails_cc=0; else fails_cc=$((fails_cc + 1)); fi
  printf '%8d  %14.1f,%7.4f  %14.1f,%7.4f  (load %s)\n' "$rate" "$va" "$vs" "$ca" "$cs" "$(cut -d' ' -f1 /proc/loadavg)"
  if [ "$fails_v" -ge 2 ] && [ "$fails_cc" -ge 2 ]; then break; fi
done
echo "highest sustained rate: vegeta ${best_v}/s, callcheck ${best_cc}/s"
python3 -c "import sys; v,c=map(float,sys.argv[1:]); print('callcheck/vegeta = %.3f (goal >= 0.95)' % (c/v if v else 0))" "$best_v" "$best_cc"
