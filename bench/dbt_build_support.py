"""Measuring for bench/dbt_build.py: timed commands (wall and CPU seconds, whether dbt re-parsed), the warm dbt
service as the benchmark drives it, dbt's run results, the machine's load, and the plain DuckDB baseline scan."""

from __future__ import annotations

import json
import os
import resource
import secrets
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "dbt" / "scripts"), str(REPO / "python")]
import dbt_service_client  # noqa: E402
import phonepipe_catalog  # noqa: E402

BIN = Path(sys.executable).parent


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
    # exposures (dashboard pages) are listed as no-op: they declare lineage, nothing runs
    ok = sum(r["status"] in ("success", "pass") or r["unique_id"].startswith("exposure.") for r in results)
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
        # a bearer token of its own, given to the service and its client: the checkout's run/ stays untouched
        self.env = {**env, "PHONEPIPE_DBT_SERVICE_TOKEN": secrets.token_urlsafe(24)}
        self.env.pop("PHONEPIPE_DBT_SERVICE_TOKEN_FILE", None)
        t0 = time.perf_counter()
        self.proc = dbt_service_client.launch_service(str(BIN / "python"), self.env, data_dir)
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
    """COUNT(*) and a GROUP BY over the landing of the catalog's listings topic: what DuckDB alone takes."""
    topic = phonepipe_catalog.load().with_hook("listing")
    pattern = f"{topic.landing_dir(data_dir)}/*/[!.]*.parquet"
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    t0 = time.perf_counter()
    con.execute(f"select count(*) from read_parquet('{pattern}', hive_partitioning = true)").fetchall()
    con.execute(
        f"""select source, condition, ingest_date, count(*), count(distinct {topic.record_id}), median(price_egp)
            from read_parquet('{pattern}', hive_partitioning = true) group by all"""
    ).fetchall()
    return time.perf_counter() - t0
