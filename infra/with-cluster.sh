#!/usr/bin/env bash
# Runs a command against the cluster profile (three Kafka nodes, the registry, a Flink session cluster with
# the TypeScript worker pool, a Spark standalone master and worker): starts it on its own ports and run dir,
# clean, registers the schemas, exports the variables that point phonepipe at it, runs the command, and always
# stops the profile again. Exit code is the command's.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PHONEPIPE_CLUSTER_RUN_DIR="${PHONEPIPE_TEST_CLUSTER_RUN_DIR:-$root/run/test-cluster}"
export PHONEPIPE_CLUSTER_PORT_BASE="${PHONEPIPE_TEST_CLUSTER_PORT_BASE:-27000}"
unset PHONEPIPE_KAFKA_BROKERS PHONEPIPE_REGISTRY_URL PHONEPIPE_FLINK_MASTER PHONEPIPE_BEAM_WORKER_POOL \
  PHONEPIPE_SPARK_MASTER_URL PHONEPIPE_KAFKA_SECURITY_PROTOCOL PHONEPIPE_KAFKA_SASL_MECHANISM PHONEPIPE_KAFKA_CA_FILE \
  PHONEPIPE_KAFKA_CREDENTIALS_DIR PHONEPIPE_KAFKA_USERNAME PHONEPIPE_KAFKA_PASSWORD PHONEPIPE_KAFKA_PASSWORD_FILE
pp() { "$root/bin/phonepipe" "$@"; }
# A clean cluster each time: tests count records and must not see a previous run's.
pp infra down --profile cluster >/dev/null 2>&1 || true
rm -rf "$PHONEPIPE_CLUSTER_RUN_DIR"
stop() { pp infra down --profile cluster; }
trap stop EXIT
pp infra up --profile cluster || exit 1
eval "$(pp infra env --profile cluster)"
pp schemas register >/dev/null || exit 1
"$@"
