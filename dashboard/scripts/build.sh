#!/usr/bin/env bash
# Builds the static dashboard into dashboard/dist (or $PHONEPIPE_DASHBOARD_OUT) from the warehouse, with no
# network access needed. Usage: dashboard/scripts/build.sh   (make dashboard-build)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
export PATH="$here/node_modules/.bin:$PATH"
export OBSERVABLE_TELEMETRY_DISABLE=true
cache="$here/src/.observablehq/cache"

# Loader output is cached per loader file, not per warehouse: drop it when the warehouse changed since the
# last build (DuckDB: its path, mtime and size; other targets: always).
if [ "${PHONEPIPE_DBT_TARGET:-duckdb}" = duckdb ]; then
  wh="${PHONEPIPE_DUCKDB_PATH:-${PHONEPIPE_DATA_DIR:-$here/../data}/warehouse/phonepipe.duckdb}"
  if [ ! -f "$wh" ]; then
    echo "dashboard: no warehouse at $wh: build it with \`make dbt-build\` (PHONEPIPE_DATA_DIR=$(dirname "$(dirname "$wh")"))" >&2
    exit 1
  fi
  stamp="$(realpath "$wh") $(stat -c '%Y %s' "$wh")"
else
  stamp="$PHONEPIPE_DBT_TARGET $(date +%s%N)"
fi
if [ "$(cat "$cache/.warehouse-stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$cache/data"
  mkdir -p "$cache"
  echo "$stamp" >"$cache/.warehouse-stamp"
fi

# Framework's client bundle names optional libraries (react, echarts, ...) that only pages using them load.
# It resolves their versions against the npm registry unless <cache>/_npm/<name>@<version> exists; these
# pages use none of them, so pinned placeholders keep the build offline. Pages import Plot, Inputs and d3-dsv
# by bare name: those are bundled from node_modules into dist/_node.
while read -r spec; do
  [ -n "$spec" ] && mkdir -p "$cache/_npm/$spec"
done <"$here/scripts/npm-placeholders.txt"

t0=$(date +%s%N)
observable build
echo "dashboard: built $(find "${PHONEPIPE_DASHBOARD_OUT:-dist}" -name '*.html' | wc -l) pages into ${PHONEPIPE_DASHBOARD_OUT:-$here/dist} in $(((($(date +%s%N) - t0) / 1000000)))ms"
