#!/usr/bin/env bash
# The FHIR read and search rates of issue 4, measured beside their references:
#
#   scripts/bench-fhir.sh [BUILD_DIR]
#
# - CareDesk on the 10,000- and 1,000,000-patient demos of scripts/bench.sh (fresh copies of
#   var/bench/small.pristine.db and big.pristine.db; run scripts/bench.sh once first): GET /healthz (the
#   server's own ceiling), GET /fhir/R4/Patient/{id} over random patients, and GET /fhir/R4/Patient?name=…
#   over family names of the demo (first page of 20), each at BENCH_CONNECTIONS (64) connections for
#   BENCH_SECONDS (15) after a warm-up. The search at 1M against at 10k is the "search cliff".
# - The peer: @medplum/fhir-router's in-memory repository behind Node's http server
#   (bench/peers/medplum-fhir.mjs), serving the same 10,000 Patients as CareDesk serves them (read from
#   CareDesk's FHIR search), asked for the same ids and names by the same load generator.
# Everything runs on this machine's cores, the load generator too; figures go to var/bench/fhir-<date>.txt.
set -uo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin="$root/$build/caredesk"
load_bin="$root/$build/bench/http_load"
seconds=${BENCH_SECONDS:-15}
conns=${BENCH_CONNECTIONS:-64}
warmup=3
mkdir -p var/bench
results=var/bench/fhir-$(date +%Y-%m-%d).txt
exec > >(tee -a "$results") 2>&1

die() { echo "bench-fhir: $*" >&2; exit 1; }
for f in var/bench/small.pristine.db var/bench/big.pristine.db; do
  [ -f "$f" ] || die "$f is missing: run scripts/bench.sh once (it generates the demos)"
done
[ -x "$bin" ] && [ -x "$load_bin" ] || die "build first: ninja -C $build caredesk http_load"
if [ ! -d bench/peers/node_modules/@medplum/fhir-router ]; then
  (cd bench/peers && npm ci --no-audit --no-fund >/dev/null) || die "npm ci in bench/peers failed"
fi

work=$(mktemp -d /tmp/caredesk-bench-fhir.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"  # free_port
wait_up() {  # URL PID
  for _ in $(seq 1 1200); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}
json() { grep '^{' "$1" | tail -1 | jq -r "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# load NAME BASE [http_load arguments]: a warm-up, then the measured run into $work/NAME.out.
load() {
  local name=$1 base=$2; shift 2
  "$load_bin" --url "$base" --connections "$conns" --duration "$warmup" "$@" >/dev/null
  "$load_bin" --url "$base" --connections "$conns" --duration "$seconds" --label "$name" "$@" | tee "$work/$name.out"
}

echo "== FHIR benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
echo "machine: $(nproc) cores, load generator on the same cores; ${seconds} s a load at ${conns} connections"

# serve SIZE: a fresh copy of the SIZE demo served; sets base, token, ids_file, names_file.
serve() {
  local size=$1 db="$work/$1.db" port user password
  cp "var/bench/$size.pristine.db" "$db"
  port=$(free_port) || die "no free port"
  base="http://127.0.0.1:$port"
  "$bin" serve --db "$db" --listen "127.0.0.1:$port" --no-access-log --survey-dispatch-seconds 0 \
    --metric-alert-seconds 0 >"$work/$size.log" 2>&1 &
  pids+=($!)
  wait_up "$base/healthz" "$!" || { cat "$work/$size.log"; die "the server did not start"; }
  user="bench-$RANDOM$RANDOM"
  password="bench-$(head -c 12 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')"
  echo "$password" | "$bin" user add --db "$db" --username "$user" --role coordinator --password-stdin >/dev/null
  token=$(curl -fsS -X POST "$base/api/v1/session" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}" | jq -r .token)
  [ -n "$token" ] && [ "$token" != null ] || die "cannot log in"
  ids_file="$work/$size-ids.txt"
  names_file="$work/$size-names.txt"
  sqlite3 "$db" "SELECT 'GET /fhir/R4/Patient/' || id FROM patients ORDER BY random() LIMIT 20000" >"$ids_file"
  sqlite3 "$db" "SELECT 'GET /fhir/R4/Patient?name=' || family_fold || '&_count=20' FROM patients
                 ORDER BY random() LIMIT 5000" >"$names_file"
  echo "$size: $(sqlite3 "$db" 'SELECT COUNT(*) FROM patients') patients on $base"
}
stop_last() { kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; unset 'pids[-1]'; }

declare -A rps p99
measure_caredesk() {
  local size=$1
  serve "$size"
  local auth="Authorization: Bearer $token"
  load "$size-healthz" "$base" --path /healthz
  load "$size-read" "$base" --requests-file "$ids_file" --cycle --header "$auth"
  load "$size-search" "$base" --requests-file "$names_file" --cycle --header "$auth"
  for k in healthz read search; do
    rps[$size-$k]=$(json "$work/$size-$k.out" .rps); p99[$size-$k]=$(json "$work/$size-$k.out" .p99_ms)
    [ "$(json "$work/$size-$k.out" .errors)" = 0 ] || echo "WARNING: $size-$k had errors"
    [ "$(json "$work/$size-$k.out" '.status["200"] // 0')" -gt 0 ] || die "$size-$k: no 200 answers"
  done
  if [ "$size" = small ]; then
    # The same Patients for the peer, as CareDesk serves them.
    local url="$base/fhir/R4/Patient?_count=1000"
    : >"$work/patients.ndjson"
    while [ -n "$url" ] && [ "$url" != null ]; do
      curl -fsS "$url" -H "$auth" >"$work/page.json" || die "cannot read the patients"
      jq -c '.entry[]?.resource' "$work/page.json" >>"$work/patients.ndjson"
      url=$(jq -r '.link[]? | select(.relation == "next") | .url' "$work/page.json")
    done
    small_ids=$ids_file small_names=$names_file
  fi
  stop_last
}

echo; echo "== CareDesk, 10,000 patients"
measure_caredesk small
echo; echo "== CareDesk, 1,000,000 patients"
measure_caredesk big

echo; echo "== @medplum/fhir-router (MemoryRepository) behind node:http, the same $(wc -l <"$work/patients.ndjson") Patients"
port=$(free_port)
peer="http://127.0.0.1:$port"
node bench/peers/medplum-fhir.mjs "$port" "$work/patients.ndjson" >"$work/peer.log" 2>&1 &
pids+=($!)
wait_up "$peer/fhir/R4/Patient?_count=1" "$!" || { cat "$work/peer.log"; die "the peer did not start"; }
cat "$work/peer.log"
load peer-read "$peer" --requests-file "$small_ids" --cycle
load peer-search "$peer" --requests-file "$small_names" --cycle
for k in read search; do
  rps[peer-$k]=$(json "$work/peer-$k.out" .rps); p99[peer-$k]=$(json "$work/peer-$k.out" .p99_ms)
  [ "$(json "$work/peer-$k.out" '.status["200"] // 0')" -gt 0 ] || die "peer-$k: no 200 answers"
done
stop_last

echo; echo "== summary (requests/s, p99 ms; goals of issue 4: read >= 10,000/s, search >= 3,000/s, p99 <= 20 ms,"
echo "   search at 1M >= half the rate at 10k)"
printf '%-44s %10s %9s\n' "load" "rps" "p99 ms"
for k in small-healthz small-read small-search big-healthz big-read big-search peer-read peer-search; do
  printf '%-44s %10s %9s\n' "$k" "${rps[$k]}" "${p99[$k]}"
done
echo "read / healthz (10k, 1M):              $(ratio "${rps[small-read]}" "${rps[small-healthz]}"), $(ratio "${rps[big-read]}" "${rps[big-healthz]}")"
echo "search at 1M / search at 10k:           $(ratio "${rps[big-search]}" "${rps[small-search]}")"
echo "CareDesk / medplum, read at 10k:        $(ratio "${rps[small-read]}" "${rps[peer-read]}")"
echo "CareDesk / medplum, search at 10k:      $(ratio "${rps[small-search]}" "${rps[peer-search]}")"
