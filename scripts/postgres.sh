#!/usr/bin/env bash
# Throwaway PostgreSQL server for the test suite (`make test`).
#
#   scripts/postgres.sh start    install (apt) if needed, initdb once, start, ensure role + db
#   scripts/postgres.sh stop     stop (fast mode); no-op if not running
#   scripts/postgres.sh status   exit 0 if running, 3 if not
#   scripts/postgres.sh url      print DATABASE_URL for the test server
#
# Environment:
#   SAMARBEID_PG_PORT   TCP port on 127.0.0.1 (default 55432). Use different ports
#                       for checkouts that run side by side.
#   SAMARBEID_PG_BIN    directory with initdb/pg_ctl/postgres (optional override).
#
# Layout: everything lives in $REPO/var/pg (data/, run/ = unix socket dir,
# postgres.log). The server only listens on 127.0.0.1. It is a disposable test
# cluster: fsync/full_page_writes/synchronous_commit are off, so a crash may
# corrupt it -- just `rm -rf var/pg` (or the /var/tmp dir below) and start again.
#
# PostgreSQL refuses to run as root. When this script runs as root it creates
# the system user `samarbeid-pg` and runs initdb/pg_ctl as that user. That user
# must be able to traverse every directory down to $REPO. If it cannot (e.g. the
# checkout lives under /root, mode 0700), or the unix socket path would exceed
# the kernel's 107-byte limit, the cluster is placed in
# /var/tmp/samarbeid-pg-<sha256(repo path)[:12]> instead. We prefer relocating
# over chmod'ing the user's directories. The choice is made once, at initdb
# time; later runs use whichever location already holds a cluster.
# When run as an ordinary user, the server simply runs as that user.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd -- "$SCRIPT_DIR/.." && pwd -P)

PORT=${SAMARBEID_PG_PORT:-55432}
HOST=127.0.0.1
DB_NAME=samarbeid
DB_USER=samarbeid
DB_PASSWORD=samarbeid
SUPERUSER=postgres          # superuser inside the cluster (local socket, trust)
PG_OS_USER=samarbeid-pg     # OS user the server runs as when we are root

REPO_HASH=$(printf '%s' "$REPO" | sha256sum | cut -c1-12)
REPO_BASE="$REPO/var/pg"
ALT_BASE="/var/tmp/samarbeid-pg-$REPO_HASH"

log() { printf 'postgres: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
    die "SAMARBEID_PG_PORT must be a port number, got '$PORT'"
fi

# --- helpers -----------------------------------------------------------------

is_root() { [[ $EUID -eq 0 ]]; }

# Run a command as the OS user that owns the cluster. fd 9 (our lock) is
# closed so a daemonised postmaster does not inherit, and hold, the lock.
as_pg() {
    if is_root; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@" 9>&-)
    else
        "$@" 9>&-
    fi
}

as_root() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $*"
    fi
}

find_pgbin() {
    local dir
    if [[ -n ${SAMARBEID_PG_BIN:-} ]]; then
        printf '%s\n' "$SAMARBEID_PG_BIN"
        return 0
    fi
    # shellcheck disable=SC2012 # fixed Debian layout; sort -V picks the newest major
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]]; then
        printf '%s\n' "$dir"
        return 0
    fi
    # Non-Debian layouts (Homebrew, distro packages with binaries on PATH).
    if dir=$(command -v initdb 2>/dev/null); then
        dir=$(dirname -- "$(readlink -f -- "$dir")")
        if [[ -x $dir/pg_ctl && -x $dir/postgres ]]; then
            printf '%s\n' "$dir"
            return 0
        fi
    fi
    return 1
}

ensure_pgbin() {
    if PGBIN=$(find_pgbin); then
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server binaries found and no apt-get; install PostgreSQL or set SAMARBEID_PG_BIN"
    log "installing postgresql (apt)…"
    local aptlog
    aptlog=$(mktemp)
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$aptlog" 2>&1 ||
       ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >>"$aptlog" 2>&1; then
        tail -n 30 "$aptlog" >&2
        rm -f "$aptlog"
        die "apt-get install postgresql failed"
    fi
    rm -f "$aptlog"
    PGBIN=$(find_pgbin) || die "postgresql installed but no server binaries found under /usr/lib/postgresql/*/bin"
}

ensure_os_user() {
    is_root || return 0
    id -u "$PG_OS_USER" >/dev/null 2>&1 && return 0
    log "creating system user $PG_OS_USER"
    useradd --system --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin --user-group "$PG_OS_USER" 2>/dev/null ||
        id -u "$PG_OS_USER" >/dev/null 2>&1 || die "useradd $PG_OS_USER failed"
}

socket_path_ok() { # base dir -> does run/.s.PGSQL.<port> fit in sun_path?
    local sock="$1/run/.s.PGSQL.$PORT"
    ((${#sock} <= 107))
}

# Sets BASE to an existing cluster's location, or returns 1 if there is none.
find_existing_base() {
    local b
    for b in "$REPO_BASE" "$ALT_BASE"; do
        if [[ -f $b/data/PG_VERSION ]]; then
            BASE=$b
            return 0
        fi
    done
    return 1
}

# Pick a location for a new cluster (see header comment).
choose_new_base() {
    BASE=$REPO_BASE
    if ! socket_path_ok "$REPO_BASE"; then
        log "repo path too long for a unix socket; using $ALT_BASE"
        BASE=$ALT_BASE
    elif is_root && ! runuser -u "$PG_OS_USER" -- test -x "$REPO" 2>/dev/null; then
        log "$PG_OS_USER cannot traverse to $REPO; using $ALT_BASE"
        BASE=$ALT_BASE
    fi
    socket_path_ok "$BASE" || die "socket path $BASE/run is too long"

    mkdir -p "$BASE"
    if is_root; then
        chown "$PG_OS_USER:" "$BASE"
        chmod 0700 "$BASE"
        if [[ $BASE == "$REPO_BASE" ]] && ! runuser -u "$PG_OS_USER" -- test -w "$BASE" 2>/dev/null; then
            log "$PG_OS_USER cannot write $BASE; using $ALT_BASE"
            BASE=$ALT_BASE
            mkdir -p "$BASE"
            chown "$PG_OS_USER:" "$BASE"
            chmod 0700 "$BASE"
        fi
    fi
}

set_paths() {
    DATA="$BASE/data"
    SOCKDIR="$BASE/run"
    LOGFILE="$BASE/postgres.log"
}

is_running() { # requires PGBIN and BASE
    [[ -f $DATA/postmaster.pid ]] || return 1
    as_pg "$PGBIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

running_port() { # 4th line of postmaster.pid
    sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true
}

admin_psql() {
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKDIR" -p "$PORT" -U "$SUPERUSER" -d postgres
}

# Serialise start/stop for this checkout (e.g. parallel make).
take_lock() {
    command -v flock >/dev/null 2>&1 || return 0
    # Lock the scripts/ directory itself: always present, no temp files, works
    # for root and non-root callers alike.
    exec 9<"$SCRIPT_DIR"
    flock -w 120 9 || die "timed out waiting for lock"
}

initdb_cluster() {
    local locale_opt=(--no-locale)
    # C.UTF-8 keeps byte-order collation but gives Unicode-aware upper()/lower(),
    # so case-insensitive lookups (ILIKE, iexact) work for æøå.
    if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
        locale_opt=(--locale=C.UTF-8)
    fi
    log "initialising cluster in $DATA"
    local initlog
    initlog=$(mktemp)
    chmod 0644 "$initlog"
    if ! as_pg "$PGBIN/initdb" -D "$DATA" -U "$SUPERUSER" -E UTF8 "${locale_opt[@]}" \
            --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$initlog" 2>&1; then
        cat "$initlog" >&2
        rm -f "$initlog"
        die "initdb failed"
    fi
    rm -f "$initlog"
    printf "\ninclude_if_exists = 'samarbeid.conf'\n" | as_pg tee -a "$DATA/postgresql.conf" >/dev/null
}

write_conf() { # rewritten on every start so port/paths follow the environment
    as_pg mkdir -p "$SOCKDIR"
    as_pg tee "$DATA/samarbeid.conf" >/dev/null <<EOF
# Managed by scripts/postgres.sh -- rewritten on every start.
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$SOCKDIR'
unix_socket_permissions = 0700
# Throwaway test cluster: trade durability for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 1GB
checkpoint_timeout = 30min
max_connections = 100
logging_collector = off
log_min_messages = warning
EOF
}

ensure_role_and_db() {
    admin_psql <<SQL
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$DB_USER', '$DB_PASSWORD')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER') \\gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', '$DB_USER', '$DB_PASSWORD') \\gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$DB_NAME', '$DB_USER')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB_NAME') \\gexec
SQL
}

# --- subcommands -------------------------------------------------------------

cmd_url() {
    printf 'postgres://%s:%s@%s:%s/%s\n' "$DB_USER" "$DB_PASSWORD" "$HOST" "$PORT" "$DB_NAME"
}

cmd_start() {
    ensure_pgbin
    ensure_os_user
    take_lock
    if ! find_existing_base; then
        choose_new_base
        set_paths
        initdb_cluster
    fi
    set_paths

    if is_running; then
        local rp
        rp=$(running_port)
        if [[ $rp == "$PORT" ]]; then
            ensure_role_and_db
            log "already running on $HOST:$PORT"
            return 0
        fi
        log "running on port $rp, restarting on $PORT"
        as_pg "$PGBIN/pg_ctl" stop -D "$DATA" -m fast -w >/dev/null
    fi

    write_conf
    if ! as_pg "$PGBIN/pg_ctl" start -D "$DATA" -l "$LOGFILE" -w -t 60 >/dev/null 2>&1; then
        tail -n 20 "$LOGFILE" >&2 || true
        die "failed to start (log: $LOGFILE)"
    fi
    ensure_role_and_db
    log "started on $HOST:$PORT (data: $DATA)"
}

cmd_stop() {
    if ! find_existing_base; then
        log "not running (no cluster)"
        return 0
    fi
    set_paths
    PGBIN=$(find_pgbin) || die "no PostgreSQL binaries found"
    take_lock
    if ! is_running; then
        log "not running"
        return 0
    fi
    as_pg "$PGBIN/pg_ctl" stop -D "$DATA" -m fast -w >/dev/null
    log "stopped"
}

cmd_status() {
    if ! find_existing_base; then
        log "not running (no cluster)"
        return 3
    fi
    set_paths
    PGBIN=$(find_pgbin) || die "no PostgreSQL binaries found"
    if is_running; then
        log "running on $HOST:$(running_port) (pid $(head -n1 "$DATA/postmaster.pid"), data: $DATA)"
        return 0
    fi
    log "not running (data: $DATA)"
    return 3
}

usage() {
    echo "usage: $0 {start|stop|status|url}" >&2
    exit 2
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) cmd_url ;;
    *) usage ;;
esac
