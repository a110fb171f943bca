"""Benchmark of the warehouse build: a full `dbt build` on 1,000,000 listing observations (plus the other
topics in proportion), then an incremental run after 10,000 new observations land (models + snapshot, timed
against the target), followed by `dbt test` on the result (timed separately).

Prints each time next to its target (full <= 60 s, incremental <= 10 s) and a baseline measured in the same
run on the same landing: a plain DuckDB scan (COUNT(*) and a GROUP BY over the listings Parquet). The last
line is one JSON object. Runs in a temp data dir unless --data-dir is given.

    .venv/dbt/bin/python bench/dbt_build.py [--rows 1000000] [--new-rows 10000] [--data-dir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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


def timed(cmd: list[str], env: dict[str, str], label: str) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-5000:] + proc.stderr[-3000:])
        raise SystemExit(f"{label} failed (exit {proc.returncode})")
    return seconds


def dbt_status(data_dir: Path) -> tuple[int, int]:
    results = json.loads((data_dir / "dbt-target" / "run_results.json").read_text())["results"]
    ok = sum(r["status"] in ("success", "pass") for r in results)
    return ok, len(results)


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
    end = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    try:
        print(f"data dir {data_dir}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", flush=True)
        load_gen = load1()
        t_gen = timed(
            [*gen, "--rows", str(args.rows), "--seed", "1", "--days", str(args.days), "--end-date", end.isoformat()],
            env,
            "generate",
        )
        print(
            f"generate {args.rows:,} observations (+ other topics): {t_gen:6.1f} s (load {load_gen:.1f} before)",
            flush=True,
        )
        t_base = baseline_scan(data_dir)
        print(f"baseline DuckDB COUNT(*) + GROUP BY over the listings landing: {t_base:6.2f} s", flush=True)
        t_parse = timed([dbt, "parse", *dbt_args], env, "dbt parse")
        print(f"dbt parse (manifest, done once; Airflow/Cosmos reuse it): {t_parse:6.1f} s", flush=True)
        load_full = load1()
        t_full = timed([dbt, "build", *dbt_args], env, "full dbt build")
        ok_full, n_full = dbt_status(data_dir)
        print(
            f"full dbt build, {args.rows:,} observations: {t_full:6.1f} s  (target <= {FULL_TARGET_S:.0f} s) "
            f"[{ok_full}/{n_full} nodes ok] (load {load_full:.1f} before, {load1():.1f} after)",
            flush=True,
        )
        t_gen2 = timed(
            [
                *gen,
                "--rows",
                str(args.new_rows),
                "--seed",
                "2",
                "--days",
                "1",
                "--listings-only",
                "--end-date",
                (end + dt.timedelta(days=1)).isoformat(),
            ],
            env,
            "generate new rows",
        )
        # the incremental run: models + snapshot (what loads the new rows), then the tests on the result
        load_inc = load1()
        t_inc = timed(
            [dbt, "build", *dbt_args, "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"],
            env,
            "incremental dbt run",
        )
        ok_run, n_run = dbt_status(data_dir)
        print(
            f"incremental run (models + snapshot) after {args.new_rows:,} new observations: {t_inc:6.1f} s  "
            f"(target <= {INCREMENTAL_TARGET_S:.0f} s) [{ok_run}/{n_run} nodes ok] (load {load_inc:.1f} before)",
            flush=True,
        )
        t_inc_test = timed([dbt, "test", *dbt_args], env, "dbt test after the incremental run")
        ok_test, n_test = dbt_status(data_dir)
        print(
            f"dbt test after it (every data + unit test on 1M+ rows): {t_inc_test:6.1f} s "
            f"[{ok_test}/{n_test} ok]; incremental build total {t_inc + t_inc_test:6.1f} s",
            flush=True,
        )
        ok_inc, n_inc = ok_run + ok_test, n_run + n_test
        con = duckdb.connect(str(data_dir / "warehouse" / "phonepipe.duckdb"), read_only=True)
        fact_rows = con.execute("select count(*) from marts.fact_used_phone_listings").fetchone()[0]
        con.close()
        print(f"fact_used_phone_listings rows after both builds: {fact_rows:,}", flush=True)
        result = {
            "bench": "dbt_build",
            "rows": args.rows,
            "new_rows": args.new_rows,
            "fact_rows": fact_rows,
            "generate_s": round(t_gen, 2),
            "generate_new_s": round(t_gen2, 2),
            "baseline_scan_s": round(t_base, 3),
            "dbt_parse_s": round(t_parse, 2),
            "full_build_s": round(t_full, 2),
            "full_target_s": FULL_TARGET_S,
            "full_ok": t_full <= FULL_TARGET_S,
            "incremental_build_s": round(t_inc, 2),
            "incremental_target_s": INCREMENTAL_TARGET_S,
            "incremental_ok": t_inc <= INCREMENTAL_TARGET_S,
            "incremental_tests_s": round(t_inc_test, 2),
            "incremental_build_total_s": round(t_inc + t_inc_test, 2),
            "nodes_ok": [ok_full, ok_inc],
            "nodes": [n_full, n_inc],
            "load_avg_1m": {"generate": load_gen, "full_build": load_full, "incremental": load_inc},
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
