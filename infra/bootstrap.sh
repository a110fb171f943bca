#!/usr/bin/env bash
# Resolves the local platform's artifacts from Maven Central into $PHONEPIPE_CACHE (default
# ~/.cache/phonepipe), outside the clone, so every clone on a machine shares them. Idempotent: a
# second run only checks that the files are there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${PHONEPIPE_CACHE:-$HOME/.cache/phonepipe}"
kafka_version=4.1.2
apicurio_version=3.3.3
mvn_flags=(-q -B)

command -v java >/dev/null || { echo "bootstrap-infra: java not found on PATH (Java 17+ is needed for Kafka)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "bootstrap-infra: mvn not found on PATH (Maven resolves the Kafka and registry jars)" >&2; exit 1; }

kafka_libs="$cache/kafka-$kafka_version/libs"
# The marker holds the POM's checksum: a changed POM (another logging binding, say) resolves the jars again.
kafka_pom_sum=$(sha256sum "$here/maven/kafka-pom.xml" | cut -d' ' -f1)
if [ "$(cat "$kafka_libs/.complete" 2>/dev/null)" != "$kafka_pom_sum" ]; then
  echo "bootstrap-infra: resolving Kafka $kafka_version jars into $kafka_libs"
  rm -rf "$kafka_libs"
  mvn "${mvn_flags[@]}" -f "$here/maven/kafka-pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$kafka_libs" -DincludeScope=runtime
  echo "$kafka_pom_sum" >"$kafka_libs/.complete"
fi

apicurio_dir="$cache/apicurio-$apicurio_version"
if [ ! -f "$apicurio_dir/.complete" ]; then
  echo "bootstrap-infra: resolving Apicurio Registry $apicurio_version into $apicurio_dir"
  mvn "${mvn_flags[@]}" -f "$here/maven/artifacts-pom.xml" dependency:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$apicurio_version:tar.gz:all" -DoutputDirectory="$cache/downloads"
  rm -rf "$apicurio_dir" && mkdir -p "$apicurio_dir"
  tar xzf "$cache/downloads/apicurio-registry-app-$apicurio_version-all.tar.gz" -C "$apicurio_dir"
  touch "$apicurio_dir/.complete"
fi
echo "bootstrap-infra: Kafka $kafka_version and Apicurio Registry $apicurio_version ready in $cache"
