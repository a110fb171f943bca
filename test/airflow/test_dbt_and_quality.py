"""dag.test() of dbt_build then data_quality on a generated sample landing: the real dbt (from .venv/dbt
through Cosmos) and the real Great Expectations checkpoint. A corrupted landing fails data_quality and blocks
publish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import dbt_run, env, generate_landing, run_dag

ROWS = 20_000


def project_env(data_dir: Path):
    return env(PHONEPIPE_DATA_DIR=str(data_dir), PHONEPIPE_DBT_TARGET="duckdb")


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
    assert tasks == {"gx_checkpoint": "success", "dbt_test": "success", "publish": "success"}
    published = json.loads((data / "warehouse" / "published.json").read_text())
    assert published["checks"] == ["gx_checkpoint", "dbt_test"]
    assert published["warehouse"] == str(data / "warehouse" / "phonepipe.duckdb")


def test_corrupt_landing_fails_data_quality_and_blocks_publish(corrupt_run):
    data, _, (state, tasks) = corrupt_run
    assert state == "failed", tasks
    assert tasks["gx_checkpoint"] == "failed"
    assert tasks["publish"] == "upstream_failed"
    assert not (data / "warehouse" / "published.json").exists()
    reports = list((data / "quality").glob("gx_*.json"))
    assert reports, "the checkpoint wrote no report"
