# Shared paths/settings for infra/up.sh, infra/down.sh and infra/kafka/run-class.sh (sourced, not run).
INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_DIR="$INFRA_DIR/kafka"
KAFKA_LIB="$KAFKA_DIR/lib"
KAFKA_RUN="${KAFKA_RUN_DIR:-$INFRA_DIR/.run/kafka}"
KAFKA_DATA="$KAFKA_RUN/data"
KAFKA_LOGS="$KAFKA_RUN/logs"
KAFKA_CONF="$KAFKA_RUN/server.properties"
KAFKA_PID_FILE="$KAFKA_RUN/kafka.pid"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"

# Short-lived CLI JVMs: small heap, fast startup, WARN+ to stderr only.
KAFKA_TOOL=(java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  "-Dlog4j2.configurationFile=$KAFKA_DIR/log4j2-tools.properties" -cp "$KAFKA_LIB/*")

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Prints the pid of the broker started from this checkout, if it is running.
kafka_pid() {
  local pid
  if [[ -f $KAFKA_PID_FILE ]]; then
    pid=$(<"$KAFKA_PID_FILE")
    if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka '; then
      echo "$pid"; return 0
    fi
  fi
  # pid file lost: look for a broker using exactly our config file
  pgrep -f -- "kafka\.Kafka $KAFKA_CONF" | head -n1 | grep .
}
