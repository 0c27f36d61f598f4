#!/usr/bin/env bash
# Stop the local Kafka broker (idempotent). --wipe also deletes its data.
# PostgreSQL/MariaDB/Redis are machine services and are left running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kafka/common.sh"

wipe=0
case "${1:-}" in
  "") ;;
  --wipe) wipe=1 ;;
  *) echo "usage: $0 [--wipe]" >&2; exit 2 ;;
esac

if pid=$(kafka_pid); then
  echo "down: stopping Kafka (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "down: Kafka did not stop within 30s, killing" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
else
  echo "down: Kafka not running"
fi
rm -f "$KAFKA_PID_FILE"

if ((wipe)); then
  rm -rf "$KAFKA_DATA"
  echo "down: wiped $KAFKA_DATA"
fi
