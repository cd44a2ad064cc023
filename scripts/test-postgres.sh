#!/usr/bin/env bash
# Run a command (the test suite) against a real PostgreSQL server on loopback that
# scripts/postgres.sh installs (Debian packages) and starts; stops the server afterwards.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/postgres.sh" start
trap '"$here/postgres.sh" stop >/dev/null 2>&1 || true' EXIT
DATABASE_URL="$("$here/postgres.sh" url)"
export DATABASE_URL
echo "Tester mot PostgreSQL: ${DATABASE_URL%%@*}@…" >&2
"$@"
