"""Benchmark of the warehouse build: a full `dbt build` on 1,000,000 listing observations (plus the other
topics in proportion), then incremental runs, each after 10,000 new observations land, timed against the
targets (full <= 60 s, incremental <= 10 s).

The incremental run is the product's command for new listings: `dbt build --selector listings_arrivals`
(dbt/selectors.yml), exactly what the dbt_build DAG runs when only listings.scraped received partitions and
what `make dbt-build DBT_SELECTOR=listings_arrivals` runs: every model and the snapshot downstream of the
listings landing, then their data tests (dbt build semantics; unit tests run in the full build and in
data_quality's `dbt test`). It is timed twice, --repeats times each (a new day of listings each time): as a
cold dbt process (`dbt build --selector listings_arrivals`, the DAG's default), then on the warm dbt service
(dbt/scripts/dbt_service.py, what the DAG runs with PHONEPIPE_DBT_SERVICE_URL set: dbt imported and the
project parsed once, when the service starts). The warm median is compared with the target; the cold one is
printed beside it. Also timed: the whole project after another 10,000 (`--selector arrivals`, what
the DAG runs when several topics received data), dbt's fixed start-up (a build that selects nothing), and a
baseline measured in the same run on the same landing: a plain DuckDB scan (COUNT(*) and a GROUP BY over the
listings Parquet). The last line is one JSON object. Runs in a temp data dir unless --data-dir is given.

Every dbt command shares one target dir (<data dir>/dbt-target) and the same environment, so `dbt parse`
writes partial_parse.msgpack once and every later command reuses it (a command that had to re-parse is
flagged). Each dbt figure is wall time, with the CPU seconds the dbt process used (user + sys, steadier than
wall time on a shared machine) and the 1-minute load average.

    .venv/dbt/bin/python bench/dbt_build.py [--rows 1000000] [--new-rows 10000] [--repeats 3] [--data-dir DIR] [--keep]
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
from collections.abc import Callable
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dbt" / "scripts"))
import dbt_service_client  # noqa: E402

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


def proc_cpu(pid: int) -> float:
    """User + sys CPU seconds of a running process (the warm dbt service), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class WarmService:
    """The warm dbt service (dbt/scripts/dbt_service.py) on a free port, its output in <data dir>/dbt-service.log."""

    def __init__(self, env: dict[str, str], data_dir: Path):
        self.env = env
        t0 = time.perf_counter()
        self.proc = dbt_service_client.launch_service(str(BIN / "python"), env, data_dir)
        try:
            self.url = dbt_service_client.wait_until_ready(self.proc, data_dir)
        except RuntimeError as exc:
            raise SystemExit(str(exc)) from exc
        self.start_s = time.perf_counter() - t0

    def build(self, *dbt_args: str) -> Timed:
        """Wall time of the client command (what the DAG's task waits for) and the service's CPU seconds."""
        cpu0, t0 = proc_cpu(self.proc.pid), time.perf_counter()
        cmd = [str(BIN / "python"), "dbt/scripts/dbt_service_client.py", "--url", self.url, "build", *dbt_args]
        proc = subprocess.run(cmd, cwd=REPO, env=self.env, capture_output=True, text=True)
        wall, cpu = time.perf_counter() - t0, proc_cpu(self.proc.pid) - cpu0
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-5000:] + proc.stderr[-3000:])
            raise SystemExit(f"dbt build on the service failed (exit {proc.returncode})")
        return Timed(wall, cpu, "parsed again" in proc.stdout)

    def stop(self) -> float:
        """Stop the service; its peak RSS in MB."""
        peak = proc_peak_rss_mb(self.proc.pid)
        self.proc.terminate()
        self.proc.wait(timeout=60)
        return peak


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
    ap.add_argument("--repeats", type=int, default=3, help="incremental runs, each after --new-rows new observations")
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
        print(f"  slowest nodes (s, dbt threads share 2 cores): {slowest(data_dir)}", flush=True)

        # The incremental runs: the DAG's command after new listings (headline), --repeats times, each after
        # another day of args.new_rows new observations.
        day = end
        n_sel = ok_sel = 0

        def incremental_runs(label: str, seed: int, build: Callable[[], Timed]) -> tuple[list[Timed], list[float]]:
            """--repeats runs of one incremental build, each after a new day of args.new_rows observations."""
            nonlocal day, ok_sel, n_sel
            runs: list[Timed] = []
            loads: list[float] = []
            for i in range(args.repeats):
                day += dt.timedelta(days=1)
                land_new(seed + i, day)
                loads.append(load1())
                t = build()
                ok, n = dbt_status(data_dir)
                ok_sel, n_sel = ok_sel + ok, n_sel + n
                runs.append(t)
                print(
                    f"{label} after {args.new_rows:,} new observations (run {i + 1}): {t}  "
                    f"(target <= {INCREMENTAL_TARGET_S:.0f} s) [{ok}/{n} nodes ok] (load {loads[-1]:.1f} before)",
                    flush=True,
                )
            print(f"  slowest nodes (s): {slowest(data_dir)}", flush=True)
            return runs, loads

        def medians(runs: list[Timed]) -> tuple[float, float]:
            walls, cpus = sorted(t.wall for t in runs), sorted(t.cpu for t in runs)
            return walls[len(walls) // 2], cpus[len(cpus) // 2]

        incremental, loads = incremental_runs(
            "incremental dbt build --selector listings_arrivals",
            10,
            lambda: timed([dbt, "build", *dbt_args, "--selector", "listings_arrivals"], env, "incremental dbt build"),
        )
        median_wall, median_cpu = medians(incremental)
        print(
            f"incremental (listings_arrivals), median of {len(incremental)}: {median_wall:.1f} s "
            f"(cpu {median_cpu:.1f} s)  (target <= {INCREMENTAL_TARGET_S:.0f} s)",
            flush=True,
        )
        # The same command on the warm dbt service (what the DAG runs with PHONEPIPE_DBT_SERVICE_URL set): dbt
        # imported and the project parsed once, when the service starts; each build skips that start-up.
        service = WarmService(env, data_dir)
        print(f"warm dbt service started (dbt imported, project parsed, once): {service.start_s:.1f} s", flush=True)
        try:
            warm, warm_loads = incremental_runs(
                "incremental build --selector listings_arrivals ON THE WARM dbt SERVICE (cpu: the service's)",
                20,
                lambda: service.build("--selector", "listings_arrivals"),
            )
        finally:
            service_rss_mb = service.stop()
        warm_median, warm_median_cpu = medians(warm)
        print(
            f"incremental (listings_arrivals) on the warm dbt service, median of {len(warm)}: "
            f"{warm_median:.1f} s (cpu {warm_median_cpu:.1f} s)  (target <= {INCREMENTAL_TARGET_S:.0f} s); "
            f"cold dbt process: {median_wall:.1f} s; service peak RSS {service_rss_mb:.0f} MB",
            flush=True,
        )
        # Whole project after another day: what the DAG runs when several topics received data.
        day += dt.timedelta(days=1)
        land_new(9, day)
        load_all = load1()
        t_all = timed([dbt, "build", *dbt_args, "--selector", "arrivals"], env, "incremental build, whole project")
        ok_all, n_all = dbt_status(data_dir)
        print(
            f"incremental dbt build --selector arrivals (whole project, every data test) after {args.new_rows:,} "
            f"more: {t_all}  [{ok_all}/{n_all} nodes ok] (load {load_all:.1f} before)",
            flush=True,
        )
        ok_inc, n_inc = ok_sel + ok_all, n_sel + n_all
        con = duckdb.connect(str(data_dir / "warehouse" / "phonepipe.duckdb"), read_only=True)
        fact_rows = con.execute("select count(*) from marts.fact_used_phone_listings").fetchone()[0]
        con.close()
        print(f"fact_used_phone_listings rows after the builds: {fact_rows:,}", flush=True)
        dbt_runs = [t_parse, t_noop, t_full, *incremental, *warm, t_all]
        result = {
            "bench": "dbt_build",
            "rows": args.rows,
            "new_rows": args.new_rows,
            "fact_rows": fact_rows,
            "generate_s": round(t_gen.wall, 2),
            "baseline_scan_s": round(t_base, 3),
            "dbt_parse_s": round(t_parse.wall, 2),
            "dbt_noop_s": round(t_noop.wall, 2),
            "dbt_noop_cpu_s": round(t_noop.cpu, 2),
            "full_build_s": round(t_full.wall, 2),
            "full_build_cpu_s": round(t_full.cpu, 2),
            "full_target_s": FULL_TARGET_S,
            "full_ok": t_full.wall <= FULL_TARGET_S,
            "incremental_command": "dbt build --selector listings_arrivals",
            "incremental_s": [round(t.wall, 2) for t in incremental],
            "incremental_cpu_s": [round(t.cpu, 2) for t in incremental],
            "incremental_median_s": round(median_wall, 2),
            "incremental_median_cpu_s": round(median_cpu, 2),
            "incremental_service_s": [round(t.wall, 2) for t in warm],
            "incremental_service_cpu_s": [round(t.cpu, 2) for t in warm],
            "incremental_service_median_s": round(warm_median, 2),
            "incremental_service_median_cpu_s": round(warm_median_cpu, 2),
            "service_start_s": round(service.start_s, 2),
            "service_peak_rss_mb": round(service_rss_mb),
            "incremental_target_s": INCREMENTAL_TARGET_S,
            "incremental_ok": warm_median <= INCREMENTAL_TARGET_S,
            "incremental_cold_ok": median_wall <= INCREMENTAL_TARGET_S,
            "incremental_whole_project_s": round(t_all.wall, 2),
            "incremental_whole_project_cpu_s": round(t_all.cpu, 2),
            "nodes_ok": [ok_full, ok_inc],
            "nodes": [n_full, n_inc],
            "partial_parse_reused": not any(t.reparsed for t in dbt_runs[1:]),
            "load_avg_1m": {
                "generate": load_gen,
                "noop": load_noop,
                "full_build": load_full,
                "incremental": loads,
                "incremental_service": warm_loads,
                "incremental_whole_project": load_all,
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
