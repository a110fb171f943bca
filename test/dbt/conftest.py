"""Shared fixtures: a generated landing in a temp data dir and a dbt build on it (real dbt, DuckDB, GX)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ROWS = 20_000
SEED = 11
DAYS = 21
# End the sample today (UTC) so the freshness warning stays quiet; everything else is seed-determined.
END_DATE = dt.datetime.now(dt.UTC).date()
# The warm dbt service's bearer token in every test environment: set, so no test writes or reads the
# checkout's run/dbt-service.token.
DBT_SERVICE_TOKEN = "test-dbt-service-token-0123456789"


def base_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PHONEPIPE_DATA_DIR=str(data_dir),
        PHONEPIPE_DBT_TARGET="duckdb",
        DBT_TARGET_PATH=str(data_dir / "dbt-target"),
        DBT_LOG_PATH=str(data_dir / "dbt-logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
        DO_NOT_TRACK="1",
        GX_ANALYTICS_ENABLED="False",
        PHONEPIPE_DBT_SERVICE_TOKEN=DBT_SERVICE_TOKEN,
    )
    env.pop("PHONEPIPE_DUCKDB_PATH", None)
    env.pop("PHONEPIPE_DBT_SERVICE_TOKEN_FILE", None)
    return env


def run(cmd: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {proc.returncode}\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}")
    return proc


def generate(data_dir: Path, rows: int, seed: int, end_date: dt.date, days: int, *extra: str) -> str:
    proc = run(
        [
            str(BIN / "python"),
            "dbt/scripts/generate_sample_landing.py",
            "--data-dir",
            str(data_dir),
            "--rows",
            str(rows),
            "--seed",
            str(seed),
            "--days",
            str(days),
            "--end-date",
            end_date.isoformat(),
            *extra,
        ],
        base_env(data_dir),
    )
    return proc.stdout


def dbt(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    (data_dir / "warehouse").mkdir(parents=True, exist_ok=True)
    return run([str(BIN / "dbt"), *args, "--project-dir", "dbt", "--profiles-dir", "dbt"], base_env(data_dir), check)


def node_ok(result: dict) -> bool:
    """A run_results entry that ran fine: a model, snapshot or test that succeeded or passed, or an exposure
    (dbt build lists those as no-op: they declare lineage, nothing runs)."""
    if result["unique_id"].startswith("exposure."):
        return result["status"] == "no-op"
    return result["status"] in ("success", "pass")


def run_results(data_dir: Path) -> list[dict]:
    return json.loads((data_dir / "dbt-target" / "run_results.json").read_text())["results"]


class Warehouse:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.path = data_dir / "warehouse" / "phonepipe.duckdb"
        self.first_build: list[dict] = []

    def query(self, sql: str) -> list[tuple]:
        import duckdb

        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Warehouse:
    data_dir = tmp_path_factory.mktemp("phonepipe-data")
    generate(data_dir, ROWS, SEED, END_DATE, DAYS)
    wh = Warehouse(data_dir)
    dbt(data_dir, "build")
    wh.first_build = run_results(data_dir)
    return wh
