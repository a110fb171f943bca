"""Cosmos wiring for the project's dbt (``dbt/``), run from its own venv (``.venv/dbt/bin/dbt``).

Airflow never imports dbt: Cosmos renders the graph and runs every dbt command as a subprocess of the dbt
venv's executable (``InvocationMode.SUBPROCESS``), so the two dependency sets never meet.

How the graph is rendered while a DAG file is parsed:

* ``PHONEPIPE_DBT_MANIFEST`` names an existing ``manifest.json`` (``make airflow`` makes one with
  ``dbt parse``): ``LoadMode.DBT_MANIFEST``, no dbt process at parse time.
* otherwise ``LoadMode.DBT_LS``: Cosmos runs ``dbt ls`` from the dbt venv. Its optional cache of that
  output lives in Airflow *Variables*; this project switches that cache off, so parsing a DAG never reads or
  writes a Variable (or a Connection: the profile comes from ``dbt/profiles.yml``, not an Airflow
  Connection).

The dbt target (``PHONEPIPE_DBT_TARGET``) and the absolute data directory are read from the environment
when the DAG file is parsed. Airflow 3 parses the DAG file again inside the task process, so at run time they
are the worker's values.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
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


def project_name() -> str:
    """The ``name:`` of ``dbt/dbt_project.yml`` (needed only to render from a manifest)."""
    project_file = config.dbt_project_dir() / "dbt_project.yml"
    if project_file.is_file():
        match = re.search(r"^name:\s*['\"]?([A-Za-z0-9_]+)['\"]?\s*$", project_file.read_text(), re.MULTILINE)
        if match:
            return match.group(1)
    return DBT_PROFILE_DEFAULT


def manifest_path() -> Path | None:
    raw = os.environ.get("PHONEPIPE_DBT_MANIFEST", "").strip()
    if raw and Path(raw).is_file():
        return Path(raw)
    return None


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


def _disable_variable_cache() -> None:
    # Cosmos keeps its dbt ls / YAML selector caches in Airflow Variables (a Variable read and write at parse
    # time). Same as AIRFLOW__COSMOS__ENABLE_CACHE_DBT_LS=False, applied here so no deployment depends on it.
    from cosmos import settings as cosmos_settings

    cosmos_settings.enable_cache_dbt_ls = False
    cosmos_settings.enable_cache_dbt_yaml_selectors = False


def cosmos_configs(test_behavior: str = "none") -> dict[str, Any]:
    """The project/profile/execution/render configs shared by every Cosmos object of this project."""
    from cosmos import ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior

    _disable_variable_cache()
    dbt_bin = str(config.dbt_executable())
    manifest = manifest_path()
    project_kwargs: dict[str, Any] = {
        "dbt_project_path": config.dbt_project_dir(),
        "env_vars": dbt_env(),
        # never download packages at run time: this project has no reachable package hub
        "install_dbt_deps": False,
    }
    if manifest is not None:
        project_kwargs["manifest_path"] = manifest
        project_kwargs["project_name"] = project_name()
    return {
        "project_config": ProjectConfig(**project_kwargs),
        "profile_config": ProfileConfig(
            profile_name=profile_name(),
            target_name=config.dbt_target(),
            profiles_yml_filepath=config.dbt_profiles_file(),
        ),
        "execution_config": ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            invocation_mode=InvocationMode.SUBPROCESS,
            dbt_executable_path=dbt_bin,
        ),
        "render_config": RenderConfig(
            load_method=LoadMode.DBT_MANIFEST if manifest is not None else LoadMode.DBT_LS,
            invocation_mode=InvocationMode.SUBPROCESS,
            dbt_executable_path=dbt_bin,
            test_behavior=TestBehavior(test_behavior),
            emit_datasets=False,
        ),
        "operator_args": {**config.duckdb_pool_args()},
    }


def dbt_test_operator(task_id: str, **kwargs: Any):
    """One task running ``dbt test`` (data tests and unit tests) over the whole project."""
    from cosmos.constants import InvocationMode
    from cosmos.operators.local import DbtTestLocalOperator

    _disable_variable_cache()
    return DbtTestLocalOperator(
        task_id=task_id,
        project_dir=str(config.dbt_project_dir()),
        profile_config=cosmos_configs()["profile_config"],
        dbt_executable_path=str(config.dbt_executable()),
        invocation_mode=InvocationMode.SUBPROCESS,
        install_deps=False,
        env=dbt_env(),
        append_env=True,
        emit_datasets=False,
        **config.duckdb_pool_args(),
        **kwargs,
    )
