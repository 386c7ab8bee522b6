# shellcheck shell=bash
# RabbitMQ from Debian's package, run as our own node (not the system service): its database, config,
# Erlang cookie and logs live under .data/rabbitmq, every listener on loopback.
# epmd (Erlang's port mapper) is started by us on its own port so the node never shares or spawns a
# system-wide one bound to all interfaces.

RABBITMQ_PORT="${POSHUB_AMQP_PORT:-56729}"
RABBITMQ_MGMT_PORT="${POSHUB_RABBITMQ_MGMT_PORT:-15679}"
RABBITMQ_DIST_PORT_="${POSHUB_RABBITMQ_DIST_PORT:-25679}"
RABBITMQ_EPMD_PORT="${POSHUB_EPMD_PORT:-4379}"
RABBITMQ_DIR="$POSHUB_DATA/rabbitmq"
# Local-only credentials for a loopback-bound development broker.
RABBITMQ_USER=poshub
RABBITMQ_PASS=poshub

rabbitmq_packages() { echo rabbitmq-server; }

rabbitmq_url() { printf 'amqp://%s:%s@127.0.0.1:%s' "$RABBITMQ_USER" "$RABBITMQ_PASS" "$RABBITMQ_PORT"; }

rabbitmq_env() {
  echo "AMQP_URL=$(rabbitmq_url)"
  echo "RABBITMQ_MANAGEMENT_URL=http://$RABBITMQ_USER:$RABBITMQ_PASS@127.0.0.1:$RABBITMQ_MGMT_PORT"
}

rabbitmq_port() { echo "$RABBITMQ_PORT"; }

_rabbitmq_export_env() {
  export HOME="$RABBITMQ_DIR/home"
  export RABBITMQ_CONF_ENV_FILE="$RABBITMQ_DIR/rabbitmq-env.conf"
  export RABBITMQ_CONFIG_FILE="$RABBITMQ_DIR/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_DIR/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$RABBITMQ_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$RABBITMQ_DIR/log"
  export RABBITMQ_LOGS=-
  export RABBITMQ_NODENAME=poshub@localhost
  export RABBITMQ_DIST_PORT="$RABBITMQ_DIST_PORT_"
  export RABBITMQ_PID_FILE="$RABBITMQ_DIR/rabbitmq.pid"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export ERL_EPMD_PORT="$RABBITMQ_EPMD_PORT"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

_rabbitmq_write_config() {
  mkdir -p "$RABBITMQ_DIR/home" "$RABBITMQ_DIR/mnesia"
  : >"$RABBITMQ_DIR/rabbitmq-env.conf"
  echo '[rabbitmq_management].' >"$RABBITMQ_DIR/enabled_plugins"
  cat >"$RABBITMQ_DIR/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBITMQ_MGMT_PORT
default_user = $RABBITMQ_USER
default_pass = $RABBITMQ_PASS
default_user_tags.administrator = true
log.console = true
log.console.level = info
log.file = false
EOF
}

rabbitmq_start() {
  require_free_port rabbitmq "$RABBITMQ_PORT" POSHUB_AMQP_PORT || return 1
  require_free_port rabbitmq "$RABBITMQ_MGMT_PORT" POSHUB_RABBITMQ_MGMT_PORT || return 1
  require_free_port rabbitmq "$RABBITMQ_DIST_PORT_" POSHUB_RABBITMQ_DIST_PORT || return 1
  _rabbitmq_write_config
  (
    _rabbitmq_export_env
    if ! running_pid rabbitmq-epmd >/dev/null; then
      require_free_port rabbitmq-epmd "$RABBITMQ_EPMD_PORT" POSHUB_EPMD_PORT || exit 1
      start_detached rabbitmq-epmd epmd -port "$RABBITMQ_EPMD_PORT" -address 127.0.0.1 || exit 1
      wait_for_port rabbitmq-epmd "$RABBITMQ_EPMD_PORT" 10 || exit 1
    fi
    start_detached rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
  )
}

rabbitmq_stop() {
  # The recorded process is rabbitmq-server's shell wrapper, which turns SIGTERM into a clean stop.
  stop_recorded rabbitmq TERM 60
  # Should the wrapper have been killed hard, the VM it ran would be left; RabbitMQ records its pid.
  local vm
  vm="$(cat "$RABBITMQ_DIR/rabbitmq.pid" 2>/dev/null || true)"
  if [ -n "$vm" ] && [ "$(cat "/proc/$vm/comm" 2>/dev/null)" = beam.smp ]; then
    say "stopping the RabbitMQ VM left behind (pid $vm)"
    kill -TERM "$vm" 2>/dev/null || true
  fi
  stop_recorded rabbitmq-epmd TERM 10
}
