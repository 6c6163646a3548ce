#!/usr/bin/env bash
# sdk-test.sh: proves that Microsoft's Graph SDK for Go (msgraph-sdk-go, the
# version pinned in test/sdk/go.mod) works against the emulator unchanged:
# default middleware with gzip request bodies, tokens from azidentity's
# ClientSecretCredential, https trusted only through SSL_CERT_FILE. It creates
# every documented example's call, reads it back, keeps it alive, deletes it,
# and parses a Graph error into the SDK's ODataError (test/sdk/sdk_test.go);
# then certify-bot certifies a small bot built on that SDK and
# github.com/golang-jwt/jwt/v5 (test/sdk/sdkbot), which must pass every
# required check. SDKBOT_CERTIFICATE_DIR, when set, keeps its certificate
# (JSON, Markdown, HTML, JUnit).
#
# test/sdk is a module of its own so that the SDK never enters callcheck's
# build. Network: the Go module proxy only (go.sum is committed).
# Cost, measured on the 2-core machine with an empty build cache (standard
# library included) and the module cache filled: 630 s of user CPU, a peak of
# 4.5 GB resident (one compile of the SDK's models package), 13 min wall while
# other builds shared the machine (load 7-14, so most of the wall time was
# waiting for a core).
# With a warm build cache the whole script takes about 6 s.
set -euo pipefail
cd "$(dirname "$0")/../test/sdk"

step() { echo "== sdk: $*"; }
start=$(date +%s)
elapsed() { echo "$(( $(date +%s) - start ))s"; }

step "$(go version)"
step "downloading modules (test/sdk/go.sum)"
go mod download
step "go.mod and go.sum are tidy"
go mod tidy -diff
step "gofmt and go vet"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted"; exit 1; fi
step "building the test with msgraph-sdk-go (cold cache: minutes)"
# The go command is silent while it compiles; say every 30 s that it is busy.
( while sleep 30; do echo "== sdk: still building ($(elapsed))"; done ) &
ticker=$!
trap 'kill "$ticker" 2>/dev/null || true' EXIT
go vet ./...
kill "$ticker" 2>/dev/null || true
step "built and vetted after $(elapsed)"
step "running against the emulator over https"
go test -count=1 -v -timeout 10m .
step "certifying the SDK-built bot (certify-bot over https)"
go test -count=1 -v -timeout 10m ./sdkbot
step "passed after $(elapsed)"
