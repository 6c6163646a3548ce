#!/usr/bin/env bash
# verify-reports.sh renders every report page kind from a REAL run and checks
# each one in headless Chromium; it saves a screenshot of each page kind.
#
#   conformance  callcheck conform against the embedded emulator
#   certificate  callcheck certify-bot against the reference bot (cmd/refbot)
#   load         callcheck load create (a 10 s ramp) against the embedded emulator, gated
#   capacity     callcheck load capacity (short steps) against the embedded emulator
#   all          the four on one page
#
# Everything runs on loopback and is bounded in time. Needs Go and Debian's
# chromium (apt-get install -y chromium). Usage:
#
#   scripts/verify-reports.sh [SCREENSHOT_DIR]    # default docs/img; "-" saves none
#
# The pages stay in $CALLCHECK_REPORTS_DIR (default: a temporary directory,
# printed at the end) for a person to open.
set -euo pipefail
cd "$(dirname "$0")/.."

shots=${1:-docs/img}
[ "$shots" = "-" ] && shots=""
work=${CALLCHECK_REPORTS_DIR:-$(mktemp -d -t callcheck-reports.XXXXXX)}
mkdir -p "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work/bin" # the pages, results and logs stay
}
trap cleanup EXIT
trap 'echo "verify-reports: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  echo "verify-reports: no chromium on PATH (apt-get install -y chromium)" >&2
  exit 1
fi

# free_port prints a loopback port nobody listens on, below Linux's
# ephemeral range (32768+) so that no outgoing connection takes it meanwhile.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( (RANDOM % 12000) + 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "verify-reports: no free port found" >&2; return 1
}

step() { printf '\n== %s (%ss so far)\n' "$*" "$SECONDS"; }

step "build callcheck and the reference bot"
go build -o "$work/bin/callcheck" ./cmd/callcheck
go build -o "$work/bin/refbot" ./cmd/refbot
cc="$work/bin/callcheck"

step "conformance: callcheck conform against the embedded emulator"
"$cc" conform --out "$work/conform" | tail -n 3

step "bot certificate: callcheck certify-bot against the reference bot"
graph=$(free_port); callback=$(free_port); control=$(free_port)
secret="verify-$RANDOM$RANDOM"
tenant=aa67bd4c-8475-432d-bd41-39f255720e0a # the emulator's default tenant, named on both sides
REFBOT_CLIENT_SECRET="$secret" "$work/bin/refbot" --listen "127.0.0.1:$callback" --control "127.0.0.1:$control" \
  --tenant-id "$tenant" --graph-url "http://127.0.0.1:$graph/v1.0" \
  --ca-out "$work/refbot-ca.pem" >"$work/refbot.log" 2>&1 &
pids+=($!)
# the bot is up when its control API answers (any status)
if ! curl -s -o /dev/null --retry 30 --retry-delay 1 --retry-connrefused --max-time 60 "http://127.0.0.1:$control/calls/none"; then
  echo "verify-reports: the reference bot did not start:" >&2; cat "$work/refbot.log" >&2; exit 1
fi
"$cc" certify-bot --bot-name refbot --bot-version 1.0 --listen "127.0.0.1:$graph" --tenant-id "$tenant" --client-secret "$secret" --seed 7 \
  --roles Calls.Initiate.All,Calls.InitiateGroupCall.All \
  --trigger "p2p=curl -fsS -X POST http://127.0.0.1:$control/calls?scenario=p2p" \
  --trigger "group=curl -fsS -X POST http://127.0.0.1:$control/calls?scenario=group" \
  --hangup "curl -fsS -X POST http://127.0.0.1:$control/calls/\$CALLCHECK_CALL_ID/hangup" \
  --bot-status "http://127.0.0.1:$control/calls/{id}" --bot-ca "$work/refbot-ca.pem" --out "$work/cert" >"$work/certify.log" 2>&1 || {
  echo "verify-reports: certify-bot did not certify the reference bot:" >&2; cat "$work/certify.log" >&2; exit 1; }
tail -n 3 "$work/certify.log"

step "load: a 10 s ramp against the embedded emulator, gated"
"$cc" load create --ramp 20/s..200/s --duration 10s --hangup --quiet --out "$work/load" \
  --threshold 'p99<250ms,success>=99.9%,e2e.p99<1s,lost==0'

step "capacity: a short search against the embedded emulator"
"$cc" load capacity --slo 'p99<5ms,success>=99.9%' --start 100/s --max 6400/s --step-duration 2s --stabilize 500ms \
  --max-steps 8 --quiet --out "$work/capacity" | tail -n 2

step "render every page kind"
"$cc" report --out "$work/pages/conformance" "$work/conform" >/dev/null
"$cc" report --out "$work/pages/certificate" "$work/cert" >/dev/null
"$cc" report --threshold 'p99<250ms,success>=99.9%,e2e.p99<1s,lost==0' --out "$work/pages/load" "$work/load" >/dev/null
"$cc" report --out "$work/pages/capacity" "$work/capacity" >/dev/null
"$cc" report --threshold 'p99<250ms,success>=99.9%,e2e.p99<1s,lost==0' \
  --title "callcheck: conformance, certificate, load and capacity" --out "$work/pages/all" \
  "$work/conform" "$work/cert" "$work/load" "$work/capacity" >/dev/null

step "check every page in headless Chromium"
args=(-pages "$work/pages")
[ -n "$shots" ] && args+=(-shots "$(cd "$(dirname "$shots")" && pwd)/$(basename "$shots")")
[ -n "$shots" ] && mkdir -p "$shots"
go test -tags browser -count=1 -v -run TestPagesInChromium ./report/browsercheck "${args[@]}" | grep -E '^(=== RUN|--- |\s+browser_test|ok|FAIL|PASS)'

echo
echo "verify-reports: every page kind rendered from a real run and checked in Chromium in ${SECONDS}s"
echo "pages: $work/pages/{conformance,certificate,load,capacity,all}/report.html"
[ -n "$shots" ] && echo "screenshots: $shots/report-*.png"
exit 0
