"""Cosmos wiring for the project's dbt (``dbt/``), run from its own venv (``.venv/dbt/bin/dbt``).

Airflow never imports dbt: each dbt task is a Cosmos local operator that runs one dbt command (``dbt build
--selector ...``, ``dbt test``) as a subprocess of the dbt venv's executable (``InvocationMode.SUBPROCESS``),
so the two dependency sets never meet. The profile comes from ``dbt/profiles.yml``, not an Airflow
Connection, and no dbt process runs while a DAG file is parsed.

When ``PHONEPIPE_DBT_SERVICE_URL`` is set, the dbt_build DAG's build runs on the warm dbt service instead
(``dbt/scripts/dbt_service.py``: dbt already imported and the project parsed, so no start-up per build); the
task runs the service's standard-library client and checks that the service builds this worker's data dir
and target.

The dbt target (``PHONEPIPE_DBT_TARGET``) and the absolute data directory are read from the environment
when the DAG file is parsed. Airflow 3 parses the DAG file again inside the task process, so at run time they
are the worker's values.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from typing import Any

from phonepipe_airflow import config

log = logging.getLogger(__name__)

DBT_PROFILE_DEFAULT = "phonepipe"


def profile_name() -> str:
    """``PHONEPIPE_DBT_PROFILE``, else the ``profile:`` of ``dbt/dbt_project.yml``, else ``phonepipe``."""
    name = os.environ.get("PHONEPIPE_DBT_PROFILE", "").strip()
    if name:
        return name
    project_file = config.dbt_project_dir() / "dbt_project.yml"
    if project_file.is_file():
        match = re.search(r"^profile:\s*['\"]?([A-Za-z0-9_\-]+)['\"]?\s*$", project_file.read_text(), re.MULTILINE)
        if match:
            return match.group(1)
    return DBT_PROFILE_DEFAULT


def dbt_env() -> dict[str, str]:
    """Environment given to every dbt process (on top of the worker's own environment)."""
    env = {
        "PHONEPIPE_ROOT": str(config.repo_root()),
        "PHONEPIPE_DATA_DIR": str(config.data_dir()),
        "PHONEPIPE_DBT_TARGET": config.dbt_target(),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
    }
    return env


def profile_config():
    """The Cosmos ProfileConfig of every dbt task: ``dbt/profiles.yml``, its profile and the target."""
    from cosmos import ProfileConfig

    return ProfileConfig(
        profile_name=profile_name(),
        target_name=config.dbt_target(),
        profiles_yml_filepath=config.dbt_profiles_file(),
    )


def _dbt_local_operator(operator_class: Any, task_id: str, extra_env: dict[str, str] | None = None, **kwargs: Any):
    """A Cosmos local operator running one dbt command from the project's venv, on the DuckDB pool."""
    from cosmos.constants import InvocationMode

    return operator_class(
        task_id=task_id,
        project_dir=str(config.dbt_project_dir()),
        profile_config=profile_config(),
        dbt_executable_path=str(config.dbt_executable()),
        invocation_mode=InvocationMode.SUBPROCESS,
        install_deps=False,
        env={**dbt_env(), **(extra_env or {})},
        append_env=True,
        emit_datasets=False,
        **config.duckdb_pool_args(),
        **kwargs,
    )


def dbt_build_operator(task_id: str, selector: str, test_ingest_dates: str = "", **kwargs: Any):
    """One task running ``dbt build --selector <selector>`` (``dbt/selectors.yml``): every selected model and
    the snapshot, then each one's data tests, in one dbt process. One process per run, not one per model: a
    dbt process pays a fixed start-up (imports, project and manifest load) of about 5-7 s on a 2-core host.
    With ``PHONEPIPE_DBT_SERVICE_URL`` set, the build runs on that warm dbt service instead (no start-up).
    ``selector`` and ``test_ingest_dates`` (comma-separated landing dates the data tests are scoped to; empty
    tests every row) are templated (the gate task pushes them). ``make dbt-build DBT_SELECTOR=...`` and
    ``make bench-dbt`` run the same command."""
    url = config.dbt_service_url()
    if url:  # the warm service runs a command setting just this var on its parsed project
        args = ["build", "--selector", selector, "--vars", json.dumps({"test_ingest_dates": test_ingest_dates})]
        return _dbt_service_operator(task_id, url, args, **kwargs)
    from cosmos.operators.local import DbtBuildLocalOperator

    # a cold dbt process takes it from the environment: a changed --vars would make it parse the whole project
    scope = {"PHONEPIPE_TEST_INGEST_DATES": test_ingest_dates}
    return _dbt_local_operator(DbtBuildLocalOperator, task_id, extra_env=scope, selector=selector, **kwargs)


def run_on_dbt_service(url: str, dbt_args: list[str]) -> None:
    """Run one dbt command on the warm dbt service through its client (``dbt/scripts/dbt_service_client.py``,
    standard library only, so Airflow's Python runs it). The client refuses to run if the service builds
    another data dir or target than this worker's; its output lands in the task log, a failure fails the task
    naming the failed nodes. A refused request (client exit 3) fails without retries: it would be refused
    again; an unreachable service (exit 2) is retried like any failure."""
    from airflow.exceptions import AirflowFailException

    from phonepipe_airflow import procs

    argv = [sys.executable, str(config.dbt_service_client()), "--url", url]
    argv += ["--expect-data-dir", str(config.data_dir()), "--expect-target", config.dbt_target(), *dbt_args]
    try:
        procs.run(argv)
    except procs.CommandFailed as exc:
        if exc.returncode == 3:
            raise AirflowFailException(str(exc)) from exc
        raise


def _dbt_service_operator(task_id: str, url: str, dbt_args: list[str], **kwargs: Any):
    from airflow.providers.standard.operators.python import PythonOperator

    return PythonOperator(
        task_id=task_id,
        python_callable=run_on_dbt_service,
        op_kwargs={"url": url, "dbt_args": dbt_args},  # templated: the selector comes from the gate task
        **config.duckdb_pool_args(),
        **kwargs,
    )


def dbt_test_operator(task_id: str, **kwargs: Any):
    """One task running ``dbt test`` (data tests and unit tests) over the whole project."""
    from cosmos.operators.local import DbtTestLocalOperator

    return _dbt_local_operator(DbtTestLocalOperator, task_id, **kwargs)
