"""Land a generated topic table as the stream job would (schemas/LANDING.md): event-time windows, shards for
late rows, re-sent copies, lineage columns, one Parquet file per window and shard, written atomically.

The columns and their types, the record id and the event time come from the topic catalog entry; a generator
only has to produce a table with every landing column of its topic and a ``row_idx``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from phonepipe_catalog import Catalog, Topic

WINDOW_HOURS = 6
# Lineage columns the landing computes itself; the others (Kafka coordinates, schema id) stay NULL here.
COMPUTED_LINEAGE = ("ingested_at", "ingest_date")


def contract_columns(topic: Topic) -> str:
    """The topic's landing columns, each cast to its catalog type (a generator's slip fails here, not in dbt)."""
    return ", ".join(f"CAST({c.name} AS {c.type}) AS {c.name}" for c in topic.columns)


def lineage_nulls(catalog: Catalog) -> str:
    return ", ".join(
        f"CAST(NULL AS {c.type}) AS {c.name}" for c in catalog.lineage_columns if c.name not in COMPUTED_LINEAGE
    )


def land(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, topic: Topic, table: str, dup_pct: float, late_pct: float
) -> str:
    """Assign rows of `table` to event-time windows and shards and add re-sent copies: creates and returns
    `<table>_landed`, whose columns are the topic's lineage and landing columns.

    Shard 0 holds the window's rows as first landed; shard 1 holds rows that arrived late (hours to days after
    the window closed); a few percent of observations are re-sent once more in the next window (shard 2).
    """
    time_col, key_col = topic.event_time, topic.record_id
    con.execute(
        f"""CREATE TABLE {table}_landed AS
        WITH base AS (
            SELECT *, time_bucket(INTERVAL {WINDOW_HOURS} HOUR, {time_col}) AS window_start,
                   u(row_idx, 'late_{table}') < {late_pct} AS is_late,
                   u(row_idx, 'dup_{table}') < {dup_pct} AS is_dup
            FROM {table}
        ), landed AS (
            SELECT *, CASE WHEN is_late THEN 1 ELSE 0 END AS shard,
                   window_start + INTERVAL {WINDOW_HOURS} HOUR + CASE WHEN is_late
                       THEN to_seconds(CAST(3600 + u(row_idx, 'lag_{table}') * 172800 AS BIGINT))
                       ELSE to_seconds(CAST(5 + u(row_idx, 'lag_{table}') * 120 AS BIGINT)) END AS ingested_at
            FROM base
            UNION ALL
            SELECT * REPLACE (window_start + INTERVAL {WINDOW_HOURS} HOUR AS window_start), 2 AS shard,
                   window_start + INTERVAL {2 * WINDOW_HOURS} HOUR
                       + to_seconds(CAST(5 + u(row_idx, 'duplag_{table}') * 120 AS BIGINT)) AS ingested_at
            FROM base WHERE is_dup
        )
        SELECT {lineage_nulls(catalog)},
               -- nothing lands after the end of the generated period (plus 15 minutes): a later batch
               -- (a later --end-date) then always arrives after this one, as in a real landing
               CAST(least(ingested_at, gen_end() + to_seconds(CAST(u(row_idx, 'cap_{table}') * 900 AS BIGINT)))
                    AS TIMESTAMP) AS ingested_at,
               {contract_columns(topic)},
               CAST(window_start AS DATE) AS ingest_date,
               strftime(window_start, '%Y%m%dT%H%M%SZ') || '_' || CAST(shard AS VARCHAR) AS file_stem
        FROM landed
        ORDER BY file_stem, {time_col}, {key_col}"""
    )
    # within one file no key repeats (a re-sent copy never shares a window with its original)
    dupes = con.execute(
        f"SELECT count(*) FROM (SELECT file_stem, {key_col} FROM {table}_landed GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0]
    assert dupes == 0, f"{table}: {dupes} keys repeat within a file"
    return f"{table}_landed"


def write_topic(con: duckdb.DuckDBPyConnection, landed: str, topic: Topic, data_dir: Path) -> int:
    """Write `landed` as <data>/landing/<topic>/ingest_date=D/<file_stem>.parquet, atomically per file.

    One partitioned COPY writes every file into a hidden staging folder (one pass over the table instead of
    one filtered scan per file); each file is then renamed into place.
    """
    files = con.execute(f"SELECT DISTINCT ingest_date, file_stem FROM {landed} ORDER BY ALL").fetchall()
    cols = [r[0] for r in con.execute(f"DESCRIBE {landed}").fetchall() if r[0] not in ("ingest_date", "file_stem")]
    col_list = ", ".join(cols)
    staging = topic.landing_dir(data_dir) / f".tmp-write-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"COPY (SELECT {col_list}, ingest_date, file_stem FROM {landed}) TO '{staging}' "
        "(FORMAT parquet, PARTITION_BY (ingest_date, file_stem))"
    )
    try:
        for ingest_date, stem in files:
            folder = topic.landing_dir(data_dir) / f"ingest_date={ingest_date:%Y-%m-%d}"
            folder.mkdir(parents=True, exist_ok=True)
            written = sorted((staging / f"ingest_date={ingest_date:%Y-%m-%d}" / f"file_stem={stem}").glob("*.parquet"))
            if len(written) > 1:  # a parallel writer may split a partition: merge it into one file
                tmp = folder / f".tmp-{stem}.parquet"
                parts = ", ".join(f"'{f}'" for f in written)
                con.execute(f"COPY (SELECT * FROM read_parquet([{parts}])) TO '{tmp}' (FORMAT parquet)")
                written = [tmp]
            os.replace(written[0], folder / f"{stem}.parquet")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(files)
