#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the test suite, and print its URL.
#
# Usage by hand:
#   export TEST_DATABASE_URL="$(scripts/start-postgres.sh)"   # starts it; URL on stdout
#   npm test                                                  # tests now run on real PostgreSQL
#   scripts/start-postgres.sh stop                            # stops it, deletes its files
#   scripts/start-postgres.sh pause DIR / resume DIR          # stops / restarts it, data kept
#
# The server lives in a fresh temp directory (data, unix socket and log all inside it),
# listens on 127.0.0.1 only, on a free port, with trust auth for the `postgres` role.
# Nothing is written outside that directory except a one-line note in
# ${TMPDIR:-/tmp}/chibo-pg-<uid>.last, so that `stop` without arguments knows which one to
# stop; `stop DIR` stops a given one.
#
# As root, PostgreSQL refuses to run: the server then runs as the `postgres` system user,
# which is created if missing. As any other user it runs as that user.
#
# It needs initdb/pg_ctl/postgres: from PATH, or Debian's /usr/lib/postgresql/*/bin
# (`apt-get install postgresql`). It never installs anything itself.
#
# .ci/run sources this file (`source scripts/start-postgres.sh`): sourcing only defines
# the pg_* functions below, and sets PG_DIR/PG_PORT/PG_URL when pg_start is called.

# Options for a test server: durability buys nothing for data thrown away at exit, and
# turning it off makes the many CREATE DATABASE / migrations of the suite much faster.
PG_SERVER_OPTS=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200)

# Where the last started server's directory is noted, per user (see header).
PG_LAST="${TMPDIR:-/tmp}/chibo-pg-$(id -u).last"

pg_log() { echo "start-postgres: $*" >&2; }

# Print the directory holding initdb, pg_ctl, postgres (and usually pg_isready).
# initdb on PATH is often a symlink (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb):
# resolve it, since pg_isready and friends live beside the real file.
pg_find_bindir() {
  local initdb dir
  if initdb="$(command -v initdb 2>/dev/null)"; then
    dir="$(dirname "$(readlink -f "$initdb")")"
    if [[ -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
      echo "$dir"
      return 0
    fi
  fi
  # Debian installs the server outside PATH; take the newest major version.
  dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
    echo "$dir"
    return 0
  fi
  return 1
}

# Print a TCP port nobody listens on right now. Binding port 0 lets the kernel choose;
# node is always there in this project. The tiny race until postgres binds it is covered
# by pg_start retrying with another port.
pg_free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Run a command as the user the server must run as (see header), from inside PG_DIR:
# the postgres tools fail when they cannot read the current directory (e.g. /root).
pg_as_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd "$PG_DIR" && runuser -u postgres -- "$@")
  else
    (cd "$PG_DIR" && "$@")
  fi
}

pg_ensure_user() {
  [[ $EUID -eq 0 ]] || return 0
  id -u postgres >/dev/null 2>&1 && return 0
  pg_log "creating system user postgres"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin postgres
}

# Start the server. Sets PG_DIR, PG_PORT, PG_URL. Returns non-zero (after printing the
# server log) if it could not be started; call pg_stop either way to clean up.
pg_start() {
  local bindir locale attempt
  if ! bindir="$(pg_find_bindir)"; then
    pg_log "no PostgreSQL server found (initdb/pg_ctl); on Debian: apt-get install postgresql"
    return 1
  fi
  pg_ensure_user || return 1

  # Under /tmp rather than $TMPDIR: a unix socket path must stay under ~107 bytes, and the
  # postgres user must be able to reach the directory.
  PG_DIR="$(mktemp -d /tmp/chibo-pg.XXXXXX)" || return 1
  if [[ $EUID -eq 0 ]]; then chown postgres: "$PG_DIR"; fi
  echo "$PG_DIR" >"$PG_LAST"

  # UTF-8 whatever the caller's LANG (CI may have none, which would give SQL_ASCII):
  # the data is Vietnamese, and lower()/upper() on it need a UTF-8 ctype.
  locale=C.UTF-8
  locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' || locale=C
  if ! pg_as_owner "$bindir/initdb" -D "$PG_DIR/data" -U postgres -A trust \
    -E UTF8 --locale="$locale" >"$PG_DIR/initdb.log" 2>&1; then
    pg_log "initdb failed:"
    cat "$PG_DIR/initdb.log" >&2
    return 1
  fi

  for attempt in 1 2 3; do
    PG_PORT="$(pg_free_port)" || return 1
    # -w: pg_ctl itself waits until the server accepts connections (or gives up after -t).
    if pg_as_owner "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR ${PG_SERVER_OPTS[*]}" \
      >/dev/null; then
      break
    fi
    pg_log "start on port $PG_PORT failed (attempt $attempt):"
    tail -n 20 "$PG_DIR/server.log" >&2 || true
    PG_PORT=""
  done
  [[ -n "$PG_PORT" ]] || return 1
  echo "$PG_PORT" >"$PG_DIR/port"

  pg_wait_ready "$bindir" || return 1
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  pg_log "server ready in $PG_DIR (log: $PG_DIR/server.log)"
}

# Belt and braces after pg_ctl -w: wait until the TCP listener answers, which is what the
# tests use. pg_isready from the same install when present, else psql.
pg_wait_ready() {
  local bindir="$1" _
  for _ in $(seq 1 60); do
    if [[ -x "$bindir/pg_isready" ]]; then
      "$bindir/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres && return 0
    elif command -v psql >/dev/null; then
      psql -qAtX -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1 && return 0
    else
      return 0 # nothing to ask with; pg_ctl -w already waited
    fi
    sleep 1
  done
  pg_log "server did not become ready on port $PG_PORT:"
  tail -n 20 "$PG_DIR/server.log" >&2 || true
  return 1
}

# Stop the server in $1 (default: PG_DIR) and delete its directory. Safe to call twice,
# or when the start failed half-way.
pg_stop() {
  local dir="${1:-${PG_DIR:-}}" bindir
  [[ -n "$dir" && -d "$dir" ]] || return 0
  # Refuse anything that is not one of ours: this ends in rm -rf.
  case "$dir" in /tmp/chibo-pg.*) ;; *)
    pg_log "refusing to remove $dir: not a chibo-pg temp directory"
    return 1
    ;;
  esac
  if [[ -f "$dir/data/postmaster.pid" ]] && bindir="$(pg_find_bindir)"; then
    PG_DIR="$dir" pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf -- "$dir"
  if [[ -f "$PG_LAST" && "$(cat "$PG_LAST")" == "$dir" ]]; then rm -f -- "$PG_LAST"; fi
  return 0
}

# Stop the server in $1 but keep its data, as an outage would (tests of what the bot does
# while its database is down); pg_resume starts it again on the same port.
pg_pause() {
  local dir="$1" bindir
  bindir="$(pg_find_bindir)" || return 1
  PG_DIR="$dir" pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

pg_resume() {
  local dir="$1" bindir
  bindir="$(pg_find_bindir)" || return 1
  PG_DIR="$dir" PG_PORT="$(cat "$dir/port")"
  pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$dir ${PG_SERVER_OPTS[*]}" >/dev/null &&
    pg_wait_ready "$bindir"
}

pg_main() {
  set -uo pipefail
  case "${1:-start}" in
    start)
      if ! pg_start; then
        pg_stop
        exit 1
      fi
      pg_log "stop it with: $0 stop $PG_DIR"
      echo "$PG_URL"
      ;;
    stop)
      local dir="${2:-$(cat "$PG_LAST" 2>/dev/null || true)}"
      if [[ -z "$dir" ]]; then
        pg_log "nothing to stop (give the directory: $0 stop DIR)"
        exit 1
      fi
      pg_stop "$dir"
      ;;
    pause | resume)
      [[ -n "${2:-}" && -f "$2/port" ]] || {
        pg_log "usage: $0 $1 DIR"
        exit 2
      }
      "pg_$1" "$2"
      ;;
    *)
      pg_log "usage: $0 [start | stop [DIR] | pause DIR | resume DIR]"
      exit 2
      ;;
  esac
}

# Executed (not sourced): act on the command line.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  pg_main "$@"
fi
