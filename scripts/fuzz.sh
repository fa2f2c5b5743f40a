#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time
# from the seed corpus: scripts/fuzz.sh [SECONDS_PER_TARGET]. Exits non-zero
# on the first crash, leaving the crashing input in build-fuzz/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
if ! command -v clang++ >/dev/null; then
  echo "clang++ is missing (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAREDESK_FUZZ=ON \
  -DCAREDESK_TESTS=OFF -DCAREDESK_BENCH=OFF >/dev/null
targets=(fuzz_json_body fuzz_civil_time fuzz_request_target fuzz_patient_search fuzz_hl7v2 fuzz_mllp_framing fuzz_fhir_search fuzz_fhir_patient fuzz_fhir_visits)
ninja -C build-fuzz "${targets[@]}" | grep -E "error|FAILED" -A5 || true
test -x build-fuzz/fuzz/fuzz_patient_search
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/${t#fuzz_}"
  work="build-fuzz/fuzz/corpus-${t#fuzz_}"
  mkdir -p "$work"
  echo "fuzzing $t for ${seconds}s"
  (cd build-fuzz/fuzz && ./"$t" -max_total_time="$seconds" -max_len=4096 -timeout=5 -print_final_stats=0 \
     "../../$work" "../../$corpus" 2>&1 | tail -2)
done
echo "fuzz: all targets ran ${seconds}s without a crash"
