"""Great Expectations checkpoint on the staged listings (the topic catalog's listings topic, read from the landing).

Reads the landing Parquet with DuckDB (staged_listings.py: the topic, its columns and record id from the topic
catalog; one row per record id, its first landed copy, as dbt stages it), and validates it with one GX Core 1.x
suite (gx_suite.py) whose expectations carry a severity:

  blocking (critical): price ranges per currency, known currencies, storage among real capacities,
                       condition / listing_type in their allowed sets, confidence within 0..1
  warning:             freshness of the newest ingest_date partition, share of priced rows with an EGP
                       price, share of confident product matches

Exit 0 when no blocking expectation fails (warnings are printed), 1 with a readable report naming each
failed expectation, its column and sample bad values when one does; 2 on a usage or input error.

    .venv/gx/bin/python quality/checkpoint.py [--data-dir DIR] [--report-json FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("DO_NOT_TRACK", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "python"))  # the topic catalog reader

import great_expectations as gx  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

import phonepipe_catalog  # noqa: E402
from gx_report import describe, summarize  # noqa: E402
from gx_suite import build_suite  # noqa: E402
from staged_listings import load_staged  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Great Expectations checkpoint on the staged listings.")
    ap.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("PHONEPIPE_DATA_DIR", str(REPO / "data"))),
        help="data directory holding landing/ (default $PHONEPIPE_DATA_DIR or ./data)",
    )
    ap.add_argument("--report-json", type=Path, help="also write the full report as JSON here")
    ap.add_argument(
        "--freshness-days",
        type=int,
        default=2,
        help="warn when the newest ingest_date is older than this many days (default 2)",
    )
    ap.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        help="reference day for freshness, YYYY-MM-DD (default: today, UTC)",
    )
    args = ap.parse_args(argv)
    as_of = dt.datetime.combine(args.as_of or dt.datetime.now(dt.UTC).date(), dt.time())

    t0 = time.perf_counter()
    try:
        topic = phonepipe_catalog.load().with_hook("listing")
    except phonepipe_catalog.CatalogError as err:
        print(f"checkpoint: {err}", file=sys.stderr)
        return 2
    landing = topic.landing_dir(args.data_dir)
    df, n_files = load_staged(topic, args.data_dir)
    report: dict = {"checkpoint": "staged_listings", "data_dir": str(args.data_dir), "files": n_files}
    if df is None:
        report.update(
            success=False,
            blocking_failures=[
                {
                    "expectation": "landing_present",
                    "severity": "critical",
                    "column": None,
                    "what": f"no Parquet files under {landing}",
                }
            ],
            warnings=[],
        )
        print(f"QUALITY FAILED: no listings landed under {landing}")
        _write(args.report_json, report)
        return 1

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas(name="landing")
    asset = source.add_dataframe_asset(name="staged_listings")
    batch_def = asset.add_batch_definition_whole_dataframe("all_rows")
    suite = context.suites.add(build_suite(args.freshness_days, as_of))
    vdef = context.validation_definitions.add(
        gx.ValidationDefinition(name="staged_listings", data=batch_def, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name="staged_listings",
            validation_definitions=[vdef],
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 10},
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": df})
    rows = []
    for vr in result.run_results.values():
        rows.extend(summarize(vr))

    failed = [r for r in rows if not r["success"]]
    blocking = [r for r in failed if r["severity"] == "critical"]
    warnings = [r for r in failed if r["severity"] != "critical"]
    report.update(
        success=not blocking,
        rows=len(df),
        evaluated=len(rows),
        blocking_failures=blocking,
        warnings=warnings,
        results=rows,
        seconds=round(time.perf_counter() - t0, 2),
    )

    print(
        f"quality checkpoint staged_listings: {len(df):,} staged listings from {n_files} files, "
        f"{len(rows)} expectations, {len(blocking)} blocking failure(s), {len(warnings)} warning(s)"
    )
    for r in warnings:
        print(f"  WARNING  {describe(r)}")
    for r in blocking:
        print(f"  BLOCKING {describe(r)}")
    _write(args.report_json, report)
    if blocking:
        print("QUALITY FAILED: blocking expectations failed (see above)")
        return 1
    print("quality passed" + (" with warnings" if warnings else ""))
    return 0


def _write(path: Path | None, report: dict) -> None:
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())
