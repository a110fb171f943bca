#!/usr/bin/env bash
# `make demo`: the whole platform end to end, locally, on the embedded defaults.
# PHONEPIPE_DEMO_PROFILE=secure (or cluster) runs the same steps on that profile of `phonepipe infra`: every
# command then reaches Kafka and the registry as its own principal (docs/security.md).
# Each step prints what it did and how long it took; a failure names the step and its log.
# What it started is stopped at the end; the landing, the warehouse and the logs stay for inspection.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
pp="$root/bin/phonepipe"
export PHONEPIPE_DATA_DIR="${PHONEPIPE_DATA_DIR:-$root/data}"
export PHONEPIPE_RUN_DIR="${PHONEPIPE_RUN_DIR:-$root/run}"
logs="$PHONEPIPE_RUN_DIR/demo"
profile="${PHONEPIPE_DEMO_PROFILE:-local}"
case "$profile" in local | cluster | secure) ;; *)
  echo "demo: PHONEPIPE_DEMO_PROFILE=$profile is not one of local, cluster, secure" >&2
  exit 2
  ;;
esac
mkdir -p "$logs" "$PHONEPIPE_DATA_DIR/warehouse"
demo_start=$(date +%s)
replay_pids=()

cleanup() {
  for p in "${replay_pids[@]}"; do kill "$p" 2>/dev/null; done
  if [ "${PHONEPIPE_DEMO_KEEP_PLATFORM:-0}" != 1 ]; then "$pp" infra down --profile "$profile" >/dev/null 2>&1; fi
}
trap cleanup EXIT

# step NAME CMD...: runs CMD with its output in $logs/NAME.log, prints the duration, stops the demo on failure.
step() {
  local name="$1"
  shift
  local log="$logs/$name.log" t0
  t0=$(date +%s)
  printf '== %-24s ' "$name"
  if "$@" >"$log" 2>&1; then
    printf 'ok   %4ss  (log %s)\n' "$(($(date +%s) - t0))" "${log#"$root"/}"
  else
    printf 'FAILED after %ss\n' "$(($(date +%s) - t0))"
    echo "demo: step '$name' failed; its log $log ends with:" >&2
    tail -n 25 "$log" >&2
    exit 1
  fi
}

# Serves a recorded competitor site on 127.0.0.1 and prints its base URL into $logs/replay-<site>.url.
start_replay() {
  local site="$1" url_file="$logs/replay-$1.url"
  rm -f "$url_file"
  node "$root/dist/infra/fixture-site.js" "$site" >"$url_file" 2>"$logs/replay-$site.log" &
  replay_pids+=($!)
  for _ in $(seq 1 100); do
    if grep -q '^http://127.0.0.1:' "$url_file" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "replay site $site did not start; see $logs/replay-$site.log" >&2
  return 1
}

step platform-up "$pp" infra up --profile "$profile"
if [ "$profile" != local ]; then eval "$("$pp" infra env --profile "$profile")"; fi
step schemas-register "$pp" schemas register
t0=$(date +%s)
start_replay mobilemasr && start_replay noon || exit 1
printf '== %-24s ok   %4ss  (%s, %s)\n' replay-sites "$(($(date +%s) - t0))" "$(head -n1 "$logs/replay-mobilemasr.url")" \
  "$(head -n1 "$logs/replay-noon.url")"
# Records already in the topic (from earlier demo runs) were landed then; this run waits for its own.
step topics-before "$pp" topics summary
# Records in the five landed topics (not their .dlq topics), before and after this run's producers.
count_records() { awk '$1 !~ /\.dlq$/ && $1 != "topic" {n += $3} END {print n + 0}' "$1"; }
records_before=$(count_records "$logs/topics-before.log")
mm_url=$(head -n1 "$logs/replay-mobilemasr.url")
noon_url=$(head -n1 "$logs/replay-noon.url")
step scrape-mobilemasr "$pp" scrape mobilemasr --query 13 --base-url "$mm_url" --full
step scrape-noon "$pp" scrape noon --query iphone --base-url "$noon_url" --full
step simulate-marketplace "$pp" simulate all --seed 7 --rate 40 --duration 15
step market-data-load "$pp" market-data load test/fixtures/market-data/reference_prices_2025-11.csv
step topics-summary "$pp" topics summary
for s in scrape-mobilemasr scrape-noon simulate-marketplace market-data-load; do tail -n 1 "$logs/$s.log" | sed 's/^/   /'; done
sed 's/^/   /' "$logs/topics-summary.log"
step read-back "$pp" topics read listings.scraped --last 1
sed 's/^/   /' "$logs/read-back.log" | cut -c1-220

# Runs the stream job (all five topics, offset-range micro-batches on embedded Flink) until it has processed
# at least the records this run produced (it resumes from its state file, so earlier runs' records are not read again)
# and holds none for an open window, then stops it with SIGTERM (the running cycle finishes first).
stream_until_landed() {
  local expected="$1" log="$logs/stream.log" deadline line in landed held
  deadline=$(($(date +%s) + ${PHONEPIPE_DEMO_STREAM_TIMEOUT_S:-300}))
  "$pp" stream --metrics-ms 1000 >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    line=$(grep '"metric":"phonepipe_stream"' "$log" | tail -n 1)
    in=$(grep -o '"records_in":[0-9]*' <<<"$line" | cut -d: -f2)
    landed=$(grep -o '"landed_rows":[0-9]*' <<<"$line" | cut -d: -f2)
    held=$(grep -o '"held_records":[0-9]*' <<<"$line" | cut -d: -f2)
    if [ "${in:-0}" -ge "$expected" ] && [ "${held:-1}" = 0 ]; then break; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "stream: not landed within the timeout (processed ${in:-0}/$expected, landed ${landed:-0})"
      kill -TERM "$pid"
      wait "$pid"
      return 1
    fi
    sleep 1
  done
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  local rc=$?
  # The cycle running at SIGTERM finishes before the stream exits: its last metrics line has the final counts.
  line=$(grep '"metric":"phonepipe_stream"' "$log" | tail -n 1)
  landed=$(grep -o '"landed_rows":[0-9]*' <<<"$line" | cut -d: -f2)
  echo "stream: processed ${in:-0} records (${expected} new this run), landed ${landed:-0} rows"
  if [ "${in:-0}" -lt "$expected" ] || [ "${held:-1}" != 0 ]; then
    echo "stream: ended (exit $rc) before it landed this run's records; see $log"
    return 1
  fi
  return "$rc"
}

step stream-flink stream_until_landed "$(($(count_records "$logs/topics-summary.log") - records_before))"
tail -n 1 "$logs/stream-flink.log" | sed 's/^/   /'
step landing-files bash -c "find '$PHONEPIPE_DATA_DIR/landing' -name '*.parquet' | sort"
sed "s|$PHONEPIPE_DATA_DIR/||; s/^/   /" "$logs/landing-files.log" | head -n 8

# 90 days of generated history beside this run's live landing, so the dashboard has trends and deals. The
# generator's observations thin out over its last days, so the history ends two days ahead: its busy days
# then sit within the deals' 3-day active window of the live scrape. It is generated into its own folder and
# copied in as history-*.parquet, so it never overwrites a file the stream landed; a full refresh loads it
# even where an earlier warehouse's watermark is newer.
history="$logs/history"
rm -rf "$history"
step history-generate "$root/.venv/dbt/bin/python" dbt/scripts/generate_sample_landing.py --data-dir "$history" \
  --days 90 --rows 100000 --seed 42 --end-date "$(date -u -d '+2 days' +%F)"
merge_history() {
  find "$PHONEPIPE_DATA_DIR/landing" -name 'history-*.parquet' -delete 2>/dev/null || true
  tar -C "$history/landing" --exclude='.tmp*' -cf - . |
    tar -C "$PHONEPIPE_DATA_DIR/landing" -xf - --transform 's|/\([^/]*\.parquet\)$|/history-\1|'
  echo "copied $(find "$history/landing" -name '*.parquet' | wc -l) history files into $PHONEPIPE_DATA_DIR/landing"
}
step history-merge merge_history
tail -n 1 "$logs/history-merge.log" | sed 's/^/   /'
step dbt-build "$root/.venv/dbt/bin/dbt" build --project-dir dbt --profiles-dir dbt --full-refresh
grep -E "Done\\. PASS" "$logs/dbt-build.log" | sed 's/^/   /'
mkdir -p "$PHONEPIPE_DATA_DIR/quality"
step quality-checkpoint "$root/.venv/gx/bin/python" quality/checkpoint.py --data-dir "$PHONEPIPE_DATA_DIR" \
  --report-json "$PHONEPIPE_DATA_DIR/quality/gx_demo.json"
tail -n 3 "$logs/quality-checkpoint.log" | sed 's/^/   /'
step market-report "$root/.venv/dbt/bin/python" dbt/scripts/print_market_index.py --data-dir "$PHONEPIPE_DATA_DIR"
cat "$logs/market-report.log"

# Dead letters of this run's topics, for the dashboard's Pipeline health page (it does not read Kafka).
export_dead_letters() {
  mkdir -p "$PHONEPIPE_RUN_DIR/dead-letters"
  for t in listings.scraped marketplace.transactions marketplace.user_activity pricing.suggestions market.reference_prices; do
    "$pp" topics read "$t.dlq" --last 500 --json >"$PHONEPIPE_RUN_DIR/dead-letters/$t.dlq.jsonl" || true
  done
  cat "$PHONEPIPE_RUN_DIR"/dead-letters/*.jsonl | wc -l | sed 's/$/ dead letters exported/'
}
step dead-letters-export export_dead_letters
tail -n 1 "$logs/dead-letters-export.log" | sed 's/^/   /'
step dashboard-build "$root/dashboard/scripts/build.sh"
tail -n 1 "$logs/dashboard-build.log" | sed 's/^/   /'
# What the Deals and Sources pages show, from the data the build wrote.
node -e '
  const fs = require("fs"), dir = process.argv[1] + "/_file/data/";
  const read = (n) => JSON.parse(fs.readFileSync(dir + fs.readdirSync(dir).find((f) => f.startsWith(n + "."))));
  const deals = read("deals").results.candidates.filter((r) => r.discount >= 0.2).length;
  const sources = read("sources").results.coverage.map((r) => `${r.source_name} ${r.listings}`).join(", ");
  console.log(`   deals page: ${deals} listings at least 20 % under the index; sources page: ${sources}`);
' "${PHONEPIPE_DASHBOARD_OUT:-$root/dashboard/dist}"

echo "demo: done in $(($(date +%s) - demo_start)) s; data in ${PHONEPIPE_DATA_DIR#"$root"/}, logs in ${logs#"$root"/}"
echo "demo: dashboard built; serve it with \`make dashboard\` at http://127.0.0.1:${PHONEPIPE_DASHBOARD_PORT:-3000}/"
