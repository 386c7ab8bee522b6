#!/usr/bin/env bash
# Local services for tests and the demo: PostgreSQL, RabbitMQ, Kafka, ElasticMQ (SQS), an OIDC issuer,
# and the k6 binary. Installs what is missing (cached outside the repo), starts each service on
# loopback with data and logs under .data/, checks it speaks its protocol, and writes
# .data/services.env with the URLs.
#
#   services.sh up [name...]      install, start and health-check (all by default); idempotent
#   services.sh down [name...]    stop what `up` started, by recorded process id
#   services.sh status            table of services, process ids, endpoints and log files
#   services.sh logs <name> [-f]  the service's log (last 200 lines, or follow)
#   services.sh env               print the env file
set -euo pipefail

_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=infra/local/services/lib.sh
. "$_here/services/lib.sh"
for _svc in postgres rabbitmq kafka elasticmq oidc k6; do
  # shellcheck source=/dev/null
  . "$_here/services/$_svc.sh"
done

SERVICES=(postgres rabbitmq kafka elasticmq oidc)
ENV_FILE="$POSHUB_DATA/services.env"

_usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
  exit 2
}

_known() {
  local name="$1" s
  for s in "${SERVICES[@]}" k6; do [ "$s" = "$name" ] && return 0; done
  say "unknown service '$name' (known: ${SERVICES[*]} k6)"
  exit 2
}

# Two `up`s at once (say, a test run while a developer starts services) would race to start the same
# service; the second waits for the first and then finds everything running.
_lock() {
  mkdir -p "$POSHUB_RUN"
  exec 9>"$POSHUB_RUN/services.lock"
  if ! flock -n 9; then
    say "another services.sh up/down is running; waiting for it"
    flock 9
  fi
}

_write_env_file() {
  local tmp="$ENV_FILE.tmp" s
  {
    echo "# Written by infra/local/services.sh; the process environment overrides these values."
    for s in "${SERVICES[@]}" k6; do "${s}_env"; done
  } >"$tmp"
  if cmp -s "$tmp" "$ENV_FILE"; then rm -f "$tmp"; else mv "$tmp" "$ENV_FILE"; fi
}

cmd_up() {
  local selected=("$@") s
  [ "${#selected[@]}" -gt 0 ] || selected=("${SERVICES[@]}" k6)
  for s in "${selected[@]}"; do _known "$s"; done
  mkdir -p "$POSHUB_RUN" "$POSHUB_LOGS" "$POSHUB_CACHE"
  _lock
  local started_at=$SECONDS

  # Node 24 and the workspace packages: the OIDC issuer and the health checks run on them.
  . "$POSHUB_REPO/infra/local/bootstrap.sh"

  local want_k6=0 services=() failed=() s_pk
  for s in "${selected[@]}"; do
    if [ "$s" = k6 ]; then want_k6=1; else services+=("$s"); fi
  done

  # One apt-get for everything missing; if that fails, per service, so one unavailable package
  # leaves the other services working.
  local packages=()
  for s in "${services[@]}"; do
    read -r -a s_pk <<<"$("${s}_packages" | tr '\n' ' ')"
    packages+=(${s_pk[@]+"${s_pk[@]}"})
  done
  if [ "${#packages[@]}" -gt 0 ] && ! apt_install "${packages[@]}"; then
    for s in "${services[@]}"; do
      read -r -a s_pk <<<"$("${s}_packages" | tr '\n' ' ')"
      [ "${#s_pk[@]}" -eq 0 ] || apt_install "${s_pk[@]}" || failed+=("$s")
    done
  fi

  # k6 compiles in the background while the services install and start.
  local k6_job=
  if [ "$want_k6" = 1 ] && ! k6_installed; then
    k6_install &
    k6_job=$!
  fi

  # Maven resolutions run one after the other: they share one local repository.
  for s in "${services[@]}"; do
    [[ " ${failed[*]} " != *" $s "* ]] || continue
    if declare -F "${s}_install" >/dev/null && ! "${s}_install"; then
      fail_service "$s" "install failed" || true
      failed+=("$s")
    fi
  done

  say "installs ready after $((SECONDS - started_at))s"
  local started=() checks=() pid
  # Synchronous steps (Kafka's storage format, PostgreSQL's initdb and start) go last, while the
  # services already launched boot.
  for s in rabbitmq elasticmq oidc kafka postgres; do
    [[ " ${services[*]} " == *" $s "* && " ${failed[*]} " != *" $s "* ]] || continue
    if pid="$(running_pid "$s")"; then
      say "$s already running (pid $pid)"
      # Read-only check for what already runs, so a repeated `up` changes nothing.
      checks+=("$s:light")
    elif "${s}_start"; then
      started+=("$s")
    else
      failed+=("$s")
    fi
  done
  # Services start in parallel; wait for each one's port, then give it the full round trip.
  for s in ${started[@]+"${started[@]}"}; do
    if wait_for_port "$s" "$("${s}_port")"; then checks+=("$s"); else failed+=("$s"); fi
  done

  _write_env_file

  if [ "${#checks[@]}" -gt 0 ]; then
    local report line name
    report="$(cd "$POSHUB_REPO" && node --disable-warning=ExperimentalWarning \
      infra/local/src/health-check.ts --timeout "$POSHUB_UP_TIMEOUT" "${checks[@]}" 2>&1)" || true
    while IFS= read -r line; do
      case "$line" in
        ok\ *) say "healthy: ${line#ok }" ;;
        fail\ *)
          name="${line#fail }"
          name="${name%%:*}"
          fail_service "$name" "health check: ${line#fail "$name": }" || true
          failed+=("$name")
          ;;
        *) [ -z "$line" ] || say "health check: $line" ;;
      esac
    done <<<"$report"
    for s in "${checks[@]}"; do
      name="${s%%:*}"
      [[ "$report" == *"ok $name "* || "$report" == *"fail $name:"* ]] ||
        { fail_service "$name" "no health-check result" || true; failed+=("$name"); }
    done
  fi

  say "services checked after $((SECONDS - started_at))s"
  if [ -n "$k6_job" ]; then
    say "waiting for the k6 build"
    wait "$k6_job" || say "WARNING: k6 is not available (see $(log_file k6-build)); the services are unaffected"
  fi

  cmd_status
  say "env file: $ENV_FILE"
  if [ "${#failed[@]}" -gt 0 ]; then
    say "up FAILED for: ${failed[*]} (after $((SECONDS - started_at))s); after a look at the log," \
      "\`$0 down NAME\` then \`$0 up NAME\` restarts one"
    return 1
  fi
  say "up done in $((SECONDS - started_at))s"
}

cmd_down() {
  local selected=("$@") s i
  [ "${#selected[@]}" -gt 0 ] || selected=("${SERVICES[@]}")
  for s in "${selected[@]}"; do _known "$s"; done
  _lock
  # Reverse of the listed order: the issuer and brokers first, the database last.
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    s="${SERVICES[$i]}"
    [[ " ${selected[*]} " == *" $s "* ]] || continue
    if running_pid "$s" >/dev/null || { [ "$s" = rabbitmq ] && running_pid rabbitmq-epmd >/dev/null; }; then
      "${s}_stop"
    else
      rm -f "$POSHUB_RUN/$s.pid"
      say "$s is not running"
    fi
  done
}

cmd_status() {
  local s pid state fmt='%-10s %-9s %-8s %-46s %s\n'
  # shellcheck disable=SC2059
  printf "$fmt" SERVICE STATE PID ENDPOINT LOG
  for s in "${SERVICES[@]}"; do
    if pid="$(running_pid "$s")"; then
      if port_open "$("${s}_port")"; then state=running; else state=starting; fi
    else
      pid=-
      if port_open "$("${s}_port")"; then state="port-busy"; else state=stopped; fi
    fi
    # shellcheck disable=SC2059
    printf "$fmt" "$s" "$state" "$pid" "$("${s}_url")" "${POSHUB_LOGS#"$POSHUB_REPO"/}/$s.log"
  done
  if k6_installed; then state=installed; else state=missing; fi
  # shellcheck disable=SC2059
  printf "$fmt" k6 "$state" - "$K6_BIN" "${POSHUB_LOGS#"$POSHUB_REPO"/}/k6-build.log"
}

cmd_logs() {
  local name="${1:-}" follow="${2:-}"
  [ -n "$name" ] || _usage
  _known "$name"
  [ "$name" = k6 ] && name=k6-build
  local log
  log="$(log_file "$name")"
  [ -f "$log" ] || { say "no log yet for $name ($log)"; return 1; }
  if [ "$follow" = -f ]; then tail -n 200 -f "$log"; else tail -n 200 "$log"; fi
}

cmd_env() {
  [ -f "$ENV_FILE" ] || { say "no $ENV_FILE yet: run services.sh up"; return 1; }
  cat "$ENV_FILE"
}

case "${1:-}" in
  up | down | status | logs | env)
    _cmd="$1"
    shift
    "cmd_$_cmd" "$@"
    ;;
  *) _usage ;;
esac
