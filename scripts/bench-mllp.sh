#!/usr/bin/env bash
# MLLP throughput of issue 4 (HL7 v2 ADT messages parsed, applied, stored and ACKed), one load on a fresh
# SQLite database:
#
#   scripts/bench-mllp.sh [BIN] [mllp_load flags...]
#   scripts/bench-mllp.sh build/caredesk                                  # one patient updated by every message
#   scripts/bench-mllp.sh build/caredesk --patients 100000                # every message registers a patient
#   scripts/bench-mllp.sh build/caredesk --patients 100000 --shared-contact   # ... all with one phone number
#
# Starts `BIN serve --mllp` on free ports, drives it with build/bench/mllp_load (8 connections, 16 messages
# in flight on each, BENCH_SECONDS (15) seconds, ../shared/data/hl7v2/messages/ADT-A01-01.hl7) and prints
# mllp_load's summary line (messages/s, ACK latency, ACK codes). Everything runs on this machine's cores.
# Give two binaries in turn (before and after a change) to compare them; alternate them, since runs of one
# binary differ by several per cent.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/caredesk}
shift || true
load="$root/build/bench/mllp_load"
data=${CAREDESK_DATA_DIR:-$(cd "$root/.." && pwd)/shared/data}
message="$data/hl7v2/messages/ADT-A01-01.hl7"
for f in "$bin" "$load"; do [ -x "$f" ] || { echo "bench-mllp: $f is missing (make build)" >&2; exit 1; }; done
[ -f "$message" ] || { echo "bench-mllp: $message is missing (CAREDESK_DATA_DIR)" >&2; exit 1; }

# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"  # free_port
work=$(mktemp -d /tmp/caredesk-bench-mllp.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

http=$(free_port); mllp=$(free_port)
"$bin" migrate --db "$work/m.db" >/dev/null || exit 1
"$bin" serve --db "$work/m.db" --listen "127.0.0.1:$http" --mllp "127.0.0.1:$mllp" --no-access-log \
  --survey-dispatch-seconds 0 --metric-alert-seconds 0 >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$http/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "$(date -u +%H:%M:%S) $bin $*"
"$load" --port "$mllp" --connections 8 --window 16 --duration "${BENCH_SECONDS:-15}" --message "$message" "$@" | tail -2
