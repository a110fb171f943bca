#!/usr/bin/env bash
# Runs a command against the secure profile (Kafka with SASL/SCRAM over TLS and ACLs, the registry): starts it
# clean on its own ports and run dir, registers the schemas as admin, exports the variables that point
# phonepipe at it (each command then acts as its own role), runs the command, and always stops the profile
# again. Exit code is the command's.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PHONEPIPE_SECURE_RUN_DIR="${PHONEPIPE_TEST_SECURE_RUN_DIR:-$root/run/test-secure}"
export PHONEPIPE_SECURE_PORT_BASE="${PHONEPIPE_TEST_SECURE_PORT_BASE:-26000}"
unset PHONEPIPE_KAFKA_BROKERS PHONEPIPE_REGISTRY_URL PHONEPIPE_ROLE PHONEPIPE_KAFKA_SECURITY_PROTOCOL \
  PHONEPIPE_KAFKA_SASL_MECHANISM PHONEPIPE_KAFKA_CA_FILE PHONEPIPE_KAFKA_CREDENTIALS_DIR PHONEPIPE_KAFKA_USERNAME \
  PHONEPIPE_KAFKA_PASSWORD PHONEPIPE_KAFKA_PASSWORD_FILE PHONEPIPE_REGISTRY_CREDENTIALS_DIR \
  PHONEPIPE_REGISTRY_USERNAME PHONEPIPE_REGISTRY_PASSWORD PHONEPIPE_REGISTRY_PASSWORD_FILE
pp() { "$root/bin/phonepipe" "$@"; }
# A clean profile each time: fresh certificates, passwords and topics; tests must not see a previous run's.
pp infra down --profile secure >/dev/null 2>&1 || true
rm -rf "$PHONEPIPE_SECURE_RUN_DIR"
stop() { pp infra down --profile secure; }
trap stop EXIT
pp infra up --profile secure || exit 1
eval "$(pp infra env --profile secure)"
pp schemas register >/dev/null || exit 1
"$@"
