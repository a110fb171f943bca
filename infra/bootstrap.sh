#!/usr/bin/env bash
# Resolves the local platform's artifacts from Maven Central into $PHONEPIPE_CACHE (default
# ~/.cache/phonepipe), outside the clone, so every clone on a machine shares them. Idempotent: a
# second run only checks that the files are there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${PHONEPIPE_CACHE:-$HOME/.cache/phonepipe}"
kafka_version=4.1.2
apicurio_version=3.3.3
keycloak_version=26.7.3
mvn_flags=(-q -B)

command -v java >/dev/null || { echo "bootstrap-infra: java not found on PATH (Java 17+ is needed for Kafka)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "bootstrap-infra: mvn not found on PATH (Maven resolves the Kafka and registry jars)" >&2; exit 1; }

# A Java 21+ home for Keycloak (the default java may be 17): PHONEPIPE_KEYCLOAK_JAVA_HOME, JAVA_HOME, then
# the JDKs under /usr/lib/jvm, newest name first (the order infra/java.ts findJava uses).
java21_home() {
  local h v
  for h in "${PHONEPIPE_KEYCLOAK_JAVA_HOME:-}" "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -r); do
    [ -n "$h" ] && [ -x "$h/bin/java" ] || continue
    v="$("$h/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "${h%/}"; return 0; fi
  done
  echo "bootstrap-infra: no Java 21+ found for Keycloak; set PHONEPIPE_KEYCLOAK_JAVA_HOME" >&2
  return 1
}

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
# Keycloak (the secure profile's OpenID Connect server for the registry). `kc.sh build` fixes its build-time
# options once so each start is an optimized one (seconds instead of a re-augmentation); they must match
# infra/secure/keycloak.ts.
keycloak_dir="$cache/keycloak-$keycloak_version"
if [ ! -f "$keycloak_dir/.complete" ]; then
  echo "bootstrap-infra: resolving Keycloak $keycloak_version into $keycloak_dir"
  mvn "${mvn_flags[@]}" -f "$here/maven/artifacts-pom.xml" dependency:copy \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$keycloak_version:zip" -DoutputDirectory="$cache/downloads"
  rm -rf "$keycloak_dir" "$cache/keycloak-unpack" && mkdir -p "$cache/keycloak-unpack"
  unzip -q "$cache/downloads/keycloak-quarkus-dist-$keycloak_version.zip" -d "$cache/keycloak-unpack"
  mv "$cache/keycloak-unpack/keycloak-$keycloak_version" "$keycloak_dir" && rmdir "$cache/keycloak-unpack"
  JAVA_HOME="$(java21_home)" "$keycloak_dir/bin/kc.sh" build --db=dev-file --health-enabled=true >/dev/null
  touch "$keycloak_dir/.complete"
fi
echo "bootstrap-infra: Kafka $kafka_version, Apicurio Registry $apicurio_version and Keycloak $keycloak_version ready in $cache"
