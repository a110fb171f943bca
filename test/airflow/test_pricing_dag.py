"""dag.test() of the pricing DAG on a generated warehouse: the real engine (bin/phonepipe pricing, in
.venv/pricing) trains, promotes the first model and logs the decision, and produces suggestions to the test
platform's broker. (Keeping the current model on the same data is tested in test/pricing.)"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import DBT_PYTHON, REPO, SAMPLE_GENERATOR, env, run_dag

PRICING_PYTHON = REPO / ".venv" / "pricing" / "bin" / "python"


@pytest.fixture(scope="module")
def warehouse(airflow_db, tmp_path_factory) -> Path:
    if not PRICING_PYTHON.exists():
        pytest.fail(f"needs {PRICING_PYTHON} (make bootstrap-pricing)")
    data = tmp_path_factory.mktemp("pricing-data")
    # 45 days without a devaluation step: enough history for the backtest to judge the first model
    end = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2)).isoformat()
    argv = [str(DBT_PYTHON), str(SAMPLE_GENERATOR), "--data-dir", str(data), "--rows", "6000", "--days", "45"]
    argv += ["--end-date", end, "--marketplace-listings", "10000", "--seed", "11", "--devaluation-pct", "0"]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    # dbt build, not run: suggest scores the listings' current prices from the snapshot
    argv = [str(REPO / ".venv/dbt/bin/dbt"), "build", "--project-dir", str(REPO / "dbt"), "--profiles-dir"]
    argv += [str(REPO / "dbt"), "--target-path", str(data / "dbt-target"), "--log-path", str(data / "dbt-logs")]
    (data / "warehouse").mkdir()
    run_env = {**os.environ, "PHONEPIPE_DATA_DIR": str(data), "PHONEPIPE_DBT_TARGET": "duckdb"}
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, env=run_env, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:]
    return data


def test_pricing_trains_promotes_and_suggests(warehouse: Path):
    with env(PHONEPIPE_DATA_DIR=str(warehouse)):
        state, tasks = run_dag("pricing")
    assert state == "success", tasks
    assert tasks == {"train": "success", "suggest": "success"}
    models = warehouse / "models"
    log = [json.loads(line) for line in (models / "promotions.jsonl").read_text().splitlines()]
    assert [entry["promoted"] for entry in log] == [True]
    assert log[0]["version"] == (models / "CURRENT").read_text().strip()
