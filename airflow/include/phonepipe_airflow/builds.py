"""Tasks of the ``dbt_build`` DAG around its dbt task: gate on new landing, pick the selector, record."""

from __future__ import annotations

from airflow.sdk import get_current_context, task

from phonepipe_airflow import catalog, config, landing

# dbt/selectors.yml: what a run builds, by the landing topics that received new partitions. Only new
# listings (the usual case: the scrapers land every hour) -> listings_arrivals; else arrivals (every model).


def dbt_selector(new_partitions: list[str]) -> str:
    """The dbt selector for a run whose new landing partitions are ``new_partitions`` (``<topic>/...``).

    Both selections are ``dbt build`` semantics: the models and the snapshot that read the new data, all
    downstream of them, and their data tests (unit tests run in ``data_quality``'s ``dbt test``)."""
    topics = {p.split("/", 1)[0] for p in new_partitions}
    return "listings_arrivals" if topics == {catalog.listings_topic()} else "arrivals"


def test_ingest_dates(new_partitions: list[str]) -> str:
    """The landing dates of ``new_partitions`` (``<topic>/ingest_date=YYYY-MM-DD``), comma-separated: the
    build's data tests read only those partitions' rows (dbt/macros/test_scope.sql); data_quality tests all."""
    dates = {p.split("ingest_date=", 1)[1].split("/", 1)[0] for p in new_partitions if "ingest_date=" in p}
    return ",".join(sorted(dates))


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
    # a forced run with nothing new rebuilds everything
    found["dbt_selector"] = dbt_selector(found["new_partitions"]) if found["new_partitions"] else "arrivals"
    found["test_ingest_dates"] = test_ingest_dates(found["new_partitions"])
    scope = found["test_ingest_dates"] or "all"
    print(f"dbt build --selector {found['dbt_selector']}, data tests on landing dates: {scope}")
    return found


@task
def record_build(found: dict) -> dict:
    """After dbt succeeded: remember which landing files are built (the next run only builds newer ones)."""
    context = get_current_context()
    landing.write_watermark(_watermark_file(), found["newest_mtime"], context["run_id"])
    print(f"warehouse built through landing mtime {found['newest_mtime']}: {found['new_partitions']}")
    return {"new_partitions": found["new_partitions"]}
