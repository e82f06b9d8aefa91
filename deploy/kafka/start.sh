#!/bin/sh
# Kafka for docker-compose (apache/kafka image): one KRaft node that requires SASL/SCRAM-SHA-512 on
# the client listener and enforces ACLs (StandardAuthorizer; the admin is the only super user). The
# controller listener takes SASL/PLAIN for the admin alone: KRaft keeps SCRAM credentials in the
# metadata log the controller serves. The SCRAM users are created when the storage is first
# formatted, from the Docker secrets kafka_<principal>_password; the same settings as the local
# stack's tools/stack/kafka.js.
set -eu

: "${CLUSTER_ID:?}"
secrets=${KAFKA_SECRETS_DIR:-/run/secrets}
for name in admin auth tracking pickup notifications scanner; do
  file="$secrets/kafka_${name}_password"
  password=$(cat "$file" 2>/dev/null || true)
  case "$password" in
    '' | *[!A-Za-z0-9_-]*)
      echo "$file must hold the $name principal's password: letters, digits, '_' and '-' (openssl rand -hex 24)" >&2
      exit 1
      ;;
  esac
  eval "KAFKA_$(echo "$name" | tr a-z A-Z)_PASSWORD=\$password"
done

data=/var/lib/kafka/data
props=/tmp/server.properties
umask 077
cat >"$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@kafka:9093
listeners=CLIENT://:9092,CONTROLLER://:9093
advertised.listeners=CLIENT://kafka:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD" user_admin="$KAFKA_ADMIN_PASSWORD";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
allow.everyone.if.no.acl.found=false
auto.create.topics.enable=false
log.dirs=$data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS

# Client settings of the admin, for the healthcheck and deploy/kafka/init.sh.
cat >/tmp/admin.properties <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
PROPS

if [ ! -f "$data/meta.properties" ]; then
  /opt/kafka/bin/kafka-storage.sh format -t "$CLUSTER_ID" -c "$props" --ignore-formatted \
    --add-scram "SCRAM-SHA-512=[name=admin,password=$KAFKA_ADMIN_PASSWORD]" \
    --add-scram "SCRAM-SHA-512=[name=auth,password=$KAFKA_AUTH_PASSWORD]" \
    --add-scram "SCRAM-SHA-512=[name=tracking,password=$KAFKA_TRACKING_PASSWORD]" \
    --add-scram "SCRAM-SHA-512=[name=pickup,password=$KAFKA_PICKUP_PASSWORD]" \
    --add-scram "SCRAM-SHA-512=[name=notifications,password=$KAFKA_NOTIFICATIONS_PASSWORD]" \
    --add-scram "SCRAM-SHA-512=[name=scanner,password=$KAFKA_SCANNER_PASSWORD]"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$props"
