# shellcheck shell=bash
# PostgreSQL from Debian's package, as a private cluster under .data/postgres (not the system cluster).
# PostgreSQL refuses to run as root, so as root the cluster belongs to the package's `postgres` user.

POSTGRES_PORT="${POSHUB_PG_PORT:-54329}"
POSTGRES_DIR="$POSHUB_DATA/postgres"
# Local-only credentials for a loopback-bound development cluster.
POSTGRES_USER_NAME=poshub
POSTGRES_PASSWORD=poshub
POSTGRES_DB=poshub

postgres_packages() { echo postgresql; }

postgres_url() {
  printf 'postgres://%s:%s@127.0.0.1:%s/%s' "$POSTGRES_USER_NAME" "$POSTGRES_PASSWORD" "$POSTGRES_PORT" "$POSTGRES_DB"
}

postgres_env() {
  echo "DATABASE_URL=$(postgres_url)"
}

_pg_bin() {
  local dir
  dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | grep -v '\*' | sort -V | tail -n 1)"
  [ -n "$dir" ] || return 1
  printf '%s' "$dir"
}

# Runs a command as the cluster's owner.
_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_pg_init() {
  local bin="$1" log pwfile
  log="$(log_file postgres)"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$POSHUB_DATA"; then
    fail_service postgres "user postgres cannot reach $POSHUB_DATA; move the checkout or set POSHUB_DATA_DIR"
    return 1
  fi
  say "postgres: creating cluster in $POSTGRES_DIR"
  rm -rf "$POSTGRES_DIR"
  mkdir -p "$POSTGRES_DIR"
  pwfile="$POSTGRES_DIR.pw"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$POSTGRES_DIR" "$pwfile" "$log"; fi
  chmod 700 "$POSTGRES_DIR"
  if ! _pg_as_owner "$bin/initdb" -D "$POSTGRES_DIR" -U "$POSTGRES_USER_NAME" --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C >>"$log" 2>&1; then
    rm -f "$pwfile"
    fail_service postgres "initdb failed"
    return 1
  fi
  rm -f "$pwfile"
  # Settings live in an included file so port changes apply at the next start without re-initdb.
  echo "include_if_exists = 'poshub.conf'" | _pg_as_owner tee -a "$POSTGRES_DIR/postgresql.conf" >/dev/null
}

postgres_start() {
  local bin log pid
  bin="$(_pg_bin)" || { fail_service postgres "no PostgreSQL binaries under /usr/lib/postgresql"; return 1; }
  log="$(log_file postgres)"
  touch "$log"
  [ -f "$POSTGRES_DIR/PG_VERSION" ] || _pg_init "$bin" || return 1
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$log"; fi
  require_free_port postgres "$POSTGRES_PORT" POSHUB_PG_PORT || return 1
  # synchronous_commit=on is the default; it is pinned because a 2xx must mean "on disk".
  _pg_as_owner tee "$POSTGRES_DIR/poshub.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $POSTGRES_PORT
unix_socket_directories = ''
synchronous_commit = on
fsync = on
shared_buffers = 256MB
max_connections = 200
EOF
  if ! _pg_as_owner "$bin/pg_ctl" -D "$POSTGRES_DIR" -l "$log" -w -t "$POSHUB_UP_TIMEOUT" start >/dev/null 9>&-; then
    fail_service postgres "pg_ctl start failed"
    return 1
  fi
  pid="$(head -n 1 "$POSTGRES_DIR/postmaster.pid")"
  record_pid postgres "$pid"
  # The application database is created once, after the first start.
  if ! PGPASSWORD="$POSTGRES_PASSWORD" "$bin/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER_NAME" \
    -d postgres -tAqc "select 1 from pg_database where datname = '$POSTGRES_DB'" | grep -q 1; then
    PGPASSWORD="$POSTGRES_PASSWORD" "$bin/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER_NAME" \
      -d postgres -qc "create database $POSTGRES_DB" >>"$log" 2>&1 ||
      { fail_service postgres "could not create database $POSTGRES_DB"; return 1; }
  fi
}

postgres_port() { echo "$POSTGRES_PORT"; }

# Fast shutdown: aborts open transactions and writes a checkpoint, as `pg_ctl stop -m fast` does.
postgres_stop() { stop_recorded postgres INT 60; }
