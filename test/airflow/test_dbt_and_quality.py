"""dag.test() of dbt_build then data_quality on a generated sample landing: the real dbt (from .venv/dbt
through Cosmos) and the real Great Expectations checkpoint. A corrupted landing fails data_quality and blocks
publish."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import DBT_PYTHON, REPO, dbt_run, env, generate_landing, run_dag

sys.path.insert(0, str(REPO / "dbt" / "scripts"))
import dbt_service_client  # noqa: E402  (standard library only: fine in Airflow's venv)

ROWS = 20_000
# The warm dbt service's bearer token: the service and the DAG's client take it from the environment.
DBT_SERVICE_TOKEN = "airflow-test-dbt-service-token-0123456789"


def project_env(data_dir: Path):
    return env(
        PHONEPIPE_DATA_DIR=str(data_dir),
        PHONEPIPE_DBT_TARGET="duckdb",
        PHONEPIPE_DASHBOARD_OUT=str(data_dir / "dashboard"),
    )


@pytest.fixture(scope="module")
def good_run(airflow_db, tmp_path_factory):
    """The sample landing -> dag.test(dbt_build) -> dag.test(data_quality)."""
    data = tmp_path_factory.mktemp("good-landing")
    generate_landing(data, rows=ROWS, seed=7)
    with project_env(data):
        build = run_dag("dbt_build")
        quality = run_dag("data_quality")
    return data, build, quality


@pytest.fixture(scope="module")
def corrupt_run(airflow_db, tmp_path_factory):
    """A corrupted landing (a negative price, an unknown condition), the warehouse built from it with dbt run,
    then dag.test(data_quality)."""
    data = tmp_path_factory.mktemp("corrupt-landing")
    generate_landing(data, rows=ROWS, seed=7, corrupt=True)
    dbt_run(data)
    with project_env(data):
        quality = run_dag("data_quality")
    return data, None, quality


def test_dbt_build_runs_dbt_build_and_records_the_build(good_run):
    data, (state, tasks), _ = good_run
    assert state == "success", tasks
    assert tasks["dbt_build"] == "success", tasks
    assert tasks["new_landing_partitions"] == "success"
    assert tasks["record_build"] == "success"
    assert (data / "warehouse" / "phonepipe.duckdb").is_file()
    watermark = json.loads((data / "state" / "dbt_build_watermark.json").read_text())
    assert watermark["built_through_mtime"] > 0


def test_dbt_build_skips_when_no_landing_file_is_new(good_run):
    data, _, _ = good_run
    with project_env(data):
        state, tasks = run_dag("dbt_build")
    assert state == "success"
    assert tasks["new_landing_partitions"] == "success"
    assert {s for t, s in tasks.items() if t != "new_landing_partitions"} == {"skipped"}, tasks


def test_data_quality_passes_and_publishes_on_the_sample_landing(good_run):
    data, _, (state, tasks) = good_run
    assert state == "success", tasks
    assert tasks == {
        "gx_checkpoint": "success",
        "dbt_test": "success",
        "publish": "success",
        "refresh_dashboard": "success",
    }
    published = json.loads((data / "warehouse" / "published.json").read_text())
    assert published["checks"] == ["gx_checkpoint", "dbt_test"]
    assert published["warehouse"] == str(data / "warehouse" / "phonepipe.duckdb")
    # the dashboard was rebuilt from the published warehouse
    assert (data / "dashboard" / "index.html").is_file()
    assert (data / "dashboard" / "deals.html").is_file()


def test_corrupt_landing_fails_data_quality_and_blocks_publish(corrupt_run):
    data, _, (state, tasks) = corrupt_run
    assert state == "failed", tasks
    assert tasks["gx_checkpoint"] == "failed"
    assert tasks["publish"] == "upstream_failed"
    assert tasks["refresh_dashboard"] == "upstream_failed"
    assert not (data / "warehouse" / "published.json").exists()
    assert not (data / "dashboard").exists()
    reports = list((data / "quality").glob("gx_*.json"))
    assert reports, "the checkpoint wrote no report"


@pytest.fixture
def dbt_service(tmp_path):
    """The warm dbt service (dbt/scripts/dbt_service.py, dbt venv) building a fresh sample landing."""
    data = tmp_path / "data"
    generate_landing(data, rows=5_000, seed=9)
    (data / "warehouse").mkdir(parents=True, exist_ok=True)
    service_env = {
        **os.environ,
        "PHONEPIPE_DATA_DIR": str(data),
        "PHONEPIPE_DBT_TARGET": "duckdb",
        "PHONEPIPE_DBT_SERVICE_TOKEN": DBT_SERVICE_TOKEN,
    }
    service_env.pop("PHONEPIPE_DBT_SERVICE_TOKEN_FILE", None)
    proc = dbt_service_client.launch_service(str(DBT_PYTHON), service_env, tmp_path)
    yield data, dbt_service_client.wait_until_ready(proc, tmp_path)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)


def service_token_env() -> dict[str, str | None]:
    return {"PHONEPIPE_DBT_SERVICE_TOKEN": DBT_SERVICE_TOKEN, "PHONEPIPE_DBT_SERVICE_TOKEN_FILE": None}


def test_dbt_build_runs_on_the_warm_dbt_service_when_configured(airflow_db, dbt_service):
    data, url = dbt_service
    with project_env(data), env(PHONEPIPE_DBT_SERVICE_URL=url, **service_token_env()):
        state, tasks = run_dag("dbt_build")
    assert state == "success", tasks
    assert tasks["dbt_build"] == "success"
    health = urllib.request.Request(url + "/health", headers={"Authorization": f"Bearer {DBT_SERVICE_TOKEN}"})
    with urllib.request.urlopen(health, timeout=10) as resp:
        health = json.loads(resp.read())
    assert health["commands"] == 1  # the build ran there, not in a dbt process of its own
    count = "import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only=True).execute(sys.argv[2]).fetchone()[0])"
    proc = subprocess.run(
        [str(DBT_PYTHON), "-c", count, str(data / "warehouse" / "phonepipe.duckdb"),
         "select count(*) from marts.fact_used_phone_listings"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert int(proc.stdout) > 0


def test_dbt_build_fails_clearly_when_the_service_builds_another_data_dir(airflow_db, dbt_service, tmp_path):
    _, url = dbt_service
    other = tmp_path / "other-data"
    generate_landing(other, rows=1_000, seed=3)
    with project_env(other), env(PHONEPIPE_DBT_SERVICE_URL=url, **service_token_env()):
        state, tasks = run_dag("dbt_build")
    assert state == "failed" and tasks["dbt_build"] == "failed", tasks
    assert not (other / "warehouse" / "phonepipe.duckdb").exists()
