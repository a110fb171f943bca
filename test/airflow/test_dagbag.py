"""The DagBag loads every project DAG with zero import errors; parsing looks up no Connection or Variable."""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path
from unittest import mock

import pytest
from conftest import DAGS

EXPECTED = {
    "scrape_competitors",
    "load_market_data",
    "dbt_build",
    "data_quality",
    "pipeline_health",
    "backfill",
    "pricing",
}

# Every way a DAG file (or a library it calls while parsing) can read a Connection or a Variable.
LOOKUPS = [
    ("airflow.sdk.definitions.connection", "Connection", "get"),
    ("airflow.sdk.definitions.variable", "Variable", "get"),
    ("airflow.sdk.execution_time.context", None, "_get_connection"),
    ("airflow.sdk.execution_time.context", None, "_get_variable"),
    ("airflow.sdk.bases.hook", "BaseHook", "get_connection"),
    ("airflow.models.connection", "Connection", "get_connection_from_secrets"),
    ("airflow.models.variable", "Variable", "get"),
    ("airflow.models.variable", "Variable", "get_variable_from_secrets"),
]


@contextlib.contextmanager
def forbid_lookups():
    """Patch every lookup to record its caller's key and raise."""
    seen: list[str] = []

    def make(name: str):
        def forbidden(*args, **kwargs):
            seen.append(f"{name}{args}{kwargs}")
            raise RuntimeError(f"{name} called while parsing DAGs")

        return forbidden

    with contextlib.ExitStack() as stack:
        for module_name, cls_name, attr in LOOKUPS:
            owner = importlib.import_module(module_name)
            if cls_name:
                owner = getattr(owner, cls_name)
            name = f"{module_name}.{cls_name + '.' if cls_name else ''}{attr}"
            stack.enter_context(mock.patch.object(owner, attr, make(name)))
        yield seen


def parse(folder: Path):
    from airflow.models.dagbag import DagBag

    return DagBag(dag_folder=str(folder), include_examples=False)


@pytest.fixture(scope="module")
def parsed():
    with forbid_lookups() as seen:
        bag = parse(DAGS)
    return bag, seen


def test_dagbag_has_every_dag_and_no_import_error(parsed):
    bag, _ = parsed
    assert bag.import_errors == {}
    assert set(bag.dag_ids) == EXPECTED
    for dag_id, dag in bag.dags.items():
        assert Path(dag.fileloc).name == f"{dag_id}.py", "one thin file per DAG, named after its dag_id"
        assert "phonepipe" in dag.tags


def test_no_connection_or_variable_lookup_while_parsing(parsed):
    _, seen = parsed
    assert seen == []


def test_the_lookup_guard_catches_a_variable_read_at_parse_time(tmp_path):
    """The guard above really sees a parse-time lookup (so an empty list means something)."""
    (tmp_path / "bad_dag.py").write_text(
        "from airflow.sdk import DAG, Variable\n"
        "threshold = Variable.get('phonepipe_threshold')\n"
        "with DAG(dag_id='bad_dag', schedule=None):\n"
        "    pass\n"
    )
    with forbid_lookups() as seen:
        bag = parse(tmp_path)
    assert len(seen) == 1 and "Variable.get" in seen[0]
    assert any("called while parsing DAGs" in err for err in bag.import_errors.values())


def test_dbt_build_is_one_cosmos_dbt_build_over_the_dbt_venv(parsed):
    from cosmos.operators.local import DbtBuildLocalOperator, DbtLocalBaseOperator

    bag, _ = parsed
    dag = bag.dags["dbt_build"]
    dbt_tasks = [t for t in dag.tasks if isinstance(t, DbtLocalBaseOperator)]
    # one dbt process per run (each dbt process pays ~4-5 s of start-up), with the selector the gate chose
    assert [t.task_id for t in dbt_tasks] == ["dbt_build"]
    (build,) = dbt_tasks
    assert isinstance(build, DbtBuildLocalOperator)
    venv_dbt = str(Path(DAGS).parents[1] / ".venv" / "dbt" / "bin" / "dbt")
    assert build.dbt_executable_path == venv_dbt
    assert "dbt_selector" in build.selector and "new_landing_partitions" in build.selector
    # its data tests read the partitions the gate found new (dbt/macros/test_scope.sql)
    assert "test_ingest_dates" in build.env["PHONEPIPE_TEST_INGEST_DATES"]
    assert dag.get_task("new_landing_partitions").downstream_task_ids == {"dbt_build", "record_build"}
    assert "dbt_build" in dag.get_task("record_build").upstream_task_ids


def test_data_quality_publish_waits_for_both_checks(parsed):
    bag, _ = parsed
    publish = bag.dags["data_quality"].get_task("publish")
    assert publish.upstream_task_ids == {"gx_checkpoint", "dbt_test"}
    assert str(publish.trigger_rule) in ("all_success", "TriggerRule.ALL_SUCCESS")


def test_scrapes_retry_with_backoff_and_alert(parsed):
    from phonepipe_airflow import alerts

    bag, _ = parsed
    dag = bag.dags["scrape_competitors"]
    assert {t.task_id for t in dag.tasks} == {"scrape_noon", "scrape_mobilemasr"}
    for t in dag.tasks:
        assert t.retries >= 3 and t.retry_exponential_backoff
        assert alerts.on_failure_callback in (t.on_failure_callback or [])


def test_backfill_is_manual_with_a_date_range(parsed):
    bag, _ = parsed
    dag = bag.dags["backfill"]
    assert dag.timetable.summary in ("None", "Never, external triggers only") or dag.schedule is None
    assert set(dag.params.keys()) == {"from", "to", "topic"}
