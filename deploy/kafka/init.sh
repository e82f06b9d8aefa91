#!/bin/sh
# docker-compose's kafka-init: as the admin, creates every topic and its DLQ and each principal's
# ACLs (idempotent). The table mirrors tools/stack/kafka-access.js; a unit spec compares them.
set -eu

KAFKA_ADMIN_PASSWORD=${KAFKA_ADMIN_PASSWORD:-$(cat "${KAFKA_SECRETS_DIR:-/run/secrets}/kafka_admin_password")}
: "${KAFKA_ADMIN_PASSWORD:?}"
bin=${KAFKA_BIN:-/opt/kafka/bin}
bootstrap=${KAFKA_BOOTSTRAP:-kafka:9092}
partitions=${KAFKA_PARTITIONS:-12}
config=$(mktemp)
trap 'rm -f "$config"' EXIT
cat >"$config" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
PROPS

for topic in identity.events tracking.events pickup.events notification.events postal.scans postal.requests; do
  for name in "$topic" "$topic.dlq"; do
    "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$config" \
      --create --if-not-exists --topic "$name" --partitions "$partitions"
  done
done

acl() {
  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$config" --add \
    --allow-principal "User:$1" --operation "$2" "$3" "$4" >/dev/null
}

# access <principal> "<topics it writes>" "<topics it reads>" [<consumer group>]
# A consumer also writes the DLQ of each topic it reads.
access() {
  for topic in $2; do acl "$1" Write --topic "$topic"; done
  for topic in $3; do
    acl "$1" Read --topic "$topic"
    acl "$1" Write --topic "$topic.dlq"
  done
  if [ -n "${4:-}" ]; then acl "$1" Read --group "$4"; fi
}

access auth "identity.events" ""
access tracking "tracking.events postal.scans postal.requests" "postal.scans pickup.events identity.events" tracking
access pickup "pickup.events" "tracking.events" pickup
access notifications "notification.events" "identity.events tracking.events pickup.events notification.events postal.requests" notifications
access scanner "postal.scans" "postal.requests" postal-systems
echo "kafka-init: topics and ACLs in place"
