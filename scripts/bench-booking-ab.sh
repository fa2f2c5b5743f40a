#!/usr/bin/env bash
# scripts/bench-booking-ab.sh TAG [BUILD_DIR]: the booking tail on the 1M demo, for A/B runs of one change.
# A fresh copy of var/bench/big.pristine.db (scripts/bench.sh makes it), synced; a 3 s warm-up; 15 s of
# closed-loop bookings at 64 connections; then 15 s at 2,100 bookings/s offered on the same server. Prints
# each load's rate and latency with the WAL restarts, the WAL file's size and the server's RSS after it.
# Run it alternately for the two builds on a quiet machine: one run's spread is wide.
set -u
tag=$1; build=${2:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/$build/caredesk; bench=$root/$build/bench
pristine=$root/var/bench/big.pristine.db
[ -f "$pristine" ] || { echo "missing $pristine: run scripts/bench.sh first" >&2; exit 1; }
work=$(mktemp -d /tmp/caredesk-booking-ab-$tag.XXXXXX)
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
"$bin" migrate --db "$pristine" >/dev/null || exit 1  # no migration's writes inside the loads
cp "$pristine" "$work/db.db" && sync
echo 'bench-pass-12!' | "$bin" user add --db "$work/db.db" --username bench12 --role coordinator --password-stdin >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --db "$work/db.db" --listen 127.0.0.1:$port --no-access-log --survey-dispatch-seconds 0 \
  --metric-alert-seconds 0 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 400); do curl -fsS http://127.0.0.1:$port/healthz >/dev/null 2>&1 && break; sleep 0.25; done
token=$(curl -fsS -X POST http://127.0.0.1:$port/api/v1/session -H 'Content-Type: application/json' \
  -d '{"username":"bench12","password":"bench-pass-12!"}' | jq -r .token)
"$bench/bench_requests" bookings --db "$work/db.db" --count 150000 --out "$work/all.txt" --seed 7 >/dev/null
sed -n 1,18000p "$work/all.txt" >"$work/warm.txt"
sed -n 18001,108000p "$work/all.txt" >"$work/closed.txt"
sed -n 108001,150000p "$work/all.txt" >"$work/open.txt"
after() {
  echo "restarts=$(curl -s http://127.0.0.1:$port/metrics -H "Authorization: Bearer $token" |
    awk '/^caredesk_db_wal_restarts/{print $2}') wal=$(($(stat -c %s "$work/db.db-wal") / 1048576))MiB" \
    "rss=$(($(awk '/VmRSS/{print $2}' /proc/$server/status) / 1024))MiB"
}
load() { "$bench/http_load" --url http://127.0.0.1:$port --connections 64 --header "Authorization: Bearer $token" "$@" |
  sed -n 1,2p | tr '\n' ' ' | sed 's/.*= //'; }
load --duration 3 --requests-file "$work/warm.txt" >/dev/null
echo "$tag closed: $(load --duration 15 --requests-file "$work/closed.txt")  $(after)"
echo "$tag open:   $(load --duration 15 --rate 2100 --requests-file "$work/open.txt")  $(after)"
