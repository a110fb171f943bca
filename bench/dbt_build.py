"""Benchmark of the warehouse build: a full `dbt build` on 1,000,000 listing observations (plus the other
topics in proportion), then an incremental run after 10,000 new observations land (models + snapshot, timed
against the target), followed by `dbt test` on the result (timed separately).

Prints each time next to its target (full <= 60 s, incremental <= 10 s) and a baseline measured in the same
run on the same landing: a plain DuckDB scan (COUNT(*) and a GROUP BY over the listings Parquet). The last
line is one JSON object. Runs in a temp data dir unless --data-dir is given.

Every dbt command shares one target dir (<data dir>/dbt-target) and the same environment, so `dbt parse`
writes partial_parse.msgpack once and every later command reuses it (a command that had to re-parse is
flagged). Each dbt figure is wall time, with the CPU seconds the dbt process used (user + sys, steadier than
wall time on a shared machine) and the 1-minute load average. Also measured: dbt's fixed start-up (a build
that selects nothing) and a second incremental load (another 10,000 new observations) built with the
topic-aware selector `listings_arrivals` (dbt/selectors.yml: only what reads listings.scraped).

    .venv/dbt/bin/python bench/dbt_build.py [--rows 1000000] [--new-rows 10000] [--data-dir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FULL_TARGET_S = 60.0
INCREMENTAL_TARGET_S = 10.0


def env_for(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PHONEPIPE_DATA_DIR=str(data_dir),
        PHONEPIPE_DBT_TARGET="duckdb",
        DBT_TARGET_PATH=str(data_dir / "dbt-target"),
        DBT_LOG_PATH=str(data_dir / "dbt-logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
        DO_NOT_TRACK="1",
    )
    env.pop("PHONEPIPE_DUCKDB_PATH", None)
    return env


class Timed:
    """Wall and CPU (user + sys of the child process) seconds of one command, and whether dbt re-parsed."""

    def __init__(self, wall: float, cpu: float, reparsed: bool):
        self.wall, self.cpu, self.reparsed = wall, cpu, reparsed

    def __str__(self) -> str:
        note = "; RE-PARSED the project" if self.reparsed else ""
        return f"{self.wall:6.1f} s (cpu {self.cpu:5.1f} s{note})"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict[str, str], label: str, check_parse: bool = True) -> Timed:
    c0 = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    cpu = children_cpu() - c0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-5000:] + proc.stderr[-3000:])
        raise SystemExit(f"{label} failed (exit {proc.returncode})")
    return Timed(seconds, cpu, check_parse and reparsed(Path(env["DBT_LOG_PATH"]) / "dbt.log"))


def reparsed(log: Path) -> bool:
    """Whether the last dbt command in the log parsed the project again instead of reusing partial_parse.msgpack."""
    if not log.exists():
        return False
    last = log.read_text(errors="replace").rsplit("Running with dbt=", 1)[-1]
    return "Unable to do partial parsing" in last or "Partial parsing enabled" not in last


def dbt_status(data_dir: Path) -> tuple[int, int]:
    results = json.loads((data_dir / "dbt-target" / "run_results.json").read_text())["results"]
    ok = sum(r["status"] in ("success", "pass") for r in results)
    return ok, len(results)


def slowest(data_dir: Path, n: int = 6) -> str:
    """The n nodes of the last dbt command with the longest execution time (where a build spends its time)."""
    results = json.loads((data_dir / "dbt-target" / "run_results.json").read_text())["results"]
    top = sorted(results, key=lambda r: -r["execution_time"])[:n]
    return ", ".join(f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f}" for r in top)


def load1() -> float:
    """The 1-minute load average now (the machine is shared: every figure is reported beside it)."""
    return round(os.getloadavg()[0], 2)


def baseline_scan(data_dir: Path) -> float:
    pattern = f"{data_dir}/landing/listings.scraped/*/[!.]*.parquet"
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    t0 = time.perf_counter()
    con.execute(f"select count(*) from read_parquet('{pattern}', hive_partitioning = true)").fetchall()
    con.execute(
        f"""select source, condition, ingest_date, count(*), count(distinct event_id), median(price_egp)
            from read_parquet('{pattern}', hive_partitioning = true) group by all"""
    ).fetchall()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--new-rows", type=int, default=10_000)
    ap.add_argument("--days", type=int, default=28)
    ap.add_argument("--data-dir", type=Path, help="keep the landing and warehouse here (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="do not delete the temp data dir")
    args = ap.parse_args()

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="phonepipe-bench-"))
    if data_dir.exists() and any(data_dir.iterdir()) and args.data_dir:
        raise SystemExit(f"{data_dir} is not empty")
    (data_dir / "warehouse").mkdir(parents=True, exist_ok=True)
    env = env_for(data_dir)
    python, dbt = str(BIN / "python"), str(BIN / "dbt")
    gen = [python, "dbt/scripts/generate_sample_landing.py", "--data-dir", str(data_dir)]
    dbt_args = ["--project-dir", "dbt", "--profiles-dir", "dbt"]
    models_only = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
    end = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)

    def land_new(seed: int, day: dt.date) -> Timed:
        """args.new_rows new observations of one more scrape day (listings only, re-sent and late copies)."""
        cmd = [*gen, "--rows", str(args.new_rows), "--seed", str(seed), "--days", "1", "--listings-only"]
        return timed([*cmd, "--end-date", day.isoformat()], env, "generate new rows", check_parse=False)

    try:
        print(f"data dir {data_dir}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", flush=True)
        load_gen = load1()
        t_gen = timed(
            [*gen, "--rows", str(args.rows), "--seed", "1", "--days", str(args.days), "--end-date", end.isoformat()],
            env,
            "generate",
            check_parse=False,
        )
        print(
            f"generate {args.rows:,} observations (+ other topics): {t_gen.wall:6.1f} s (load {load_gen:.1f} before)",
            flush=True,
        )
        t_base = baseline_scan(data_dir)
        print(f"baseline DuckDB COUNT(*) + GROUP BY over the listings landing: {t_base:6.2f} s", flush=True)
        t_parse = timed([dbt, "parse", *dbt_args], env, "dbt parse", check_parse=False)
        print(f"dbt parse (manifest + partial_parse.msgpack, once; later commands reuse it): {t_parse}", flush=True)
        # dbt's fixed cost per command: interpreter + dbt imports, project/profile load, manifest, artifacts
        load_noop = load1()
        t_noop = timed([dbt, "build", *dbt_args, "--select", "tag:bench_selects_nothing"], env, "dbt no-op")
        print(f"dbt start-up floor (a build that selects nothing): {t_noop} (load {load_noop:.1f} before)", flush=True)

        load_full = load1()
        t_full = timed([dbt, "build", *dbt_args], env, "full dbt build")
        ok_full, n_full = dbt_status(data_dir)
        print(
            f"full dbt build, {args.rows:,} observations: {t_full}  (target <= {FULL_TARGET_S:.0f} s) "
            f"[{ok_full}/{n_full} nodes ok] (load {load_full:.1f} before, {load1():.1f} after)",
            flush=True,
        )
        print(f"  slowest nodes (s, 4 dbt threads share 2 cores): {slowest(data_dir)}", flush=True)

        # the incremental run: models + snapshot (what loads the new rows), then the tests on the result.
        # Headline: the whole project, as the dbt_build DAG runs it after new landing partitions.
        t_gen2 = land_new(2, end + dt.timedelta(days=1))
        load_inc = load1()
        t_inc = timed([dbt, "build", *dbt_args, *models_only], env, "incremental dbt run")
        ok_run, n_run = dbt_status(data_dir)
        print(
            f"incremental run (models + snapshot) after {args.new_rows:,} new observations: {t_inc}  "
            f"(target <= {INCREMENTAL_TARGET_S:.0f} s) [{ok_run}/{n_run} nodes ok] (load {load_inc:.1f} before)",
            flush=True,
        )
        # Topic-aware variant: another day of new listings, built with the selector of what reads them.
        land_new(3, end + dt.timedelta(days=2))
        load_sel = load1()
        t_sel = timed([dbt, "build", *dbt_args, "--selector", "listings_arrivals", *models_only], env, "selected run")
        ok_sel, n_sel = dbt_status(data_dir)
        print(
            f"incremental run, --selector listings_arrivals (models + snapshot reading listings), after "
            f"{args.new_rows:,} more: {t_sel}  [{ok_sel}/{n_sel} nodes ok] (load {load_sel:.1f} before)",
            flush=True,
        )
        t_inc_test = timed([dbt, "test", *dbt_args], env, "dbt test after the incremental run")
        ok_test, n_test = dbt_status(data_dir)
        print(
            f"dbt test after it (every data + unit test on 1M+ rows): {t_inc_test} "
            f"[{ok_test}/{n_test} ok]; incremental build total {t_inc.wall + t_inc_test.wall:6.1f} s",
            flush=True,
        )
        ok_inc, n_inc = ok_run + ok_sel + ok_test, n_run + n_sel + n_test
        con = duckdb.connect(str(data_dir / "warehouse" / "phonepipe.duckdb"), read_only=True)
        fact_rows = con.execute("select count(*) from marts.fact_used_phone_listings").fetchone()[0]
        con.close()
        print(f"fact_used_phone_listings rows after the three builds: {fact_rows:,}", flush=True)
        dbt_runs = [t_parse, t_noop, t_full, t_inc, t_sel, t_inc_test]
        result = {
            "bench": "dbt_build",
            "rows": args.rows,
            "new_rows": args.new_rows,
            "fact_rows": fact_rows,
            "generate_s": round(t_gen.wall, 2),
            "generate_new_s": round(t_gen2.wall, 2),
            "baseline_scan_s": round(t_base, 3),
            "dbt_parse_s": round(t_parse.wall, 2),
            "dbt_noop_s": round(t_noop.wall, 2),
            "full_build_s": round(t_full.wall, 2),
            "full_build_cpu_s": round(t_full.cpu, 2),
            "full_target_s": FULL_TARGET_S,
            "full_ok": t_full.wall <= FULL_TARGET_S,
            "incremental_build_s": round(t_inc.wall, 2),
            "incremental_build_cpu_s": round(t_inc.cpu, 2),
            "incremental_target_s": INCREMENTAL_TARGET_S,
            "incremental_ok": t_inc.wall <= INCREMENTAL_TARGET_S,
            "incremental_selected_s": round(t_sel.wall, 2),
            "incremental_selected_cpu_s": round(t_sel.cpu, 2),
            "incremental_selected_ok": t_sel.wall <= INCREMENTAL_TARGET_S,
            "incremental_tests_s": round(t_inc_test.wall, 2),
            "incremental_build_total_s": round(t_inc.wall + t_inc_test.wall, 2),
            "nodes_ok": [ok_full, ok_inc],
            "nodes": [n_full, n_inc],
            "partial_parse_reused": not any(t.reparsed for t in dbt_runs[1:]),
            "load_avg_1m": {
                "generate": load_gen,
                "noop": load_noop,
                "full_build": load_full,
                "incremental": load_inc,
                "incremental_selected": load_sel,
            },
            "cores": os.cpu_count(),
            "load_avg_1m_end": round(os.getloadavg()[0], 2),
        }
        print(json.dumps(result))
        return 0 if ok_full == n_full and ok_inc == n_inc else 1
    finally:
        if not args.data_dir and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
