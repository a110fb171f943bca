"""Test harness for the phonepipe DAGs: a throw-away AIRFLOW_HOME with a SQLite metadata DB (``airflow db
migrate``), the project's dags folder, and helpers to parse a DAG file and run it with ``dag.test()``.

The environment is set here, before anything imports Airflow (pytest imports conftest first).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "airflow" / "dags"
INCLUDE = REPO / "airflow" / "include"
AIRFLOW_BIN = Path(sys.executable).parent / "airflow"
DBT_PYTHON = REPO / ".venv" / "dbt" / "bin" / "python"
SAMPLE_GENERATOR = REPO / "dbt" / "scripts" / "generate_sample_landing.py"

_HOME = Path(tempfile.mkdtemp(prefix="phonepipe-airflow-test-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_HOME}/airflow.db",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "AIRFLOW__COSMOS__CACHE_DIR": str(_HOME / "cosmos-cache"),
        "SCARF_NO_ANALYTICS": "1",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "PHONEPIPE_ROOT": str(REPO),
        # the tests own these: start from a clean slate whatever the caller's shell had
        "PHONEPIPE_DATA_DIR": str(_HOME / "data-unset"),
    }
)
_UNSET = (
    "PHONEPIPE_ALERT_WEBHOOK",
    "PHONEPIPE_ALERT_CALLBACK",
    "PHONEPIPE_MARKET_INBOX",
)
for _name in _UNSET:
    os.environ.pop(_name, None)
if str(INCLUDE) not in sys.path:
    sys.path.insert(0, str(INCLUDE))


def pytest_sessionfinish(session, exitstatus):  # noqa: ARG001
    if not os.environ.get("PHONEPIPE_KEEP_AIRFLOW_HOME"):
        shutil.rmtree(_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """A migrated SQLite metadata DB in the temp AIRFLOW_HOME (needed by dag.test())."""
    argv = [str(AIRFLOW_BIN), "db", "migrate"]
    proc = subprocess.run(argv, capture_output=True, text=True, env=os.environ.copy(), check=False)
    assert proc.returncode == 0, f"airflow db migrate failed:\n{proc.stdout}\n{proc.stderr}"
    return _HOME / "airflow.db"


@contextlib.contextmanager
def env(**values: str | None) -> Iterator[None]:
    """Set (or, with None, unset) environment variables for the duration of the block."""
    saved = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def load_dag(dag_id: str):
    """Parse ``airflow/dags/<dag_id>.py`` now (so values read from the environment at parse time are the
    current ones) and return its DAG; fails on any import error."""
    from airflow.models.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS / f"{dag_id}.py"), include_examples=False)
    assert not bag.import_errors, bag.import_errors
    return bag.dags[dag_id]


def run_dag(dag_id: str, run_conf: dict | None = None):
    """``dag.test()`` one run in-process; returns (dag run state, {task_id[map_index]: state})."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from sqlalchemy import select

    dag = load_dag(dag_id)
    dr = dag.test(run_conf=run_conf)
    with create_session() as session:
        tis = session.scalars(
            select(TaskInstance).where(TaskInstance.dag_id == dag_id, TaskInstance.run_id == dr.run_id)
        ).all()
        states = {(ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"): str(ti.state) for ti in tis}
    return str(dr.state), states


DBT = REPO / ".venv" / "dbt" / "bin" / "dbt"


def dbt_run(data_dir: Path) -> None:
    """Build the warehouse directly with the dbt venv (setup for tests that are not about dbt_build)."""
    argv = [str(DBT), "run", "--project-dir", str(REPO / "dbt"), "--profiles-dir", str(REPO / "dbt")]
    argv += ["--target-path", str(data_dir / "dbt-target"), "--log-path", str(data_dir / "dbt-logs")]
    (data_dir / "warehouse").mkdir(parents=True, exist_ok=True)
    run_env = {**os.environ, "PHONEPIPE_DATA_DIR": str(data_dir), "PHONEPIPE_DBT_TARGET": "duckdb"}
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, env=run_env, check=False)
    assert proc.returncode == 0, f"dbt run failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}"


def generate_landing(data_dir: Path, rows: int = 20_000, seed: int = 7, corrupt: bool = False) -> None:
    """The project's sample landing generator (dbt venv)."""
    if not DBT_PYTHON.exists() or not SAMPLE_GENERATOR.exists():
        pytest.fail(f"needs {DBT_PYTHON} (make bootstrap-dbt) and {SAMPLE_GENERATOR}")
    argv = [str(DBT_PYTHON), str(SAMPLE_GENERATOR), "--data-dir", str(data_dir), "--rows", str(rows)]
    argv += ["--seed", str(seed)] + (["--corrupt"] if corrupt else [])
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"sample landing generator failed:\n{proc.stdout}\n{proc.stderr}"
