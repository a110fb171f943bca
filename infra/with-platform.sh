#!/usr/bin/env bash
# Runs a command against a real local Kafka broker and schema registry: starts them (own run dir and ports,
# so a developer's `phonepipe infra up` on the default ports is left alone; the ports lie below the kernel's
# ephemeral range 32768-60999, so no client socket can be holding them), registers the schemas, runs the
# command, and always stops them again. Exit code is the command's.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PHONEPIPE_RUN_DIR="${PHONEPIPE_TEST_RUN_DIR:-$root/run/test-platform}"
export PHONEPIPE_KAFKA_PORT="${PHONEPIPE_TEST_KAFKA_PORT:-19092}"
export PHONEPIPE_KAFKA_CONTROLLER_PORT="${PHONEPIPE_TEST_KAFKA_CONTROLLER_PORT:-19093}"
export PHONEPIPE_REGISTRY_PORT="${PHONEPIPE_TEST_REGISTRY_PORT:-18081}"
export PHONEPIPE_REGISTRY_MANAGEMENT_PORT="${PHONEPIPE_TEST_REGISTRY_MANAGEMENT_PORT:-19001}"
unset PHONEPIPE_KAFKA_BROKERS PHONEPIPE_REGISTRY_URL
# A shell pointed at the secure profile must not make the plain test platform's clients speak SASL_SSL.
unset PHONEPIPE_KAFKA_SECURITY_PROTOCOL PHONEPIPE_KAFKA_SASL_MECHANISM PHONEPIPE_KAFKA_CA_FILE PHONEPIPE_KAFKA_CREDENTIALS_DIR \
  PHONEPIPE_KAFKA_USERNAME PHONEPIPE_KAFKA_PASSWORD PHONEPIPE_KAFKA_PASSWORD_FILE
# A clean broker and registry each time: tests count records and must not see a previous run's.
if [ "${PHONEPIPE_KEEP_TEST_PLATFORM_DATA:-0}" != 1 ]; then
  "$root/bin/phonepipe" infra down >/dev/null 2>&1 || true
  rm -rf "$PHONEPIPE_RUN_DIR"
fi
stop() { "$root/bin/phonepipe" infra down; }
trap stop EXIT
"$root/bin/phonepipe" infra up || exit 1
"$root/bin/phonepipe" schemas register >/dev/null || exit 1
"$@"
