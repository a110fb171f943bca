"""Tasks of the ``data_quality`` DAG: the Great Expectations checkpoint and the publish step it gates."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from airflow.exceptions import AirflowFailException
from airflow.sdk import get_current_context, task

from phonepipe_airflow import config, procs


def _safe(run_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id)


def published_marker() -> Path:
    return config.warehouse_dir() / "published.json"


@task(retries=0)
def gx_checkpoint() -> dict:
    """Run quality/checkpoint.py from the GX venv. Exit 1 (a blocking expectation failed) fails the task
    for good with the checkpoint's report; any other non-zero exit is an error and may be retried."""
    context = get_current_context()
    report = config.data_dir() / "quality" / f"gx_{_safe(context['run_id'])}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    argv = [
        str(config.gx_python()),
        str(config.gx_checkpoint_script()),
        "--data-dir",
        str(config.data_dir()),
        "--report-json",
        str(report),
    ]
    proc = procs.run(argv, check=False)
    if proc.returncode == 1:
        readable = (proc.stdout + "\n" + proc.stderr).strip()
        raise AirflowFailException(
            f"Great Expectations checkpoint failed: a blocking expectation did not hold "
            f"(report {report}):\n{readable[-4000:]}"
        )
    if proc.returncode != 0:
        raise procs.CommandFailed(argv, proc.returncode, proc.stdout, proc.stderr)
    return {"report": str(report)}


@task
def publish() -> dict:
    """Mark the warehouse as published: readers (BI, dashboard) take ``warehouse/published.json`` as the
    last state that passed every check. Runs only when every upstream check succeeded."""
    context = get_current_context()
    warehouse = config.warehouse_file()
    marker = published_marker()
    stat = warehouse.stat() if warehouse.exists() else None
    record = {
        "published_at": datetime.now(UTC).isoformat(),
        "run_id": context["run_id"],
        "dbt_target": config.dbt_target(),
        "warehouse": str(warehouse) if stat else None,
        "warehouse_mtime": stat.st_mtime if stat else None,
        "checks": ["gx_checkpoint", "dbt_test"],
    }
    marker.parent.mkdir(parents=True, exist_ok=True)
    tmp = marker.with_name(f".tmp-{marker.name}")
    tmp.write_text(json.dumps(record, indent=2))
    tmp.replace(marker)
    print(f"published: {marker}")
    return record


@task
def refresh_dashboard(published: dict) -> dict:
    """Rebuild the static dashboard (dashboard/dist) from the state just published, so what it shows has passed
    every check. Skipped, saying how to install it, where the dashboard is not installed."""
    from airflow.exceptions import AirflowSkipException

    script = config.dashboard_build_script()
    if not (script.parent.parent / "node_modules").is_dir():
        raise AirflowSkipException(f"the dashboard is not installed ({script.parent.parent}): make bootstrap-dashboard")
    procs.run(["bash", str(script)])
    out = script.parent.parent / "dist"
    print(f"dashboard rebuilt into {out} from the warehouse published at {published['published_at']}")
    return {"dist": str(out), "published_at": published["published_at"]}
