"""Which landing files are new since the last successful ``dbt_build`` (a watermark on file times)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def landing_files(landing: Path) -> list[Path]:
    """Every readable landing Parquet file: ``<landing>/<topic>/ingest_date=*/<name>.parquet``, dot files
    (temporary files of an atomic write) excluded."""
    if not landing.is_dir():
        return []
    return sorted(f for f in landing.glob("*/ingest_date=*/*.parquet") if f.is_file() and not f.name.startswith("."))


def snapshot(landing: Path) -> dict[str, Any]:
    """Newest modification time over all landing files, and the partitions holding files."""
    files = landing_files(landing)
    partitions = sorted({f"{f.parent.parent.name}/{f.parent.name}" for f in files})
    newest = max((f.stat().st_mtime for f in files), default=0.0)
    return {"files": len(files), "partitions": partitions, "newest_mtime": newest}


def new_since(landing: Path, watermark_file: Path) -> dict[str, Any]:
    """The snapshot plus ``new_partitions``: partitions with a file newer than the stored watermark."""
    snap = snapshot(landing)
    watermark = read_watermark(watermark_file)
    fresh = sorted(
        {
            f"{f.parent.parent.name}/{f.parent.name}"
            for f in landing_files(landing)
            if watermark is None or f.stat().st_mtime > watermark
        }
    )
    return {**snap, "watermark": watermark, "new_partitions": fresh}


def read_watermark(path: Path) -> float | None:
    try:
        return float(json.loads(path.read_text())["built_through_mtime"])
    except FileNotFoundError:
        return None


def write_watermark(path: Path, newest_mtime: float, run_id: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text(json.dumps({"built_through_mtime": newest_mtime, "run_id": run_id}, indent=2))
    tmp.replace(path)
