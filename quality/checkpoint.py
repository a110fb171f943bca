"""Great Expectations checkpoint on the staged listings (phonepipe landing, topic listings.scraped).

Reads the landing Parquet with DuckDB (read-only, nothing downloaded), stages it like dbt's
stg_scrapers__listings + int_listings__deduped (one row per event_id, first landed copy), and validates it
with one GX Core 1.x suite whose expectations carry a severity:

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

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.expectations.row_conditions import Column  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

# Plausible asking prices for a phone, per currency (inclusive). A price outside blocks the load.
PRICE_RANGES = {
    "EGP": (100, 600_000),
    "USD": (5, 12_000),
    "AED": (20, 45_000),
    "SAR": (20, 45_000),
    "EUR": (5, 12_000),
}
STORAGE_GB = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
CONDITIONS = ["new", "like_new", "used", "refurbished"]
LISTING_TYPES = ["sale", "wanted"]

STAGED_SQL = """
with landed as (
    select * from read_parquet('{pattern}', hive_partitioning = true, union_by_name = true,
                               hive_types = {{'ingest_date': 'date'}})
), ranked as (
    select *, row_number() over (partition by event_id
                                 order by ingested_at, ingest_date, kafka_partition, kafka_offset) as rnk
    from landed
)
select event_id, source, url, cast(price_amount as double) as price_amount, upper(price_currency) as price_currency,
       cast(price_egp as double) as price_egp, storage_gb, condition, coalesce(listing_type, 'sale') as listing_type,
       confidence, scraped_at, ingested_at, cast(ingest_date as timestamp) as ingest_date
from ranked where rnk = 1
"""


def load_staged(data_dir: Path):
    pattern = data_dir / "landing" / "listings.scraped" / "*" / "[!.]*.parquet"
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    n_files = con.execute("select count(*) from glob(?)", [str(pattern)]).fetchone()[0]
    if n_files == 0:
        return None, 0
    df = con.execute(STAGED_SQL.format(pattern=str(pattern).replace("'", "''"))).df()
    return df, n_files


def build_suite(freshness_days: int, as_of: dt.datetime) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="staged_listings")
    blocking = "critical"
    warning = "warning"
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="event_id", severity=blocking))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="url", severity=blocking))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="price_currency", value_set=sorted(PRICE_RANGES), severity=blocking)
    )
    for currency, (low, high) in PRICE_RANGES.items():
        suite.add_expectation(
            gxe.ExpectColumnValuesToBeBetween(
                column="price_amount",
                min_value=low,
                max_value=high,
                row_condition=Column("price_currency") == currency,
                severity=blocking,
                meta={"what": f"price range for {currency}"},
            )
        )
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="storage_gb", value_set=STORAGE_GB, severity=blocking))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="condition", value_set=CONDITIONS, severity=blocking))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="listing_type", value_set=LISTING_TYPES, severity=blocking)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(column="confidence", min_value=0, max_value=1, severity=blocking)
    )
    # warnings: worth a look, never a reason to stop the warehouse build
    newest_allowed = as_of - dt.timedelta(days=freshness_days)
    suite.add_expectation(
        gxe.ExpectColumnMaxToBeBetween(
            column="ingest_date",
            min_value=newest_allowed.replace(hour=0, minute=0, second=0, microsecond=0),
            severity=warning,
            meta={"what": f"newest ingest_date partition within {freshness_days} day(s) of {as_of:%Y-%m-%d}"},
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToNotBeNull(
            column="price_egp",
            mostly=0.95,
            row_condition=Column("price_amount").is_not_null(),
            severity=warning,
            meta={"what": "priced rows with an EGP price (FX rate known)"},
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="confidence",
            min_value=0.5,
            mostly=0.9,
            severity=warning,
            meta={"what": "share of confident product matches"},
        )
    )
    return suite


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value


def _condition_text(cond) -> str | None:
    """Render a GX row condition (object or its serialized dict) as e.g. price_currency == 'EGP'."""
    if cond is None:
        return None
    if hasattr(cond, "dict"):
        cond = cond.dict()
    if isinstance(cond, dict) and "column" in cond:
        col = cond["column"].get("name") if isinstance(cond["column"], dict) else cond["column"]
        if "is_null" in cond:
            return f"{col} is {'' if cond['is_null'] else 'not '}null"
        op = cond.get("operator")
        op = getattr(op, "value", op)
        return f"{col} {op} {cond.get('parameter')!r}"
    return str(cond)


def summarize(validation_result) -> list[dict]:
    rows = []
    for r in validation_result.results:
        cfg = r.expectation_config
        kwargs = dict(cfg.kwargs)
        res = r.result or {}
        cond = kwargs.get("row_condition")
        rows.append(
            {
                "expectation": cfg.type,
                "severity": str(getattr(cfg, "severity", "critical")).split(".")[-1].lower(),
                "column": kwargs.get("column"),
                "condition": _condition_text(cond),
                "what": (cfg.meta or {}).get("what"),
                "success": bool(r.success),
                "element_count": res.get("element_count"),
                "unexpected_count": res.get("unexpected_count"),
                "unexpected_percent": res.get("unexpected_percent"),
                "observed_value": _jsonable(res.get("observed_value")),
                "sample_bad_values": [_jsonable(v) for v in (res.get("partial_unexpected_list") or [])[:10]],
                "bounds": {
                    k: _jsonable(kwargs[k])
                    for k in ("min_value", "max_value", "value_set", "mostly")
                    if kwargs.get(k) is not None
                },
                "exception": (r.exception_info or {}).get("exception_message") if r.exception_info else None,
            }
        )
    return rows


def describe(row: dict) -> str:
    col = row["column"] + (f" where {row['condition']}" if row["condition"] else "")
    parts = [f"{row['expectation']} on {col}"]
    if row["what"]:
        parts.append(f"({row['what']})")
    if row["unexpected_count"] is not None:
        parts.append(
            f": {row['unexpected_count']} bad of {row['element_count']} ({(row['unexpected_percent'] or 0):.3f}%)"
        )
    elif row["observed_value"] is not None:
        parts.append(f": observed {row['observed_value']}")
    if row["sample_bad_values"]:
        parts.append(f"; sample bad values: {row['sample_bad_values']}")
    bounds = {k: v for k, v in row["bounds"].items() if k != "value_set"}
    if bounds:
        parts.append(f"; expected {bounds}")
    if row["exception"]:
        parts.append(f"; error: {row['exception']}")
    return " ".join(parts)


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
    df, n_files = load_staged(args.data_dir)
    report: dict = {"checkpoint": "staged_listings", "data_dir": str(args.data_dir), "files": n_files}
    if df is None:
        report.update(
            success=False,
            blocking_failures=[
                {
                    "expectation": "landing_present",
                    "severity": "critical",
                    "column": None,
                    "what": f"no Parquet files under {args.data_dir}/landing/listings.scraped",
                }
            ],
            warnings=[],
        )
        print(f"QUALITY FAILED: no listings landed under {args.data_dir / 'landing' / 'listings.scraped'}")
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
