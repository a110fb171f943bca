"""Tasks of the ``dbt_build`` DAG around the Cosmos task group: gate on new landing, record the watermark."""

from __future__ import annotations

from airflow.sdk import get_current_context, task

from phonepipe_airflow import config, landing


def _watermark_file():
    return config.state_dir() / "dbt_build_watermark.json"


@task.short_circuit
def new_landing_partitions() -> dict | bool:
    """Skip the run (and the dbt task group) unless a landing file is newer than the last successful build,
    or the run was triggered with ``force``."""
    context = get_current_context()
    found = landing.new_since(config.landing_dir(), _watermark_file())
    print(
        f"landing {config.landing_dir()}: {found['files']} files in {len(found['partitions'])} partitions; "
        f"new since the last build: {found['new_partitions'] or 'none'}"
    )
    if found["files"] == 0:
        print("no landing data at all: nothing to build")
        return False
    if not found["new_partitions"] and not context["params"].get("force"):
        return False
    # dbt-duckdb creates the warehouse file but not its folder
    config.warehouse_file().parent.mkdir(parents=True, exist_ok=True)
    return found


@task
def record_build(found: dict) -> dict:
    """After dbt succeeded: remember which landing files are built (the next run only builds newer ones)."""
    context = get_current_context()
    landing.write_watermark(_watermark_file(), found["newest_mtime"], context["run_id"])
    print(f"warehouse built through landing mtime {found['newest_mtime']}: {found['new_partitions']}")
    return {"new_partitions": found["new_partitions"]}
