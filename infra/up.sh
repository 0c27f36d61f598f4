#!/usr/bin/env bash
# Bring up local dev/CI infrastructure without Docker (idempotent):
# PostgreSQL/MariaDB/Redis (machine services, started only if not answering),
# per-service databases, and a single-node KRaft Kafka broker run from Maven-fetched jars.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kafka/common.sh"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"

die() { echo "up: $*" >&2; exit 1; }

# wait_for <seconds> <what> <command...>: poll until the command succeeds.
wait_for() {
  local secs=$1 what=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${secs}s waiting for $what"
    sleep 0.5
  done
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
mariadb_up() { mariadb-admin -h 127.0.0.1 -u root --connect-timeout=2 ping; }
redis_up() { [[ $(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null) == PONG ]]; }

ensure_services() {
  if ! pg_up; then
    echo "up: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start
    wait_for 30 PostgreSQL pg_up
  fi
  if ! mariadb_up >/dev/null 2>&1; then
    echo "up: starting MariaDB"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_for 30 MariaDB mariadb_up
  fi
  if ! redis_up; then
    echo "up: starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for 30 Redis redis_up
  fi
}

# Fetch jars once; refetched only when pom.xml changes (hash stamp).
ensure_kafka_jars() {
  local want
  want=$(sha256sum "$KAFKA_DIR/pom.xml" | cut -d' ' -f1)
  [[ -f $KAFKA_LIB/.pom.sha256 && $(<"$KAFKA_LIB/.pom.sha256") == "$want" ]] && return 0
  echo "up: fetching Kafka jars with Maven"
  rm -rf "$KAFKA_LIB.tmp"
  mvn -B -q -f "$KAFKA_DIR/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB.tmp" >"$KAFKA_RUN/mvn.log" 2>&1 ||
    { cat "$KAFKA_RUN/mvn.log" >&2; die "Maven failed to fetch Kafka jars"; }
  echo "$want" >"$KAFKA_LIB.tmp/.pom.sha256"
  rm -rf "$KAFKA_LIB"
  mv "$KAFKA_LIB.tmp" "$KAFKA_LIB"
}

kafka_answers() {
  port_open "$KAFKA_PORT" &&
    timeout 30 "${KAFKA_TOOL[@]}" org.apache.kafka.tools.TopicCommand \
      --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_RUN/admin.properties" --list >/dev/null 2>&1
}

fail_with_log() {
  echo "up: $*" >&2
  echo "--- tail of $KAFKA_LOGS/server.log ---" >&2
  tail -n 40 "$KAFKA_LOGS/server.log" >&2 2>/dev/null || true
  echo "--- tail of $KAFKA_LOGS/kafka.out ---" >&2
  tail -n 20 "$KAFKA_LOGS/kafka.out" >&2 2>/dev/null || true
  exit 1
}

wait_kafka_ready() {
  local pid=$1 deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  until kafka_answers; do
    kill -0 "$pid" 2>/dev/null || fail_with_log "Kafka (pid $pid) exited during startup"
    ((SECONDS < deadline)) || fail_with_log "Kafka not answering on $KAFKA_BOOTSTRAP after ${KAFKA_START_TIMEOUT}s"
    sleep 0.5
  done
}

start_kafka() {
  port_open "$KAFKA_CONTROLLER_PORT" && die "controller port $KAFKA_CONTROLLER_PORT is already in use (set KAFKA_CONTROLLER_PORT)"
  mkdir -p "$KAFKA_LOGS"
  sed -e "s|@PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" -e "s|@DATA_DIR@|$KAFKA_DATA|g" \
    "$KAFKA_DIR/server.properties.template" >"$KAFKA_CONF"

  if [[ ! -f $KAFKA_DATA/meta.properties ]]; then
    local cluster_id
    cluster_id=$("${KAFKA_TOOL[@]}" kafka.tools.StorageTool random-uuid)
    rm -rf "$KAFKA_DATA"
    # static quorum (controller.quorum.voters) => no --standalone
    "${KAFKA_TOOL[@]}" kafka.tools.StorageTool format --config "$KAFKA_CONF" --cluster-id "$cluster_id" >/dev/null
    echo "up: formatted Kafka storage (cluster id $cluster_id)"
  fi

  # setsid: the broker must outlive this script and its terminal/process group.
  # shellcheck disable=SC2086
  setsid java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    "-Dkafka.logs.dir=$KAFKA_LOGS" "-Dlog4j2.configurationFile=$KAFKA_DIR/log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$KAFKA_CONF" </dev/null >"$KAFKA_LOGS/kafka.out" 2>&1 &
  local pid=$!
  echo "$pid" >"$KAFKA_PID_FILE"
  echo "up: starting Kafka (pid $pid)"
  wait_kafka_ready "$pid"
}

ensure_kafka() {
  local pid
  if pid=$(kafka_pid); then
    wait_kafka_ready "$pid"
    echo "up: Kafka already running (pid $pid)"
  elif port_open "$KAFKA_PORT"; then
    kafka_answers || die "port $KAFKA_PORT is in use but does not answer as a Kafka broker"
    echo "up: Kafka answering on $KAFKA_BOOTSTRAP (not started by this script)"
  else
    start_kafka
  fi
}

mkdir -p "$KAFKA_RUN"
# Admin calls against a dead port would otherwise hang for a minute.
printf 'request.timeout.ms=5000\ndefault.api.timeout.ms=10000\n' >"$KAFKA_RUN/admin.properties"
ensure_kafka_jars
ensure_services
"$INFRA_DIR/db/provision.sh"
ensure_kafka
echo "infra ready: kafka $KAFKA_BOOTSTRAP, postgres 127.0.0.1:5432, mariadb 127.0.0.1:3306, redis 127.0.0.1:6379 (kafka log: $KAFKA_LOGS/server.log)"
