#!/usr/bin/env bash
# Times `caredesk import fhir` on fresh SQLite databases, RUNS times each (default 3):
#   1. the Synthea ndjson files (615 patients and what CareDesk keeps of the rest),
#   2. then, into the same database, the Synthea transaction bundles (their patients already there),
#   3. on another fresh database, the Synthea ndjson resources of the types kept as sent, six times over
#      under new ids (19,548 resources whose patients are not in that database: the rate of the kept types
#      alone, without audit entries).
# Each line is the command's own report ("wrote N in S s (R resources/s)").
#   scripts/bench-import.sh [BUILD_DIR]     (data from $CAREDESK_DATA_DIR, default ../shared/data)
set -euo pipefail
build=${1:-build}
data=${CAREDESK_DATA_DIR:-../shared/data}/synthea_fhir_r4
[ -f "$data/ndjson/Patient.ndjson" ] || { echo "the Synthea data set is missing: $data (set CAREDESK_DATA_DIR)" >&2; exit 2; }
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in Condition MedicationRequest AllergyIntolerance; do cat "$data/ndjson/$t.ndjson"; done > "$work/kept.ndjson"
for i in 1 2 3 4 5 6; do sed "s/\"id\":\"/\"id\":\"r$i-/" "$work/kept.ndjson"; done > "$work/kept6.ndjson"
report() { grep -E '^(read|patients:)' | tr '\n' ' '; echo; }
for run in $(seq 1 "$runs"); do
  rm -f "$work"/a.db*; "$build/caredesk" migrate --db "$work/a.db" >/dev/null
  echo "run $run ndjson:  $("$build/caredesk" import fhir --db "$work/a.db" "$data/ndjson" 2>/dev/null | report)"
  echo "run $run bundles: $("$build/caredesk" import fhir --db "$work/a.db" "$data/bundles" 2>/dev/null | report)"
  rm -f "$work"/b.db*; "$build/caredesk" migrate --db "$work/b.db" >/dev/null
  echo "run $run kept x6: $("$build/caredesk" import fhir --db "$work/b.db" "$work/kept6.ndjson" 2>/dev/null | report)"
done
