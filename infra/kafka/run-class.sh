#!/usr/bin/env bash
# Run a Kafka CLI class from the local jars (fetched by infra/up.sh), e.g.
#   infra/kafka/run-class.sh org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
exec "${KAFKA_TOOL[@]}" "$@"
