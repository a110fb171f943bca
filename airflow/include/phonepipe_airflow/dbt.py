"""Cosmos wiring for the project's dbt (``dbt/``), run from its own venv (``.venv/dbt/bin/dbt``).

Airflow never imports dbt: each dbt task is a Cosmos local operator that runs one dbt command (``dbt build
--selector ...``, ``dbt test``) as a subprocess of the dbt venv's executable (``InvocationMode.SUBPROCESS``),
so the two dependency sets never meet. The profile comes from ``dbt/profiles.yml``, not an Airflow
Connection, and no dbt process runs while a DAG file is parsed.

The dbt target (``PHONEPIPE_DBT_TARGET``) and the absolute data directory are read from the environment
when the DAG file is parsed. Airflow 3 parses the DAG file again inside the task process, so at run time they
are the worker's values.
"""

from __future__ import annotations

import logging
import os
import re
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
        match = re.search(
            r"^profile:\s*['\"]?([A-Za-z0-9_\-]+)['\"]?\s*$", project_file.read_text(), re.MULTILINE
        )
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


def _dbt_local_operator(operator_class: Any, task_id: str, **kwargs: Any):
    """A Cosmos local operator running one dbt command from the project's venv, on the DuckDB pool."""
    from cosmos.constants import InvocationMode

    return operator_class(
        task_id=task_id,
        project_dir=str(config.dbt_project_dir()),
        profile_config=profile_config(),
        dbt_executable_path=str(config.dbt_executable()),
        invocation_mode=InvocationMode.SUBPROCESS,
        install_deps=False,
        env=dbt_env(),
        append_env=True,
        emit_datasets=False,
        **config.duckdb_pool_args(),
        **kwargs,
    )


def dbt_build_operator(task_id: str, selector: str, **kwargs: Any):
    """One task running ``dbt build --selector <selector>`` (``dbt/selectors.yml``): every selected model and
    the snapshot, then each one's data tests, in one dbt process. One process per run, not one per model: a
    dbt process pays a fixed start-up (imports, project and manifest load) of about 4-5 s on a 2-core host.
    ``selector`` is templated (the gate task pushes it). ``make dbt-build DBT_SELECTOR=...`` and
    ``make bench-dbt`` run the same command."""
    from cosmos.operators.local import DbtBuildLocalOperator

    return _dbt_local_operator(DbtBuildLocalOperator, task_id, selector=selector, **kwargs)


def dbt_test_operator(task_id: str, **kwargs: Any):
    """One task running ``dbt test`` (data tests and unit tests) over the whole project."""
    from cosmos.operators.local import DbtTestLocalOperator

    return _dbt_local_operator(DbtTestLocalOperator, task_id, **kwargs)
