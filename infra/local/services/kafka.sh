# shellcheck shell=bash
# Apache Kafka, a real single-node KRaft broker (broker + controller in one JVM), run from its
# Maven Central jars. The jars are resolved once into the cache; the log dirs live in .data/kafka.

KAFKA_VERSION=4.1.1
KAFKA_PORT="${POSHUB_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${POSHUB_KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_HEAP="${POSHUB_KAFKA_HEAP:-512m}"
KAFKA_DIR="$POSHUB_DATA/kafka"
KAFKA_LIB="$POSHUB_CACHE/kafka-$KAFKA_VERSION/lib"

# Java and Maven are on the machine image; listed so that a bare Debian gets them too.
java_packages() {
  command -v java >/dev/null || echo openjdk-17-jre-headless
  command -v mvn >/dev/null || echo maven
}

kafka_packages() { java_packages; }

kafka_install() { maven_classpath "$POSHUB_SERVICES_DIR/kafka/pom.xml" "$KAFKA_LIB"; }

kafka_url() { printf '127.0.0.1:%s' "$KAFKA_PORT"; }

kafka_env() {
  echo "KAFKA_BROKERS=$(kafka_url)"
  echo "KAFKA_CLASSPATH=$KAFKA_LIB/*"
}

kafka_port() { echo "$KAFKA_PORT"; }

_kafka_java() {
  java -Dlog4j2.configurationFile="$POSHUB_SERVICES_DIR/kafka/log4j2.properties" -cp "$KAFKA_LIB/*" "$@"
}

_kafka_write_config() {
  mkdir -p "$KAFKA_DIR/data"
  # Static voters: `format` then needs no --standalone, and the controller port may change later.
  cat >"$KAFKA_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF
}

kafka_start() {
  local log
  log="$(log_file kafka)"
  require_free_port kafka "$KAFKA_PORT" POSHUB_KAFKA_PORT || return 1
  require_free_port kafka "$KAFKA_CONTROLLER_PORT" POSHUB_KAFKA_CONTROLLER_PORT || return 1
  _kafka_write_config
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    local cluster_id
    # A Kafka Uuid in its text form (base64url of 16 random bytes); made here to spare a JVM start.
    # Kafka's own generator also avoids a leading '-', which command lines would take for a flag.
    cluster_id=-
    while [ "${cluster_id:0:1}" = - ]; do
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    done
    say "kafka: formatting log dirs (cluster $cluster_id)"
    _kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_DIR/server.properties" \
      --ignore-formatted >>"$log" 2>&1 || { fail_service kafka "storage format failed"; return 1; }
  fi
  start_detached kafka java "-Xms$KAFKA_HEAP" "-Xmx$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$POSHUB_SERVICES_DIR/kafka/log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$KAFKA_DIR/server.properties"
}

# SIGTERM runs the broker's controlled shutdown (flushes and closes the logs cleanly).
kafka_stop() { stop_recorded kafka TERM 60; }
