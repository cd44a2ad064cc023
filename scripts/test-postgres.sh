#!/usr/bin/env bash
# Run a command (the test suite) against a real PostgreSQL server on loopback that
# scripts/postgres.sh installs (Debian packages) and starts. Stops the server afterwards only if
# this script started it (a server already running - another test run, a benchmark - stays up).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
started=0
if ! "$here/postgres.sh" status >/dev/null 2>&1; then
  "$here/postgres.sh" start
  started=1
fi
if [ "$started" = 1 ]; then
  trap '"$here/postgres.sh" stop >/dev/null 2>&1 || true' EXIT
fi
DATABASE_URL="$("$here/postgres.sh" url)"
export DATABASE_URL
echo "Tester mot PostgreSQL: ${DATABASE_URL%%@*}@…" >&2
"$@"
