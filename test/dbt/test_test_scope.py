"""Scheduled builds scope data tests to the landing partitions they added (dbt/macros/test_scope.sql)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from conftest import BIN, Warehouse, base_env, dbt, generate, run

FACT = "fact_used_phone_listings"


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory) -> tuple[Warehouse, str, str]:
    """A built warehouse whose oldest fact partition holds one row breaking not_null(product_id)."""
    data_dir = tmp_path_factory.mktemp("phonepipe-scope")
    generate(data_dir, 4_000, 5, dt.datetime.now(dt.UTC).date(), 6)
    dbt(data_dir, "build", "--exclude", "resource_type:unit_test")
    wh = Warehouse(data_dir)
    ((oldest, newest),) = wh.query(f"select min(ingest_date), max(ingest_date) from marts.{FACT}")
    assert oldest < newest, "the sample must span several landing partitions"
    con = duckdb.connect(str(wh.path))
    try:
        con.execute(
            f"update marts.{FACT} set product_id = null where event_id = "
            f"(select min(event_id) from marts.{FACT} where ingest_date = date '{oldest}')"
        )
    finally:
        con.close()
    return wh, str(oldest), str(newest)


def fact_tests(wh: Warehouse, *vars_: str):
    args = ["test", "--select", FACT]
    if vars_:
        args += ["--vars", json.dumps({"test_ingest_dates": list(vars_)})]
    return dbt(wh.data_dir, *args, check=False)


def test_unscoped_run_tests_every_row(corrupted):
    wh, _, _ = corrupted
    proc = fact_tests(wh)
    assert proc.returncode != 0
    assert f"not_null_{FACT}_product_id" in proc.stdout


def test_scoped_run_tests_only_the_new_partitions(corrupted):
    wh, oldest, newest = corrupted
    assert fact_tests(wh, newest).returncode == 0, "the bad row lies outside the new partition"
    proc = fact_tests(wh, oldest)
    assert proc.returncode != 0, "the bad row's own partition is tested"
    assert f"not_null_{FACT}_product_id" in proc.stdout


def test_a_cold_process_takes_the_scope_from_the_environment(corrupted):
    wh, oldest, newest = corrupted
    cmd = [str(BIN / "dbt"), "test", "--select", FACT, "--project-dir", "dbt", "--profiles-dir", "dbt"]
    env = {**base_env(wh.data_dir), "PHONEPIPE_TEST_INGEST_DATES": newest}
    assert run(cmd, env, check=False).returncode == 0
    env["PHONEPIPE_TEST_INGEST_DATES"] = f"{newest},{oldest}"
    assert run(cmd, env, check=False).returncode != 0


def test_scope_reaches_only_models_with_an_ingest_date(corrupted):
    wh, _, newest = corrupted
    fact_tests(wh, newest)
    compiled = Path(wh.data_dir, "dbt-target", "compiled", "phonepipe", "models", "marts", f"{FACT}.yml")
    unique_sql = next(compiled.glob(f"unique_{FACT}_event_id.sql")).read_text()
    assert f"ingest_date in (date '{newest}')" in unique_sql
    dim_sql = dbt(
        wh.data_dir, "compile", "--select", "dim_product", "--vars", json.dumps({"test_ingest_dates": [newest]})
    )
    assert dim_sql.returncode == 0
    dim_tests = Path(wh.data_dir, "dbt-target", "compiled", "phonepipe", "models", "marts", "dim_product.yml")
    dim_test_files = list(dim_tests.glob("*.sql"))
    assert dim_test_files, "dim_product's tests were compiled"
    assert all("ingest_date in" not in f.read_text() for f in dim_test_files)
