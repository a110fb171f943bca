"""The listings as dbt stages them, read from the landing with DuckDB (read-only, nothing downloaded).

Which topic, its landing folder, columns and types and the record id come from the topic catalog. Each record
id keeps its first landed copy (the rule of dbt/macros/first_landed.sql); only the cleanings the expectations
depend on are applied, as stg_scrapers__listings applies them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from phonepipe_catalog import Topic

# Arrival order of landed copies: the first one is kept (dbt/macros/first_landed.sql, first_landed_copy).
FIRST_LANDED_ORDER = ("ingested_at", "ingest_date", "kafka_partition", "kafka_offset")
CLEANED = {"price_currency": "upper(price_currency)", "listing_type": "coalesce(listing_type, 'sale')"}


def landing_pattern(topic: Topic, data_dir: Path) -> str:
    """Every readable landing file of the topic (dot files are atomic writes in progress)."""
    return str(topic.landing_dir(data_dir) / "*" / "[!.]*.parquet")


def staged_sql(topic: Topic, pattern: str) -> str:
    """One row per record id with every landing column of the topic; money as double for GX's comparisons."""
    columns = []
    for c in topic.columns:
        expr = CLEANED.get(c.name, f"cast({c.name} as {c.type})")
        columns.append(f"cast({expr} as double)" if c.type.startswith("decimal") else expr)
    select = ", ".join(f"{expr} as {c.name}" for expr, c in zip(columns, topic.columns, strict=True))
    quoted = pattern.replace("'", "''")
    return f"""
with landed as (
    select * from read_parquet('{quoted}', hive_partitioning = true, union_by_name = true,
                               hive_types = {{'ingest_date': 'date'}})
), ranked as (
    select *, row_number() over (partition by {topic.record_id} order by {", ".join(FIRST_LANDED_ORDER)}) as rnk
    from landed
)
select {select}, ingested_at, cast(ingest_date as timestamp) as ingest_date
from ranked where rnk = 1
"""


def load_staged(topic: Topic, data_dir: Path) -> tuple[pd.DataFrame | None, int]:
    """The staged rows and the number of landing files read; (None, 0) when nothing landed."""
    pattern = landing_pattern(topic, data_dir)
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        n_files = con.execute("select count(*) from glob(?)", [pattern]).fetchone()[0]
        if n_files == 0:
            return None, 0
        return con.execute(staged_sql(topic, pattern)).df(), n_files
    finally:
        con.close()
