"""Where things are, read from the environment each time a function is called.

Nothing here runs at import time: DAG files call these functions inside tasks (run time). The only
exception is the dbt settings (project, profile, target, executable, data dir) handed to the Cosmos operators
when a DAG file is parsed, see :mod:`phonepipe_airflow.dbt`.

Environment (all optional):

``PHONEPIPE_ROOT``            repository root (default: three levels above this file)
``PHONEPIPE_DATA_DIR``        run data: landing, warehouse, market-data inbox (default ``<root>/data``)
``PHONEPIPE_DBT_TARGET``      dbt target (default ``duckdb``)
``PHONEPIPE_DBT_EXECUTABLE``  dbt executable of the dbt venv (default ``<root>/.venv/dbt/bin/dbt``)
``PHONEPIPE_DBT_SERVICE_URL`` the warm dbt service (``make dbt-service``) that runs the dbt_build DAG's
                              build, e.g. ``http://127.0.0.1:8580``; unset: each build is a cold dbt process
``PHONEPIPE_GX_PYTHON``       Python of the Great Expectations venv (default ``<root>/.venv/gx/bin/python``)
``PHONEPIPE_CLI``             the phonepipe CLI (default ``<root>/bin/phonepipe``)
``PHONEPIPE_MARKET_INBOX``    market-data inbox (default ``<data>/market-data/inbox``; ``done/`` and
                              ``rejected/`` are its siblings)
"""

from __future__ import annotations

import os
from pathlib import Path

_THIS_ROOT = Path(__file__).resolve().parents[3]


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _path_from_env(name: str, default: Path, base: Path) -> Path:
    raw = _env(name)
    if raw is None:
        return default
    path = Path(raw).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def repo_root() -> Path:
    raw = _env("PHONEPIPE_ROOT")
    return Path(raw).expanduser().resolve() if raw else _THIS_ROOT


def data_dir() -> Path:
    root = repo_root()
    return _path_from_env("PHONEPIPE_DATA_DIR", root / "data", root)


def landing_dir() -> Path:
    return data_dir() / "landing"


def warehouse_dir() -> Path:
    return data_dir() / "warehouse"


def warehouse_file() -> Path:
    """The DuckDB warehouse dbt builds (``PHONEPIPE_DUCKDB_PATH``, as dbt/profiles.yml reads it)."""
    return _path_from_env("PHONEPIPE_DUCKDB_PATH", warehouse_dir() / "phonepipe.duckdb", repo_root())


def state_dir() -> Path:
    """Small state files of the DAGs (build watermark, previous DLQ offsets)."""
    return data_dir() / "state"


def dbt_project_dir() -> Path:
    return repo_root() / "dbt"


def dbt_profiles_file() -> Path:
    return dbt_project_dir() / "profiles.yml"


def dbt_target() -> str:
    return _env("PHONEPIPE_DBT_TARGET") or "duckdb"


def dbt_executable() -> Path:
    root = repo_root()
    return _path_from_env("PHONEPIPE_DBT_EXECUTABLE", root / ".venv" / "dbt" / "bin" / "dbt", root)


def dbt_service_url() -> str | None:
    return _env("PHONEPIPE_DBT_SERVICE_URL")


def dbt_service_client() -> Path:
    return dbt_project_dir() / "scripts" / "dbt_service_client.py"


def gx_python() -> Path:
    root = repo_root()
    return _path_from_env("PHONEPIPE_GX_PYTHON", root / ".venv" / "gx" / "bin" / "python", root)


def gx_checkpoint_script() -> Path:
    return repo_root() / "quality" / "checkpoint.py"


def cli() -> Path:
    root = repo_root()
    return _path_from_env("PHONEPIPE_CLI", root / "bin" / "phonepipe", root)


def dashboard_build_script() -> Path:
    return repo_root() / "dashboard" / "scripts" / "build.sh"


def market_inbox() -> Path:
    return _path_from_env("PHONEPIPE_MARKET_INBOX", data_dir() / "market-data" / "inbox", repo_root())


def market_done() -> Path:
    return market_inbox().parent / "done"


def market_rejected() -> Path:
    return market_inbox().parent / "rejected"


def int_from_env(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as err:
        raise ValueError(f"{name}={raw!r} is not an integer") from err


def float_from_env(name: str, default: float) -> float:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError as err:
        raise ValueError(f"{name}={raw!r} is not a number") from err


def str_from_env(name: str, default: str) -> str:
    return _env(name) or default


def duckdb_pool_args() -> dict[str, str]:
    """``{"pool": name}`` when ``PHONEPIPE_DUCKDB_POOL`` names an Airflow pool (create it with one slot) that
    serializes every task opening the DuckDB warehouse across DAGs; ``{}`` (default pool) otherwise."""
    pool = _env("PHONEPIPE_DUCKDB_POOL")
    return {"pool": pool} if pool else {}


def subprocess_env() -> dict[str, str]:
    """The environment for child processes: the worker's, with the project paths made absolute."""
    env = dict(os.environ)
    env["PHONEPIPE_ROOT"] = str(repo_root())
    env["PHONEPIPE_DATA_DIR"] = str(data_dir())
    env["PHONEPIPE_DBT_TARGET"] = dbt_target()
    for name, value in (
        ("DO_NOT_TRACK", "1"),
        ("DBT_SEND_ANONYMOUS_USAGE_STATS", "False"),
        ("SCARF_NO_ANALYTICS", "1"),
    ):
        env.setdefault(name, value)
    return env
