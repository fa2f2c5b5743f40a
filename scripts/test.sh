#!/usr/bin/env bash
# make test: unit tests (C++ on SQLite and a throwaway PostgreSQL; the UI's
# vitest), HTTP black-box tests against the built server on both databases,
# and browser tests in headless Chromium. Everything it starts, it stops.
set -uo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin="$root/$build/caredesk"
export CAREDESK_DATA_DIR=${CAREDESK_DATA_DIR:-$(cd "$root/.." && pwd)/shared/data}
if [ ! -d "$CAREDESK_DATA_DIR" ]; then
  echo "warning: the test data sets are missing: $CAREDESK_DATA_DIR (tests that need them will fail and say so)" >&2
fi

work=$(mktemp -d /tmp/caredesk-test.XXXXXX)
# Bulk export and import files of every server the tests start, kept a day by a server: here, gone at the end.
export CAREDESK_EXPORT_DIR="$work/exports"
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"  # free_port

tests_passed=0
tests_failed=0
failed_steps=()
note() { printf '\n== %s\n' "$*"; }
# record NAME EXIT_CODE LOG: adds the step's test counts (ctest, vitest or
# node:test output) to the totals; a failing step with no count counts as one.
record() {
  local name=$1 rc=$2 raw=$3 p=0 f=0
  local log="$raw.plain"
  sed -e 's/\x1b\[[0-9;]*m//g' "$raw" >"$log"  # runners colour their counts
  if grep -q "tests passed, .* tests failed out of" "$log"; then
    local line total
    line=$(grep "tests failed out of" "$log" | tail -1)
    f=$(sed -E 's/.* ([0-9]+) tests failed out of.*/\1/' <<<"$line")
    total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
    p=$((total - f))
  elif grep -qE "^\s+Tests\s+" "$log"; then
    p=$(grep -E "^\s+Tests\s+" "$log" | tail -1 | grep -oE "[0-9]+ passed" | grep -oE "[0-9]+" || echo 0)
    f=$(grep -E "^\s+Tests\s+" "$log" | tail -1 | grep -oE "[0-9]+ failed" | grep -oE "[0-9]+" || echo 0)
  elif grep -q "^# pass" "$log"; then
    p=$(grep "^# pass" "$log" | tail -1 | grep -oE "[0-9]+")
    f=$(grep "^# fail" "$log" | tail -1 | grep -oE "[0-9]+")
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  tests_passed=$((tests_passed + p))
  tests_failed=$((tests_failed + f))
  if [ "$rc" -ne 0 ]; then failed_steps+=("$name"); echo "FAILED: $name" >&2; fi
}
# step NAME COMMAND...: runs a step, showing and recording its output.
step() {
  local name=$1; shift
  local log="$work/step-$(( ${#failed_steps[@]} + RANDOM )).log"
  "$@" 2>&1 | tee "$log"
  record "$name" "${PIPESTATUS[0]}" "$log"
}

note "starting a throwaway PostgreSQL"
pg_url=$(scripts/pg-cluster.sh start "$work/pg" "$(free_port)") || { echo "cannot start PostgreSQL" >&2; exit 1; }
export CAREDESK_TEST_PG_URL="$pg_url"

note "C++ unit and service tests (SQLite and PostgreSQL)"
step "C++ tests" ctest --test-dir "$build" --output-on-failure -j2 --timeout 300

note "fuzzing the parsers of outside input (bounded)"
step "fuzz targets" scripts/fuzz.sh "${CAREDESK_FUZZ_SECONDS:-15}"

note "web UI unit tests"
step "web unit tests" npm --prefix web test --silent

# start_server NAME DB [SERVE_ARGS...] -> sets base_url; users get known passwords.
start_server() {
  local name=$1 db=$2 port
  shift 2
  port=$(free_port)
  "$bin" migrate --db "$db" >/dev/null || return 1
  for role in admin manager coordinator clinician billing auditor; do
    echo "test-password-$role" | "$bin" user add --db "$db" --username "$role" --role "$role" --password-stdin >/dev/null || return 1
  done
  "$bin" serve --db "$db" --listen "127.0.0.1:$port" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  base_url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if curl -fsS "$base_url/healthz" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "server $name did not start; its log:" >&2
  cat "$work/$name.log" >&2
  return 1
}

# start_smtp_sink FILE -> sets sink_port; the sink appends each message to FILE as a JSON line.
start_smtp_sink() {
  local out=$1 log="$work/sink-$RANDOM.log"
  "$root/$build/caredesk_smtp_sink" --port 0 --out "$out" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do
    sink_port=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$log")
    [ -n "$sink_port" ] && return 0
    sleep 0.1
  done
  echo "the SMTP sink did not start; its log:" >&2
  cat "$log" >&2
  return 1
}

export ADMIN_USER=admin ADMIN_PASSWORD=test-password-admin
export COORD_USER=coordinator COORD_PASSWORD=test-password-coordinator
export CLINICIAN_USER=clinician CLINICIAN_PASSWORD=test-password-clinician
export AUDITOR_USER=auditor AUDITOR_PASSWORD=test-password-auditor
export MANAGER_USER=manager MANAGER_PASSWORD=test-password-manager
export BILLING_USER=billing BILLING_PASSWORD=test-password-billing
export CAREDESK_BIN="$bin"

for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then db="$work/http.db"; else
    createdb_url="${pg_url%/*}/caredesk_http"
    psql "$pg_url" -q -c "CREATE DATABASE caredesk_http" >/dev/null
    db="$createdb_url"
  fi
  note "HTTP black-box tests on $backend"
  # A local SMTP sink receives the survey emails; tests read them from SMTP_SINK_OUT.
  mail_out="$work/mail-$backend.jsonl"
  : >"$mail_out"
  smtp_port=""
  if start_smtp_sink "$mail_out"; then smtp_port=$sink_port; fi
  # The HL7 v2 listener too: tests/http/mllp.test.mjs drives it with a third-party MLLP client.
  mllp_port=$(free_port)
  if [ -n "$smtp_port" ] && start_server "http-$backend" "$db" --smtp-url "smtp://127.0.0.1:$smtp_port" \
      --mllp "127.0.0.1:$mllp_port" --survey-dispatch-seconds 0 --metric-alert-seconds 0; then
    BASE_URL="$base_url" MLLP_PORT="$mllp_port" CAREDESK_DB="$db" CAREDESK_BACKEND="$backend" SMTP_SINK_OUT="$mail_out" \
      step "HTTP tests on $backend" node --test --test-concurrency=1 tests/http/
  else
    record "HTTP tests on $backend (server start)" 1 /dev/null
  fi
done

note "browser tests in headless Chromium"
if start_server browser "$work/browser.db" --test-clock --survey-dispatch-seconds 0 --metric-alert-seconds 0; then
  BASE_URL="$base_url" step "browser tests" node --test --test-concurrency=1 tests/browser/
else
  record "browser tests (server start)" 1 /dev/null
fi

note "summary"
if [ ${#failed_steps[@]} -gt 0 ]; then echo "failed steps: ${failed_steps[*]}"; fi
echo "$tests_passed passed, $tests_failed failed"
[ ${#failed_steps[@]} -eq 0 ]
