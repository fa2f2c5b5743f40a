#!/usr/bin/env bash
# Installs what CareDesk needs that this machine lacks: Debian packages
# (apt-get, as root) and npm packages (npm ci, from the lock files). Quiet
# when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build ccache g++ pkg-config make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql-15 postgresql-client-15
  libfmt-dev libspdlog-dev libsodium-dev libhowardhinnant-date-dev tzdata
  libcli11-dev libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev
  libhpdf-dev libqrencode-dev libxlsxwriter-dev unzip poppler-utils libcurl4-openssl-dev libssl-dev openssl
  chromium fonts-liberation nodejs wrk
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  # A package counts as present when dpkg says "install ok installed".
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    # nodejs may come from elsewhere (nodesource); a working node is enough.
    if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: run as root (or install these packages first): ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v npm >/dev/null; then
  echo "installing npm"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >/dev/null
fi

# npm packages, reinstalled only when the lock file changed.
for dir in web tests/http tests/browser; do
  [ -f "$dir/package-lock.json" ] || continue
  stamp="$dir/node_modules/.caredesk-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
done
