#!/usr/bin/env bash
# Times one FHIR bulk export against a running server: kick-off, polling the status every 0.5 s until the
# manifest, then deletes the job. Prints the seconds and the manifest's counts.
#   scripts/bench-export.sh BASE_URL USERNAME TYPES   (the password on standard input; the user needs
#   interfaces.manage and patient.read, e.g. an admin)
#   echo "$PASSWORD" | scripts/bench-export.sh http://127.0.0.1:8080 admin Patient
set -euo pipefail
base=$1 user=$2 types=$3
read -r password
token=$(curl -fsS -X POST "$base/api/v1/session" -H 'Content-Type: application/json' \
  -d "$(jq -cn --arg u "$user" --arg p "$password" '{username:$u,password:$p}')" | jq -r .token)
auth="Authorization: Bearer $token"
start=$(date +%s.%N)
status=$(curl -fsS -D - -o /dev/null "$base/fhir/R4/\$export?_type=$types" -H "$auth" |
  awk 'tolower($1)=="content-location:"{print $2}' | tr -d '\r')
manifest=$(mktemp)
trap 'rm -f "$manifest"' EXIT
while :; do
  code=$(curl -sS -o "$manifest" -w '%{http_code}' "$status" -H "$auth")
  [ "$code" != 202 ] && break
  sleep 0.5
done
end=$(date +%s.%N)
echo "HTTP $code after $(echo "$end - $start" | bc) s"
jq -c '[.output[] | {type, count}]' "$manifest"
curl -fsS -X DELETE "$status" -H "$auth" -o /dev/null
