#!/usr/bin/env bash
# Resolves the Beam 2.49.0 Java services into $1 (default ~/.cache/phonepipe/beam-2.49.0), idempotently:
#   flink-1.15-job-server/  spark-3-job-server/  io-expansion-service/  (classpath folders, see the pom)
#   beam-java17-patch.jar   (pipelines/maven/java17-patch, compiled against the Flink classpath)
# A folder is complete when its .complete marker exists; a failed resolve leaves no marker and is retried.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST="${1:-$HOME/.cache/phonepipe/beam-2.49.0}"
mkdir -p "$DEST"
resolve() { # profile folder
  local profile="$1" dir="$DEST/$2"
  if [ -f "$dir/.complete" ]; then echo "bootstrap-beam: $2 present"; return; fi
  echo "bootstrap-beam: resolving $2 with mvn (profile $profile)"
  rm -rf "$dir.tmp"
  mvn -B -q -f "$HERE/beam-runtime-pom.xml" -P "$profile" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir.tmp"
  rm -rf "$dir" && mv "$dir.tmp" "$dir" && touch "$dir/.complete"
}
resolve flink flink-1.15-job-server
resolve expansion io-expansion-service
resolve spark spark-3-job-server
PATCH_SRC="$HERE/java17-patch/org/apache/beam/sdk/util/ByteBuddyUtils.java"
if [ ! -f "$DEST/beam-java17-patch.jar" ] || [ "$PATCH_SRC" -nt "$DEST/beam-java17-patch.jar" ]; then
  echo "bootstrap-beam: compiling the Java 17 patch"
  build="$(mktemp -d)"
  javac -nowarn -d "$build" -cp "$DEST/flink-1.15-job-server/*" "$PATCH_SRC"
  jar cf "$DEST/beam-java17-patch.jar.tmp" -C "$build" .
  mv "$DEST/beam-java17-patch.jar.tmp" "$DEST/beam-java17-patch.jar"
  rm -rf "$build"
fi
echo "bootstrap-beam: ready in $DEST"
