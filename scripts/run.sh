#!/usr/bin/env bash
# make run: on first start create the SQLite database with a demo clinic,
# then serve the UI and API, printing how to sign in.
set -euo pipefail
bin=${1:?binary}; db=${2:?database}; listen=${3:?listen address}
creds="$(dirname "$db")/demo-credentials.txt"
mkdir -p "$(dirname "$db")"
if [ ! -f "$db" ]; then
  # Built aside and moved into place, so an interrupted first start leaves no
  # half-filled database behind.
  echo "creating the demo clinic in $db (first start)"
  rm -f "$db.new" "$db.new-wal" "$db.new-shm"
  "$bin" demo --db "$db.new" --credentials-file "$creds"
  rm -f "$db.new-wal" "$db.new-shm"
  mv "$db.new" "$db"
fi
echo
echo "CareDesk: open http://$listen/ and sign in with one of these demo users:"
if [ -f "$creds" ]; then sed -e '/^#/d' -e 's/^/  /' "$creds"; else echo "  (no demo credentials file at $creds; create a user with: $bin user add --db $db --username NAME --role admin --password-stdin)"; fi
echo "(stop with Ctrl-C)"
echo
exec "$bin" serve --db "$db" --listen "$listen"
