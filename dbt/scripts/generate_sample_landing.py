"""Write a realistic sample landing zone for phonepipe (see schemas/LANDING.md).

Everything is generated inside DuckDB with SQL (no row-by-row Python): a catalogue of phones,
listings on several sources observed repeatedly over several weeks with price changes, a few
percent of observations re-sent in a later window (duplicates) and some landed late in an extra
shard of their window, plus marketplace transactions, user activity, AI price suggestions and
market reference data (retail prices and FX rates). Prices depreciate, step up with an EGP devaluation and
differ per source; marketplace demand has weekly and seasonal waves (sample_landing/trends.py, the options
under "price and demand trends"). Topics, their landing columns and types come from the topic catalog; each
topic's rows come from sample_landing/<table>.py.

Deterministic for a given --seed, --rows, --days and --end-date (pseudo-random numbers come from
DuckDB's hash() of the row number, the seed and a salt; files are written in a fixed order).

    .venv/dbt/bin/python dbt/scripts/generate_sample_landing.py --data-dir data --rows 100000 --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
import time
from pathlib import Path

# the topic catalog reader (python/) and this script's own package (sample_landing/ beside it)
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))
import duckdb  # noqa: E402

import phonepipe_catalog  # noqa: E402
from sample_landing.landing import land, write_topic  # noqa: E402
from sample_landing.options import Options  # noqa: E402
from sample_landing.setup import setup  # noqa: E402


def generators(topics: list[phonepipe_catalog.Topic]) -> list[tuple[phonepipe_catalog.Topic, object]]:
    """Each topic with its generator module ``sample_landing.<table>``; a topic without one is left out, noted."""
    found = []
    for topic in topics:
        try:
            found.append((topic, importlib.import_module(f"sample_landing.{topic.table}")))
        except ModuleNotFoundError as err:
            if err.name != f"sample_landing.{topic.table}":
                raise
            print(f"{topic.topic}: no sample generator (dbt/scripts/sample_landing/{topic.table}.py), left out")
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", required=True, type=Path, help="data directory; files go to <dir>/landing/...")
    ap.add_argument("--rows", type=int, default=100_000, help="distinct listing observations (default 100000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--days", type=int, default=28, help="days of history, ending on --end-date (default 28)")
    ap.add_argument(
        "--end-date",
        type=dt.date.fromisoformat,
        default=dt.datetime.now(dt.UTC).date(),
        help="last day of data, YYYY-MM-DD (default: today, UTC)",
    )
    ap.add_argument("--corrupt", action="store_true", help="add a negative price and an unknown condition")
    ap.add_argument("--listings-only", action="store_true", help="write only the scraped listings topic")
    trend = ap.add_argument_group("price and demand trends (docs/warehouse.md)")
    trend.add_argument(
        "--devaluation-date",
        type=dt.date.fromisoformat,
        help="EGP prices and FX rates step up from this day (default: 60%% into periods of 30 days or more)",
    )
    trend.add_argument("--devaluation-pct", type=float, default=15.0, help="size of the step (default 15; 0: none)")
    trend.add_argument(
        "--depreciation-pct", type=float, default=2.0, help="average price loss per product and month (default 2)"
    )
    trend.add_argument(
        "--source-bias-pct", type=float, default=6.0, help="Noon vs Mobile Masr, per product, at most (default 6)"
    )
    trend.add_argument(
        "--launch-drop-pct", type=float, default=6.0, help="older models' step down at a brand's launch (default 6)"
    )
    trend.add_argument(
        "--seller-bias-pct", type=float, default=12.0, help="marketplace sellers' own bias, at most (default 12)"
    )
    ap.add_argument(
        "--marketplace-listings",
        type=int,
        help="marketplace listings offered for sale (default rows/25; about 3/4 are ordered, 0.6 sold): "
        "the size of the sales history, independent of --rows",
    )
    args = ap.parse_args(argv)
    if args.rows < 1 or args.days < 1:
        ap.error("--rows and --days must be positive")

    t_start = time.perf_counter()
    start = dt.datetime.combine(args.end_date - dt.timedelta(days=args.days - 1), dt.time())
    deval = args.devaluation_date
    if deval is None and args.days >= 30:
        deval = start.date() + dt.timedelta(days=args.days * 3 // 5)
    opts = Options(
        args.rows,
        args.days,
        args.seed,
        start,
        args.end_date,
        args.corrupt,
        devaluation_date=deval,
        devaluation_pct=args.devaluation_pct,
        depreciation_pct=args.depreciation_pct,
        source_bias_pct=args.source_bias_pct,
        launch_drop_pct=args.launch_drop_pct,
        seller_bias_pct=args.seller_bias_pct,
        marketplace_listings=args.marketplace_listings,
    )
    catalog = phonepipe_catalog.load()
    listings = catalog.with_hook("listing")
    # the listings first (the other topics are sized from them), then the catalog's order
    topics = [listings] + ([] if args.listings_only else [t for t in catalog.topics if t != listings])
    con = duckdb.connect()
    setup(con, opts)
    for topic, gen in generators(topics):
        table = gen.generate(con, opts)
        landed = land(con, catalog, topic, table, gen.DUP_PCT, gen.LATE_PCT)
        n_files = write_topic(con, landed, topic, args.data_dir)
        key = topic.record_id
        n_rows, n_keys = con.execute(f"SELECT count(*), count(DISTINCT {key}) FROM {landed}").fetchone()
        print(f"{topic.topic:28s} {n_rows:>9,} rows ({n_keys:,} distinct {key}) in {n_files} files")
    print(
        f"landing written to {args.data_dir / 'landing'} in {time.perf_counter() - t_start:.1f}s "
        f"({start:%Y-%m-%d} .. {args.end_date:%Y-%m-%d}, seed {args.seed}"
        + (f"; EGP devaluation of {args.devaluation_pct:g}% on {deval}" if deval and args.devaluation_pct else "")
        + ")"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
