#!/usr/bin/env bash
# make bench: the performance goals of docs/PERFORMANCE.md, measured.
#
#   scripts/bench.sh [BUILD_DIR]          (make bench calls it with build)
#
# Builds, creates (or reuses) the demo databases under var/bench/ — big.db
# (1,000,000 patients, 500 providers; its generation is timed) and small.db
# (10,000 patients, for the search p50 comparison), each a fresh copy of a
# pristine demo kept beside it (*.pristine.db) — runs the micro-benchmarks
# and the in-process app_benchmark, starts `caredesk serve` on a free
# 127.0.0.1 port and drives it with http_load: /healthz, GET of a patient,
# typo'd searches, slot searches and bookings of distinct open slots (checked
# with SQL afterwards for double bookings), then the booking load again on a
# throwaway PostgreSQL. Every figure is printed with the ratio it is judged by,
# measured in the same run; everything goes to var/bench/results-<date>.txt.
#
# Every load is bounded in time and goes to 127.0.0.1 only. Knobs (environment):
#   BENCH_SECONDS=15        length of each measured load
#   BENCH_CONNECTIONS=64    HTTP connections
#   BENCH_PATIENTS=1000000  patients in big.db (a different value uses big-<N>.db)
#   BENCH_PG_PATIENTS=200000  patients in the PostgreSQL demo
#   BENCH_SKIP_PG=1         skip PostgreSQL
#   BENCH_SKIP_MICRO=1      skip the in-memory micro-benchmarks
#   BENCH_REGENERATE=1      regenerate the demo databases
#   BENCH_SLOT_RATE=2000    slot searches/s offered in the open-loop run
#   BENCH_BOOK_RATE=2100    bookings/s offered in the open-loop run
#   BENCH_SEARCH_RATE=1000  patient searches/s offered in the open-loop run
set -uo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin="$root/$build/caredesk"
benchbin="$root/$build/bench"
seconds=${BENCH_SECONDS:-15}
conns=${BENCH_CONNECTIONS:-64}
patients=${BENCH_PATIENTS:-1000000}
providers=500
pg_patients=${BENCH_PG_PATIENTS:-200000}
warmup=3
slot_rate=${BENCH_SLOT_RATE:-2000}          # open-loop slot searches/s
book_rate_offered=${BENCH_BOOK_RATE:-2100}  # open-loop bookings/s (a margin over the 2,000/s goal)
search_rate=${BENCH_SEARCH_RATE:-1000}      # open-loop patient searches/s

mkdir -p var/bench
big=var/bench/big.db
[ "$patients" = 1000000 ] || big=var/bench/big-$patients.db
small=var/bench/small.db
results=var/bench/results-$(date +%Y-%m-%d).txt
: >"$results"
exec > >(tee -a "$results") 2>&1

work=$(mktemp -d /tmp/caredesk-bench.XXXXXX)
chmod 755 "$work"
server_pid=
big_server=
pg_dir=
cleanup() {
  for pid in $server_pid $big_server; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  [ -n "$pg_dir" ] && scripts/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

note() { printf '\n== %s   [load average %s]\n' "$*" "$(cut -d' ' -f1-3 /proc/loadavg)"; }
die() { echo "bench: $*" >&2; exit 1; }
# json FILE EXPR: a field of the last JSON line of FILE.
json() { grep '^{' "$1" | tail -1 | jq -r "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "met" : "MISSED" }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? "met" : "MISSED" }'; }
summary=()
goal() { summary+=("$(printf '%-58s %-28s %-12s %s' "$1" "$2" "$3" "$4")"); }

# measured CMD...: runs CMD and then prints where the machine's CPU went
# meanwhile: CMD itself, the server (when one runs) and everything else, as a
# share of all cores. "others" above a few percent means another job disturbed
# the step.
measured() {
  local t0 i0 s0=0 t1 i1 s1=0 rc
  read -r t0 i0 < <(awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat)
  [ -n "$server_pid" ] && s0=$(awk '{print $14+$15}' "/proc/$server_pid/stat")
  /usr/bin/time -f '%U %S' -o "$work/cmd.cpu" "$@"
  rc=$?
  read -r t1 i1 < <(awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat)
  [ -n "$server_pid" ] && s1=$(awk '{print $14+$15}' "/proc/$server_pid/stat")
  awk -v t="$((t1 - t0))" -v i="$((i1 - i0))" -v s="$((s1 - s0))" -v hz="$(getconf CLK_TCK)" \
    -v label="${others_label:-others}" \
    -v cmd="$(awk '{print $1 + $2}' "$work/cmd.cpu")" 'BEGIN {
      if (t <= 0) exit; c = cmd * hz; busy = t - i; o = busy - s - c; if (o < 0) o = 0
      printf "  cpu (share of all cores): busy %.0f%% = this command %.0f%% + server %.0f%% + %s %.0f%%\n",
        100 * busy / t, 100 * c / t, 100 * s / t, label, 100 * o / t }'
  return $rc
}

# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"  # free_port

note "CareDesk benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr); load generator on the same cores"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null); build: $build ($(grep -m1 CMAKE_BUILD_TYPE "$build/CMakeCache.txt" 2>/dev/null | cut -d= -f2))"
if [ -n "$(git status --short -- src 2>/dev/null)" ]; then
  echo "uncommitted changes in src/ (measured as they are):"; git status --short -- src | sed 's/^/  /'
fi
echo "each load: ${seconds} s, ${conns} connections, after a ${warmup} s warm-up"

note "build"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || die "cmake failed"
fi
ninja -C "$build" caredesk http_load app_benchmark bench_requests slot_engine_benchmark patient_index_benchmark \
  | tail -1 || die "build failed"

# make_demo DB PATIENTS PROVIDERS: DB is a fresh copy of DB's pristine demo
# (DB with .pristine before .db), generated first when missing; the timing of
# its generation is kept beside it (.generated). Every run starts from the
# same calendar: the booking loads fill it, and a fuller calendar makes slot
# search slower.
make_demo() {
  local db=$1 n=$2 p=$3 pristine=${1%.db}.pristine.db
  if [ -n "${BENCH_REGENERATE:-}" ] || [ ! -f "$pristine.generated" ]; then
    rm -f "$pristine" "$pristine-wal" "$pristine-shm" "$pristine.generated"
    echo "generating $pristine: caredesk demo --patients $n --providers $p"
    /usr/bin/time -v "$bin" demo --db "$pristine" --patients "$n" --providers "$p" \
      >"$work/demo.out" 2>"$work/demo.time" || { cat "$work/demo.out" "$work/demo.time"; die "demo failed"; }
    grep '^demo clinic' "$work/demo.out"
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/demo.time")
    rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/demo.time")
    echo "$(date -u '+%Y-%m-%d %H:%M UTC') wall=$wall maxrss_kib=$rss load=$(cut -d' ' -f1 /proc/loadavg) $(grep '^demo clinic' "$work/demo.out")" >"$pristine.generated"
  else
    echo "reusing $pristine (delete $pristine.generated or set BENCH_REGENERATE=1 to regenerate)"
  fi
  echo "  generation: $(cat "$pristine.generated")"
  # A reused demo may predate migrations: bring it up to date once, so that no measured load shares the
  # machine with a migration's writes (or with the checkpointer copying them), and sync the copy.
  "$bin" migrate --db "$pristine" >/dev/null || die "cannot migrate $pristine"
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$pristine" "$db" || die "cannot copy $pristine"
  sync
  echo "  $db: a fresh copy of it"
}

note "demo databases"
make_demo "$big" "$patients" "$providers"
demo_wall=$(sed -E 's/.*wall=([^ ]+).*/\1/' "${big%.db}.pristine.db.generated")
demo_s=$(awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }' <<<"$demo_wall")
goal "demo --patients $patients --providers $providers" "${demo_s} s" "<= 120 s" "$(le "$demo_s" 120)"
make_demo "$small" 10000 48

if [ -z "${BENCH_SKIP_MICRO:-}" ]; then
  note "micro-benchmarks (in-memory, no database)"
  "$benchbin/slot_engine_benchmark" --benchmark_counters_tabular=true 2>&1 | grep -E '^(BM_|-|Benchmark)'
  "$benchbin/patient_index_benchmark" --benchmark_counters_tabular=true 2>&1 | grep -E '^(BM_|-|Benchmark)'
fi

note "in-process: slot search on $big (app_benchmark slots)"
measured "$benchbin/app_benchmark" slots --db "$big" --seconds "$seconds" | tee "$work/app-slots.out"
ip_slots_p99=$(json "$work/app-slots.out" .p99_ms)
goal "slot search in-process p99" "${ip_slots_p99} ms" "<= 5 ms" "$(le "$ip_slots_p99" 5)"

note "in-process: typo'd patient search on $big and $small (app_benchmark search)"
measured "$benchbin/app_benchmark" search --db "$big" --seconds "$seconds" | tee "$work/app-search-big.out"
measured "$benchbin/app_benchmark" search --db "$small" --seconds "$seconds" | tee "$work/app-search-small.out"
big_p50=$(json "$work/app-search-big.out" .p50_ms); small_p50=$(json "$work/app-search-small.out" .p50_ms)
big_ip50=$(json "$work/app-search-big.out" .index_p50_ms); small_ip50=$(json "$work/app-search-small.out" .index_p50_ms)
ip_search_p99=$(json "$work/app-search-big.out" .p99_ms)
echo "p50 at $patients vs 10,000: service $(ratio "$big_p50" "$small_p50")x, bare index $(ratio "$big_ip50" "$small_ip50")x"
goal "search in-process p99 (PatientService::Search)" "${ip_search_p99} ms" "<= 10 ms" "$(le "$ip_search_p99" 10)"
goal "search p50 at $patients / at 10,000 (service)" "$(ratio "$big_p50" "$small_p50")x ($big_p50/$small_p50 ms)" "<= 2x" \
  "$(le "$(ratio "$big_p50" "$small_p50")" 2)"
goal "search p50 at $patients / at 10,000 (bare index)" "$(ratio "$big_ip50" "$small_ip50")x ($big_ip50/$small_ip50 ms)" \
  "<= 2x" "$(le "$(ratio "$big_ip50" "$small_ip50")" 2)"

# start_server DB LOG: serves DB on a free port; sets base, server_pid, token.
start_server() {
  local db=$1 log=$2 port started user password
  port=$(free_port) || die "no free port"
  base="http://127.0.0.1:$port"
  started=$(date +%s.%N)
  "$bin" serve --db "$db" --listen "127.0.0.1:$port" --no-access-log --survey-dispatch-seconds 0 --metric-alert-seconds 0 >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 1200); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log"; die "the server exited"; }
    sleep 0.25
  done
  curl -fsS "$base/healthz" >/dev/null || { cat "$log"; die "the server did not start"; }
  echo "server pid $server_pid on $base ready in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}') s"
  user="bench-$(date +%s)-$RANDOM"
  password="bench-$(head -c 12 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')"
  echo "$password" | "$bin" user add --db "$db" --username "$user" --role coordinator --password-stdin >/dev/null \
    || die "cannot add the bench user"
  token=$(curl -fsS -X POST "$base/api/v1/session" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}" | jq -r .token)
  [ -n "$token" ] && [ "$token" != null ] || die "cannot log in as $user"
}
stop_server() {
  kill "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=
}
rss_mib() { awk -v k="$1" '$1 == k":" { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }

# load NAME [http_load arguments]: a warm-up, then the measured run into $work/NAME.out.
load() {
  local name=$1; shift
  "$benchbin/http_load" --url "$base" --connections "$conns" --duration "$warmup" "$@" >/dev/null
  measured "$benchbin/http_load" --url "$base" --connections "$conns" --duration "$seconds" --label "$name" "$@" \
    | tee "$work/$name.out"
}
# booking_run DB NAME [RATE]: bookings over HTTP of distinct open slots,
# checked with SQL afterwards. Closed loop (no RATE): right after the same
# transaction run directly (app_benchmark book, 16 threads like the server's
# workers). With RATE: open loop, RATE bookings/s offered. Sets book_rate,
# book_p99, direct_rate, bad (problems found).
booking_run() {
  local db=$1 name=$2 rate=${3:-} sql before after created overlaps claims
  local rate_args=()
  if [[ "$db" == postgresql://* ]]; then sql=(psql "$db" -qtAX -c); else sql=(sqlite3 "$db"); fi
  if [ -z "$rate" ]; then
    echo "-- the booking transaction run directly, in a separate process while the server idles"
    measured "$benchbin/app_benchmark" book --db "$db" --threads 16 --seconds "$seconds" --count $((seconds * 6000)) \
      | tee "$work/$name-direct.out"
    direct_rate=$(json "$work/$name-direct.out" .booked_per_s)
  else
    rate_args=(--rate "$rate")
  fi
  # Closed loop: more lines than the server can book in the time; open loop:
  # the offered rate's worth with a margin (the calendar fills up over runs).
  local count=$((seconds * 6000)) warm_count=$((warmup * 6000))
  [ -n "$rate" ] && count=$(awk -v r="$rate" -v s="$seconds" 'BEGIN { printf "%d", r * s * 1.1 + 100 }')
  [ -n "$rate" ] && warm_count=$(awk -v r="$rate" -v s="$warmup" 'BEGIN { printf "%d", r * s * 1.1 + 100 }')
  # The calendar fills up over the runs: fewer lines than asked will do when they cover what the run needs
  # (the offered rate's worth; closed loop, the 2,000/s goal's).
  local needed=$((seconds * 2000)) rc lines
  [ -n "$rate" ] && needed=$(awk -v r="$rate" -v s="$seconds" 'BEGIN { printf "%d", r * s }')
  # The first warm_count lines are for the warm-up, like every other load's.
  "$benchbin/bench_requests" bookings --db "$db" --count $((count + warm_count)) --out "$work/$name-all.txt" \
    --seed "$RANDOM"
  rc=$?
  head -n "$warm_count" "$work/$name-all.txt" >"$work/$name-warm-up.txt"
  tail -n +$((warm_count + 1)) "$work/$name-all.txt" >"$work/$name-bookings.txt"
  lines=$(wc -l <"$work/$name-bookings.txt")
  { [ "$rc" = 0 ] || { [ "$rc" = 3 ] && [ "$lines" -ge "$needed" ]; }; } ||
    die "cannot write booking requests ($lines open slots found, $needed needed)"
  before=$("${sql[@]}" "SELECT COALESCE(MAX(id), 0) FROM appointments")
  "$benchbin/http_load" --url "$base" --connections "$conns" --duration "$warmup" --label "$name-warm-up" \
    "${rate_args[@]}" --requests-file "$work/$name-warm-up.txt" --header "Authorization: Bearer $token" \
    >"$work/$name-warm-up.out"
  local warm_created
  warm_created=$(json "$work/$name-warm-up.out" '.status["201"] // 0')
  echo "-- POST /api/v1/appointments, each line a distinct open slot, once ${rate:+(open loop, $rate/s offered)}"
  echo "   (after a ${warmup} s warm-up of its own distinct slots: $warm_created booked)"
  measured "$benchbin/http_load" --url "$base" --connections "$conns" --duration "$seconds" --label "$name" \
    "${rate_args[@]}" --requests-file "$work/$name-bookings.txt" --header "Authorization: Bearer $token" \
    | tee "$work/$name.out"
  created=$(json "$work/$name.out" '.status["201"] // 0')
  book_rate=$(awk -v n="$created" -v s="$(json "$work/$name.out" .seconds)" 'BEGIN { printf "%.1f", n / s }')
  created=$((created + warm_created))  # the checks below cover the warm-up's bookings too
  book_p99=$(json "$work/$name.out" .p99_ms)
  after=$("${sql[@]}" "SELECT COUNT(*) FROM appointments WHERE id > $before")
  # A new slot-holding appointment overlapping another slot-holding appointment
  # of the same provider on the regular seat is a double booking.
  overlaps=$("${sql[@]}" "SELECT COUNT(*) FROM appointments a JOIN appointments b
      ON b.provider_id = a.provider_id AND b.id <> a.id AND b.start_at < a.end_at AND b.end_at > a.start_at
     AND b.start_at > a.start_at - 86400000
     WHERE a.id > $before AND a.overbooked = 0 AND b.overbooked = 0
       AND a.status IN ('booked', 'checked_in', 'completed', 'no_show')
       AND b.status IN ('booked', 'checked_in', 'completed', 'no_show')")
  # Every new appointment holds exactly its 5-minute units on seat 0.
  claims=$("${sql[@]}" "SELECT COUNT(*) FROM appointments a WHERE a.id > $before AND
      (SELECT COUNT(*) FROM slot_claims c WHERE c.appointment_id = a.id AND c.seat = 0) <> (a.end_at - a.start_at) / 300000")
  echo "201 responses (warm-up included): $created; new appointment rows: $after; overlapping slot-holders: $overlaps; appointments with wrong claims: $claims"
  bad=0
  [ "$created" = "$after" ] || bad=$((bad + 1))
  [ "$overlaps" = 0 ] || bad=$((bad + 1))
  [ "$claims" = 0 ] || bad=$((bad + 1))
  [ -n "$rate" ] || echo "confirmed bookings/s over HTTP: $book_rate; directly: $direct_rate; ratio $(ratio "$book_rate" "$direct_rate")"
}

note "HTTP on SQLite: starting caredesk serve on $big"
start_server "$big" "$work/serve.log"
auth=(--header "Authorization: Bearer $token")
rss_start=$(rss_mib VmRSS)
echo "resident memory after start ($patients patients indexed): ${rss_start} MiB"
"$benchbin/bench_requests" patient-gets --db "$big" --count 200000 --out "$work/patient-gets.txt" || die "requests"
"$benchbin/bench_requests" searches --db "$big" --count 5000 --out "$work/searches.txt" || die "requests"
"$benchbin/bench_requests" slots --db "$big" --count 5000 --out "$work/slots.txt" || die "requests"

note "GET /healthz"
load healthz --path /healthz
healthz_rps=$(json "$work/healthz.out" .rps)

note "GET /api/v1/patients/{random id}, authenticated (each read is audited)"
load patient-get --requests-file "$work/patient-gets.txt" --cycle "${auth[@]}"
get_rps=$(json "$work/patient-get.out" .rps)
echo "patient GET / healthz, one after the other: $(ratio "$get_rps" "$healthz_rps")"
# This machine's speed drifts by 15-25% within minutes, so one load of each
# can land on different speeds. The ratio is judged on three alternations of
# the two loads (5 s each), from the requests each served in all three.
note "GET of a patient against /healthz, alternated three times"
alt_h=0 alt_g=0
for round in 1 2 3; do
  "$benchbin/http_load" --url "$base" --connections "$conns" --duration 5 --label "healthz-$round" --path /healthz \
    >"$work/alt-healthz-$round.out"
  "$benchbin/http_load" --url "$base" --connections "$conns" --duration 5 --label "patient-get-$round" \
    --requests-file "$work/patient-gets.txt" --cycle "${auth[@]}" >"$work/alt-get-$round.out"
  h=$(json "$work/alt-healthz-$round.out" .rps) g=$(json "$work/alt-get-$round.out" .rps)
  echo "  round $round: healthz $h/s, patient GET $g/s, ratio $(ratio "$g" "$h")"
  alt_h=$(awk -v a="$alt_h" -v b="$h" 'BEGIN { printf "%.1f", a + b }')
  alt_g=$(awk -v a="$alt_g" -v b="$g" 'BEGIN { printf "%.1f", a + b }')
done
alt_h=$(awk -v a="$alt_h" 'BEGIN { printf "%.1f", a / 3 }') alt_g=$(awk -v a="$alt_g" 'BEGIN { printf "%.1f", a / 3 }')
echo "patient GET / healthz, alternated: $(ratio "$alt_g" "$alt_h") ($alt_g/$alt_h)"
goal "patient GET rate / healthz rate (alternated, same run)" "$(ratio "$alt_g" "$alt_h") ($alt_g/$alt_h)" ">= 0.30" \
  "$(ge "$(ratio "$alt_g" "$alt_h")" 0.30)"

note "GET /api/v1/patients?q=<typo'd name>&limit=10"
load search --requests-file "$work/searches.txt" --cycle "${auth[@]}"
http_search_p99=$(json "$work/search.out" .p99_ms)
goal "search over HTTP p99 ($conns connections)" "${http_search_p99} ms ($(json "$work/search.out" .rps) req/s)" \
  "<= 10 ms" "$(le "$http_search_p99" 10)"
# The same at 4 connections: the latency of a search when the server is not saturated.
measured "$benchbin/http_load" --url "$base" --connections 4 --duration "$seconds" --label search-4 \
  --requests-file "$work/searches.txt" --cycle "${auth[@]}" | tee "$work/search-4.out"
goal "search over HTTP p99 (4 connections)" "$(json "$work/search-4.out" .p99_ms) ms ($(json "$work/search-4.out" .rps) req/s)" \
  "<= 10 ms" "$(le "$(json "$work/search-4.out" .p99_ms)" 10)"
# And arriving at a fixed rate over all the connections (open loop), counted from when each was due.
measured "$benchbin/http_load" --url "$base" --connections "$conns" --duration "$seconds" --rate "$search_rate" \
  --label search-open --requests-file "$work/searches.txt" --cycle "${auth[@]}" | tee "$work/search-open.out"
goal "search p99, ${search_rate}/s offered (open loop, $conns conn.)" \
  "$(json "$work/search-open.out" .p99_ms) ms ($(json "$work/search-open.out" .rps) req/s)" "<= 10 ms" \
  "$(le "$(json "$work/search-open.out" .p99_ms)" 10)"

note "GET /api/v1/slots, random type, next 90 days, limit 20"
load slots --requests-file "$work/slots.txt" --cycle "${auth[@]}"
http_slots_p99=$(json "$work/slots.out" .p99_ms)
goal "slot search over HTTP p99 ($conns connections)" "${http_slots_p99} ms ($(json "$work/slots.out" .rps) req/s)" \
  "<= 15 ms" "$(le "$http_slots_p99" 15)"
# The same searches arriving at a fixed rate (open loop): the latency a user
# sees at that load, counted from when each request was due.
measured "$benchbin/http_load" --url "$base" --connections "$conns" --duration "$seconds" --rate "$slot_rate" \
  --label slots-open --requests-file "$work/slots.txt" --cycle "${auth[@]}" | tee "$work/slots-open.out"
goal "slot search p99, ${slot_rate}/s offered (open loop, $conns conn.)" \
  "$(json "$work/slots-open.out" .p99_ms) ms ($(json "$work/slots-open.out" .rps) req/s)" "<= 15 ms" \
  "$(le "$(json "$work/slots-open.out" .p99_ms)" 15)"

note "search over HTTP at 10,000 patients ($small), 4 connections, for the p50 comparison"
big_server=$server_pid big_base=$base big_token=$token
start_server "$small" "$work/serve-small.log"
"$benchbin/bench_requests" searches --db "$small" --count 5000 --out "$work/searches-small.txt" || die "requests"
"$benchbin/http_load" --url "$base" --connections 4 --duration "$warmup" --requests-file "$work/searches-small.txt" \
  --cycle --header "Authorization: Bearer $token" >/dev/null
measured "$benchbin/http_load" --url "$base" --connections 4 --duration "$seconds" --label search-4-small \
  --requests-file "$work/searches-small.txt" --cycle --header "Authorization: Bearer $token" | tee "$work/search-4-small.out"
stop_server
server_pid=$big_server base=$big_base token=$big_token big_server=
h50=$(json "$work/search-4.out" .p50_ms); s50=$(json "$work/search-4-small.out" .p50_ms)
goal "search p50 over HTTP at $patients / at 10,000 (4 conn.)" "$(ratio "$h50" "$s50")x ($h50/$s50 ms)" "<= 2x" \
  "$(le "$(ratio "$h50" "$s50")" 2)"

note "bookings on SQLite"
booking_run "$big" booking-sqlite
goal "bookings over HTTP, SQLite ($conns connections)" "${book_rate}/s" ">= 2000/s" "$(ge "$book_rate" 2000)"
goal "booking p99 over HTTP, SQLite" "${book_p99} ms" "<= 25 ms" "$(le "$book_p99" 25)"
goal "bookings HTTP / direct transaction (same run), SQLite" "$(ratio "$book_rate" "$direct_rate") ($book_rate/$direct_rate)" \
  ">= 0.50" "$(ge "$(ratio "$book_rate" "$direct_rate")" 0.5)"
goal "double bookings / 201s without a row, SQLite" "$bad problems" "0" "$([ "$bad" = 0 ] && echo met || echo MISSED)"
note "bookings on SQLite at ${book_rate_offered}/s offered (open loop)"
booking_run "$big" booking-sqlite-open "$book_rate_offered"
goal "bookings at ${book_rate_offered}/s offered (open loop), SQLite" "${book_rate}/s confirmed, p99 ${book_p99} ms" \
  ">= 2000/s, <= 25 ms" "$(awk -v r="$book_rate" -v p="$book_p99" 'BEGIN { print (r >= 2000 && p <= 25) ? "met" : "MISSED" }')"
goal "double bookings / 201s without a row, SQLite (open loop)" "$bad problems" "0" \
  "$([ "$bad" = 0 ] && echo met || echo MISSED)"

rss_end=$(rss_mib VmRSS); hwm=$(rss_mib VmHWM)
echo "resident memory: ${rss_end} MiB now, ${hwm} MiB peak"
goal "server resident memory, $patients patients (peak)" "${hwm} MiB (${rss_start} at start)" "<= 1024 MiB" "$(le "$hwm" 1024)"
stop_server

if [ -z "${BENCH_SKIP_PG:-}" ]; then
  note "PostgreSQL: throwaway cluster, demo with $pg_patients patients and $providers providers"
  pg_dir="$work/pg"
  others_label="others (PostgreSQL's processes included)"
  pg_url=$(scripts/pg-cluster.sh start "$pg_dir" "$(free_port)") || die "cannot start PostgreSQL"
  psql "$pg_url" -q -c "CREATE DATABASE caredesk_bench" >/dev/null
  pg_db="${pg_url%/*}/caredesk_bench"
  pg_started=$(date +%s.%N)
  "$bin" demo --db "$pg_db" --patients "$pg_patients" --providers "$providers" 2>/dev/null | grep '^demo clinic'
  echo "generated in $(awk -v s="$pg_started" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}') s"
  start_server "$pg_db" "$work/serve-pg.log"
  note "bookings on PostgreSQL"
  booking_run "$pg_db" booking-pg
  goal "bookings over HTTP, PostgreSQL ($pg_patients patients)" "${book_rate}/s, p99 ${book_p99} ms" "report" \
    "ratio to direct $(ratio "$book_rate" "$direct_rate")"
  goal "double bookings / 201s without a row, PostgreSQL" "$bad problems" "0" "$([ "$bad" = 0 ] && echo met || echo MISSED)"
  stop_server
fi

note "summary"
printf '%-58s %-28s %-12s %s\n' "goal" "figure" "target" "verdict"
printf '%s\n' "${summary[@]}"
echo
echo "results written to $results"
