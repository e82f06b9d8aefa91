#!/usr/bin/env bash
# Checks the Prometheus rules in deploy/prometheus: `promtool check rules` (syntax, PromQL, templates)
# and `promtool test rules` (deploy/prometheus/tests: one firing and one quiet case per alert).
# promtool is built from the Prometheus Go module once and cached under .cache/bin (git-ignored);
# with empty Go caches that first build took 16 minutes on a loaded 2-core machine (README "Operating").
set -euo pipefail
cd "$(dirname "$0")/../.."

PROMETHEUS_VERSION=v0.316.0
BIN_DIR="$PWD/.cache/bin"
PROMTOOL="$BIN_DIR/promtool-$PROMETHEUS_VERSION"

if [ ! -x "$PROMTOOL" ]; then
  command -v go >/dev/null || { echo "building promtool needs Go on PATH" >&2; exit 1; }
  echo "building promtool $PROMETHEUS_VERSION (go install github.com/prometheus/prometheus/cmd/promtool)…"
  mkdir -p "$BIN_DIR"
  tmp=$(mktemp -d "$BIN_DIR/.promtool-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # remove_all_sd leaves out the service-discovery plugins (AWS, Azure, GCE, … SDKs): rule checks and
  # tests need none of them, and they are most of a cold build's time.
  GOBIN="$tmp" CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod \
    go install -tags remove_all_sd "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_VERSION"
  # Renamed into place only once built, so an interrupted build is never taken for a good one.
  mv "$tmp/promtool" "$PROMTOOL"
fi

"$PROMTOOL" --version | head -1
"$PROMTOOL" check rules deploy/prometheus/*.yml
"$PROMTOOL" test rules deploy/prometheus/tests/*.yml
