#!/usr/bin/env bash
# Measures what the foundation issue asks for: install time from nothing, start time with a warm
# cache, idle memory of every process, and that Ctrl-C leaves none behind. It clones HEAD into a
# scratch folder and runs `npm ci` and `npm start` there with empty npm, Maven and Go caches and
# ports of their own (5xxxx), so it does not touch a running portal or the caches in use.
# Usage: bash tools/measure-start.sh [scratch-dir]
set -euo pipefail
top=$(git rev-parse --show-toplevel)
scratch=${1:-$(mktemp -d -t measure-start.XXXXXX)}
mkdir -p "$scratch/home"
[ -d "$scratch/repo" ] || git clone -q "$top" "$scratch/repo"
export HOME="$scratch/home" GOPATH="$scratch/go" GOCACHE="$scratch/go-build" GOMODCACHE="$scratch/go/pkg/mod"
export npm_config_cache="$scratch/npm" MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.repo.local=$scratch/m2"
export KAFKA_PORT=51092 KAFKA_CONTROLLER_PORT=51093 MONGO_PORT=51017 REDIS_PORT=51379 SMTP_PORT=51025 MAILPIT_PORT=51825
export GATEWAY_PORT=51000 AUTH_PORT=51001 TRACKING_PORT=51002 PICKUP_PORT=51003 NOTIFICATIONS_PORT=51004
cd "$scratch/repo"

descendants() { # pid → it and every descendant
  local pid=$1
  echo "$pid"
  for child in $(pgrep -P "$pid" || true); do descendants "$child"; done
}

# Starts the portal, waits for "portal ready", reports the time, the idle RSS of every process,
# then sends SIGINT and checks that no process is left.
run_once() {
  local label=$1 log="$scratch/start-$1.log" t0=$SECONDS
  setsid npm start >"$log" 2>&1 &
  local pid=$!
  until grep -q 'portal ready' "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "npm start exited; see $log"; tail -20 "$log"; exit 1; fi
    sleep 1
  done
  echo "$label: portal ready after $((SECONDS - t0)) s ($(grep 'portal ready' "$log"))"
  sleep 30 # idle
  local pids
  pids=$(descendants "$pid")
  echo "$label: idle RSS after 30 s"
  # shellcheck disable=SC2086
  ps -o rss=,args= -p $(echo $pids | tr ' ' ',') | awk '{ rss=$1; $1=""; printf "  %7.1f MB %s\n", rss/1024, substr($0, 2, 110) }' | sort -rn
  kill -INT -- "-$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null && [ $waited -lt 60 ]; do sleep 1; waited=$((waited + 1)); done
  sleep 1
  local left=0
  for p in $pids; do if kill -0 "$p" 2>/dev/null; then left=$((left + 1)); ps -o pid=,args= -p "$p"; fi; done
  echo "$label: stopped in ${waited} s after SIGINT; processes left: $left"
}

t0=$SECONDS
npm ci --no-audit --no-fund >"$scratch/npm-ci.log" 2>&1
echo "npm ci: $((SECONDS - t0)) s"
run_once cold
run_once warm
echo "scratch: $scratch"
