# shellcheck shell=bash
# Shared helpers for the per-service scripts. Sourced by services.sh, never run on its own.
# Every service records "PID STARTTIME" so that `down` only ever signals the process `up` started,
# even if the kernel has since handed the same PID to something else.

POSHUB_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
POSHUB_DATA="$(realpath -m "${POSHUB_DATA_DIR:-$POSHUB_REPO/.data}")"
POSHUB_CACHE="${POSHUB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/poshub}"
POSHUB_RUN="$POSHUB_DATA/run"
POSHUB_LOGS="$POSHUB_DATA/logs"
POSHUB_UP_TIMEOUT="${POSHUB_UP_TIMEOUT:-120}"
export POSHUB_SERVICES_DIR="$POSHUB_REPO/infra/local/services"

say() { printf '[services] %s\n' "$*" >&2; }

log_file() { printf '%s/%s.log' "$POSHUB_LOGS" "$1"; }

# Prints why a service failed, where its log is, and the log's tail (unless the third argument is
# "no-tail", for failures that happen before the service runs), then returns 1.
fail_service() {
  local name="$1" why="$2" log
  log="$(log_file "$name")"
  say "FAILED: $name: $why"
  say "  log file: $log"
  if [ -s "$log" ] && [ "${3:-}" != no-tail ]; then
    say "  last lines of the log:"
    tail -n 25 "$log" | sed 's/^/    | /' >&2
  fi
  return 1
}

_proc_starttime() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }

# Records the PID of a process (and its start time, to detect PID reuse).
record_pid() {
  local name="$1" pid="$2"
  printf '%s %s\n' "$pid" "$(_proc_starttime "$pid")" >"$POSHUB_RUN/$name.pid"
}

# Prints the recorded PID if that very process is still alive; fails otherwise.
running_pid() {
  local file="$POSHUB_RUN/$1.pid" pid start
  [ -f "$file" ] || return 1
  read -r pid start <"$file" || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(_proc_starttime "$pid")" = "$start" ] || return 1
  # A zombie has exited; only its parent has not reaped it yet.
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
  printf '%s' "$pid"
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Fails with a clear message when a port we are about to bind is taken by a process we did not start.
require_free_port() {
  local name="$1" port="$2" var="$3"
  if port_open "$port"; then
    fail_service "$name" "port $port on 127.0.0.1 is already in use by another process; stop it or set $var" no-tail
    return 1
  fi
}

# Starts COMMAND... detached (own session, stdin closed, output appended to the service log) and
# records its PID. The inner shell writes its own PID and then execs, so the recorded PID is the
# service itself even when setsid has to fork.
start_detached() {
  local name="$1"
  shift
  local log pidtmp="$POSHUB_RUN/$name.pid.new"
  log="$(log_file "$name")"
  rm -f "$pidtmp"
  printf '\n==== %s starting %s\n' "$(date -u +%FT%TZ)" "$name" >>"$log"
  # shellcheck disable=SC2016 # $$ and "$@" belong to the inner shell.
  # fd 9 is services.sh's lock: a long-lived service must not hold it.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidtmp" "$@" >>"$log" 2>&1 </dev/null 9>&- &
  for _ in $(seq 1 50); do
    [ -s "$pidtmp" ] && break
    sleep 0.1
  done
  [ -s "$pidtmp" ] || { fail_service "$name" "did not start"; return 1; }
  record_pid "$name" "$(cat "$pidtmp")"
  rm -f "$pidtmp"
}

# Waits until PORT accepts connections, failing early if the service process exits.
wait_for_port() {
  local name="$1" port="$2" timeout="${3:-$POSHUB_UP_TIMEOUT}" waited=0
  while ! port_open "$port"; do
    if ! running_pid "$name" >/dev/null; then
      fail_service "$name" "the process exited before it listened on 127.0.0.1:$port"
      return 1
    fi
    if [ "$waited" -ge "$((timeout * 4))" ]; then
      fail_service "$name" "not listening on 127.0.0.1:$port after ${timeout}s"
      return 1
    fi
    sleep 0.25
    waited=$((waited + 1))
  done
}

# Sends SIGNAL to the recorded process and waits for it to exit; SIGKILL after TIMEOUT seconds.
stop_recorded() {
  local name="$1" signal="${2:-TERM}" timeout="${3:-60}" pid
  if ! pid="$(running_pid "$name")"; then
    rm -f "$POSHUB_RUN/$name.pid"
    return 0
  fi
  say "stopping $name (pid $pid)"
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((timeout * 4))); do
    running_pid "$name" >/dev/null || break
    sleep 0.25
  done
  if running_pid "$name" >/dev/null; then
    say "$name did not stop within ${timeout}s; sending SIGKILL to pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$POSHUB_RUN/$name.pid"
}

# Installs Debian packages that are missing. Service start-up by the package scripts is denied
# (policy-rc.d) so no system-wide instance grabs ports: poshub runs its own instances.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || {
      say "missing Debian packages ${missing[*]}: install them as root (apt-get install ${missing[*]})"
      return 1
    }
    sudo=(sudo)
  fi
  say "installing Debian packages: ${missing[*]}"
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod +x "$policy"
    added_policy=1
  fi
  local rc=0
  # The package lists may be missing or stale on a fresh machine; refresh once and retry.
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >>"$POSHUB_LOGS/apt.log" 2>&1; then
    "${sudo[@]}" apt-get update -q >>"$POSHUB_LOGS/apt.log" 2>&1 || true
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}" >>"$POSHUB_LOGS/apt.log" 2>&1 || rc=$?
  fi
  [ "$added_policy" = 1 ] && "${sudo[@]}" rm -f "$policy"
  if [ "$rc" -ne 0 ]; then
    say "apt-get install ${missing[*]} failed; see $POSHUB_LOGS/apt.log"
    return 1
  fi
}

# Resolves a Maven POM's runtime classpath into DIR (cached; re-resolved only when the POM changes).
maven_classpath() {
  local pom="$1" dir="$2" stamp want
  stamp="$dir/.poshub-stamp"
  want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  command -v mvn >/dev/null || apt_install maven || return 1
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp"
  if ! mvn -B -q -Dmaven.repo.local="$POSHUB_CACHE/m2" -f "$pom" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir.tmp" >"$dir.mvn.log" 2>&1; then
    say "resolving $(basename "$pom") from Maven Central failed; see $dir.mvn.log"
    tail -n 20 "$dir.mvn.log" >&2
    return 1
  fi
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
  echo "$want" >"$stamp"
}
