# shellcheck shell=bash
# ElasticMQ, an SQS-compatible server (AWS JSON and query protocols), run from its Maven Central jars.
# Queues and messages persist under .data/elasticmq (queue definitions in a file, messages in H2), so a
# restarted server keeps them, as SQS itself would: the dispatch fault tests restart it under load.

ELASTICMQ_VERSION=1.7.1
ELASTICMQ_PORT="${POSHUB_SQS_PORT:-19324}"
ELASTICMQ_REGION="${POSHUB_SQS_REGION:-us-east-1}"
ELASTICMQ_DIR="$POSHUB_DATA/elasticmq"
ELASTICMQ_LIB="$POSHUB_CACHE/elasticmq-$ELASTICMQ_VERSION/lib"

elasticmq_packages() { java_packages; }

elasticmq_install() { maven_classpath "$POSHUB_SERVICES_DIR/elasticmq/pom.xml" "$ELASTICMQ_LIB"; }

elasticmq_url() { printf 'http://127.0.0.1:%s' "$ELASTICMQ_PORT"; }

elasticmq_env() {
  echo "SQS_ENDPOINT=$(elasticmq_url)"
  echo "SQS_REGION=$ELASTICMQ_REGION"
  echo "SQS_ACCOUNT_ID=000000000000"
  # ElasticMQ accepts any credentials; these only satisfy the AWS SDK's signer.
  echo "SQS_ACCESS_KEY_ID=local"
  echo "SQS_SECRET_ACCESS_KEY=local"
}

elasticmq_port() { echo "$ELASTICMQ_PORT"; }

elasticmq_start() {
  require_free_port elasticmq "$ELASTICMQ_PORT" POSHUB_SQS_PORT || return 1
  mkdir -p "$ELASTICMQ_DIR"
  # The default bind address is 0.0.0.0; node-address is what queue URLs are built from.
  cat >"$ELASTICMQ_DIR/elasticmq.conf" <<EOF
include classpath("application.conf")
node-address { protocol = http, host = 127.0.0.1, port = $ELASTICMQ_PORT, context-path = "" }
rest-sqs { enabled = true, bind-port = $ELASTICMQ_PORT, bind-hostname = "127.0.0.1", sqs-limits = strict }
generate-node-address = false
aws { region = "$ELASTICMQ_REGION", accountId = "000000000000" }
queues-storage { enabled = true, path = "$ELASTICMQ_DIR/queues.conf" }
messages-storage { enabled = true, uri = "jdbc:h2:$ELASTICMQ_DIR/messages", prune-data-on-init = false }
EOF
  start_detached elasticmq java -Xms64m -Xmx256m -Djava.awt.headless=true \
    -Dconfig.file="$ELASTICMQ_DIR/elasticmq.conf" -cp "$ELASTICMQ_LIB/*" org.elasticmq.server.Main
}

elasticmq_stop() { stop_recorded elasticmq TERM 30; }
